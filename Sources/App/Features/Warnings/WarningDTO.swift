import Foundation
import Domain
import Vapor

/// A warning as the API returns it. `systems` (on the single-warning read) lists the affected systems the caller may
/// see — an agency officer gets only their agencies' rows — and `tally` counts those rows only.
struct WarningDTO: Content {
    var id: UUID
    var issuer: String
    var number: String?
    var issuedOn: String
    var title: String
    var description: String?
    var cves: [String]
    var severity: String?
    var cvssScore: Double?
    var requiredAction: String?
    var deadline: String?
    var references: [String]
    var products: [WarningProduct]
    var origin: String
    var originId: String?
    var matchedAt: Date?
    var createdByName: String
    var createdAt: Date?
    var updatedAt: Date?
    var version: Int
    var tally: TallyDTO
    var systems: [WarningSystemDTO]?

    struct TallyDTO: Content {
        var systems: Int
        var open: Int
        var remediated: Int
        var notAffected: Int
        var overdue: Int

        init(_ t: WarningsIndex.Tally) {
            systems = t.systems
            open = t.open
            remediated = t.remediated
            notAffected = t.notAffected
            overdue = t.overdue
        }
    }

    init(_ w: AuthorityWarning, tally: WarningsIndex.Tally, systems: [WarningSystemDTO]?) {
        id = w.id!
        issuer = w.issuer
        number = w.number
        issuedOn = DisplayTime.isoDay(w.issuedOn)
        title = w.title
        description = w.details
        cves = WarningText.cves(w)
        severity = w.severity
        cvssScore = w.cvssScore
        requiredAction = w.requiredAction
        deadline = w.deadline.map(DisplayTime.isoDay)
        references = WarningText.references(w)
        products = WarningProducts.decode(w.products)
        origin = w.origin
        originId = w.originId
        matchedAt = w.matchedAt
        createdByName = w.createdByName
        createdAt = w.createdAt
        updatedAt = w.updatedAt
        version = w.version
        self.tally = TallyDTO(tally)
        self.systems = systems
    }
}

/// One affected system: why, what the agency did, the deadline and the evidence.
struct WarningSystemDTO: Content {
    var id: UUID
    var systemId: UUID
    var systemCode: String
    var systemName: String
    var agencyId: UUID
    var agencyName: String?
    var origin: String
    var state: String
    var reasons: [ReasonDTO]
    var matchedAt: Date
    var acknowledgedAt: Date?
    var acknowledgedByName: String?
    var remediatedAt: Date?
    var remediatedByName: String?
    var remediationNote: String?
    var notAffectedReason: String?
    var dueAt: String?
    var dueFromWarning: Bool?
    var overdue: Bool
    var files: [FileDTO]
    var version: Int

    struct ReasonDTO: Content {
        var kind: String
        var componentId: UUID?
        var component: String?
        var componentCpe: String?
        var criteria: String?
        var range: String?
        var derivedCpe: String?
        var explanation: String?
        var note: String?
        var by: String?
        var at: Date?
    }

    struct FileDTO: Content {
        var id: UUID
        var name: String
        var size: Int64
        var contentType: String
        var uploadedAt: Date?
        var uploadedByName: String?
    }

    init(_ row: WarningSystem, system: InformationSystem, agencyName: String?, due: WarningDue?, files: [StoredFile], lang: Lang) {
        id = row.id!
        systemId = row.systemId
        systemCode = system.code
        systemName = system.name
        agencyId = system.$agency.id
        self.agencyName = agencyName
        origin = row.origin
        state = row.state
        reasons = WarningReasons.decode(row.reasons).map { r in
            ReasonDTO(kind: r.kind, componentId: r.componentId, component: r.component, componentCpe: r.componentText, criteria: r.criteria,
                      range: r.range, derivedCpe: r.derivedCpe, explanation: r.explanation(lang), note: r.note, by: r.by, at: r.at)
        }
        matchedAt = row.matchedAt
        acknowledgedAt = row.acknowledgedAt
        acknowledgedByName = row.acknowledgedByName
        remediatedAt = row.remediatedAt
        remediatedByName = row.remediatedByName
        remediationNote = row.remediationNote
        notAffectedReason = row.notAffectedReason
        dueAt = due.map { DisplayTime.isoDay($0.date) }
        dueFromWarning = due?.fromWarning
        overdue = (WarningSystemState(rawValue: row.state)?.isOpen ?? false) && due?.state == .overdue
        self.files = files.map { FileDTO(id: $0.id!, name: $0.originalName, size: $0.size, contentType: $0.contentType,
                                          uploadedAt: $0.uploadedAt, uploadedByName: $0.uploadedByName) }
        version = row.version
    }
}

/// A warning in an API body. `cves` and `references` are arrays; `products` rows of vendor, product, versions, cpe.
/// On PATCH, fields left out keep their values.
struct WarningWriteDTO: Content {
    var issuer: String?
    var number: String?
    var issuedOn: String?
    var title: String?
    var description: String?
    var cves: [String]?
    var severity: String?
    var cvssScore: Double?
    var requiredAction: String?
    var deadline: String?
    var references: [String]?
    var products: [WarningProductInput]?
    var version: Int?

    func merged(into base: WarningInput) -> WarningInput {
        var i = base
        if let issuer { i.issuer = issuer }
        if let number { i.number = number }
        if let issuedOn { i.issuedOn = issuedOn }
        if let title { i.title = title }
        if let description { i.description = description }
        if let cves { i.cves = cves.joined(separator: " ") }
        if let severity { i.severity = severity }
        if let cvssScore { i.cvssScore = String(cvssScore) }
        if let requiredAction { i.requiredAction = requiredAction }
        if let deadline { i.deadline = deadline }
        if let references { i.references = references.joined(separator: "\n") }
        if let products {
            i.productVendor = products.map { $0.vendor ?? "" }
            i.productName = products.map { $0.product ?? "" }
            i.productVersions = products.map { $0.versions ?? "" }
            i.productCPE = products.map { $0.cpe ?? "" }
        }
        if let version { i.version = version }
        return i
    }
}
