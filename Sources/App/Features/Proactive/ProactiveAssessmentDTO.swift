import Foundation
import Domain
import Vapor

/// A scan or hunt in the API.
struct ProactiveAssessmentDTO: Content {
    struct FileRef: Content {
        var id: UUID
        var name: String
        var size: Int64
        var contentType: String
        var url: String
    }

    var id: UUID
    var systemId: UUID
    var agencyId: UUID
    var kind: String
    var state: String
    var performerKind: String
    var performer: String
    var startedAt: Date
    var finishedAt: Date?
    var tool: String?
    var scope: String?
    var method: String?
    var summary: String?
    var source: String
    var findingsCount: Int
    var files: [FileRef]
    var createdByName: String
    var createdAt: Date?
    var updatedAt: Date?
    var version: Int

    init(_ a: ProactiveAssessment, files: [StoredFile]) {
        id = a.id!
        systemId = a.systemId
        agencyId = a.agencyId
        kind = a.kind
        state = a.state
        performerKind = a.performerKind
        performer = a.performer
        startedAt = a.startedAt
        finishedAt = a.finishedAt
        tool = a.tool
        scope = a.scope
        method = a.method
        summary = a.summary
        source = a.source
        findingsCount = a.findingsCount
        self.files = files.map { FileRef(id: $0.id!, name: $0.originalName, size: $0.size, contentType: $0.contentType, url: SiteURL.file(.value($0.id!)).path) }
        createdByName = a.createdByName
        createdAt = a.createdAt
        updatedAt = a.updatedAt
        version = a.version
    }
}
