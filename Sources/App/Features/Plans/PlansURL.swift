import Foundation
import Vapor

/// The paths of the response plans feature (and the scenario library); a case of SiteURL.
enum PlansURL: Sendable, Equatable {
    case index
    case new
    case show(Param)
    case versions(Param)
    case version(Param, Param)
    case versionEdit(Param, Param)
    case versionApprove(Param, Param)
    case versionDocx(Param, Param)
    case scenarios

    var pathComponents: [PathComponent] {
        switch self {
        case .index: ["plans"]
        case .new: ["plans", "new"]
        case .show(let p): ["plans", p.component]
        case .versions(let p): ["plans", p.component, "versions"]
        case .version(let p, let v): ["plans", p.component, "versions", v.component("vid")]
        case .versionEdit(let p, let v): ["plans", p.component, "versions", v.component("vid"), "edit"]
        case .versionApprove(let p, let v): ["plans", p.component, "versions", v.component("vid"), "approve"]
        case .versionDocx(let p, let v): ["plans", p.component, "versions", v.component("vid"), "plan.docx"]
        case .scenarios: ["scenarios"]
        }
    }

    enum API: Sendable, Equatable {
        case list
        case plan(Param)
        case versions(Param)
        case version(Param, Param)
        case approve(Param, Param)
        case scenarios

        var pathComponents: [PathComponent] {
            switch self {
            case .list: ["plans"]
            case .plan(let p): ["plans", p.component]
            case .versions(let p): ["plans", p.component, "versions"]
            case .version(let p, let v): ["plans", p.component, "versions", v.component("vid")]
            case .approve(let p, let v): ["plans", p.component, "versions", v.component("vid"), "approve"]
            case .scenarios: ["scenarios"]
            }
        }
    }
}
