import Foundation

/// The teams part of the OpenAPI document; merged by OpenAPIDocument.
enum TeamsOpenAPI {
    typealias O = OpenAPIDocument
    static let operations: [OpenAPIDocument.Operation] = [
        .init(method: "get", path: "/api/v1/teams", summary: "Response teams the caller may see (the provincial team and their agencies' teams)",
              tag: "response", response: ("200", "TeamPage"), query: O.paging + [("kind", "string", "provincial or agency")]),
        .init(method: "post", path: "/api/v1/teams", summary: "Record a response team (coordinator: any; officer: own agencies' teams)", tag: "response",
              request: "TeamInput", response: ("201", "Team")),
        .init(method: "get", path: "/api/v1/teams/{id}", summary: "One team with its members", tag: "response", response: ("200", "Team")),
        .init(method: "patch", path: "/api/v1/teams/{id}", summary: "Change a team; fields left out keep their values; `version` guards against lost updates (409)",
              tag: "response", request: "TeamInput", response: ("200", "Team")),
        .init(method: "delete", path: "/api/v1/teams/{id}", summary: "Delete a team and its members", tag: "response", response: ("204", nil)),
        .init(method: "get", path: "/api/v1/teams/{id}/members", summary: "The team's members", tag: "response", response: ("200", "MemberList")),
        .init(method: "post", path: "/api/v1/teams/{id}/members", summary: "Add a member", tag: "response", request: "MemberInput", response: ("201", "Member")),
        .init(method: "patch", path: "/api/v1/teams/{id}/members/{mid}", summary: "Change a member", tag: "response", request: "MemberInput",
              response: ("200", "Member")),
        .init(method: "delete", path: "/api/v1/teams/{id}/members/{mid}", summary: "Remove a member", tag: "response", response: ("204", nil)),
    ]

    static var schemas: OpenAPIDocument.JSON {
        let day: O.JSON = ["type": "string", "format": "date"]
        let bool: O.JSON = ["type": "boolean"]
        let int: O.JSON = ["type": "integer"]
        let member = O.object(["id": O.uuid, "name": O.string, "organisation": O.nullable(O.string), "teamRole": O.string, "expert": bool,
                               "outsourced": bool, "skills": O.nullable(O.string), "certifications": O.nullable(O.string),
                               "phone": O.nullable(O.string), "email": O.nullable(O.string)], required: ["id", "name", "teamRole", "expert", "outsourced"])
        return [
            "Team": O.object(["id": O.uuid, "name": O.string, "kind": ["type": "string", "enum": ["provincial", "agency"]], "agencyId": O.uuid,
                              "decisionNumber": O.nullable(O.string), "decisionDate": O.nullable(day), "validFrom": O.nullable(day),
                              "validTo": O.nullable(day), "notes": O.nullable(O.string), "experts": int,
                              "members": ["type": "array", "items": O.ref("Member")], "version": int,
                              "createdAt": O.nullable(O.time), "updatedAt": O.nullable(O.time)], required: ["id", "name", "kind", "agencyId", "experts", "version"]),
            "TeamInput": O.object(["name": O.string, "kind": ["type": "string", "enum": ["provincial", "agency"]], "agencyId": O.uuid,
                                   "decisionNumber": O.string, "decisionDate": day, "validFrom": day, "validTo": day, "notes": O.string, "version": int]),
            "TeamPage": O.page("Team"),
            "Member": member,
            "MemberInput": O.object(["name": O.string, "organisation": O.string, "teamRole": ["type": "string", "description": "A role id of rule data obligations.response (leader, deputy, member, …)"],
                                     "expert": bool, "outsourced": bool, "skills": O.string, "certifications": O.string, "phone": O.string, "email": O.string]),
            "MemberList": ["type": "array", "items": O.ref("Member")],
        ]
    }
}
