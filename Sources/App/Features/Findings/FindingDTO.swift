import Foundation
import Domain
import Vapor

/// A finding as the API shows it.
struct FindingDTO: Content {
    var id: UUID
    var systemId: UUID
    var agencyId: UUID
    var fingerprint: String
    var source: String
    var scanner: String?
    var scannerRef: String?
    var title: String
    var severity: String
    var cvssScore: Double?
    var cvssVector: String?
    var cves: [String]
    var cwes: [String]
    var host: String?
    var hostname: String?
    var port: Int?
    var proto: String?
    var service: String?
    var product: String?
    var productVersion: String?
    var cpe: String?
    var location: String?
    var description: String?
    var evidence: String?
    var solution: String?
    var references: [String]
    var status: String
    var resolution: String?
    var firstSeenAt: Date
    var lastSeenAt: Date
    var dueAt: Date?
    var overdue: Bool
    var statusChangedAt: Date
    var closedAt: Date?
    var acceptedByName: String?
    var acceptedReason: String?
    var acceptedUntil: String?
    var falsePositiveReason: String?
    var lastImportId: UUID?
    var version: Int
    var history: [FindingEventDTO]?

    init(_ f: Finding, lang: Lang, now: Date = Date(), history: [FindingEvent]? = nil) {
        id = f.id!
        systemId = f.systemId
        agencyId = f.agencyId
        fingerprint = f.fingerprint
        source = f.source
        scanner = f.scanner
        scannerRef = f.scannerRef
        title = f.title
        severity = f.severity.rawValue
        cvssScore = f.cvssScore
        cvssVector = f.cvssVector
        cves = (f.cves ?? "").split(separator: " ").map(String.init)
        cwes = (f.cwes ?? "").split(separator: " ").map(String.init)
        host = f.host
        hostname = f.hostname
        port = f.port
        proto = f.proto
        service = f.service
        product = f.product
        productVersion = f.productVersion
        cpe = f.cpe
        location = f.location
        description = f.details
        evidence = f.evidence
        solution = f.solution
        references = (f.refs ?? "").split(separator: "\n").map(String.init)
        status = f.status
        resolution = FindingService.resolution(f.resolution, lang: lang)
        firstSeenAt = f.firstSeenAt
        lastSeenAt = f.lastSeenAt
        dueAt = f.dueAt
        overdue = f.statusValue.isOpen && (f.dueAt.map { $0 < now } ?? false)
        statusChangedAt = f.statusChangedAt
        closedAt = f.closedAt
        acceptedByName = f.acceptedByName
        acceptedReason = f.acceptedReason
        acceptedUntil = f.acceptedUntil.map(DisplayTime.isoDay)
        falsePositiveReason = f.falsePositiveReason
        lastImportId = f.lastImportId
        version = f.version
        self.history = history?.map(FindingEventDTO.init)
    }
}

struct FindingEventDTO: Content {
    var at: Date
    var action: String
    var fromStatus: String?
    var toStatus: String?
    var note: String?
    var importId: UUID?
    var actorName: String

    init(_ e: FindingEvent) {
        at = e.at
        action = e.action
        fromStatus = e.fromStatus
        toStatus = e.toStatus
        note = e.note
        importId = e.importId
        actorName = e.actorName
    }
}

/// `POST /api/v1/findings/bulk`.
struct FindingBulkInput: Content {
    var ids: [UUID]?
    var status: String?
    var reason: String?
    var approverName: String?
    var acceptedUntil: String?

    var statusInput: FindingService.StatusInput {
        .init(status: status, reason: reason, approverName: approverName, acceptedUntil: acceptedUntil, version: nil)
    }
}

struct FindingBulkResult: Content {
    var changed: Int
    var unchanged: Int
    var items: [FindingDTO]
}
