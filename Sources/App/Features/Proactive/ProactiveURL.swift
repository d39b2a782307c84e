import Foundation
import Vapor

/// The paths of the proactive feature; a case of SiteURL.
enum ProactiveURL: Sendable, Equatable {
    case index

    var pathComponents: [PathComponent] {
        switch self {
        case .index: ["proactive"]
        }
    }

    enum API: Sendable, Equatable {
        case list

        var pathComponents: [PathComponent] {
            switch self {
            case .list: ["assessments"]
            }
        }
    }
}
