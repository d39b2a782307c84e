import Foundation
import Vapor

/// The paths of the Events feature; a case of SiteURL. Add cases as pages appear.
enum EventsURL: Sendable, Equatable {
    case index
    /// Registered event sources (syslog senders, HTTP shippers, upload labels).
    case sources

    var pathComponents: [PathComponent] {
        switch self {
        case .index: ["events"]
        case .sources: ["events", "sources"]
        }
    }

    enum API: Sendable, Equatable {
        case list

        var pathComponents: [PathComponent] {
            switch self {
            case .list: ["events"]
            }
        }
    }
}
