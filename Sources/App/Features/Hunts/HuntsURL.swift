import Foundation
import Vapor

/// The paths of the Hunts feature; a case of SiteURL.
enum HuntsURL: Sendable, Equatable {
    case index
    case new
    case show(Param)
    /// JSON progress for the page's poller.
    case state(Param)
    case cancel(Param)

    var pathComponents: [PathComponent] {
        switch self {
        case .index: ["hunts"]
        case .new: ["hunts", "new"]
        case .show(let p): ["hunts", p.component]
        case .state(let p): ["hunts", p.component, "state"]
        case .cancel(let p): ["hunts", p.component, "cancel"]
        }
    }

    enum API: Sendable, Equatable {
        case list
        case hunt(Param)
        case cancel(Param)

        var pathComponents: [PathComponent] {
            switch self {
            case .list: ["hunts"]
            case .hunt(let p): ["hunts", p.component]
            case .cancel(let p): ["hunts", p.component, "cancel"]
            }
        }
    }
}
