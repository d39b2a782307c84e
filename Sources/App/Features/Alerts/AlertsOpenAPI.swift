import Foundation

/// The Alerts part of the OpenAPI document; merged by OpenAPIDocument.
enum AlertsOpenAPI {
    typealias O = OpenAPIDocument

    static let filters: [(String, String, String)] = [
        ("status", "string", "open (default: new or acknowledged), all, new, acknowledged, false_positive or promoted"),
        ("level", "string", "informational, low, medium, high or critical; several comma-separated"),
        ("rule", "string", "Rule record id"), ("host", "string", "Host contains (case ignored)"),
        ("agency", "string", "Agency id (and its sub-agencies); none: events of unknown sources (coordinators and responders)"),
        ("system", "string", "System id"), ("from", "string", "Last event on or after this day (yyyy-MM-dd or dd/MM/yyyy)"),
        ("to", "string", "First event on or before this day"),
        ("sort", "string", "lastEvent (default, newest first), firstEvent, level, events, rule or host"), ("dir", "string", "desc to reverse"),
    ]

    static let operations: [OpenAPIDocument.Operation] = [
        .init(method: "get", path: "/api/v1/alerts",
              summary: "Alerts of continuous detection, newest first, with counts by status (officers: their agencies' only)", tag: "detection",
              response: ("200", "AlertPage"), query: O.paging + filters),
        .init(method: "get", path: "/api/v1/alerts/{id}", summary: "One alert with its kept events (the first 200) and triage history", tag: "detection",
              response: ("200", "Alert")),
        .init(method: "post", path: "/api/v1/alerts/{id}/triage",
              summary: "Triage: acknowledge, false_positive (reason required) or promote (creates an incident with the alert's events as a JSON-lines "
                + "evidence file; incident fields default from the alert and the caller; 201). `version` (or If-Match) required: missing → 428, "
                + "stale → 409 alert_changed; already false positive or promoted → 409 alert_closed",
              tag: "detection", request: "AlertTriageInput", response: ("200", "Alert")),
        .init(method: "post", path: "/api/v1/alerts/bulk",
              summary: "Acknowledge or mark as false positive several alerts (at most 500): all are checked first; closed ones and those already in "
                + "the target status are left alone; each change is audited",
              tag: "detection", request: "AlertBulkInput", response: ("200", "AlertBulkResult")),
    ]

    static var schemas: OpenAPIDocument.JSON {
        let int: O.JSON = ["type": "integer"]
        let status: O.JSON = ["type": "string", "enum": ["new", "acknowledged", "false_positive", "promoted"]]
        let action: O.JSON = ["type": "string", "enum": ["acknowledge", "false_positive", "promote"]]
        return [
            "Alert": O.object([
                "id": O.uuid, "ruleId": O.uuid, "ruleSigmaId": O.string, "ruleTitle": O.string, "level": O.nullable(O.string),
                "agencyId": O.nullable(O.uuid), "systemId": O.nullable(O.uuid), "sourceId": O.nullable(O.uuid), "host": O.nullable(O.string),
                "windowStart": O.time, "windowEnd": O.time, "firstEventAt": O.time, "lastEventAt": O.time, "eventCount": int, "status": status,
                "falsePositiveReason": O.nullable(O.string), "incidentId": O.nullable(O.uuid), "triagedAt": O.nullable(O.time),
                "triagedByName": O.nullable(O.string), "createdAt": O.time, "version": int,
                "events": ["type": "array", "items": O.object([
                    "position": int, "eventRef": O.string, "time": O.time, "event": ["type": "object", "description": "The event's fields"],
                ], required: ["position", "eventRef", "time", "event"])],
                "history": ["type": "array", "items": O.object([
                    "at": O.time, "action": action, "fromStatus": status, "toStatus": status, "note": O.nullable(O.string),
                    "incidentId": O.nullable(O.uuid), "actorName": O.string,
                ], required: ["at", "action", "fromStatus", "toStatus", "actorName"])],
            ], required: ["id", "ruleId", "ruleTitle", "windowStart", "windowEnd", "eventCount", "status", "version"]),
            "AlertPage": O.object([
                "items": ["type": "array", "items": O.ref("Alert")], "total": int, "page": int, "per": int,
                "counts": ["type": "object", "additionalProperties": int, "description": "Alerts per status under the other filters"],
            ], required: ["items", "total", "page", "per", "counts"]),
            "AlertTriageInput": O.object([
                "action": action, "version": int, "reason": O.string,
                "incident": O.object([
                    "title": O.string, "description": O.string, "categoryCode": O.string, "detectedAt": O.time,
                    "agencyId": O.uuid, "contactName": O.string, "contactPhone": O.string, "contactEmail": O.string,
                ]),
            ], required: ["action", "version"]),
            "AlertBulkInput": O.object([
                "ids": ["type": "array", "items": O.uuid, "maxItems": 500], "action": ["type": "string", "enum": ["acknowledge", "false_positive"]],
                "reason": O.string,
            ], required: ["ids", "action"]),
            "AlertBulkResult": O.object(["changed": int, "unchanged": int, "items": ["type": "array", "items": O.ref("Alert")]],
                                        required: ["changed", "unchanged", "items"]),
        ]
    }
}
