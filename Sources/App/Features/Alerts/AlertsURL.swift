import Foundation
import Vapor

/// The paths of the Alerts feature; a case of SiteURL.
enum AlertsURL: Sendable, Equatable {
    /// The detection landing page: alerts with filters (`?status=&level=&rule=&host=&agency=&system=&from=&to=`) and counts by status.
    case index
    /// Acknowledge or mark as false positive the checked alerts (form).
    case bulk
    case show(Param)
    /// One triage step: acknowledge, false positive (with a reason) or promote to an incident (form).
    case triage(Param)

    var pathComponents: [PathComponent] {
        switch self {
        case .index: ["alerts"]
        case .bulk: ["alerts", "bulk"]
        case .show(let p): ["alerts", p.component]
        case .triage(let p): ["alerts", p.component, "triage"]
        }
    }

    enum API: Sendable, Equatable {
        case list
        case bulk
        /// GET one with its events and history.
        case one(Param)
        case triage(Param)

        var pathComponents: [PathComponent] {
            switch self {
            case .list: ["alerts"]
            case .bulk: ["alerts", "bulk"]
            case .one(let p): ["alerts", p.component]
            case .triage(let p): ["alerts", p.component, "triage"]
            }
        }
    }
}
