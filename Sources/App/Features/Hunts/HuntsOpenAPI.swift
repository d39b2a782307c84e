import Foundation

/// The Hunts part of the OpenAPI document; merged by OpenAPIDocument.
enum HuntsOpenAPI {
    typealias O = OpenAPIDocument
    static let operations: [OpenAPIDocument.Operation] = [
        .init(method: "get", path: "/api/v1/hunts", summary: "Hunts the caller may read, newest first (officers: hunts touching their agencies, their hits only)",
              tag: "detection", response: ("200", "HuntPage"), query: O.paging + [("state", "string", "running, completed, cancelled or failed")]),
        .init(method: "post", path: "/api/v1/hunts",
              summary: "Start a hunt (coordinators, responders): rules by selection, tag, level or all enabled, and/or indicator lists, over a time range "
                + "(default the last 6 months) and a scope (empty: everything); runs as the background job hunts.run",
              tag: "detection", request: "HuntInput", response: ("202", "Hunt")),
        .init(method: "get", path: "/api/v1/hunts/{id}", summary: "One hunt with its progress, results per rule and indicator, systems, and a page of hits",
              tag: "detection", response: ("200", "Hunt"),
              query: O.paging + [("group", "string", "Only the hits of one rule (rule:<id>) or indicator (ioc:<kind>:<value>)")], pathId: true),
        .init(method: "post", path: "/api/v1/hunts/{id}/cancel", summary: "Stop a running hunt (nothing is recorded for its systems)", tag: "detection",
              response: ("200", "Hunt"), pathId: true),
    ]

    static var schemas: OpenAPIDocument.JSON {
        let int: O.JSON = ["type": "integer"]
        let bool: O.JSON = ["type": "boolean"]
        let ids: O.JSON = ["type": "array", "items": O.uuid]
        let state: O.JSON = ["type": "string", "enum": ["running", "completed", "cancelled", "failed"]]
        let mode: O.JSON = ["type": "string", "enum": ["none", "selection", "tag", "level", "all"]]
        let level: O.JSON = ["type": "string", "enum": ["informational", "low", "medium", "high", "critical"]]
        let lines: (String) -> O.JSON = { ["type": "string", "description": $0] }
        return [
            "HuntInput": O.object([
                "name": O.string, "purpose": O.string,
                "ruleMode": mode.merging(["description": "Inferred from ruleIds, ruleTag or ruleLevel when left out"]) { a, _ in a },
                "ruleIds": ["type": "array", "items": O.uuid, "description": "Rules of the catalogue (selection)"],
                "ruleTag": ["type": "string", "description": "A tag such as attack.t1059 (sub-techniques included) or attack.execution"],
                "ruleLevel": level.merging(["description": "The lowest level (level mode)"]) { a, _ in a },
                "includeDisabled": bool.merging(["description": "Tag and level modes: also rules disabled for continuous detection"]) { a, _ in a },
                "ips": lines("IP addresses or CIDR ranges, one per line"), "domains": lines("Domain names, one per line (subdomains match)"),
                "hashes": lines("MD5, SHA-1 or SHA-256, one per line"), "strings": lines("Strings, one per line (case-insensitive substrings)"),
                "indicators": lines("IP addresses, domains and hashes mixed, one per line, kinds told from the values"),
                "from": ["type": "string", "description": "A day (yyyy-MM-dd, Vietnam time) or an instant with offset; default 6 months ago"],
                "to": ["type": "string", "description": "A day (inclusive) or an instant; default today"],
                "agencyIds": ids.merging(["description": "Agencies with their sub-agencies"]) { a, _ in a }, "systemIds": ids, "sourceIds": ids,
            ], required: ["name"]),
            "Hunt": O.object([
                "id": O.uuid, "name": O.string, "purpose": O.nullable(O.string), "state": state, "ruleMode": mode, "ruleTag": O.nullable(O.string),
                "ruleLevel": O.nullable(O.string), "includeDisabled": bool,
                "rules": ["type": "array", "items": O.object(["id": O.uuid, "ruleId": O.string, "title": O.string, "level": O.nullable(O.string)],
                                                            required: ["id", "ruleId", "title"])],
                "rulesUnsupported": int,
                "indicators": ["type": "array", "items": O.object(["kind": ["type": "string", "enum": ["ip", "domain", "hash", "string"]], "value": O.string],
                                                                 required: ["kind", "value"])],
                "from": O.time, "to": O.time,
                "scope": O.object(["all": bool, "agencyIds": ids, "systemIds": ids, "sourceIds": ids, "includeUnassigned": bool],
                                  required: ["all", "agencyIds", "systemIds", "sourceIds", "includeUnassigned"]),
                "progress": int,
                "eventsScanned": O.nullable(int), "eventsTotal": O.nullable(int),
                "hitsTotal": int, "hitsStored": int,
                "groups": ["type": "array", "items": O.ref("HuntGroup")],
                "systems": ["type": "array", "items": O.object(["systemId": O.uuid, "code": O.string, "name": O.string, "hits": int,
                                                              "assessmentId": O.nullable(O.uuid)], required: ["systemId", "code", "name", "hits"])],
                "error": O.nullable(O.string), "createdByName": O.string, "createdAt": O.nullable(O.time), "startedAt": O.nullable(O.time),
                "finishedAt": O.nullable(O.time), "hits": O.nullable(O.page("HuntHit")),
            ], required: ["id", "name", "state", "ruleMode", "rules", "indicators", "from", "to", "scope", "progress", "hitsTotal", "hitsStored", "groups",
                          "systems"]),
            "HuntGroup": O.object(["groupKey": O.string, "kind": ["type": "string", "enum": ["rule", "indicator"]], "label": O.string,
                                   "ruleId": O.nullable(O.string), "level": O.nullable(O.string), "indicatorKind": O.nullable(O.string),
                                   "hits": int, "stored": int],
                                  required: ["groupKey", "kind", "label", "hits", "stored"]),
            "HuntHit": O.object(["id": O.uuid, "kind": O.string, "groupKey": O.string, "ruleId": O.nullable(O.string), "ruleTitle": O.nullable(O.string),
                                 "level": O.nullable(O.string), "indicatorKind": O.nullable(O.string), "indicatorValue": O.nullable(O.string),
                                 "field": O.nullable(O.string), "eventId": O.string, "eventTime": O.time, "host": O.nullable(O.string),
                                 "agencyId": O.nullable(O.uuid), "systemId": O.nullable(O.uuid), "sourceId": O.nullable(O.uuid),
                                 "event": ["type": "object", "description": "The event's fields as the hunt saw them"]],
                                required: ["id", "kind", "groupKey", "eventId", "eventTime", "event"]),
            "HuntSummary": O.object(["id": O.uuid, "name": O.string, "state": state, "ruleMode": mode, "rulesCount": int, "indicatorsCount": int,
                                     "from": O.time, "to": O.time, "scopeAll": bool, "progress": int, "hitsTotal": int, "createdByName": O.string,
                                     "createdAt": O.nullable(O.time), "finishedAt": O.nullable(O.time)],
                                    required: ["id", "name", "state", "ruleMode", "rulesCount", "indicatorsCount", "from", "to", "scopeAll", "progress",
                                               "hitsTotal", "createdByName"]),
            "HuntPage": O.page("HuntSummary"),
        ]
    }
}
