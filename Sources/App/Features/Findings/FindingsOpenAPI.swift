import Foundation

/// The findings part of the OpenAPI document; merged by OpenAPIDocument.
enum FindingsOpenAPI {
    typealias O = OpenAPIDocument

    static let filters: [(String, String, String)] = [
        ("agency", "string", "Agency id (and its sub-agencies)"), ("system", "string", "System id"),
        ("severity", "string", "info, low, medium, high or critical; several comma-separated"),
        ("status", "string", "active (default: open, in_progress or fixed), all, or one status"),
        ("cve", "string", "Findings naming this CVE id"), ("age", "integer", "First seen more than this many days ago"),
        ("overdue", "string", "1: open or in progress past the remediation deadline"),
        ("import", "string", "Findings seen (created, seen again, reopened or closed) by this scan import"),
        ("q", "string", "Title, host, host name, CVE, product or scanner check id contains (case ignored)"),
        ("sort", "string", "severity (default, gravest first), due, firstSeen, lastSeen, host, title or status"),
        ("dir", "string", "desc for descending"),
    ]

    static let operations: [OpenAPIDocument.Operation] = [
        .init(method: "get", path: "/api/v1/findings", summary: "Findings of visible systems (officers: their agencies' only)", tag: "findings",
              response: ("200", "FindingPage"), query: O.paging + filters),
        .init(method: "get", path: "/api/v1/findings/{id}", summary: "One finding with every normalised field and its history", tag: "findings",
              response: ("200", "Finding")),
        .init(method: "patch", path: "/api/v1/findings/{id}",
              summary: "Change the status (open → in_progress → fixed → verified; accepted_risk needs approverName, reason and acceptedUntil; "
                + "false_positive needs a reason); `version` (or If-Match) required: missing → 428, stale → 409 finding_changed",
              tag: "findings", request: "FindingStatusInput", response: ("200", "Finding")),
        .init(method: "post", path: "/api/v1/findings/bulk",
              summary: "Change the status of several findings at once (at most 500): all are checked first and nothing changes unless every "
                + "one may; those already in the target status are left alone; each change is audited",
              tag: "findings", request: "FindingBulkInput", response: ("200", "FindingBulkResult")),
    ]

    static var schemas: OpenAPIDocument.JSON {
        let int: O.JSON = ["type": "integer"]
        let number: O.JSON = ["type": "number"]
        let strings: O.JSON = ["type": "array", "items": O.string]
        let day: O.JSON = ["type": "string", "format": "date"]
        let status: O.JSON = ["type": "string", "enum": ["open", "in_progress", "fixed", "verified", "accepted_risk", "false_positive"]]
        let severity: O.JSON = ["type": "string", "enum": ["info", "low", "medium", "high", "critical"]]
        return [
            "Finding": O.object([
                "id": O.uuid, "systemId": O.uuid, "agencyId": O.uuid, "fingerprint": O.string,
                "source": ["type": "string", "enum": ["scan", "hunt", "warning", "manual"]],
                "scanner": O.nullable(["type": "string", "enum": ["nmap", "openvas", "nessus", "nuclei", "trivy", "sarif"]]),
                "scannerRef": O.nullable(O.string), "title": O.string, "severity": severity, "cvssScore": O.nullable(number),
                "cvssVector": O.nullable(O.string), "cves": strings, "cwes": strings, "host": O.nullable(O.string), "hostname": O.nullable(O.string),
                "port": O.nullable(int), "proto": O.nullable(O.string), "service": O.nullable(O.string), "product": O.nullable(O.string),
                "productVersion": O.nullable(O.string), "cpe": O.nullable(O.string), "location": O.nullable(O.string),
                "description": O.nullable(O.string), "evidence": O.nullable(O.string), "solution": O.nullable(O.string), "references": strings,
                "status": status, "resolution": O.nullable(O.string), "firstSeenAt": O.time, "lastSeenAt": O.time,
                "dueAt": O.nullable(O.time), "overdue": ["type": "boolean"], "statusChangedAt": O.time, "closedAt": O.nullable(O.time),
                "acceptedByName": O.nullable(O.string), "acceptedReason": O.nullable(O.string), "acceptedUntil": O.nullable(day),
                "falsePositiveReason": O.nullable(O.string), "lastImportId": O.nullable(O.uuid), "version": int,
                "history": ["type": "array", "items": O.ref("FindingEvent")],
            ], required: ["id", "systemId", "agencyId", "title", "severity", "status", "firstSeenAt", "lastSeenAt", "version"]),
            "FindingEvent": O.object([
                "at": O.time, "action": ["type": "string", "enum": ["created", "seen", "reopened", "status", "closed_by_rescan", "expired"]],
                "fromStatus": O.nullable(status), "toStatus": O.nullable(status), "note": O.nullable(O.string), "importId": O.nullable(O.uuid),
                "actorName": O.string,
            ], required: ["at", "action", "actorName"]),
            "FindingPage": O.page("Finding"),
            "FindingStatusInput": O.object([
                "status": status, "reason": O.string, "approverName": O.string, "acceptedUntil": day, "version": int,
            ], required: ["status", "version"]),
            "FindingBulkInput": O.object([
                "ids": ["type": "array", "items": O.uuid, "maxItems": 500], "status": status, "reason": O.string, "approverName": O.string,
                "acceptedUntil": day,
            ], required: ["ids", "status"]),
            "FindingBulkResult": O.object(["changed": int, "unchanged": int, "items": ["type": "array", "items": O.ref("Finding")]],
                                          required: ["changed", "unchanged", "items"]),
        ]
    }
}
