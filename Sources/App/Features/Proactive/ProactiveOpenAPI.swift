import Foundation

/// The proactive part of the OpenAPI document; merged by OpenAPIDocument.
enum ProactiveOpenAPI {
    typealias O = OpenAPIDocument
    static let operations: [OpenAPIDocument.Operation] = [
        .init(method: "get", path: "/api/v1/assessments", summary: "Vulnerability scans and threat hunts of visible systems, newest first", tag: "proactive",
              response: ("200", "AssessmentPage"),
              query: O.paging + [("systemId", "string", "Of this system"), ("agencyId", "string", "Of systems of this agency and those below it"),
                                 ("kind", "string", "vuln_scan or threat_hunt"), ("state", "string", "running, completed, failed or cancelled"),
                                 ("from", "string", "Started on or after this day (yyyy-MM-dd)"), ("to", "string", "Started on or before this day")]),
        .init(method: "post", path: "/api/v1/assessments",
              summary: "Record a scan or hunt of a system (JSON; or multipart/form-data with the same fields and report files in files[]); a completed one satisfies SCAN_OVERDUE or HUNT_OVERDUE",
              tag: "proactive", request: "AssessmentInput", response: ("201", "Assessment")),
        .init(method: "get", path: "/api/v1/assessments/{id}", summary: "One scan or hunt with its report files", tag: "proactive", response: ("200", "Assessment")),
        .init(method: "patch", path: "/api/v1/assessments/{id}",
              summary: "Change a scan or hunt; fields left out keep their values; `version` (or If-Match) is required (stale → 409, missing → 428)",
              tag: "proactive", request: "AssessmentInput", response: ("200", "Assessment")),
        .init(method: "get", path: "/api/v1/proactive/overview",
              summary: "Per visible system: last scan and hunt, duty states, open and overdue findings, activities in the half-year; with summary figures",
              tag: "proactive", response: ("200", "ProactiveOverview"),
              query: [("agencyId", "string", "Systems of this agency and those below it"), ("state", "string", "all, or overdue (only systems with an overdue duty)"),
                      ("year", "integer", "Year of the half-year (default: the current one)"), ("half", "integer", "1 (January–June) or 2 (July–December)")]),
    ]

    static var schemas: OpenAPIDocument.JSON {
        let int: O.JSON = ["type": "integer"]
        let kind: O.JSON = ["type": "string", "enum": ["vuln_scan", "threat_hunt"]]
        let performer: O.JSON = ["type": "string", "enum": ["in_house", "outsourced", "authority"]]
        let when: O.JSON = ["type": "string", "description": "A day (yyyy-MM-dd, dd/MM/yyyy; the start of that day in Vietnam) or an ISO 8601 instant"]
        let duty = O.nullable(O.object(["state": ["type": "string", "enum": ["met", "due_soon", "overdue", "not_applicable"]], "dueAt": O.nullable(O.time),
                                        "explanation": O.string], required: ["state", "explanation"]))
        let activity = O.nullable(O.object(["id": O.uuid, "at": O.time, "performerKind": performer, "performer": O.string],
                                           required: ["id", "at", "performerKind", "performer"]))
        return [
            "Assessment": O.object([
                "id": O.uuid, "systemId": O.uuid, "agencyId": O.uuid, "kind": kind,
                "state": ["type": "string", "enum": ["running", "completed", "failed", "cancelled"]], "performerKind": performer, "performer": O.string,
                "startedAt": O.time, "finishedAt": O.nullable(O.time), "tool": O.nullable(O.string), "scope": O.nullable(O.string),
                "method": O.nullable(O.string), "summary": O.nullable(O.string),
                "source": ["type": "string", "enum": ["manual", "import", "nmap", "hunt"]], "findingsCount": int,
                "files": ["type": "array", "items": O.object(["id": O.uuid, "name": O.string, "size": int, "contentType": O.string, "url": O.string],
                                                             required: ["id", "name", "size", "contentType", "url"])],
                "createdByName": O.string, "createdAt": O.nullable(O.time), "updatedAt": O.nullable(O.time), "version": int,
            ], required: ["id", "systemId", "agencyId", "kind", "state", "performerKind", "performer", "startedAt", "source", "findingsCount", "files",
                          "createdByName", "version"]),
            "AssessmentPage": O.page("Assessment"),
            "AssessmentInput": O.object([
                "systemId": O.uuid, "kind": kind,
                "state": ["type": "string", "enum": ["completed", "failed", "cancelled"]], "performerKind": performer,
                "performer": O.string, "startedAt": when, "finishedAt": when, "tool": O.string, "scope": O.string,
                "method": ["type": "string", "description": "network_scan, authenticated_scan, web_application_scan, image_dependency_scan, source_code_scan, penetration_test, configuration_review (scans); ioc_sweep, log_analysis, endpoint_hunt, network_traffic_analysis, forensic_analysis, compromise_assessment (hunts)"],
                "summary": O.string, "findingsCount": int, "version": int,
            ], required: ["systemId", "kind", "state", "performerKind", "performer", "startedAt"]),
            "ProactiveOverview": O.object([
                "year": int, "half": int, "periodStart": O.time, "periodEnd": O.time,
                "summary": O.object(["systems": int, "inDuty": int, "scannedWithinInterval": int, "huntedWithinInterval": int, "scannedPercent": int,
                                     "huntedPercent": int, "scanOverdue": int, "huntOverdue": int, "neverScanned": int, "neverHunted": int,
                                     "openFindings": int, "overdueFindings": int, "scansInPeriod": int, "huntsInPeriod": int]),
                "systems": ["type": "array", "items": O.object([
                    "systemId": O.uuid, "code": O.string, "name": O.string, "agencyId": O.uuid, "agencyName": O.string, "lifecycle": O.string,
                    "lastScan": activity, "lastHunt": activity, "scan": duty, "hunt": duty, "findings": duty,
                    "openFindings": ["type": "object", "description": "Open findings by severity", "additionalProperties": int],
                    "overdueFindings": int, "scansInPeriod": int, "huntsInPeriod": int,
                ], required: ["systemId", "code", "name", "agencyId", "agencyName", "lifecycle", "openFindings", "overdueFindings", "scansInPeriod", "huntsInPeriod"])],
            ], required: ["year", "half", "periodStart", "periodEnd", "summary", "systems"]),
        ]
    }
}
