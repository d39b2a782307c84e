import Domain
import Fluent
import Foundation

final class Agency: Model, @unchecked Sendable {
    static let schema = "agencies"
    typealias Id = UUID

    // managed fields
    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    // reference fields
    @OptionalParent(key: "parent_id") var parent: Agency?

    // data fields
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @Field(key: "kind") var kind: AgencyKind
    @OptionalField(key: "address") var address: String?
    @OptionalField(key: "contact_phone") var contactPhone: String?
    @OptionalField(key: "contact_email") var contactEmail: String?
    /// Maintained by ``AgencySearchText``.
    @Field(key: "search_text") var searchText: String

    init() {}

    init(id: UUID? = nil, code: String, name: String, kind: AgencyKind, parentId: UUID?,
         address: String? = nil, contactPhone: String? = nil, contactEmail: String? = nil) {
        self.id = id
        self.code = code
        self.name = name
        self.kind = kind
        self.$parent.id = parentId
        self.address = address
        self.contactPhone = contactPhone
        self.contactEmail = contactEmail
        self.searchText = ""
    }

    /// What the audit trail records of this agency.
    var auditSnapshot: [String: String?] {
        ["code": code, "name": name, "kind": kind.rawValue, "parentId": $parent.id?.uuidString,
         "address": address, "contactPhone": contactPhone, "contactEmail": contactEmail]
    }
}
