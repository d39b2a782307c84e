import Foundation

/// The scans part of the OpenAPI document; merged by OpenAPIDocument.
enum ScansOpenAPI {
    typealias O = OpenAPIDocument
    static let operations: [OpenAPIDocument.Operation] = [
        .init(method: "get", path: "/api/v1/scans", summary: "Scanner reports imported into visible systems, newest first (without their host lists)",
              tag: "scans", response: ("200", "ScanImportPage"),
              query: O.paging + [("systemId", "string", "Imports into this system"),
                                 ("state", "string", "awaiting_confirmation, running, imported, failed or cancelled")]),
        .init(method: "post", path: "/api/v1/scans",
              summary: "Import a scanner report into a system: the raw report as the body (streamed to disk; up to UNGCUU_MAX_SCAN_REPORT_BYTES) or "
                + "multipart/form-data with the report in `file`. The format is told from the content (a `format` that disagrees is refused). "
                + "201: imported (findings created, seen again, reopened; findings of the same scanner gone from a covered host closed as "
                + "verified by rescan; a completed vulnerability scan recorded). 409 `hosts_out_of_scope`: the report names hosts outside the "
                + "system's declared addresses; nothing is imported, the response's `scan` (state awaiting_confirmation) lists every host with "
                + "`inScope`; confirm with POST /api/v1/scans/{id}/confirm, or send `keepHosts` with the upload. 422 `scan_invalid`: the report "
                + "is malformed, truncated, hostile or mislabelled; the message names the format and the place; nothing is imported and the "
                + "failed import is in `scan`.",
              tag: "scans", request: "ScanReport", response: ("201", "ScanImport"),
              query: [("systemId", "string", "The system (required)"),
                      ("format", "string", "nmap, openvas, nessus, nuclei, trivy or sarif: checked against the content; auto or absent: told from it"),
                      ("keepHosts", "string", "all, in-scope, or addresses/names separated by commas: which hosts to keep when some are not declared"),
                      ("performerKind", "string", "in_house (default), outsourced or authority"),
                      ("performer", "string", "Who performed the scan (default: the system's agency)"),
                      ("fileName", "string", "The report's file name, for a raw body")],
              requestType: "application/octet-stream"),
        .init(method: "post", path: "/api/v1/scans/nmap",
              summary: "Start the built-in network scan (coordinators): nmap -sV against targets among the system's declared addresses only "
                + "(no range larger than /22), as a background job; 202 with the import (state running; poll GET /api/v1/scans/{id} for progress)",
              tag: "scans", request: "NetworkScanInput", response: ("202", "ScanImport")),
        .init(method: "get", path: "/api/v1/scans/{id}", summary: "One import: state, progress of a running scan, counts, hosts with their scope",
              tag: "scans", response: ("200", "ScanImport")),
        .init(method: "get", path: "/api/v1/scans/{id}/report", summary: "The stored report file", tag: "scans", response: ("200", nil)),
        .init(method: "post", path: "/api/v1/scans/{id}/confirm",
              summary: "Import a report waiting for confirmation, keeping only the chosen hosts (their findings; the others' are left out)",
              tag: "scans", request: "ScanConfirmInput", response: ("200", "ScanImport")),
        .init(method: "post", path: "/api/v1/scans/{id}/cancel",
              summary: "Stop a running built-in scan (coordinators), or discard a report waiting for confirmation", tag: "scans",
              response: ("200", "ScanImport")),
    ]

    static var schemas: OpenAPIDocument.JSON {
        let int: O.JSON = ["type": "integer"]
        let state: O.JSON = ["type": "string", "enum": ["awaiting_confirmation", "running", "imported", "failed", "cancelled"]]
        let format: O.JSON = ["type": "string", "enum": ["nmap", "openvas", "nessus", "nuclei", "trivy", "sarif"]]
        return [
            "ScanImport": O.object([
                "id": O.uuid, "systemId": O.uuid, "agencyId": O.uuid, "state": state, "format": O.nullable(format), "fileName": O.nullable(O.string),
                "scannerName": O.nullable(O.string), "scannerVersion": O.nullable(O.string), "reportStartedAt": O.nullable(O.time),
                "reportFinishedAt": O.nullable(O.time), "hosts": ["type": "array", "items": O.ref("ScanHost")],
                "keptHosts": O.nullable(["type": "array", "items": O.string]), "targets": O.nullable(["type": "array", "items": O.string]),
                "ports": O.nullable(O.string), "assessmentId": O.nullable(O.uuid),
                "performerKind": O.nullable(["type": "string", "enum": ["in_house", "outsourced", "authority"]]), "performer": O.nullable(O.string),
                "findingsTotal": int, "findingsNew": int,
                "findingsReopened": int, "findingsClosed": int, "error": O.nullable(O.string), "progress": O.nullable(int),
                "progressNote": O.nullable(O.string), "jobId": O.nullable(O.uuid), "reportAvailable": ["type": "boolean"],
                "createdByName": O.string, "createdAt": O.nullable(O.time), "updatedAt": O.nullable(O.time),
            ], required: ["id", "systemId", "agencyId", "state", "findingsTotal", "findingsNew", "findingsReopened", "findingsClosed"]),
            "ScanHost": O.object([
                "address": O.string, "hostname": O.nullable(O.string), "state": O.nullable(O.string),
                "network": ["type": "boolean", "description": "false for artefacts (images, repositories, files): always kept"],
                "inScope": ["type": "boolean", "description": "Among the system's declared addresses, ranges and names"],
                "findings": int,
            ], required: ["address", "network", "inScope", "findings"]),
            "ScanImportPage": O.page("ScanImport"),
            "ScanReport": ["type": "string", "format": "binary", "description": "The report itself, or multipart/form-data with it in `file`"],
            "ScanScopeConflict": O.object(["error": O.ref("Error").merging(["description": "code hosts_out_of_scope"]) { a, _ in a },
                                           "scan": O.ref("ScanImport")], required: ["error", "scan"]),
            "ScanConfirmInput": O.object([
                "keepHosts": ["anyOf": [["type": "string", "enum": ["all", "in-scope"]], ["type": "array", "items": O.string]]],
                "performerKind": ["type": "string", "enum": ["in_house", "outsourced", "authority"]], "performer": O.string,
            ], required: ["keepHosts"]),
            "NetworkScanInput": O.object([
                "systemId": O.uuid, "targets": ["type": "array", "items": O.string, "description": "Declared addresses, ranges (≤ /22) or names of the system"],
                "ports": ["type": "string", "description": "top100 (default), top1000, or a list such as 22,80,443,8000-8100 (at most 100 items)"],
            ], required: ["systemId", "targets"]),
        ]
    }
}
