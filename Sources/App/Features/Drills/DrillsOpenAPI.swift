import Foundation

/// The drills part of the OpenAPI document; merged by OpenAPIDocument.
enum DrillsOpenAPI {
    typealias O = OpenAPIDocument
    static let operations: [OpenAPIDocument.Operation] = [
        .init(method: "get", path: "/api/v1/drills", summary: "Drills of visible agencies, newest first", tag: "response", response: ("200", "DrillPage"),
              query: O.paging + [("state", "string", "planned, executed or report_filed"), ("systemId", "string", "Drills covering this system")]),
        .init(method: "post", path: "/api/v1/drills", summary: "Plan a drill", tag: "response", request: "DrillInput", response: ("201", "Drill")),
        .init(method: "get", path: "/api/v1/drills/{id}", summary: "One drill with its follow-up tasks", tag: "response", response: ("200", "Drill")),
        .init(method: "patch", path: "/api/v1/drills/{id}", summary: "Change a drill; fields left out keep their values; `version` guards against lost updates",
              tag: "response", request: "DrillInput", response: ("200", "Drill")),
        .init(method: "post", path: "/api/v1/drills/{id}/state", summary: "planned → executed (JSON), executed → report_filed (multipart with the report in files[])",
              tag: "response", request: "DrillStateInput", response: ("200", "Drill")),
        .init(method: "get", path: "/api/v1/drills/{id}/tasks", summary: "Follow-up tasks of the drill", tag: "response", response: ("200", "TaskList")),
        .init(method: "post", path: "/api/v1/drills/{id}/tasks", summary: "Add a follow-up task", tag: "response", request: "TaskInput", response: ("201", "Task")),
        .init(method: "patch", path: "/api/v1/drills/{id}/tasks/{tid}",
              summary: "Change a task: `done` completes or reopens, `assigneeId` assigns, `title`/`details`/`dueAt` edit; `version` required (stale → 409)",
              tag: "response", request: "TaskPatch", response: ("200", "Task")),
    ]

    static var schemas: OpenAPIDocument.JSON {
        let int: O.JSON = ["type": "integer"]
        let day: O.JSON = ["type": "string", "format": "date"]
        let kind: O.JSON = ["type": "string", "enum": ["real_combat", "tabletop", "national_exercise", "provincial_exercise"]]
        return [
            "Drill": O.object(["id": O.uuid, "agencyId": O.uuid, "title": O.string, "kind": kind,
                               "state": ["type": "string", "enum": ["planned", "executed", "report_filed"]], "plannedOn": day,
                               "executedOn": O.nullable(day), "scenarioId": O.nullable(O.string), "scenarioText": O.nullable(O.string),
                               "systemIds": ["type": "array", "items": O.uuid], "participants": O.nullable(O.string), "findings": O.nullable(O.string),
                               "reportFiledAt": O.nullable(O.time), "tasks": ["type": "array", "items": O.ref("Task")], "version": int,
                               "createdAt": O.nullable(O.time), "updatedAt": O.nullable(O.time)],
                              required: ["id", "agencyId", "title", "kind", "state", "plannedOn", "systemIds", "version"]),
            "DrillPage": O.page("Drill"),
            "DrillInput": O.object(["title": O.string, "kind": kind, "agencyId": O.uuid, "plannedOn": day, "scenarioId": O.string, "scenarioText": O.string,
                                    "systemIds": ["type": "array", "items": O.uuid], "participants": O.string, "findings": O.string, "version": int]),
            "DrillStateInput": O.object(["state": ["type": "string", "enum": ["executed", "report_filed"]], "executedOn": day, "findings": O.string,
                                         "version": int], required: ["state"]),
            "Task": O.object(["id": O.uuid, "subjectKind": O.string, "subjectId": O.uuid, "phase": O.nullable(O.string), "title": O.string,
                              "details": O.nullable(O.string), "assigneeId": O.nullable(O.uuid), "dueAt": O.nullable(O.time), "doneAt": O.nullable(O.time),
                              "doneById": O.nullable(O.uuid), "source": O.nullable(O.string), "createdById": O.nullable(O.uuid),
                              "createdAt": O.nullable(O.time), "updatedAt": O.nullable(O.time), "version": int],
                             required: ["id", "subjectKind", "subjectId", "title", "version"]),
            "TaskList": ["type": "array", "items": O.ref("Task")],
            "TaskInput": O.object(["title": O.string, "details": O.string, "dueAt": day, "assigneeId": O.uuid, "phase": O.string], required: ["title"]),
            "TaskPatch": O.object(["version": int, "done": ["type": "boolean"], "assigneeId": O.nullable(O.uuid), "title": O.string, "details": O.string,
                                   "dueAt": day], required: ["version"]),
        ]
    }
}
