import Foundation
import Vapor

/// The paths of the scans feature; a case of SiteURL.
enum ScansURL: Sendable, Equatable {
    case index

    var pathComponents: [PathComponent] {
        switch self {
        case .index: ["scans"]
        }
    }

    enum API: Sendable, Equatable {
        case list

        var pathComponents: [PathComponent] {
            switch self {
            case .list: ["scans"]
            }
        }
    }
}
