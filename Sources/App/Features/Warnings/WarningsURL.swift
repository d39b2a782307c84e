import Foundation
import Vapor

/// The paths of the warnings feature; a case of SiteURL.
enum WarningsURL: Sendable, Equatable {
    case index

    var pathComponents: [PathComponent] {
        switch self {
        case .index: ["warnings"]
        }
    }

    enum API: Sendable, Equatable {
        case list

        var pathComponents: [PathComponent] {
            switch self {
            case .list: ["warnings"]
            }
        }
    }
}
