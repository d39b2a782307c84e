import Foundation
import Vapor

/// The paths of the findings feature; a case of SiteURL.
enum FindingsURL: Sendable, Equatable {
    case index

    var pathComponents: [PathComponent] {
        switch self {
        case .index: ["findings"]
        }
    }

    enum API: Sendable, Equatable {
        case list

        var pathComponents: [PathComponent] {
            switch self {
            case .list: ["findings"]
            }
        }
    }
}
