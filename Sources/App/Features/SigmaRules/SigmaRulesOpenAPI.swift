import Foundation

/// The SigmaRules part of the OpenAPI document; merged by OpenAPIDocument.
enum SigmaRulesOpenAPI {
    typealias O = OpenAPIDocument

    static let filters: [(String, String, String)] = [
        ("q", "string", "Title, Sigma id, description or origin contains (case ignored)"),
        ("level", "string", "informational, low, medium, high or critical; several comma-separated"),
        ("status", "string", "Sigma status: stable, test, experimental, deprecated or unsupported"),
        ("tag", "string", "A tag (attack.t1059 also finds its sub-techniques attack.t1059.001…)"),
        ("product", "string", "Log source product (windows, linux…)"), ("category", "string", "Log source category (process_creation…)"),
        ("service", "string", "Log source service (security, sysmon…)"),
        ("enabled", "string", "yes or no"), ("supported", "string", "yes or no (no: rules UngCuu cannot apply, with the reason)"),
        ("hits", "string", "yes: rules that matched at least one event; no: never"),
        ("sort", "string", "level (default, gravest first), title, status, lastHit, hits or imported"), ("dir", "string", "desc for descending"),
    ]

    static let operations: [OpenAPIDocument.Operation] = [
        .init(method: "get", path: "/api/v1/detection/rules", summary: "Sigma rules (province-wide) with filters and figures", tag: "detection",
              response: ("200", "SigmaRulePage"), query: O.paging + filters),
        .init(method: "post", path: "/api/v1/detection/rules/import",
              summary: "Import Sigma rules: a multipart form (files[]: .yml/.yaml files and .zip archives), a zip as the body, or one YAML file as the "
                + "body (?name= names it). Every file is parsed on its own; the rules are written in one transaction: new ids added (enabled unless "
                + "unsupported or deprecated), known ids replaced by the new version (keeping their enabled flag). Files that fail are listed with "
                + "file:line:column and do not stop the others",
              tag: "detection", request: "RuleImportBody", response: ("200", "RuleImport"),
              query: [("name", "string", "File name of a raw body (rules.zip, rule.yml)")], requestType: "multipart/form-data"),
        .init(method: "post", path: "/api/v1/detection/rules/bulk",
              summary: "Enable or disable the listed rules (ids), or without ids every rule the query-string filters select; unsupported rules are "
                + "never enabled; one audit event",
              tag: "detection", request: "RuleBulkInput", response: ("200", "RuleBulkResult"), query: filters.filter { $0.0 != "sort" && $0.0 != "dir" }),
        .init(method: "get", path: "/api/v1/detection/rules/{id}", summary: "One rule with its YAML (id: the record id or the Sigma id)", tag: "detection",
              response: ("200", "SigmaRule")),
        .init(method: "patch", path: "/api/v1/detection/rules/{id}",
              summary: "Enable or disable a rule, set its grouping window (minutes, null for the default hour); `version` (or If-Match) required: "
                + "missing → 428, stale → 409 rule_changed; enabling an unsupported rule → 422",
              tag: "detection", request: "SigmaRulePatch", response: ("200", "SigmaRule")),
    ]

    static var schemas: OpenAPIDocument.JSON {
        let int: O.JSON = ["type": "integer"]
        let bool: O.JSON = ["type": "boolean"]
        let strings: O.JSON = ["type": "array", "items": O.string]
        let level: O.JSON = ["type": "string", "enum": ["informational", "low", "medium", "high", "critical"]]
        let line: O.JSON = O.object(["id": O.uuid, "ruleId": O.string, "title": O.string, "origin": O.string, "level": O.nullable(level)],
                                    required: ["id", "ruleId", "title", "origin"])
        return [
            "SigmaRule": O.object([
                "id": O.uuid, "ruleId": O.string, "title": O.string, "level": O.nullable(level), "status": O.nullable(O.string),
                "description": O.nullable(O.string), "author": O.nullable(O.string), "tags": strings, "attackTags": strings,
                "logsource": O.object(["product": O.nullable(O.string), "service": O.nullable(O.string), "category": O.nullable(O.string)]),
                "origin": O.string, "enabled": bool, "supported": bool, "unsupportedReason": O.nullable(O.string), "groupWindowMinutes": int,
                "importedAt": O.time, "importedByName": O.string, "lastHitAt": O.nullable(O.time), "hitCount": int, "version": int,
                "yaml": O.string,
            ], required: ["id", "ruleId", "title", "tags", "enabled", "supported", "version"]),
            "SigmaRulePage": O.object([
                "items": ["type": "array", "items": O.ref("SigmaRule")], "total": int, "page": int, "per": int,
                "figures": O.object(["total": int, "active": int, "disabled": int, "unsupported": int, "withHits": int]),
            ], required: ["items", "total", "page", "per", "figures"]),
            "SigmaRulePatch": O.object([
                "enabled": bool, "groupWindowMinutes": O.nullable(["type": "integer", "minimum": 1, "maximum": 1440]), "version": int,
            ], required: ["version"]),
            "RuleImportBody": O.object(["files[]": ["type": "array", "items": ["type": "string", "format": "binary"]]]),
            "RuleImport": O.object([
                "files": int, "created": ["type": "array", "items": line], "updated": ["type": "array", "items": line], "unchanged": int,
                "unsupported": ["type": "array", "items": O.object(["id": O.uuid, "ruleId": O.string, "title": O.string, "origin": O.string,
                                                                     "reason": O.string])],
                "failed": ["type": "array", "items": O.object(["origin": O.string, "line": O.nullable(int), "column": O.nullable(int),
                                                                "message": O.string, "place": O.string])],
                "ignored": int,
            ], required: ["files", "created", "updated", "unchanged", "unsupported", "failed", "ignored"]),
            "RuleBulkInput": O.object(["enabled": bool, "ids": ["type": "array", "items": O.uuid]], required: ["enabled"]),
            "RuleBulkResult": O.object(["changed": int, "unchanged": int, "unsupported": int], required: ["changed", "unchanged", "unsupported"]),
        ]
    }
}
