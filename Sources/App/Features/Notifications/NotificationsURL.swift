import Foundation
import Vapor

/// The paths of the notifications feature; a case of SiteURL.
enum NotificationsURL: Sendable, Equatable {
    case index

    var pathComponents: [PathComponent] {
        switch self {
        case .index: ["notifications"]
        }
    }

    enum API: Sendable, Equatable {
        case list

        var pathComponents: [PathComponent] {
            switch self {
            case .list: ["notifications"]
            }
        }
    }
}
