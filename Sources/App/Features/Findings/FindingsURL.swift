import Foundation
import Vapor

/// The paths of the findings feature; a case of SiteURL.
enum FindingsURL: Sendable, Equatable {
    /// The list with filters (`?agency=&system=&severity=&status=&cve=&age=&overdue=&q=&import=`).
    case index
    case show(Param)
    /// A change of one finding's status (form).
    case status(Param)
    /// A change of the status of the checked findings of the list (form).
    case bulk

    var pathComponents: [PathComponent] {
        switch self {
        case .index: ["findings"]
        case .show(let p): ["findings", p.component]
        case .status(let p): ["findings", p.component, "status"]
        case .bulk: ["findings", "bulk"]
        }
    }

    enum API: Sendable, Equatable {
        case list
        /// GET one with its history; PATCH its status.
        case one(Param)
        case bulk

        var pathComponents: [PathComponent] {
            switch self {
            case .list: ["findings"]
            case .one(let p): ["findings", p.component]
            case .bulk: ["findings", "bulk"]
            }
        }
    }
}
