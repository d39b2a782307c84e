import Foundation
import Vapor

/// The paths of the Hunts feature; a case of SiteURL. Add cases as pages appear.
enum HuntsURL: Sendable, Equatable {
    case index

    var pathComponents: [PathComponent] {
        switch self {
        case .index: ["hunts"]
        }
    }

    enum API: Sendable, Equatable {
        case list

        var pathComponents: [PathComponent] {
            switch self {
            case .list: ["hunts"]
            }
        }
    }
}
