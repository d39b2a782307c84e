import Foundation
import Vapor

/// The paths of the drills feature; a case of SiteURL.
enum DrillsURL: Sendable, Equatable {
    case index

    var pathComponents: [PathComponent] {
        switch self {
        case .index: ["drills"]
        }
    }

    enum API: Sendable, Equatable {
        case list

        var pathComponents: [PathComponent] {
            switch self {
            case .list: ["drills"]
            }
        }
    }
}
