import Foundation
import Vapor

/// The OpenAPI 3.1 description of `/api/v1`. `OpenAPITests` fails when a registered API route is
/// missing here or this names a route that does not exist.
enum OpenAPIDocument {
    typealias JSON = [String: Any]

    struct Operation {
        let method: String
        let path: String
        let summary: String
        let tag: String
        var request: String? = nil
        var response: (status: String, schema: String?)
        var query: [(name: String, type: String, description: String)] = []
        var pathId = false
        /// The media type of the request body (multipart uploads, raw documents).
        var requestType = "application/json"
    }

    static let paging: [(String, String, String)] = [("page", "integer", "Page number from 1"), ("per", "integer", "Items per page, 1–200 (default 50)")]

    static let operations: [Operation] = [
        .init(method: "get", path: "/api/v1/openapi.json", summary: "This document", tag: "meta", response: ("200", nil)),
        .init(method: "get", path: "/api/v1/me", summary: "The caller, their agency and permissions", tag: "account", response: ("200", "Me")),
        .init(method: "get", path: "/api/v1/agencies", summary: "List visible agencies", tag: "agencies", response: ("200", "AgencyPage"),
              query: paging + [("q", "string", "Name or code contains (case and diacritics ignored)"), ("kind", "string", "Agency kind"), ("parentId", "string", "Parent agency id")]),
        .init(method: "post", path: "/api/v1/agencies", summary: "Create an agency (admin)", tag: "agencies", request: "AgencyInput", response: ("201", "Agency")),
        .init(method: "get", path: "/api/v1/agencies/{id}", summary: "One agency", tag: "agencies", response: ("200", "Agency"), pathId: true),
        .init(method: "patch", path: "/api/v1/agencies/{id}", summary: "Change an agency (admin; officers: address and contact point only)", tag: "agencies",
              request: "AgencyInput", response: ("200", "Agency"), pathId: true),
        .init(method: "delete", path: "/api/v1/agencies/{id}", summary: "Delete an agency without sub-agencies or users (admin)", tag: "agencies",
              response: ("204", nil), pathId: true),
        .init(method: "get", path: "/api/v1/users", summary: "List visible users", tag: "users", response: ("200", "UserPage"),
              query: paging + [("q", "string", "Name, e-mail or phone contains (case and diacritics ignored)"), ("role", "string", "Role"),
                               ("agencyId", "string", "Agency id")]),
        .init(method: "post", path: "/api/v1/users", summary: "Create a user with a temporary password (admin)", tag: "users", request: "UserInput",
              response: ("201", "UserWithPassword")),
        .init(method: "get", path: "/api/v1/users/{id}", summary: "One user", tag: "users", response: ("200", "User"), pathId: true),
        .init(method: "patch", path: "/api/v1/users/{id}", summary: "Change a user, lock or unlock (admin)", tag: "users", request: "UserPatch",
              response: ("200", "User"), pathId: true),
        .init(method: "delete", path: "/api/v1/users/{id}", summary: "Lock a user (users are never deleted) (admin)", tag: "users",
              response: ("204", nil), pathId: true),
        .init(method: "get", path: "/api/v1/audit-events", summary: "List audit events", tag: "audit", response: ("200", "AuditEventPage"),
              query: paging + [("actorId", "string", "Who"), ("agencyId", "string", "Agency"), ("recordType", "string", "Record type"),
                               ("recordId", "string", "Record id"), ("action", "string", "Action prefix"),
                               ("from", "string", "From day (yyyy-MM-dd or dd/MM/yyyy)"), ("to", "string", "To day, inclusive")]),
        .init(method: "get", path: "/api/v1/audit-events/{id}", summary: "One audit event", tag: "audit", response: ("200", "AuditEvent"), pathId: true),
        .init(method: "get", path: "/api/v1/audit-events/verify", summary: "Verify the hash chain", tag: "audit", response: ("200", "AuditVerification")),
        .init(method: "get", path: "/api/v1/tokens", summary: "List the caller's API tokens", tag: "account", response: ("200", "TokenPage"), query: paging),
        .init(method: "post", path: "/api/v1/tokens", summary: "Create an API token (the secret is returned once)", tag: "account",
              request: "TokenInput", response: ("201", "CreatedToken")),
        .init(method: "get", path: "/api/v1/tokens/{id}", summary: "One of the caller's tokens", tag: "account", response: ("200", "Token"), pathId: true),
        .init(method: "delete", path: "/api/v1/tokens/{id}", summary: "Revoke one of the caller's tokens", tag: "account", response: ("204", nil), pathId: true),
    ] + systemOperations + TeamsOpenAPI.operations + PlansOpenAPI.operations + DrillsOpenAPI.operations
        + IncidentsOpenAPI.operations + NotificationsOpenAPI.operations
        + ProactiveOpenAPI.operations + ScansOpenAPI.operations + FindingsOpenAPI.operations + WarningsOpenAPI.operations
            + EventsOpenAPI.operations + SigmaRulesOpenAPI.operations + AlertsOpenAPI.operations + HuntsOpenAPI.operations

    static let systemOperations: [Operation] = [
        .init(method: "get", path: "/api/v1/systems", summary: "List visible information systems", tag: "systems", response: ("200", "SystemPage"),
              query: paging + [("q", "string", "Name, code, owner or operator contains (case and diacritics ignored)"), ("agency", "string", "Agency id (and its sub-agencies)"),
                               ("level", "string", "Approved level 1–5, or none"), ("lifecycle", "string", "Lifecycle status"),
                               ("functionType", "string", "Function type"), ("status", "string", "unapproved, redetermine or overdue")]),
        .init(method: "post", path: "/api/v1/systems", summary: "Register a system (coordinator; officer in own agencies)", tag: "systems",
              request: "SystemInput", response: ("201", "System")),
        .init(method: "get", path: "/api/v1/systems/{id}", summary: "One system with its components", tag: "systems", response: ("200", "System")),
        .init(method: "patch", path: "/api/v1/systems/{id}", summary: "Change a system; fields left out keep their values (a new revision)", tag: "systems",
              request: "SystemInput", response: ("200", "System")),
        .init(method: "delete", path: "/api/v1/systems/{id}", summary: "Delete a system and everything recorded about it (coordinator)", tag: "systems",
              response: ("204", nil)),
        .init(method: "get", path: "/api/v1/systems/{id}/components", summary: "The system's components", tag: "systems",
              response: ("200", "ComponentList")),
        .init(method: "post", path: "/api/v1/systems/{id}/components", summary: "Add a component", tag: "systems", request: "ComponentInput",
              response: ("201", "Component")),
        .init(method: "patch", path: "/api/v1/systems/{id}/components/{cid}", summary: "Change a component", tag: "systems", request: "ComponentInput",
              response: ("200", "Component")),
        .init(method: "delete", path: "/api/v1/systems/{id}/components/{cid}", summary: "Remove a component", tag: "systems", response: ("204", nil)),
        .init(method: "get", path: "/api/v1/systems/{id}/revisions", summary: "Every revision, newest first, with the fields that changed", tag: "systems",
              response: ("200", "RevisionList")),
        .init(method: "get", path: "/api/v1/systems/{id}/dossiers", summary: "Level dossiers (level determinations) with their steps", tag: "systems",
              response: ("200", "DossierList")),
        .init(method: "post", path: "/api/v1/systems/{id}/dossiers", summary: "Open a level dossier from the engine's evaluation of the current facts",
              tag: "systems", request: "DossierInput", response: ("201", "Dossier")),
        .init(method: "post", path: "/api/v1/systems/{id}/dossiers/{did}/transitions", summary: "Move a dossier one step (who may depends on the step)",
              tag: "systems", request: "DossierTransitionInput", response: ("200", "Dossier")),
        .init(method: "get", path: "/api/v1/systems/{id}/controls", summary: "Circular 12 controls of the system's level with its self-assessment",
              tag: "systems", response: ("200", "Controls")),
        .init(method: "put", path: "/api/v1/systems/{id}/controls/{cid}", summary: "Record the self-assessment of one control", tag: "systems",
              request: "ControlAssessmentInput", response: ("200", "Controls")),
        .init(method: "get", path: "/api/v1/systems/{id}/obligations", summary: "The system's duties with state, due date and legal basis",
              tag: "obligations", response: ("200", "ObligationList")),
        .init(method: "get", path: "/api/v1/obligations", summary: "Duties across visible systems", tag: "obligations", response: ("200", "ObligationPage"),
              query: paging + [("state", "string", "met, due_soon, overdue or not_applicable"), ("duty", "string", "Duty id, e.g. LEVEL_NOT_APPROVED")]),
        .init(method: "post", path: "/api/v1/classification/evaluate", summary: "Propose a level from system facts, with per-criterion reasons (stores nothing)",
              tag: "classification", request: "ClassificationInput", response: ("200", "LevelProposal")),
    ]

    static func document(serverURL: String) -> JSON {
        var paths: [String: JSON] = [:]
        for op in operations {
            var operation: JSON = ["summary": op.summary, "tags": [op.tag], "operationId": op.method + op.path.replacingOccurrences(of: "/", with: "_")]
            var parameters: [JSON] = op.query.map { ["name": $0.name, "in": "query", "required": false, "description": $0.description, "schema": ["type": $0.type]] }
            for name in pathParameters(op.path) {
                parameters.append(["name": name, "in": "path", "required": true, "schema": ["type": "string", "format": "uuid"]])
            }
            if !parameters.isEmpty { operation["parameters"] = parameters }
            if let request = op.request {
                operation["requestBody"] = ["required": true, "content": [op.requestType: ["schema": ref(request)]]]
            }
            var responses: JSON = [:]
            if let schema = op.response.schema {
                responses[op.response.status] = ["description": "Success", "content": ["application/json": ["schema": ref(schema)]]]
            } else {
                responses[op.response.status] = ["description": "Success"]
            }
            for (status, text) in [("400", "Malformed request"), ("401", "Not signed in or bad token"), ("403", "Not allowed"),
                                   ("404", "Not found or not visible"), ("409", "Conflict"), ("413", "Body too large"), ("422", "Validation failed")] {
                responses[status] = ["description": text, "content": ["application/json": ["schema": ref("Error")]]]
            }
            operation["responses"] = responses
            if op.path != "/api/v1/openapi.json" { operation["security"] = [["bearer": [String]()]] }
            paths[op.path, default: [:]][op.method] = operation
        }
        return [
            "openapi": "3.1.0",
            "info": ["title": "UngCuu API", "version": "1.0.0",
                     "description": "Provincial cyber-incident-response programme. Times are ISO 8601; identifiers are UUIDs; keys are camelCase."],
            "servers": [["url": serverURL]],
            "paths": paths,
            "components": ["securitySchemes": ["bearer": ["type": "http", "scheme": "bearer", "description": "A personal API token (ucu_…)"]],
                           "schemas": schemas],
        ]
    }

    /// `{id}`, `{cid}`… in a path, in order.
    static func pathParameters(_ path: String) -> [String] {
        path.split(separator: "/").filter { $0.hasPrefix("{") && $0.hasSuffix("}") }.map { String($0.dropFirst().dropLast()) }
    }

    static func ref(_ name: String) -> JSON { ["$ref": "#/components/schemas/\(name)"] }

    static func object(_ properties: [String: JSON], required: [String] = []) -> JSON {
        var schema: JSON = ["type": "object", "properties": properties]
        if !required.isEmpty { schema["required"] = required }
        return schema
    }

    nonisolated(unsafe) static let string: JSON = ["type": "string"]
    nonisolated(unsafe) static let uuid: JSON = ["type": "string", "format": "uuid"]
    nonisolated(unsafe) static let time: JSON = ["type": "string", "format": "date-time"]
    static func nullable(_ schema: JSON) -> JSON { ["anyOf": [schema, ["type": "null"]]] }
    static func page(_ item: String) -> JSON {
        object(["items": ["type": "array", "items": ref(item)], "total": ["type": "integer"], "page": ["type": "integer"],
                "per": ["type": "integer"]], required: ["items", "total", "page", "per"])
    }

    static var schemas: JSON {
        [
            "Error": object(["error": object(["code": string, "message": string, "fields": ["type": "object", "additionalProperties": string]],
                                             required: ["code", "message"])], required: ["error"]),
            "Agency": object(["id": uuid, "code": string, "name": string, "kind": ref("AgencyKind"), "parentId": nullable(uuid),
                              "address": nullable(string), "contactPhone": nullable(string), "contactEmail": nullable(string),
                              "createdAt": nullable(time), "updatedAt": nullable(time)], required: ["id", "code", "name", "kind"]),
            "AgencyKind": ["type": "string", "enum": ["provincial_committee", "provincial_police", "department", "sector", "commune", "ward",
                                                      "special_zone", "response_team", "public_service_unit", "other"]],
            "AgencyInput": object(["code": string, "name": string, "kind": ref("AgencyKind"), "parentId": nullable(uuid),
                                   "address": nullable(string), "contactPhone": nullable(string), "contactEmail": nullable(string)]),
            "AgencyPage": page("Agency"),
            "Role": ["type": "string", "enum": ["admin", "coordinator", "responder", "agency_officer", "police", "leader"]],
            "User": object(["id": uuid, "email": string, "name": string, "phone": nullable(string), "role": ref("Role"),
                            "agencyId": nullable(uuid), "status": ["type": "string", "enum": ["active", "locked"]], "locale": string,
                            "twoFactorEnabled": ["type": "boolean"], "mustChangePassword": ["type": "boolean"],
                            "lastSignInAt": nullable(time), "createdAt": nullable(time), "updatedAt": nullable(time)],
                           required: ["id", "email", "name", "role", "status"]),
            "UserInput": object(["name": string, "email": string, "phone": nullable(string), "role": ref("Role"), "agencyId": nullable(uuid)],
                                required: ["name", "email", "role"]),
            "UserPatch": object(["name": string, "email": string, "phone": nullable(string), "role": ref("Role"), "agencyId": nullable(uuid),
                                 "status": ["type": "string", "enum": ["active", "locked"]]]),
            "UserWithPassword": object(["user": ref("User"), "temporaryPassword": string], required: ["user", "temporaryPassword"]),
            "UserPage": page("User"),
            "AuditEvent": object(["id": uuid, "sequence": ["type": "integer"], "occurredAt": time, "actorId": nullable(uuid), "actorLabel": string,
                                  "clientAddress": nullable(string), "action": string, "recordType": nullable(string), "recordId": nullable(string),
                                  "agencyId": nullable(uuid), "summary": string, "previousHash": string, "hash": string],
                                 required: ["id", "sequence", "occurredAt", "action", "hash"]),
            "AuditEventPage": page("AuditEvent"),
            "AuditVerification": object(["intact": ["type": "boolean"], "events": nullable(["type": "integer"]),
                                         "firstBadSequence": nullable(["type": "integer"]), "reason": nullable(string)], required: ["intact"]),
            "Token": object(["id": uuid, "name": string, "hint": string, "createdAt": time, "expiresAt": nullable(time),
                             "lastUsedAt": nullable(time), "revokedAt": nullable(time), "active": ["type": "boolean"]], required: ["id", "name", "active"]),
            "TokenInput": object(["name": string, "days": ["type": "integer", "minimum": 1, "maximum": 365]], required: ["name"]),
            "CreatedToken": object(["token": ref("Token"), "secret": string], required: ["token", "secret"]),
            "TokenPage": page("Token"),
            "Me": object(["user": ref("User"), "agency": nullable(ref("Agency")), "permissions": ["type": "array", "items": string]],
                         required: ["user", "permissions"]),
        ].merging(SystemSchemas.all) { a, _ in a }
            .merging(TeamsOpenAPI.schemas) { a, _ in a }.merging(PlansOpenAPI.schemas) { a, _ in a }
            .merging(DrillsOpenAPI.schemas) { a, _ in a }.merging(IncidentsOpenAPI.schemas) { a, _ in a }
            .merging(NotificationsOpenAPI.schemas) { a, _ in a }
            .merging(ProactiveOpenAPI.schemas) { a, _ in a }.merging(ScansOpenAPI.schemas) { a, _ in a }
            .merging(FindingsOpenAPI.schemas) { a, _ in a }.merging(WarningsOpenAPI.schemas) { a, _ in a }
            .merging(EventsOpenAPI.schemas) { a, _ in a }.merging(SigmaRulesOpenAPI.schemas) { a, _ in a }
            .merging(AlertsOpenAPI.schemas) { a, _ in a }.merging(HuntsOpenAPI.schemas) { a, _ in a }
    }

    static func handler(req: Request) async throws -> Response {
        let doc = document(serverURL: req.application.config.baseURL.absoluteString.trimmingCharacters(in: CharacterSet(charactersIn: "/")))
        let data = try JSONSerialization.data(withJSONObject: doc, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }
}
