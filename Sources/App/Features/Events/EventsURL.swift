import Foundation
import Detection
import Vapor

/// An event's place in links and routes: `.key` registers the parameter, `.value` builds the link (`/events/812-41`).
enum EventRef: Sendable, Equatable {
    case key
    case value(StoredEventID)

    var component: PathComponent {
        switch self {
        case .key: return .parameter("eid")
        case .value(let id): return .constant(id.description)
        }
    }
}

/// The paths of the Events feature; a case of SiteURL.
enum EventsURL: Sendable, Equatable {
    /// Search and browse stored events.
    case index
    /// One event with all its fields.
    case show(EventRef)
    /// Registered event sources (syslog senders, HTTP shippers, upload labels).
    case sources
    case sourceNew
    case source(Param)
    case sourceEdit(Param)
    /// POST: enable or disable.
    case sourceEnabled(Param)
    /// POST: a new ingest token (http sources).
    case sourceToken(Param)
    /// Senders that match no source, with their held events.
    case unassigned
    /// Upload `.evtx` or JSON-lines files.
    case upload
    case importShow(Param)
    /// JSON for the import page's poller.
    case importState(Param)
    case importCancel(Param)

    var pathComponents: [PathComponent] {
        switch self {
        case .index: ["events"]
        case .show(let ref): ["events", ref.component]
        case .sources: ["events", "sources"]
        case .sourceNew: ["events", "sources", "new"]
        case .source(let p): ["events", "sources", p.component]
        case .sourceEdit(let p): ["events", "sources", p.component, "edit"]
        case .sourceEnabled(let p): ["events", "sources", p.component, "enabled"]
        case .sourceToken(let p): ["events", "sources", p.component, "token"]
        case .unassigned: ["events", "unassigned"]
        case .upload: ["events", "upload"]
        case .importShow(let p): ["events", "imports", p.component]
        case .importState(let p): ["events", "imports", p.component, "state"]
        case .importCancel(let p): ["events", "imports", p.component, "cancel"]
        }
    }

    enum API: Sendable, Equatable {
        /// GET: search; POST: ingest JSON lines.
        case list
        case sources
        case source(Param)
        case sourceToken(Param)
        /// Senders that match no source (counts).
        case unassigned
        /// POST: upload one event file (streamed); GET: recent imports.
        case imports
        case importOne(Param)

        var pathComponents: [PathComponent] {
            switch self {
            case .list: ["events"]
            case .sources: ["event-sources"]
            case .source(let p): ["event-sources", p.component]
            case .sourceToken(let p): ["event-sources", p.component, "token"]
            case .unassigned: ["event-sources", "unassigned"]
            case .imports: ["event-imports"]
            case .importOne(let p): ["event-imports", p.component]
            }
        }
    }
}
