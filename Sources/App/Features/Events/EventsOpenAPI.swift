import Foundation

/// The Events part of the OpenAPI document; merged by OpenAPIDocument.
enum EventsOpenAPI {
    typealias O = OpenAPIDocument
    static let operations: [OpenAPIDocument.Operation] = [
        .init(method: "get", path: "/api/v1/events",
              summary: "Search stored events in the caller's scope, newest first (agency officers: their agencies' events only; events of "
                + "unknown sources only with unassigned=true, for coordinators and responders). Batches are pruned by owner and time; "
                + "events are filtered one by one, at most 250,000 per request (`capped` then says older matches may exist). With "
                + "`ids` the listed events are returned instead (those the caller may read).",
              tag: "events", response: ("200", "EventSearchResult"),
              query: O.paging + [("from", "string", "Events at or after this instant (ISO 8601)"),
                                 ("to", "string", "Events at or before this instant (ISO 8601)"),
                                 ("agencyId", "string", "This agency and those below it"), ("systemId", "string", "One system"),
                                 ("sourceId", "string", "One registered source"), ("host", "string", "The host the events name (case ignored)"),
                                 ("q", "string", "field=value (a field equal to the value, case ignored) or text contained in any value"),
                                 ("unassigned", "boolean", "Only events of unknown sources (coordinators and responders)"),
                                 ("ids", "string", "Event ids (`<batch>-<index>`) separated by commas, at most 200")]),
        .init(method: "post", path: "/api/v1/events",
              summary: "Ingest events: the body is JSON lines (one object per line; application/x-ndjson, application/json or text/plain), "
                + "optionally with `Content-Encoding: gzip`, at most UNGCUU_MAX_EVENT_BODY_BYTES (also once inflated; 413 beyond). "
                + "Authenticate with a source's ingest token (`Authorization: Bearer ucs_…`: the events belong to that source's agency and "
                + "system) or with a personal token of someone who may upload events, naming `system` (404 for a system the caller may not "
                + "upload to). The response comes only after the transaction storing the events (and the alerts they raise) has committed: "
                + "200 `{accepted, rejected, rejectedTotal}`. Good lines are stored even when others are bad; every bad line is reported "
                + "with its number and error (the first 1,000 listed). A body in which no line is a JSON object is refused with 400 "
                + "`no_valid_events` and the same list; an empty body with 400 `no_events`; nothing is stored then.",
              tag: "events", request: "EventLines", response: ("200", "EventIngestResult"),
              query: [("system", "string", "With a personal token: the system the events belong to (required); also accepted as systemId"),
                      ("source", "string", "With a personal token: a registered source of that system to tag the events with")],
              requestType: "application/x-ndjson"),
        .init(method: "get", path: "/api/v1/event-sources", summary: "Registered event sources (coordinators and responders)", tag: "events",
              response: ("200", "EventSourcePage"),
              query: O.paging + [("systemId", "string", "Sources of this system"), ("kind", "string", "syslog, http or upload")]),
        .init(method: "post", path: "/api/v1/event-sources",
              summary: "Register a source: syslog (matched by sender addresses/CIDR ranges, then host names), http (an ingest token is "
                + "returned once in `token`; only its SHA-256 is kept) or upload. With claimHeld=true (syslog), events already held from "
                + "matching unknown senders are given to it in the same transaction (counts in claimedBatches/claimedEvents).",
              tag: "events", request: "EventSourceInput", response: ("201", "EventSourceWithToken")),
        .init(method: "get", path: "/api/v1/event-sources/unassigned",
              summary: "Senders and hosts whose events matched no source and are held apart, with their counts and period",
              tag: "events", response: ("200", "UnassignedSenderList")),
        .init(method: "get", path: "/api/v1/event-sources/{id}", summary: "One source", tag: "events", response: ("200", "EventSource")),
        .init(method: "patch", path: "/api/v1/event-sources/{id}",
              summary: "Change a source (the fields given); `enabled` alone enables or disables it (a disabled source's token is refused and "
                + "its senders' events are held apart as unknown)", tag: "events", request: "EventSourceInput", response: ("200", "EventSource")),
        .init(method: "post", path: "/api/v1/event-sources/{id}/token",
              summary: "A new ingest token for an http source (returned once; the old one stops working at once); 409 for other kinds",
              tag: "events", response: ("200", "EventSourceWithToken")),
        .init(method: "get", path: "/api/v1/event-imports", summary: "Recent uploaded-file imports in the caller's scope, newest first",
              tag: "events", response: ("200", "EventImportList")),
        .init(method: "post", path: "/api/v1/event-imports",
              summary: "Upload an .evtx or JSON-lines file for a system (raw body with `fileName`, or multipart/form-data with `files[]`), "
                + "streamed to disk up to UNGCUU_MAX_EVENT_UPLOAD_BYTES; 202 with the queued import, read by the background job "
                + "events.import (poll GET /api/v1/event-imports/{id}). The kind is told from the content; anything else is refused (422).",
              tag: "events", request: "EventFile", response: ("202", "EventImport"),
              query: [("systemId", "string", "The system (required)"), ("sourceId", "string", "A source of that system (optional)"),
                      ("fileName", "string", "The file's name, for a raw body")],
              requestType: "application/octet-stream"),
        .init(method: "get", path: "/api/v1/event-imports/{id}", summary: "One import: state, bytes read, events stored, rejected lines, warnings",
              tag: "events", response: ("200", "EventImport")),
    ]

    static var schemas: OpenAPIDocument.JSON {
        let int: O.JSON = ["type": "integer"]
        let kind: O.JSON = ["type": "string", "enum": ["syslog", "http", "upload"]]
        let value: O.JSON = ["description": "A string, number, boolean, null or array, as the event carried it"]
        return [
            "Event": O.object([
                "id": ["type": "string", "description": "<batch>-<index>"], "time": O.time, "receivedAt": O.time,
                "agencyId": O.nullable(O.uuid), "systemId": O.nullable(O.uuid), "sourceId": O.nullable(O.uuid), "host": O.nullable(O.string),
                "fields": ["type": "object", "additionalProperties": value],
            ], required: ["id", "time", "receivedAt", "fields"]),
            "EventSearchResult": O.object([
                "items": ["type": "array", "items": O.ref("Event")], "page": int, "per": int, "hasMore": ["type": "boolean"],
                "scannedEvents": int, "capped": ["type": "boolean"],
            ], required: ["items", "page", "per", "hasMore", "scannedEvents", "capped"]),
            "EventLines": ["type": "string", "description": "JSON lines: one JSON object per line; blank lines are skipped"],
            "EventIngestResult": O.object([
                "accepted": int,
                "rejected": ["type": "array", "items": O.object(["line": int, "error": O.string], required: ["line", "error"])],
                "rejectedTotal": int,
            ], required: ["accepted", "rejected", "rejectedTotal"]),
            "EventSource": O.object([
                "id": O.uuid, "name": O.string, "kind": kind, "agencyId": O.uuid, "systemId": O.uuid,
                "addresses": ["type": "array", "items": O.string], "hostnames": ["type": "array", "items": O.string],
                "enabled": ["type": "boolean"], "tokenHint": O.nullable(O.string), "tokenCreatedAt": O.nullable(O.time),
                "lastEventAt": O.nullable(O.time), "createdAt": O.nullable(O.time), "updatedAt": O.nullable(O.time),
            ], required: ["id", "name", "kind", "agencyId", "systemId", "enabled"]),
            "EventSourcePage": O.page("EventSource"),
            "EventSourceInput": O.object([
                "name": O.string, "kind": kind, "systemId": O.uuid,
                "addresses": ["type": "string", "description": "Sender addresses and CIDR ranges, one per line or separated by commas"],
                "hostnames": ["type": "string", "description": "Host names, one per line or separated by commas"],
                "enabled": ["type": "boolean"], "claimHeld": ["type": "boolean"],
            ]),
            "EventSourceWithToken": O.object([
                "source": O.ref("EventSource"), "token": O.nullable(O.string), "claimedBatches": O.nullable(int), "claimedEvents": O.nullable(int),
            ], required: ["source"]),
            "UnassignedSender": O.object([
                "sender": O.nullable(O.string), "host": O.nullable(O.string), "batches": int, "events": int,
                "firstEventAt": O.time, "lastEventAt": O.time, "lastReceivedAt": O.time,
            ], required: ["batches", "events"]),
            "UnassignedSenderList": ["type": "array", "items": O.ref("UnassignedSender")],
            "EventImport": O.object([
                "id": O.uuid, "agencyId": O.uuid, "systemId": O.uuid, "sourceId": O.nullable(O.uuid),
                "state": ["type": "string", "enum": ["queued", "running", "imported", "failed", "cancelled"]],
                "files": ["type": "array", "items": O.object(["name": O.string, "size": int, "kind": ["type": "string", "enum": ["evtx", "jsonl"]],
                                                               "stored": O.string])],
                "bytesTotal": int, "bytesRead": int, "progress": int, "eventsAccepted": int, "linesRejected": int, "warningCount": int,
                "warnings": ["type": "array", "items": O.string], "error": O.nullable(O.string), "createdByName": O.string,
                "createdAt": O.nullable(O.time), "finishedAt": O.nullable(O.time),
            ], required: ["id", "systemId", "state", "eventsAccepted"]),
            "EventImportList": ["type": "array", "items": O.ref("EventImport")],
            "EventFile": ["type": "string", "format": "binary", "description": "An .evtx file or JSON lines, or multipart/form-data with files[]"],
        ]
    }
}
