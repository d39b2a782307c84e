import Fluent
import SQLKit

extension Database {
    /// Case-insensitive LIKE on both databases (PostgreSQL's LIKE is case-sensitive).
    var caseInsensitiveLike: DatabaseQuery.Filter.Method {
        .custom((self as? any SQLDatabase)?.dialect.name == "postgresql" ? "ILIKE" : "LIKE")
    }
}
