import Foundation

/// The plans part of the OpenAPI document; merged by OpenAPIDocument.
enum PlansOpenAPI {
    typealias O = OpenAPIDocument
    static let operations: [OpenAPIDocument.Operation] = [
        .init(method: "get", path: "/api/v1/plans", summary: "Response plans of visible agencies, each with the version in force", tag: "response",
              response: ("200", "PlanPage"), query: O.paging + [("systemId", "string", "Plans covering this system")]),
        .init(method: "post", path: "/api/v1/plans", summary: "Create a plan with a first draft version from scenario templates", tag: "response",
              request: "PlanInput", response: ("201", "Plan")),
        .init(method: "get", path: "/api/v1/plans/{id}", summary: "One plan with the version in force and the list of versions", tag: "response",
              response: ("200", "Plan")),
        .init(method: "get", path: "/api/v1/plans/{id}/versions", summary: "Every version, newest first", tag: "response", response: ("200", "PlanVersionList")),
        .init(method: "post", path: "/api/v1/plans/{id}/versions", summary: "Start a new draft from the approved version (an existing draft is returned)",
              tag: "response", response: ("201", "PlanVersion")),
        .init(method: "get", path: "/api/v1/plans/{id}/versions/{vid}", summary: "One version with systems, scenarios, steps and contacts", tag: "response",
              response: ("200", "PlanVersion")),
        .init(method: "patch", path: "/api/v1/plans/{id}/versions/{vid}", summary: "Change a draft version; fields left out keep their values; `version` guards against lost updates",
              tag: "response", request: "PlanInput", response: ("200", "PlanVersion")),
        .init(method: "post", path: "/api/v1/plans/{id}/versions/{vid}/approve", summary: "Record the approval of a draft (coordinator); the previous approved version is superseded",
              tag: "response", request: "PlanApproval", response: ("200", "PlanVersion")),
        .init(method: "get", path: "/api/v1/scenarios", summary: "The scenario template library (rule data response.scenarios) in the caller's language",
              tag: "response", response: ("200", "ScenarioList")),
    ]

    static var schemas: OpenAPIDocument.JSON {
        let int: O.JSON = ["type": "integer"]
        let day: O.JSON = ["type": "string", "format": "date"]
        let contact = O.object(["name": O.string, "role": O.nullable(O.string), "phone": O.nullable(O.string), "email": O.nullable(O.string)], required: ["name"])
        let steps: O.JSON = ["type": "object", "description": "By phase", "additionalProperties": ["type": "array", "items":
            O.object(["text": O.string, "sourceStepId": O.nullable(O.string)], required: ["text"])]]
        return [
            "Plan": O.object(["id": O.uuid, "agencyId": O.uuid, "title": O.string, "scope": ["type": "string", "enum": ["system", "agency"]],
                              "current": O.nullable(O.ref("PlanVersion")), "versions": O.ref("PlanVersionList"), "createdAt": O.nullable(O.time)],
                             required: ["id", "agencyId", "title", "scope", "versions"]),
            "PlanPage": O.page("Plan"),
            "PlanVersionSummary": O.object(["id": O.uuid, "number": int, "state": ["type": "string", "enum": ["draft", "approved", "superseded"]],
                                            "approvedAt": O.nullable(O.time), "decisionNumber": O.nullable(O.string)], required: ["id", "number", "state"]),
            "PlanVersionList": ["type": "array", "items": O.ref("PlanVersionSummary")],
            "PlanVersion": O.object(["id": O.uuid, "planId": O.uuid, "number": int, "state": ["type": "string", "enum": ["draft", "approved", "superseded"]],
                                     "systemIds": ["type": "array", "items": O.uuid],
                                     "scenarios": ["type": "array", "items": O.object(["scenarioId": O.string, "title": O.string, "templateVersion": O.string,
                                                                                       "steps": steps], required: ["scenarioId", "title", "steps"])],
                                     "contacts": ["type": "array", "items": contact], "resources": O.nullable(O.string), "notes": O.nullable(O.string),
                                     "approverName": O.nullable(O.string), "approvedAt": O.nullable(O.time), "decisionNumber": O.nullable(O.string),
                                     "decisionDate": O.nullable(day), "version": int],
                                    required: ["id", "planId", "number", "state", "systemIds", "scenarios", "contacts", "version"]),
            "PlanInput": O.object(["title": O.string, "agencyId": O.uuid, "scope": ["type": "string", "enum": ["system", "agency"]],
                                   "systemIds": ["type": "array", "items": O.uuid],
                                   "scenarios": ["type": "array", "items": O.object(["scenarioId": O.string,
                                                                                     "steps": ["type": "object", "additionalProperties": ["type": "array", "items": O.string],
                                                                                               "description": "Steps by phase (preparation, detection_analysis, containment, eradication, recovery, post_incident); left out: the template's"]],
                                                                                    required: ["scenarioId"])],
                                   "contacts": ["type": "array", "items": contact], "resources": O.string, "notes": O.string, "version": int]),
            "PlanApproval": O.object(["approverName": O.string, "decisionNumber": O.string, "decisionDate": day, "version": int],
                                     required: ["approverName", "decisionNumber", "decisionDate"]),
            "ScenarioList": O.object(["ruleId": O.string, "ruleVersion": O.string, "items": ["type": "array", "items": O.object([
                "id": O.string, "title": O.string, "summary": O.string, "categories": ["type": "array", "items": O.string],
                "steps": ["type": "object", "additionalProperties": ["type": "array", "items": O.object(["id": O.string, "text": O.string])]],
            ])]], required: ["ruleId", "ruleVersion", "items"]),
        ]
    }
}
