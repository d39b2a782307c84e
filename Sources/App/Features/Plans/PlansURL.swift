import Foundation
import Vapor

/// The paths of the response plans feature; a case of SiteURL.
enum PlansURL: Sendable, Equatable {
    case index

    var pathComponents: [PathComponent] {
        switch self {
        case .index: ["plans"]
        }
    }

    enum API: Sendable, Equatable {
        case list

        var pathComponents: [PathComponent] {
            switch self {
            case .list: ["plans"]
            }
        }
    }
}
