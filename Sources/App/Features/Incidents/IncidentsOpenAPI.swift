import Foundation
import Domain

/// The incidents part of the OpenAPI document; merged by ``OpenAPIDocument``.
enum IncidentsOpenAPI {
    typealias O = OpenAPIDocument
    typealias Op = OpenAPIDocument.Operation

    static let listQuery: [(name: String, type: String, description: String)] = O.paging + [
        ("q", "string", "Full-text search across the case, its notes and its observables (case and diacritics ignored)"),
        ("phase", "string", "A phase, or open"), ("severity", "string", "A severity, or none"), ("agency", "string", "Agency id (and its sub-agencies)"),
        ("system", "string", "System id"), ("category", "string", "Category code"), ("assignee", "string", "User id, or me"),
        ("overdue", "string", "Any value: only cases with an overdue reporting clock"),
        ("sort", "string", "number, detected, severity, phase or title"), ("dir", "string", "desc reverses the order"),
    ]

    static let operations: [Op] = [
        .init(method: "get", path: "/api/v1/incidents", summary: "List visible incident cases", tag: "incidents", response: ("200", "IncidentPage"), query: listQuery),
        .init(method: "post", path: "/api/v1/incidents", summary: "Report an incident (agency officers for their agencies; coordinators, responders)",
              tag: "incidents", request: "IncidentReport", response: ("201", "Incident")),
        .init(method: "get", path: "/api/v1/incidents/search", summary: "Full-text search across cases, notes and observables (q required)",
              tag: "incidents", response: ("200", "IncidentPage"), query: listQuery),
        .init(method: "get", path: "/api/v1/incidents/{id}", summary: "One case", tag: "incidents", response: ("200", "Incident")),
        .init(method: "post", path: "/api/v1/incidents/{id}/triage", summary: "Accept or re-triage: severity, Decision 05 confirmation, TLP (coordinator); version or If-Match",
              tag: "incidents", request: "IncidentTriage", response: ("200", "Incident")),
        .init(method: "post", path: "/api/v1/incidents/{id}/phase", summary: "Move the case to another phase; closing needs the final report or a reason",
              tag: "incidents", request: "IncidentPhaseChange", response: ("200", "Incident")),
        .init(method: "put", path: "/api/v1/incidents/{id}/assignees", summary: "Set the responders (coordinator)", tag: "incidents",
              request: "IncidentAssignment", response: ("200", "Incident")),
        .init(method: "post", path: "/api/v1/incidents/{id}/share", summary: "Share the case with the police liaison (coordinator)", tag: "incidents",
              request: "IncidentShare", response: ("200", "Incident")),
        .init(method: "post", path: "/api/v1/incidents/{id}/merge", summary: "Close the case as a duplicate of another (coordinator); its observables are copied there",
              tag: "incidents", request: "IncidentMerge", response: ("200", "Incident")),
        .init(method: "delete", path: "/api/v1/incidents/{id}/share", summary: "Revoke police sharing (coordinator)", tag: "incidents", response: ("204", nil)),
        .init(method: "get", path: "/api/v1/incidents/{id}/timeline", summary: "The immutable timeline (what the caller may read)", tag: "incidents",
              response: ("200", "TimelineEntryList")),
        .init(method: "post", path: "/api/v1/incidents/{id}/timeline", summary: "Add a note (the police liaison: a note or an evidence request)",
              tag: "incidents", request: "IncidentNote", response: ("201", "TimelineEntry")),
        .init(method: "get", path: "/api/v1/incidents/{id}/tasks", summary: "Response tasks", tag: "incidents", response: ("200", "IncidentTaskList")),
        .init(method: "post", path: "/api/v1/incidents/{id}/tasks", summary: "Add a task, or every remaining step of the matching scenario (fromScenario)",
              tag: "incidents", request: "IncidentTaskInput", response: ("201", "IncidentTaskList")),
        .init(method: "patch", path: "/api/v1/incidents/{id}/tasks/{tid}", summary: "Complete, reopen or assign a task (version required)",
              tag: "incidents", request: "IncidentTaskPatch", response: ("200", "IncidentTask")),
        .init(method: "get", path: "/api/v1/incidents/{id}/observables", summary: "Observables with sighting counts across readable cases",
              tag: "incidents", response: ("200", "ObservableList")),
        .init(method: "post", path: "/api/v1/incidents/{id}/observables", summary: "Add an observable (validated by type)", tag: "incidents",
              request: "ObservableInput", response: ("201", "Observable")),
        .init(method: "post", path: "/api/v1/incidents/{id}/observables/import", summary: "Import observables from a STIX 2.1 bundle or a MISP event (all or nothing)",
              tag: "incidents", request: "ExchangeDocument", response: ("201", "ObservableList")),
        .init(method: "get", path: "/api/v1/incidents/{id}/observables.stix.json", summary: "Observables as a STIX 2.1 bundle", tag: "incidents", response: ("200", nil)),
        .init(method: "get", path: "/api/v1/incidents/{id}/observables.misp.json", summary: "Observables as a MISP event", tag: "incidents", response: ("200", nil)),
        .init(method: "get", path: "/api/v1/incidents/{id}/evidence", summary: "Evidence files", tag: "incidents", response: ("200", "EvidenceList")),
        .init(method: "post", path: "/api/v1/incidents/{id}/evidence", summary: "Upload evidence (multipart: files[], description, tlp)", tag: "incidents",
              request: "EvidenceUpload", response: ("201", "EvidenceList"), requestType: "multipart/form-data"),
        .init(method: "get", path: "/api/v1/incidents/{id}/evidence/{eid}", summary: "Download an evidence file (recorded in its chain of custody)",
              tag: "incidents", response: ("200", nil)),
        .init(method: "get", path: "/api/v1/incidents/{id}/reports", summary: "Reports recorded as sent", tag: "incidents", response: ("200", "IncidentReportList")),
        .init(method: "post", path: "/api/v1/incidents/{id}/reports", summary: "Record a report as sent (the .docx as sent is kept)", tag: "incidents",
              request: "IncidentReportRecord", response: ("201", "IncidentReportSent")),
    ] + IncidentClockKind.allCases.map { kind in
        Op(method: "get", path: "/api/v1/incidents/{id}/reports/\(kind.rawValue).docx",
           summary: "The \(kind.rawValue) report as .docx in the Decree 30 layout, pre-filled from the case", tag: "incidents", response: ("200", nil))
    } + [
        .init(method: "get", path: "/api/v1/incidents/{id}/clocks", summary: "The legal reporting clocks", tag: "incidents", response: ("200", "ClockList")),
    ]

    static var schemas: OpenAPIDocument.JSON {
        let string = O.string, uuid = O.uuid, time = O.time
        let integer: OpenAPIDocument.JSON = ["type": "integer"]
        let boolean: OpenAPIDocument.JSON = ["type": "boolean"]
        func list(_ name: String) -> OpenAPIDocument.JSON { ["type": "array", "items": O.ref(name)] }
        func enumeration(_ values: [String]) -> OpenAPIDocument.JSON { ["type": "string", "enum": values] }
        let tlp = enumeration(TLP.allCases.map(\.rawValue))
        return [
            "Incident": O.object([
                "id": uuid, "number": string, "agencyId": uuid, "title": string, "description": O.nullable(string), "categoryCode": string,
                "detectedAt": time, "occurredAt": O.nullable(time), "systemIds": ["type": "array", "items": uuid], "reporterName": string,
                "contactName": string, "contactTitle": O.nullable(string), "contactPhone": string, "contactEmail": O.nullable(string),
                "servicesDown": boolean, "servicesNote": O.nullable(string), "dataAffected": O.nullable(string), "peopleAffected": O.nullable(integer),
                "personalData": boolean, "stateSecret": boolean, "beyondCapability": boolean,
                "impactFlags": ["type": "array", "items": enumeration(ImpactFlag.allCases.map(\.rawValue))],
                "actionsTaken": O.nullable(string), "supportRequested": O.nullable(string), "tlp": tlp,
                "severity": O.nullable(enumeration(IncidentSeverity.allCases.map(\.rawValue))), "seriousSuggested": boolean,
                "seriousConfirmed": O.nullable(boolean), "phase": enumeration(IncidentPhase.allCases.map(\.rawValue)),
                "resolution": O.nullable(enumeration(IncidentResolution.allCases.map(\.rawValue))), "mergedIntoId": O.nullable(uuid),
                "triagedAt": O.nullable(time), "responseCompletedAt": O.nullable(time), "closedAt": O.nullable(time), "policeShared": boolean,
                "version": integer, "createdAt": O.nullable(time), "updatedAt": O.nullable(time),
            ], required: ["id", "number", "agencyId", "title", "categoryCode", "detectedAt", "phase", "tlp", "version"]),
            "IncidentPage": O.page("Incident"),
            "IncidentReport": O.object([
                "title": string, "description": string, "categoryCode": string,
                "detectedAt": ["type": "string", "description": "ISO 8601 with offset, or dd/MM/yyyy HH:mm in Vietnam time"],
                "occurredAt": string, "systemIds": ["type": "array", "items": uuid], "agencyId": uuid, "contactName": string,
                "contactTitle": string, "contactPhone": string, "contactEmail": string, "servicesDown": boolean, "servicesNote": string,
                "dataAffected": string, "peopleAffected": integer, "personalData": boolean, "stateSecret": boolean, "beyondCapability": boolean,
                "impactFlags": ["type": "array", "items": enumeration(ImpactFlag.allCases.map(\.rawValue))], "actionsTaken": string,
                "supportRequested": string,
            ], required: ["title", "description", "categoryCode", "detectedAt", "contactName", "contactPhone"]),
            "IncidentTriage": O.object(["version": integer, "severity": enumeration(IncidentSeverity.allCases.map(\.rawValue)),
                                        "serious": enumeration(["yes", "no", ""]), "tlp": tlp, "note": string], required: ["severity"]),
            "IncidentPhaseChange": O.object(["version": integer, "phase": enumeration(IncidentPhase.allCases.map(\.rawValue)), "note": string,
                                             "overrideReason": string, "resolution": enumeration(IncidentResolution.allCases.map(\.rawValue))],
                                            required: ["phase"]),
            "IncidentAssignment": O.object(["version": integer, "userIds": ["type": "array", "items": uuid]], required: ["userIds"]),
            "IncidentShare": O.object(["version": integer, "note": string]),
            "IncidentMerge": O.object(["version": integer, "into": ["type": "string", "description": "Number (SC-2026-0001) or id of the original case"]],
                                      required: ["into"]),
            "IncidentNote": O.object(["body": string, "tlp": tlp, "namedUserIds": ["type": "array", "items": uuid],
                                      "kind": enumeration(["note", "evidence_request"])], required: ["body"]),
            "TimelineEntry": O.object(["id": uuid, "at": time, "actorLabel": string, "kind": enumeration(TimelineKind.allCases.map(\.rawValue)),
                                       "text": string, "tlp": tlp], required: ["id", "at", "kind", "text", "tlp"]),
            "TimelineEntryList": list("TimelineEntry"),
            "IncidentTask": O.object(["id": uuid, "subjectKind": string, "subjectId": uuid, "phase": O.nullable(string), "title": string,
                              "details": O.nullable(string), "assigneeId": O.nullable(uuid), "dueAt": O.nullable(time), "doneAt": O.nullable(time),
                              "doneById": O.nullable(uuid), "source": O.nullable(string), "createdById": O.nullable(uuid), "createdAt": O.nullable(time),
                              "updatedAt": O.nullable(time), "version": integer], required: ["id", "title", "version"]),
            "IncidentTaskList": list("IncidentTask"),
            "IncidentTaskInput": O.object(["title": string, "phase": string, "assigneeId": uuid, "dueAt": ["type": "string", "format": "date"],
                                           "fromScenario": boolean]),
            "IncidentTaskPatch": O.object(["version": integer, "action": enumeration(["complete", "reopen", "assign"]), "assigneeId": O.nullable(uuid)],
                                          required: ["version", "action"]),
            "Observable": O.object(["id": uuid, "type": enumeration(ObservableType.allCases.map(\.rawValue)), "value": string, "tlp": tlp,
                                    "comment": O.nullable(string), "isIOC": boolean, "sightings": integer, "createdAt": time],
                                   required: ["id", "type", "value", "tlp", "sightings"]),
            "ObservableList": list("Observable"),
            "ObservableInput": O.object(["type": enumeration(ObservableType.allCases.map(\.rawValue)), "value": string, "tlp": tlp,
                                         "comment": string, "isIOC": boolean, "namedUserIds": ["type": "array", "items": uuid]],
                                        required: ["type", "value"]),
            "ExchangeDocument": ["type": "object", "description": "A STIX 2.1 bundle or a MISP event, as JSON (at most 10 MB)"],
            "Evidence": O.object(["id": uuid, "name": string, "size": integer, "sha256": string, "contentType": string, "uploadedBy": string,
                                  "uploadedAt": time, "tlp": tlp, "description": O.nullable(string), "downloadPath": string],
                                 required: ["id", "name", "size", "sha256"]),
            "EvidenceList": list("Evidence"),
            "EvidenceUpload": O.object(["files[]": ["type": "array", "items": ["type": "string", "format": "binary"]], "description": string, "tlp": tlp],
                                       required: ["files[]"]),
            "IncidentReportRecord": O.object(["kind": enumeration(IncidentClockKind.allCases.map(\.rawValue)), "sentAt": string,
                                              "recipients": string, "channel": enumeration(IncidentReports.channels), "documentNumber": string],
                                             required: ["kind", "sentAt", "recipients"]),
            "IncidentReportSent": O.object(["id": uuid, "kind": string, "sentAt": time, "recipients": string, "channel": string,
                                            "documentNumber": O.nullable(string), "recordedBy": string], required: ["id", "kind", "sentAt"]),
            "IncidentReportList": list("IncidentReportSent"),
            "Clock": O.object(["kind": enumeration(IncidentClockKind.allCases.map(\.rawValue)), "title": string, "recipients": string,
                               "applies": boolean, "state": enumeration(IncidentClockState.allCases.map(\.rawValue)), "startedAt": O.nullable(time),
                               "dueAt": O.nullable(time), "sentAt": O.nullable(time), "remainingSeconds": O.nullable(integer),
                               "basis": ["type": "array", "items": string], "confidence": string, "explanation": string, "ruleId": string,
                               "ruleVersion": string], required: ["kind", "state", "applies"]),
            "ClockList": list("Clock"),
        ]
    }
}
