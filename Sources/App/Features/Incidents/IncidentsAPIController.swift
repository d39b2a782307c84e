import Foundation
import Domain
import Fluent
import Vapor

/// A body that names the version of the case it was made on.
protocol VersionedInput {
    var version: Int? { get set }
}

extension IncidentHandling.TriageInput: VersionedInput {}
extension IncidentHandling.PhaseInput: VersionedInput {}
extension IncidentHandling.AssignInput: VersionedInput {}
extension IncidentHandling.MergeInput: VersionedInput {}

/// `/api/v1/incidents` and its sub-resources.
enum IncidentsAPIController {
    static func list(req: Request) async throws -> Paged<IncidentDTO> {
        let subject = try req.requireSubject()
        let params = try PageParams(req: req)
        var list = ListQuery(req: req, filterKeys: IncidentsIndex.filterKeys, sortKeys: IncidentsIndex.sortKeys)
        list.page = params.page
        list.per = params.per
        for key in ["agency", "system"] where list.filters[key].map({ UUID(uuidString: $0) == nil }) == true {
            throw AppError.validation(FieldErrors([key: "validation.invalidId"]))
        }
        if let v = list.filters["phase"], v != "open", IncidentPhase(rawValue: v) == nil { throw AppError.validation(FieldErrors(["phase": "validation.unknownValue"])) }
        if let v = list.filters["severity"], v != "none", IncidentSeverity(rawValue: v) == nil {
            throw AppError.validation(FieldErrors(["severity": "validation.unknownValue"]))
        }
        let model = try await IncidentsIndex.query(subject: subject, list: list, on: req.db)
        try await IncidentSharing.auditPoliceList(req: req, count: model.total)
        return Paged(items: try await dtos(model.rows.map(\.incident), subject: subject, on: req.db), total: model.total, page: params.page, per: params.per)
    }

    /// Full-text search across cases, notes and observables; `q` is required.
    static func search(req: Request) async throws -> Paged<IncidentDTO> {
        guard let q = req.query[String.self, at: "q"], !q.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw AppError.validation(FieldErrors(["q": "validation.required"]))
        }
        return try await list(req: req)
    }

    static func dtos(_ incidents: [Incident], subject: Subject, on db: any Database) async throws -> [IncidentDTO] {
        let ids = incidents.compactMap(\.id)
        var systems: [UUID: [UUID]] = [:]
        if !ids.isEmpty {
            for row in try await IncidentSystem.query(on: db).filter(\.$incidentId ~~ ids).all() { systems[row.incidentId, default: []].append(row.systemId) }
        }
        return incidents.map { IncidentDTO($0, systemIds: systems[$0.id!] ?? [], subject: subject) }
    }

    static func dto(_ incident: Incident, req: Request) async throws -> IncidentDTO {
        try await dtos([incident], subject: try req.requireSubject(), on: req.db)[0]
    }

    static func get(req: Request) async throws -> IncidentDTO {
        let incident = try await IncidentService.find(req)
        try await IncidentSharing.auditPoliceAccess(incident, what: "case", req: req)
        return try await dto(incident, req: req)
    }

    static func create(req: Request) async throws -> Response {
        let body = try req.content.decode(IncidentReportBody.self)
        let incident = try await IncidentService.report(body.input, files: [], req: req)
        let response = Response(status: .created)
        try response.content.encode(try await dto(incident, req: req))
        response.headers.replaceOrAdd(name: .location, value: SiteURL.api(.incidents(.one(.value(incident.id!)))).path)
        return response
    }

    /// The version a change is based on: the body's `version`, else an `If-Match` header.
    static func expectedVersion(_ body: Int?, req: Request) -> Int? {
        body ?? req.headers.first(name: .ifMatch).flatMap { Int($0.trimmingCharacters(in: CharacterSet(charactersIn: "\" W/"))) }
    }

    /// Changes of the case's fields must say which version they were made on, so a stale client cannot
    /// silently overwrite a colleague's change (428 otherwise).
    static func requiredVersion(_ body: Int?, req: Request) throws -> Int {
        guard let version = expectedVersion(body, req: req) else {
            throw AppError(status: .preconditionRequired, code: "version_required", messageKey: "incidents.versionRequired",
                           fields: ["version": "validation.required"])
        }
        return version
    }

    static func triage(req: Request) async throws -> IncidentDTO {
        try await change(IncidentHandling.TriageInput.self, req: req, IncidentHandling.triage)
    }

    static func phase(req: Request) async throws -> IncidentDTO {
        try await change(IncidentHandling.PhaseInput.self, req: req, IncidentHandling.changePhase)
    }

    static func assign(req: Request) async throws -> IncidentDTO {
        try await change(IncidentHandling.AssignInput.self, req: req, IncidentHandling.assign)
    }

    static func share(req: Request) async throws -> IncidentDTO {
        let incident = try await IncidentService.find(req)
        var input = (try? req.content.decode(IncidentSharing.ShareInput.self)) ?? IncidentSharing.ShareInput()
        input.version = expectedVersion(input.version, req: req)
        try await IncidentSharing.share(incident, input, req: req)
        return try await dto(incident, req: req)
    }

    /// Closes the case as a duplicate of `into` (a case number or id).
    static func merge(req: Request) async throws -> IncidentDTO {
        try await change(IncidentHandling.MergeInput.self, req: req, IncidentHandling.merge)
    }

    /// A change of the case's fields: found in the caller's scope (404 first), then based on a stated version.
    static func change<Input: Content & VersionedInput>(
        _ type: Input.Type, req: Request, _ apply: (Incident, Input, Request) async throws -> Void
    ) async throws -> IncidentDTO {
        let incident = try await IncidentService.find(req)
        var input = try req.content.decode(Input.self)
        input.version = try requiredVersion(input.version, req: req)
        try await apply(incident, input, req)
        return try await dto(incident, req: req)
    }

    static func unshare(req: Request) async throws -> HTTPStatus {
        let incident = try await IncidentService.find(req)
        try await IncidentSharing.revoke(incident, IncidentSharing.ShareInput(version: expectedVersion(nil, req: req)), req: req)
        return .noContent
    }

    // MARK: Timeline

    static func timeline(req: Request) async throws -> [TimelineEntryDTO] {
        let incident = try await IncidentService.find(req)
        let subject = try req.requireSubject()
        try await IncidentSharing.auditPoliceAccess(incident, what: "timeline", req: req)
        return try await TimelineEntry.query(on: req.db).filter(\.$incidentId == incident.requireID()).sort(\.$at).sort(\.$id).all()
            .filter { IncidentVisibility.visible($0, in: incident, to: subject) }.map { TimelineEntryDTO($0, t: req.t, rules: req.application.rules) }
    }

    struct NoteBody: Content {
        var body: String?
        var tlp: String?
        var namedUserIds: [UUID]?
        /// "note" (default) or, for the police liaison, "evidence_request".
        var kind: String?
    }

    static func addNote(req: Request) async throws -> Response {
        let incident = try await IncidentService.find(req)
        let body = try req.content.decode(NoteBody.self)
        let kind: TimelineKind = body.kind == TimelineKind.evidenceRequest.rawValue ? .evidenceRequest : .note
        if kind == .evidenceRequest, try !req.requireSubject().isPolice { throw AppError.validation(FieldErrors(["kind": "validation.unknownValue"])) }
        let entry = try await IncidentHandling.addNote(incident, .init(body: body.body, tlp: body.tlp, namedUserIds: body.namedUserIds?.map(\.uuidString)),
                                                       kind: kind, req: req)
        let response = Response(status: .created)
        try response.content.encode(TimelineEntryDTO(entry, t: req.t, rules: req.application.rules))
        return response
    }

    // MARK: Tasks

    static func tasks(req: Request) async throws -> [TaskDTO] {
        let incident = try await IncidentService.find(req)
        try await IncidentService.authorize(.handleIncident, incident, req: req)
        return try await TaskService.list(subjectKind: "incident", subjectId: incident.requireID(), on: req.db).map(TaskDTO.init)
    }

    struct TaskBody: Content {
        var title: String?
        var phase: String?
        var assigneeId: UUID?
        var dueAt: String?
        var fromScenario: Bool?
    }

    static func createTask(req: Request) async throws -> Response {
        let incident = try await IncidentService.find(req)
        let body = try req.content.decode(TaskBody.self)
        try await IncidentTasks.create(incident, .init(title: body.title, phase: body.phase, assigneeId: body.assigneeId?.uuidString,
                                                       dueAt: body.dueAt, fromScenario: body.fromScenario.map(String.init)), req: req)
        let response = Response(status: .created)
        try response.content.encode(try await TaskService.list(subjectKind: "incident", subjectId: incident.requireID(), on: req.db).map(TaskDTO.init))
        return response
    }

    struct TaskPatch: Content {
        var version: Int?
        /// complete, reopen or assign
        var action: String?
        var assigneeId: UUID?
    }

    static func updateTask(req: Request) async throws -> TaskDTO {
        let incident = try await IncidentService.find(req)
        let body = try req.content.decode(TaskPatch.self)
        try await IncidentTasks.update(incident, .init(version: expectedVersion(body.version, req: req), action: body.action,
                                                       assigneeId: body.assigneeId?.uuidString), req: req)
        guard let tid = req.parameters.get("tid", as: UUID.self),
              let task = try await TaskService.find(tid, subjectKind: "incident", subjectId: incident.requireID(), on: req.db) else { throw AppError.notFound }
        return TaskDTO(task)
    }

    // MARK: Observables and evidence

    static func observables(req: Request) async throws -> [ObservableDTO] {
        let incident = try await IncidentService.find(req)
        let subject = try req.requireSubject()
        let id = try incident.requireID()
        try await IncidentSharing.auditPoliceAccess(incident, what: "observables", req: req)
        let rows = try await IncidentObservable.query(on: req.db).filter(\.$incidentId == id).sort(\.$createdAt).all()
            .filter { IncidentVisibility.visible($0, in: incident, to: subject) }
        let sightings = try await IncidentArtifacts.sightings(of: rows, excluding: id, subject: subject, on: req.db)
        return rows.map { ObservableDTO($0, sightings: sightings["\($0.type)|\($0.value)"] ?? 0) }
    }

    static func addObservable(req: Request) async throws -> Response {
        let incident = try await IncidentService.find(req)
        let body = try req.content.decode(ObservableBody.self)
        let row = try await IncidentArtifacts.addObservable(incident, body.input, req: req)
        let response = Response(status: .created)
        try response.content.encode(ObservableDTO(row, sightings: 0))
        return response
    }

    /// The body is a STIX 2.1 bundle or a MISP event (JSON).
    static func importObservables(req: Request) async throws -> Response {
        let incident = try await IncidentService.find(req)
        try await IncidentService.authorize(.handleIncident, incident, req: req)
        guard let buffer = req.body.data, buffer.readableBytes > 0 else { throw AppError.validation(FieldErrors(["body": "validation.required"])) }
        let rows = try await IncidentExchange.importData(incident, data: Data(buffer.readableBytesView), source: "api", field: "body", req: req)
        let response = Response(status: .created)
        try response.content.encode(rows.map { ObservableDTO($0, sightings: 0) })
        return response
    }

    static func evidence(req: Request) async throws -> [EvidenceDTO] {
        let incident = try await IncidentService.find(req)
        let subject = try req.requireSubject()
        try await IncidentSharing.auditPoliceAccess(incident, what: "evidence", req: req)
        let rows = try await IncidentEvidence.query(on: req.db).filter(\.$incidentId == incident.requireID()).sort(\.$createdAt).all()
            .filter { IncidentVisibility.visible($0, in: incident, to: subject) }
        let files = rows.isEmpty ? [] : try await StoredFile.query(on: req.db).filter(\.$id ~~ rows.map(\.fileId)).all()
        let byId = Dictionary(uniqueKeysWithValues: files.compactMap { f in f.id.map { ($0, f) } })
        return rows.compactMap { e in byId[e.fileId].map { EvidenceDTO(e, file: $0) } }
    }

    static func uploadEvidence(req: Request) async throws -> Response {
        let incident = try await IncidentService.find(req)
        let input = try req.content.decode(IncidentArtifacts.EvidenceInput.self)
        let rows = try await IncidentArtifacts.upload(incident, input, req: req)
        let files = try await StoredFile.query(on: req.db).filter(\.$id ~~ rows.map(\.fileId)).all()
        let byId = Dictionary(uniqueKeysWithValues: files.compactMap { f in f.id.map { ($0, f) } })
        let response = Response(status: .created)
        try response.content.encode(rows.compactMap { e in byId[e.fileId].map { EvidenceDTO(e, file: $0) } })
        return response
    }

    // MARK: Reports and clocks

    static func reports(req: Request) async throws -> [IncidentReportDTO] {
        let incident = try await IncidentService.find(req)
        try await IncidentService.authorize(.handleIncident, incident, req: req)
        return try await IncidentReportRecord.query(on: req.db).filter(\.$incidentId == incident.requireID()).sort(\.$sentAt).all()
            .map(IncidentReportDTO.init)
    }

    static func recordReport(req: Request) async throws -> Response {
        let incident = try await IncidentService.find(req)
        let input = try req.content.decode(IncidentReports.RecordInput.self)
        let row = try await IncidentReports.record(incident, input, req: req)
        let response = Response(status: .created)
        try response.content.encode(IncidentReportDTO(row))
        return response
    }

    static func clocks(req: Request) async throws -> [ClockDTO] {
        let incident = try await IncidentService.find(req)
        try await IncidentSharing.auditPoliceAccess(incident, what: "clocks", req: req)
        let sent = try await IncidentReportRecord.query(on: req.db).filter(\.$incidentId == incident.requireID()).all()
        return IncidentRulesBridge.clocks(incident, sent: sent, rules: req.application.rules, now: Date()).map { ClockDTO($0, lang: req.lang) }
    }
}
