import Foundation
import Vapor

/// The paths of the response teams feature; a case of SiteURL.
enum TeamsURL: Sendable, Equatable {
    case index

    var pathComponents: [PathComponent] {
        switch self {
        case .index: ["teams"]
        }
    }

    enum API: Sendable, Equatable {
        case list

        var pathComponents: [PathComponent] {
            switch self {
            case .list: ["teams"]
            }
        }
    }
}
