import Foundation
import Vapor

/// The paths of the Alerts feature; a case of SiteURL. Add cases as pages appear.
enum AlertsURL: Sendable, Equatable {
    case index

    var pathComponents: [PathComponent] {
        switch self {
        case .index: ["alerts"]
        }
    }

    enum API: Sendable, Equatable {
        case list

        var pathComponents: [PathComponent] {
            switch self {
            case .list: ["alerts"]
            }
        }
    }
}
