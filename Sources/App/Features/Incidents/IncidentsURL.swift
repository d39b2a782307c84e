import Foundation
import Vapor

/// The paths of the incidents feature; a case of SiteURL.
enum IncidentsURL: Sendable, Equatable {
    case index

    var pathComponents: [PathComponent] {
        switch self {
        case .index: ["incidents"]
        }
    }

    enum API: Sendable, Equatable {
        case list

        var pathComponents: [PathComponent] {
            switch self {
            case .list: ["incidents"]
            }
        }
    }
}
