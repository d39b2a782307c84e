import Foundation

/// The warnings part of the OpenAPI document; merged by OpenAPIDocument.
enum WarningsOpenAPI {
    typealias O = OpenAPIDocument
    static let operations: [OpenAPIDocument.Operation] = [
        .init(method: "get", path: "/api/v1/warnings",
              summary: "Authority warnings the caller may see, newest first (agency officers: those affecting their agencies' systems; counts of their rows only)",
              tag: "warnings", response: ("200", "WarningPage"),
              query: O.paging + [("q", "string", "Number, title, issuer or CVE contains"),
                                 ("state", "string", "open (some affected system not remediated) or overdue (one of them past its deadline)")]),
        .init(method: "post", path: "/api/v1/warnings", summary: "Record a warning (coordinators); it is matched against every system's components at once",
              tag: "warnings", request: "WarningInput", response: ("201", "Warning")),
        .init(method: "post", path: "/api/v1/warnings/import",
              summary: "Import from a CSAF 2.0 advisory or NVD CVE JSON 2.0 (record, API page or feed), detected from the content: multipart with `file` "
                + "and the options as fields, or the JSON document as the body with the options in the query. Nothing is imported on error; "
                + "the error names the JSON path",
              tag: "warnings", request: "WarningImportUpload", response: ("201", "WarningImportResult"),
              query: [("select", "string", "Feeds: matching (default), all or listed"), ("mode", "string", "Feeds: each (default) or combined"),
                      ("cves", "string", "With select=listed: CVE ids, comma-separated"), ("issuer", "string", "Issuer for every warning created"),
                      ("number", "string", "Number for every warning"), ("issuedOn", "string", "Issue day (yyyy-MM-dd)"),
                      ("title", "string", "Title (combined mode)"), ("deadline", "string", "Remediation deadline (yyyy-MM-dd)"),
                      ("requiredAction", "string", "Required action")],
              requestType: "multipart/form-data"),
        .init(method: "get", path: "/api/v1/warnings/{id}",
              summary: "One warning with its affected systems, the reasons for each match and the agencies' acknowledgements (officers: their rows only)",
              tag: "warnings", response: ("200", "Warning")),
        .init(method: "patch", path: "/api/v1/warnings/{id}",
              summary: "Change a warning; fields left out keep their values; `version` (or If-Match) required, stale → 409; matched again at once",
              tag: "warnings", request: "WarningInput", response: ("200", "Warning")),
        .init(method: "post", path: "/api/v1/warnings/{id}/rematch", summary: "Match the warning against every system's components again",
              tag: "warnings", response: ("200", "WarningRematch")),
        .init(method: "get", path: "/api/v1/warnings/{id}/systems/{sid}", summary: "One affected system (by system id): reasons, state, deadline, evidence",
              tag: "warnings", response: ("200", "WarningSystem")),
        .init(method: "post", path: "/api/v1/warnings/{id}/systems/{sid}",
              summary: "Respond for one system: acknowledge; remediate (note, evidence in files[] as multipart); not_affected (reason); "
                + "coordinators also add a system (reason, 201) or reopen it. `version` of the row guards against lost updates",
              tag: "warnings", request: "WarningResponseInput", response: ("200", "WarningSystem"), requestType: "multipart/form-data"),
    ]

    static var schemas: OpenAPIDocument.JSON {
        let int: O.JSON = ["type": "integer"]
        let day: O.JSON = ["type": "string", "format": "date"]
        let strings: O.JSON = ["type": "array", "items": O.string]
        let severity: O.JSON = ["type": "string", "enum": ["critical", "high", "medium", "low", "info"]]
        let product = O.object(["vendor": O.nullable(O.string), "product": O.nullable(O.string),
                                "versions": O.nullable(O.string), "cpe": O.nullable(O.string),
                                "vulnerable": O.nullable(["type": "boolean"])])
        let state: O.JSON = ["type": "string", "enum": ["affected", "acknowledged", "remediated", "not_affected"]]
        return [
            "WarningProduct": product,
            "Warning": O.object([
                "id": O.uuid, "issuer": O.string, "number": O.nullable(O.string), "issuedOn": day, "title": O.string,
                "description": O.nullable(O.string), "cves": strings, "severity": O.nullable(severity), "cvssScore": O.nullable(["type": "number"]),
                "requiredAction": O.nullable(O.string), "deadline": O.nullable(day), "references": strings,
                "products": ["type": "array", "items": O.ref("WarningProduct")],
                "origin": ["type": "string", "enum": ["manual", "csaf", "nvd"]], "originId": O.nullable(O.string),
                "matchedAt": O.nullable(O.time), "createdByName": O.string, "createdAt": O.nullable(O.time), "updatedAt": O.nullable(O.time),
                "version": int,
                "tally": O.object(["systems": int, "open": int, "remediated": int, "notAffected": int, "overdue": int]),
                "systems": ["type": "array", "items": O.ref("WarningSystem")],
            ], required: ["id", "issuer", "issuedOn", "title", "cves", "references", "products", "origin", "version", "tally"]),
            "WarningPage": O.page("Warning"),
            "WarningInput": O.object([
                "issuer": O.string, "number": O.string, "issuedOn": day, "title": O.string, "description": O.string,
                "cves": ["type": "array", "items": ["type": "string", "pattern": "^CVE-[0-9]{4}-[0-9]{4,}$"]], "severity": severity,
                "cvssScore": ["type": "number", "minimum": 0, "maximum": 10], "requiredAction": O.string, "deadline": day, "references": strings,
                "products": ["type": "array", "items": O.object(["vendor": O.string, "product": O.string,
                                                                  "versions": ["type": "string", "description": "< 2.4.58, >= 2.4.0, < 2.4.58, = 2.4.57 or *"],
                                                                  "cpe": ["type": "string", "description": "CPE 2.3 match criteria"]])],
                "version": int,
            ], required: ["issuer", "issuedOn", "title"]),
            "WarningImportUpload": O.object([
                "file": ["type": "string", "format": "binary"], "select": ["type": "string", "enum": ["matching", "all", "listed"]],
                "mode": ["type": "string", "enum": ["each", "combined"]], "cves": O.string, "issuer": O.string, "number": O.string,
                "issuedOn": day, "title": O.string, "deadline": day, "requiredAction": O.string,
            ], required: ["file"]),
            "WarningImportResult": O.object([
                "format": ["type": "string", "enum": ["nvd_feed", "nvd_record", "csaf"]], "records": int,
                "created": ["type": "array", "items": O.ref("Warning")], "skipped": strings,
            ], required: ["format", "records", "created", "skipped"]),
            "WarningRematch": O.object(["added": int, "removed": int, "kept": int, "warning": O.ref("Warning")],
                                       required: ["added", "removed", "kept", "warning"]),
            "WarningSystem": O.object([
                "id": O.uuid, "systemId": O.uuid, "systemCode": O.string, "systemName": O.string, "agencyId": O.uuid,
                "agencyName": O.nullable(O.string), "origin": ["type": "string", "enum": ["matched", "manual"]], "state": state,
                "reasons": ["type": "array", "items": O.object([
                    "kind": ["type": "string", "enum": ["match", "platform", "manual"]], "componentId": O.nullable(O.uuid),
                    "component": O.nullable(O.string), "componentCpe": O.nullable(O.string), "criteria": O.nullable(O.string),
                    "range": O.nullable(O.string), "derivedCpe": O.nullable(O.string), "explanation": O.nullable(O.string),
                    "note": O.nullable(O.string), "by": O.nullable(O.string), "at": O.nullable(O.time),
                ], required: ["kind"])],
                "matchedAt": O.time, "acknowledgedAt": O.nullable(O.time), "acknowledgedByName": O.nullable(O.string),
                "remediatedAt": O.nullable(O.time), "remediatedByName": O.nullable(O.string), "remediationNote": O.nullable(O.string),
                "notAffectedReason": O.nullable(O.string), "dueAt": O.nullable(day), "dueFromWarning": O.nullable(["type": "boolean"]),
                "overdue": ["type": "boolean"],
                "files": ["type": "array", "items": O.object(["id": O.uuid, "name": O.string, "size": int, "contentType": O.string,
                                                              "uploadedAt": O.nullable(O.time), "uploadedByName": O.nullable(O.string)])],
                "version": int,
            ], required: ["id", "systemId", "systemCode", "systemName", "agencyId", "origin", "state", "reasons", "overdue", "files", "version"]),
            "WarningResponseInput": O.object([
                "action": ["type": "string", "enum": ["acknowledge", "remediate", "not_affected", "add", "reopen"]],
                "note": O.string, "reason": O.string, "version": int,
                "files": ["type": "array", "items": ["type": "string", "format": "binary"]],
            ], required: ["action"]),
        ]
    }
}
