import Foundation
import Domain
import Fluent
import Vapor

/// Observables (IOCs) and evidence files of a case, with the chain of custody of every evidence file.
enum IncidentArtifacts {
    struct ObservableInput: Content, Sendable {
        var type: String?
        var value: String?
        var tlp: String?
        var comment: String?
        var isIOC: String?
        var namedUserIds: [String]?
    }

    struct ValidObservable: Sendable {
        var type: ObservableType
        var value: String
        var tlp: TLP
        var comment: String?
        var isIOC: Bool
        var named: Set<UUID>
    }

    /// Longer values cannot be indexed (PostgreSQL refuses index rows over about 2,700 bytes).
    static let maxValueBytes = 2_000

    static func check(_ input: ObservableInput, subject: Subject) throws -> ValidObservable {
        var check = InputChecker()
        let type = check.choice("type", input.type, as: ObservableType.self)
        let tlp = Validators.trimmed(input.tlp).isEmpty ? TLP.amber : check.choice("tlp", input.tlp, as: TLP.self)
        let comment = check.optionalText("comment", input.comment, max: 2000)
        var value = ""
        if let type {
            let raw = Validators.trimmed(input.value)
            if raw.isEmpty { check.fail("value", "validation.required") }
            else {
                if raw.utf8.count > maxValueBytes { check.fail("value", "incidents.observableTooLong|\(maxValueBytes)") }
                else { do { value = try ObservableValidator.normalise(type: type, value: raw) }
                catch {
                    // The Domain's reason in both languages; the catalogue entry picks the reader's.
                    let clean = { (text: String) in text.replacingOccurrences(of: "|", with: "/") }
                    check.fail("value", "observable.invalid|\(clean(error.reason.vi))|\(clean(error.reason.en))")
                } }
            }
        }
        var named: Set<UUID> = []
        for raw in input.namedUserIds ?? [] where !Validators.trimmed(raw).isEmpty {
            guard let id = UUID(uuidString: Validators.trimmed(raw)) else { check.fail("namedUserIds", "validation.invalidId"); break }
            named.insert(id)
        }
        if tlp == .red { named.insert(subject.userId) }
        guard check.errors.isEmpty, let type, let tlp else { throw AppError.validation(check.errors) }
        let ioc = input.isIOC.map { SystemInput.flag($0) } ?? true
        return ValidObservable(type: type, value: value, tlp: tlp, comment: comment, isIOC: ioc, named: named)
    }

    static func addObservable(_ incident: Incident, _ input: ObservableInput, req: Request) async throws -> IncidentObservable {
        try await IncidentService.authorize(.handleIncident, incident, req: req)
        let valid = try check(input, subject: try req.requireSubject())
        let actor = req.auditActor
        return try await req.write { db in
            guard let row = try await insert([valid], into: incident, actor: actor, on: db).first else {
                throw AppError.validation(FieldErrors(["value": "incidents.observableExists"]))
            }
            return row
        }
    }

    /// Inserts observables not yet on the case (same type and value); returns those inserted.
    static func insert(_ items: [ValidObservable], into incident: Incident, actor: AuditActor, source: String? = nil,
                       on db: any Database) async throws -> [IncidentObservable] {
        let id = try incident.requireID()
        let existing = Set(try await IncidentObservable.query(on: db).filter(\.$incidentId == id).all().map { "\($0.type)|\($0.value)" })
        var seen = existing
        var inserted: [IncidentObservable] = []
        let now = Date()
        for item in items where seen.insert("\(item.type.rawValue)|\(item.value)").inserted {
            let row = IncidentObservable()
            row.incidentId = id
            row.type = item.type.rawValue
            row.value = item.value
            row.tlpRaw = item.tlp.rawValue
            row.namedUserIdsRaw = Incident.raw(item.named)
            row.comment = item.comment
            row.isIOC = item.isIOC
            row.createdBy = actor.userId
            row.createdAt = now
            try await row.create(on: db)
            inserted.append(row)
        }
        guard !inserted.isEmpty else { return [] }
        if inserted.count == 1, let o = inserted.first {
            try await IncidentTimeline.append(id, .observable, IncidentTimeline.msg("timeline.observable", o.type, o.value), tlp: TLP(rawValue: o.tlpRaw) ?? .amber,
                                              named: Incident.ids(o.namedUserIdsRaw), actor: actor, at: now, on: db)
        } else {
            try await IncidentTimeline.append(id, source == nil ? .observable : .imported,
                                              IncidentTimeline.msg("timeline.observables", String(inserted.count), source ?? ""), actor: actor, at: now, on: db)
        }
        try await AuditLog.append(AuditEntry("incident.observables", recordType: "incident", recordId: id.uuidString, agencyId: incident.agencyId,
                                             details: ["count": String(inserted.count), "source": source ?? "form"]), by: actor, on: db)
        return inserted
    }

    /// How many other cases the viewer can read carry the same observable.
    static func sightings(of observables: [IncidentObservable], excluding incidentId: UUID, subject: Subject,
                          on db: any Database) async throws -> [String: Int] {
        guard !observables.isEmpty else { return [:] }
        var rows: [IncidentObservable] = []
        for (type, items) in Dictionary(grouping: observables, by: \.type) {
            for chunk in items.map(\.value).chunked(400) {
                rows += try await IncidentObservable.query(on: db).filter(\.$type == type).filter(\.$value ~~ Array(chunk))
                    .filter(\.$incidentId != incidentId).all()
            }
        }
        let caseIds = Array(Set(rows.map(\.incidentId)))
        var readable: [UUID: Incident] = [:]
        for chunk in caseIds.chunked(400) {
            for i in try await Incident.scoped(to: subject, on: db).filter(\.$id ~~ Array(chunk)).all() { readable[i.id!] = i }
        }
        // A sighting the reader could not open (TLP:RED not naming them, or not shareable with the police) is not counted.
        var counts: [String: Set<UUID>] = [:]
        for row in rows {
            guard let other = readable[row.incidentId], IncidentVisibility.visible(row, in: other, to: subject) else { continue }
            counts["\(row.type)|\(row.value)", default: []].insert(row.incidentId)
        }
        return counts.mapValues(\.count)
    }

    // MARK: Evidence

    struct EvidenceInput: Content, Sendable {
        var files: [File]?
        var description: String?
        var tlp: String?
    }

    static func upload(_ incident: Incident, _ input: EvidenceInput, req: Request) async throws -> [IncidentEvidence] {
        try await IncidentService.authorize(.handleIncident, incident, req: req)
        var check = InputChecker()
        let description = check.optionalText("description", input.description, max: 2000)
        let tlp = Validators.trimmed(input.tlp).isEmpty ? TLP.amber : check.choice("tlp", input.tlp, as: TLP.self)
        let accepted = try StoredFileService.acceptEvidence(input.files ?? [], limit: req.application.config.maxUploadBytes, field: "files")
        if accepted.isEmpty { check.fail("files", "validation.required") }
        guard check.errors.isEmpty, let tlp else { throw AppError.validation(check.errors) }
        try StoredFileService.writeBytes(accepted, dataDirectory: req.application.config.dataDirectory)
        let named: Set<UUID> = tlp == .red ? [try req.requireSubject().userId] : []
        let actor = req.auditActor
        return try await req.write { db in
            try await addEvidence(accepted, to: incident, description: description, tlp: tlp, named: named, actor: actor, on: db)
        }
    }

    @discardableResult
    static func addEvidence(_ files: [StoredFileService.Accepted], to incident: Incident, description: String?, tlp: TLP, named: Set<UUID>,
                            actor: AuditActor, on db: any Database) async throws -> [IncidentEvidence] {
        guard !files.isEmpty else { return [] }
        let id = try incident.requireID()
        let stored = try await StoredFileService.record(files, recordType: "incident_evidence", recordId: id, agencyId: incident.agencyId,
                                                        actor: actor, on: db)
        var rows: [IncidentEvidence] = []
        let now = Date()
        for file in stored {
            let evidence = IncidentEvidence()
            evidence.incidentId = id
            evidence.fileId = try file.requireID()
            evidence.description = description
            evidence.tlpRaw = tlp.rawValue
            evidence.namedUserIdsRaw = Incident.raw(named)
            evidence.createdAt = now
            try await evidence.create(on: db)
            try await custody(evidence, "uploaded", actor: actor, on: db)
            try await IncidentTimeline.append(id, .evidence, IncidentTimeline.msg("timeline.evidence", file.originalName, file.sha256), tlp: tlp, named: named,
                                              actor: actor, at: now, on: db)
            rows.append(evidence)
        }
        try await AuditLog.append(AuditEntry("incident.evidence", recordType: "incident", recordId: id.uuidString, agencyId: incident.agencyId,
                                             // The audit trail is read more widely than a TLP:RED item: no names then.
                                             details: tlp == .red ? ["files": String(stored.count), "tlp": "red"]
                                                 : ["files": stored.map(\.originalName).joined(separator: ", ")]), by: actor, on: db)
        return rows
    }

    static func custody(_ evidence: IncidentEvidence, _ action: String, actor: AuditActor, on db: any Database) async throws {
        let entry = CustodyEntry()
        entry.evidenceId = try evidence.requireID()
        entry.at = Date()
        entry.actorId = actor.userId
        entry.actorLabel = actor.label
        entry.action = action
        entry.clientAddress = actor.clientAddress
        try await entry.create(on: db)
    }

    /// The evidence item of a readable case, if its TLP lets the caller see it; 404 otherwise.
    static func findEvidence(_ incident: Incident, req: Request) async throws -> (IncidentEvidence, StoredFile) {
        let subject = try req.requireSubject()
        guard let eid = req.parameters.get("eid", as: UUID.self),
              let evidence = try await IncidentEvidence.query(on: req.db).filter(\.$id == eid).filter(\.$incidentId == incident.requireID()).first(),
              IncidentVisibility.visible(evidence, in: incident, to: subject),
              let file = try await StoredFile.find(evidence.fileId, on: req.db) else { throw AppError.notFound }
        return (evidence, file)
    }

    /// Streams an evidence file as an attachment and records the download in its chain of custody.
    static func download(_ incident: Incident, req: Request) async throws -> Response {
        let (evidence, file) = try await findEvidence(incident, req: req)
        let url = StoredFileService.path(for: file.sha256, dataDirectory: req.application.config.dataDirectory)
        guard FileManager.default.fileExists(atPath: url.path) else { throw AppError.notFound }
        let actor = req.auditActor
        try await req.write { db in
            try await custody(evidence, "downloaded", actor: actor, on: db)
            try await AuditLog.append(AuditEntry("incident.evidence.download", recordType: "incident", recordId: incident.id?.uuidString,
                                                 agencyId: incident.agencyId,
                                                 details: evidence.tlpRaw == TLP.red.rawValue ? ["evidence": evidence.id?.uuidString ?? "", "tlp": "red"]
                                                     : ["file": file.originalName, "sha256": file.sha256]),
                                      by: actor, on: db)
        }
        let response = try await req.fileio.asyncStreamFile(at: url.path)
        response.headers.replaceOrAdd(name: .contentType, value: file.contentType == "text/html" ? "application/octet-stream" : file.contentType)
        response.headers.replaceOrAdd(name: .contentDisposition, value: ContentDisposition.attachment(file.originalName))
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: "Content-Security-Policy", value: "default-src 'none'; sandbox")
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return response
    }
}
