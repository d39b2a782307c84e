import Foundation
import Domain
import Fluent
import Formats
import Vapor

/// A case's observables as a STIX 2.1 bundle or a MISP event, and imports of either into a case.
/// Exports carry only what the reader may see (TLP:RED only for the people it names; the police only
/// what TLP lets leave the organisation).
enum IncidentExchange {
    enum Format { case stix, misp }

    static func export(_ incident: Incident, format: Format, req: Request) async throws -> Response {
        let subject = try req.requireSubject()
        let id = try incident.requireID()
        let observables = try await IncidentObservable.query(on: req.db).filter(\.$incidentId == id).sort(\.$createdAt).all()
            .filter { IncidentVisibility.visible($0, in: incident, to: subject) }
        let items = observables.map {
            ExchangeObservable(type: $0.type, value: $0.value, tlp: ExchangeTLP(rawValue: $0.tlpRaw) ?? .amber, comment: $0.comment,
                               firstSeen: $0.createdAt, tags: $0.isIOC ? ["ioc"] : [])
        }
        let showDetails = IncidentVisibility.caseDetailsVisible(incident, to: subject)
        let exchangeCase = ExchangeCase(
            id: id, title: "\(incident.number) · \(incident.title)", description: showDetails ? incident.description : nil,
            created: incident.createdAt ?? incident.detectedAt, modified: incident.updatedAt ?? incident.detectedAt,
            severity: incident.severityRaw, categoryCode: incident.categoryCode, tlp: ExchangeTLP(rawValue: incident.tlpRaw),
            closed: incident.phaseRaw == IncidentPhase.closed.rawValue)
        let producer = ExchangeProducer(name: try await producerName(on: req.db))
        let data: Data
        let name: String
        do {
            switch format {
            case .stix:
                data = try STIXBundleWriter.write(case: exchangeCase, observables: items, producer: producer)
                name = "\(incident.number).stix.json"
            case .misp:
                data = try MISPEventWriter.write(case: exchangeCase, observables: items, producer: producer)
                name = "\(incident.number).misp.json"
            }
        } catch let error as ExchangeError {
            throw AppError(status: .unprocessableEntity, code: "export_failed", messageKey: "exchange.exportFailed", detail: error.description)
        }
        try await req.audit(AuditEntry("incident.export", recordType: "incident", recordId: id.uuidString, agencyId: incident.agencyId,
                                       details: ["format": format == .stix ? "stix" : "misp", "observables": String(items.count)]))
        var headers = HTTPHeaders()
        headers.contentType = .json
        headers.replaceOrAdd(name: .contentDisposition, value: ContentDisposition.attachment(name))
        headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }

    static func producerName(on db: any Database) async throws -> String {
        let root = try await Agency.query(on: db).filter(\.$parent.$id == nil).sort(\.$createdAt).first()
        return (root?.name).map { "\($0) (UngCuu)" } ?? "UngCuu"
    }

    /// Imports the observables of a STIX 2.1 bundle or a MISP event (detected from the content). A file
    /// that is malformed, too large or holds a bad value imports nothing and names where it is wrong.
    static func importFile(_ incident: Incident, file: File?, req: Request) async throws -> [IncidentObservable] {
        try await IncidentService.authorize(.handleIncident, incident, req: req)
        guard let file, file.data.readableBytes > 0 else { throw AppError.validation(FieldErrors(["file": "validation.required"])) }
        return try await importData(incident, data: Data(file.data.readableBytesView), source: StoredFileService.sanitizedName(file.filename),
                                    field: "file", req: req)
    }

    static func importData(_ incident: Incident, data: Data, source: String, field: String, req: Request) async throws -> [IncidentObservable] {
        let limits = ExchangeLimits()
        guard data.count <= limits.maxBytes else {
            throw AppError.validation(FieldErrors([field: "exchange.tooLarge|\(limits.maxBytes / 1_048_576)"]))
        }
        let subject = try req.requireSubject()
        let found: ExchangeImport
        do {
            found = try looksLikeMISP(data) ? MISPEventReader.read(data, limits: limits) : STIXBundleReader.read(data, limits: limits)
        } catch let error as ExchangeError {
            throw AppError.validation(FieldErrors([field: "exchange.invalid|\(error.location)|\(error.message)"]))
        }
        var valid: [IncidentArtifacts.ValidObservable] = []
        for (index, o) in found.observables.enumerated() {
            do {
                valid.append(try IncidentArtifacts.check(.init(type: o.type, value: o.value, tlp: o.tlp.rawValue, comment: o.comment), subject: subject))
            } catch let error as AppError {
                let reason = error.fields.values.first.map { req.t($0) } ?? error.code
                throw AppError.validation(FieldErrors([field: "exchange.invalid|#\(index + 1) \(o.type) \(o.value.prefix(80))|\(reason)"]))
            }
        }
        let actor = req.auditActor
        let checked = valid
        return try await req.write { db in
            try await IncidentArtifacts.insert(checked, into: incident, actor: actor, source: source, on: db)
        }
    }

    /// MISP events are `{"Event": …}` or a bare event with `Attribute`; STIX bundles have `"type": "bundle"`.
    static func looksLikeMISP(_ data: Data) -> Bool {
        guard let top = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return false }
        if (top["type"] as? String) == "bundle" { return false }
        return top["Event"] != nil || top["Attribute"] != nil || top["info"] != nil
    }
}
