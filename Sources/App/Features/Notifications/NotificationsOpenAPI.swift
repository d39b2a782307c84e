import Foundation

/// The notifications part of the OpenAPI document; merged by OpenAPIDocument.
enum NotificationsOpenAPI {
    typealias O = OpenAPIDocument
    static let operations: [OpenAPIDocument.Operation] = [
        .init(method: "get", path: "/api/v1/notifications", summary: "The caller's notifications, newest first, with the unread count",
              tag: "notifications", response: ("200", "NotificationPage"),
              query: O.paging + [("unread", "boolean", "Only unread ones (true/false)")]),
        .init(method: "post", path: "/api/v1/notifications/{id}/read", summary: "Mark one of the caller's notifications as read",
              tag: "notifications", response: ("200", "Notification")),
        .init(method: "post", path: "/api/v1/notifications/read-all", summary: "Mark all of the caller's notifications as read",
              tag: "notifications", response: ("200", "MarkedRead")),
        .init(method: "get", path: "/api/v1/notifications/preferences", summary: "The caller's choices per kind and channel (defaults included)",
              tag: "notifications", response: ("200", "NotificationPreferences")),
        .init(method: "put", path: "/api/v1/notifications/preferences", summary: "Change the caller's choices; kinds and channels left out keep theirs",
              tag: "notifications", request: "NotificationPreferences", response: ("200", "NotificationPreferences")),
        .init(method: "get", path: "/api/v1/webhooks", summary: "Webhook endpoints (administrators and coordinators)", tag: "webhooks",
              response: ("200", "WebhookPage"), query: O.paging),
        .init(method: "post", path: "/api/v1/webhooks", summary: "Create an endpoint; the signing secret is returned once", tag: "webhooks",
              request: "WebhookInput", response: ("201", "Webhook")),
        .init(method: "get", path: "/api/v1/webhooks/{id}", summary: "One endpoint", tag: "webhooks", response: ("200", "Webhook")),
        .init(method: "patch", path: "/api/v1/webhooks/{id}", summary: "Change name, URL, event kinds or active (not the agency scope)",
              tag: "webhooks", request: "WebhookInput", response: ("200", "Webhook")),
        .init(method: "delete", path: "/api/v1/webhooks/{id}", summary: "Remove an endpoint and its delivery log", tag: "webhooks",
              response: ("204", nil)),
        .init(method: "get", path: "/api/v1/webhooks/{id}/deliveries", summary: "The endpoint's delivery log, newest first", tag: "webhooks",
              response: ("200", "WebhookDeliveryPage"), query: O.paging),
    ]

    static var schemas: OpenAPIDocument.JSON {
        let kind: OpenAPIDocument.JSON = ["type": "string", "enum": NotificationKind.allCases.map(\.rawValue)]
        let bool: OpenAPIDocument.JSON = ["type": "boolean"]
        let integer: OpenAPIDocument.JSON = ["type": "integer"]
        let channels = O.object(Dictionary(uniqueKeysWithValues: NotificationChannel.allCases.map { ($0.rawValue, bool) }))
        return [
            "NotificationKind": kind,
            "Notification": O.object(["id": O.uuid, "kind": O.ref("NotificationKind"), "agencyId": O.nullable(O.uuid), "recordKind": O.string,
                                      "recordId": O.uuid, "title": O.string, "body": O.string, "link": O.string, "createdAt": O.time,
                                      "readAt": O.nullable(O.time)], required: ["id", "kind", "recordKind", "recordId", "title", "link", "createdAt"]),
            "NotificationPage": O.object(["items": ["type": "array", "items": O.ref("Notification")], "total": integer, "unread": integer,
                                          "page": integer, "per": integer], required: ["items", "total", "unread", "page", "per"]),
            "MarkedRead": O.object(["marked": integer], required: ["marked"]),
            "NotificationPreferences": O.object([
                "choices": ["type": "object", "description": "kind → channel (in_app, email) → on/off", "additionalProperties": channels],
                "emailEnabled": ["type": "boolean", "description": "Whether the server sends e-mail at all (read only)"],
            ], required: ["choices"]),
            "Webhook": O.object(["id": O.uuid, "name": O.string, "url": O.string, "eventKinds": ["type": "array", "items": O.ref("NotificationKind")],
                                 "agencyId": O.nullable(O.uuid), "active": bool, "createdAt": O.time,
                                 "secret": ["type": "string", "description": "Only in the answer to the creation"]],
                                required: ["id", "name", "url", "eventKinds", "active"]),
            "WebhookInput": O.object(["name": O.string, "url": ["type": "string", "description": "https://…, or http:// to this machine only"],
                                      "eventKinds": ["type": "array", "items": O.ref("NotificationKind")],
                                      "agencyId": O.nullable(O.uuid), "active": bool]),
            "WebhookPage": O.page("Webhook"),
            "WebhookDelivery": O.object(["id": O.uuid, "eventKind": O.ref("NotificationKind"),
                                         "state": ["type": "string", "enum": WebhookDelivery.State.allCases.map(\.rawValue)],
                                         "attempts": integer, "statusCode": O.nullable(integer), "lastError": O.nullable(O.string),
                                         "createdAt": O.time, "lastAttemptAt": O.nullable(O.time), "deliveredAt": O.nullable(O.time)],
                                        required: ["id", "eventKind", "state", "attempts", "createdAt"]),
            "WebhookDeliveryPage": O.page("WebhookDelivery"),
        ]
    }
}
