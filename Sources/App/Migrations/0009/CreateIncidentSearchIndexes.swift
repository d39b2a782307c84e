import Foundation
import Fluent
import SQLKit

/// What the case list, the board and search need at 100,000 cases and 1,000,000 timeline entries
/// (bench/incidents_scale.sh):
/// - the list of one agency and each board column sorted by detection time read from an index instead of
///   sorting every matching row (`(agency_id, detected_at)`, `(phase, detected_at)`);
/// - the "overdue clocks" filter finds the overdue incident clocks without scanning every obligation;
/// - search (`LIKE '%…%'` on folded text) stops scanning every case, note and observable: trigram indexes.
///   On PostgreSQL, `pg_trgm` GIN indexes serve the unchanged LIKE conditions. On SQLite, FTS5 tables with the
///   trigram tokenizer (external content, kept in step by triggers) give the candidate rows, and the original
///   LIKE and TLP conditions are still applied to them (`IncidentsIndex.search`), so results are unchanged.
///   They are keyed by the tables' implicit rowids: after a `VACUUM`, run
///   `INSERT INTO <table>_fts(<table>_fts) VALUES('rebuild')` for each of the three.
struct CreateIncidentSearchIndexes: AsyncMigration {
    /// The SQLite full-text tables: (table, indexed column).
    static let fts: [(table: String, column: String)] = [
        ("incidents", "search_text"), ("incident_timeline", "search_text"), ("incident_observables", "value"),
    ]

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("CREATE INDEX ix_incidents_agency_detected ON incidents (agency_id, detected_at)").run()
        try await sql.raw("CREATE INDEX ix_incidents_phase_detected ON incidents (phase, detected_at)").run()
        try await sql.raw("CREATE INDEX ix_obligations_kind_state_subject ON obligations (subject_kind, state, subject_id)").run()
        if sql.dialect.name == "postgresql" {
            let schema = try await Self.trigramSchema(on: database)
            let ops = SQLQueryString("\(ident: schema).gin_trgm_ops")
            try await sql.raw("CREATE INDEX ix_incidents_search_trgm ON incidents USING gin (search_text \(ops))").run()
            try await sql.raw("CREATE INDEX ix_incident_timeline_search_trgm ON incident_timeline USING gin (search_text \(ops))").run()
            try await sql.raw("CREATE INDEX ix_incident_observables_value_trgm ON incident_observables USING gin (LOWER(value) \(ops))").run()
            return
        }
        for (table, column) in Self.fts {
            try await sql.raw("""
                CREATE VIRTUAL TABLE \(unsafeRaw: table)_fts USING fts5(\(unsafeRaw: column), content='\(unsafeRaw: table)', \
                content_rowid='rowid', tokenize='trigram')
                """).run()
            try await sql.raw("INSERT INTO \(unsafeRaw: table)_fts(\(unsafeRaw: table)_fts) VALUES('rebuild')").run()
            try await sql.raw("""
                CREATE TRIGGER \(unsafeRaw: table)_fts_insert AFTER INSERT ON \(unsafeRaw: table) BEGIN
                INSERT INTO \(unsafeRaw: table)_fts(rowid, \(unsafeRaw: column)) VALUES (new.rowid, new.\(unsafeRaw: column)); END
                """).run()
            // The timeline refuses updates and deletes (0008); cases and observables change and go.
            guard table != "incident_timeline" else { continue }
            try await sql.raw("""
                CREATE TRIGGER \(unsafeRaw: table)_fts_delete AFTER DELETE ON \(unsafeRaw: table) BEGIN
                INSERT INTO \(unsafeRaw: table)_fts(\(unsafeRaw: table)_fts, rowid, \(unsafeRaw: column)) VALUES ('delete', old.rowid, old.\(unsafeRaw: column)); END
                """).run()
            try await sql.raw("""
                CREATE TRIGGER \(unsafeRaw: table)_fts_update AFTER UPDATE OF \(unsafeRaw: column) ON \(unsafeRaw: table) BEGIN
                INSERT INTO \(unsafeRaw: table)_fts(\(unsafeRaw: table)_fts, rowid, \(unsafeRaw: column)) VALUES ('delete', old.rowid, old.\(unsafeRaw: column));
                INSERT INTO \(unsafeRaw: table)_fts(rowid, \(unsafeRaw: column)) VALUES (new.rowid, new.\(unsafeRaw: column)); END
                """).run()
        }
    }

    /// The schema holding `pg_trgm`, creating the extension in `public` when the database has none. The extension
    /// is database-wide: it must not land in the schema the application happens to use (several deployments, or
    /// every test, may share one database with a schema each), and two instances migrating at once take turns.
    /// A trusted extension since PostgreSQL 13: the database owner may create it.
    static func trigramSchema(on database: any Database) async throws -> String {
        try await database.transaction { tx in
            let sql = tx as! any SQLDatabase
            try await sql.raw("SELECT pg_advisory_xact_lock(\(literal: 0x5543_5447))").run()
            let find: SQLQueryString = """
                SELECT n.nspname AS schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'
                """
            if let row = try await sql.raw(find).first() { return try row.decode(column: "schema", as: String.self) }
            try await sql.raw("CREATE EXTENSION pg_trgm SCHEMA public").run()
            return "public"
        }
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        if sql.dialect.name == "postgresql" {
            // pg_trgm stays: other objects may use it, and it holds no data.
            for index in ["ix_incident_observables_value_trgm", "ix_incident_timeline_search_trgm", "ix_incidents_search_trgm"] {
                try await sql.raw("DROP INDEX \(unsafeRaw: index)").run()
            }
        } else {
            for (table, _) in Self.fts.reversed() {
                for suffix in table == "incident_timeline" ? ["insert"] : ["update", "delete", "insert"] {
                    try await sql.raw("DROP TRIGGER \(unsafeRaw: table)_fts_\(unsafeRaw: suffix)").run()
                }
                try await sql.raw("DROP TABLE \(unsafeRaw: table)_fts").run()
            }
        }
        for index in ["ix_obligations_kind_state_subject", "ix_incidents_phase_detected", "ix_incidents_agency_detected"] {
            try await sql.raw("DROP INDEX \(unsafeRaw: index)").run()
        }
    }
}
