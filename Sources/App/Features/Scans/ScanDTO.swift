import Foundation
import Domain
import Fluent
import Vapor

/// A scan import as the API shows it.
struct ScanImportDTO: Content {
    var id: UUID
    var systemId: UUID
    var agencyId: UUID
    var state: String
    var format: String?
    var fileName: String?
    var scannerName: String?
    var scannerVersion: String?
    var reportStartedAt: Date?
    var reportFinishedAt: Date?
    /// The report's hosts with whether the system declares them (left out of lists).
    var hosts: [ScanHostEntry]?
    /// Addresses kept (null until imported, or when the report named no hosts).
    var keptHosts: [String]?
    /// Built-in scan: the targets and ports asked for.
    var targets: [String]?
    var ports: String?
    var assessmentId: UUID?
    /// Who performed the scan: in_house, outsourced or authority, and the name.
    var performerKind: String?
    var performer: String?
    var findingsTotal: Int
    var findingsNew: Int
    var findingsReopened: Int
    var findingsClosed: Int
    var error: String?
    /// Built-in scan: how far the job is (0–100) and what it is doing.
    var progress: Int?
    var progressNote: String?
    var jobId: UUID?
    var reportAvailable: Bool
    var createdByName: String
    var createdAt: Date?
    var updatedAt: Date?

    init(_ row: ScanImport, job: JobRecord? = nil, withHosts: Bool = true) {
        id = row.id!
        systemId = row.systemId
        agencyId = row.agencyId
        state = row.state
        format = row.format
        fileName = row.fileName
        scannerName = row.scannerName
        scannerVersion = row.scannerVersion
        reportStartedAt = row.reportStartedAt
        reportFinishedAt = row.reportFinishedAt
        hosts = withHosts ? ScanImportService.decodeHosts(row.hosts) : nil
        keptHosts = ScanImportService.decodeStrings(row.keptHosts)
        let plan = row.targets.flatMap { try? JSONDecoder().decode(NetworkScan.Plan.self, from: Data($0.utf8)) }
        targets = plan?.targets
        ports = plan?.ports
        assessmentId = row.assessmentId
        performerKind = row.performerKind
        performer = row.performer
        findingsTotal = row.findingsTotal
        findingsNew = row.findingsNew
        findingsReopened = row.findingsReopened
        findingsClosed = row.findingsClosed
        error = row.error
        jobId = row.jobId
        if let job {
            progress = row.state == ScanImportState.imported.rawValue ? 100 : job.progress
            progressNote = job.progressNote
        }
        reportAvailable = row.fileId != nil
        createdByName = row.createdByName
        createdAt = row.createdAt
        updatedAt = row.updatedAt
    }

    static func make(_ row: ScanImport, on db: any Database, withHosts: Bool = true) async throws -> ScanImportDTO {
        let job: JobRecord? = if let jobId = row.jobId { try await JobRecord.find(jobId, on: db) } else { nil }
        return ScanImportDTO(row, job: job, withHosts: withHosts)
    }
}

/// `POST /api/v1/scans/{id}/confirm`: which hosts to keep — `"all"`, `"in-scope"`, or a list of addresses/names.
struct ScanConfirmInput: Content {
    var keepHosts: String?
    var performerKind: String?
    var performer: String?

    enum CodingKeys: String, CodingKey { case keepHosts, performerKind, performer }

    init(keepHosts: String?, performerKind: String?, performer: String?) {
        self.keepHosts = keepHosts
        self.performerKind = performerKind
        self.performer = performer
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let list = try? c.decode([String].self, forKey: .keepHosts) {
            keepHosts = list.joined(separator: ",")
        } else {
            keepHosts = try c.decodeIfPresent(String.self, forKey: .keepHosts)
        }
        performerKind = try c.decodeIfPresent(String.self, forKey: .performerKind)
        performer = try c.decodeIfPresent(String.self, forKey: .performer)
    }
}
