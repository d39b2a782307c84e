import Foundation
import Vapor

/// The paths of the SigmaRules feature; a case of SiteURL. Add cases as pages appear.
enum SigmaRulesURL: Sendable, Equatable {
    case index

    var pathComponents: [PathComponent] {
        switch self {
        case .index: ["detection", "rules"]
        }
    }

    enum API: Sendable, Equatable {
        case list

        var pathComponents: [PathComponent] {
            switch self {
            case .list: ["detection", "rules"]
            }
        }
    }
}
