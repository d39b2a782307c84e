import Foundation
import Vapor

/// The paths of the drills feature; a case of SiteURL.
enum DrillsURL: Sendable, Equatable {
    case index
    case new
    case show(Param)
    case edit(Param)
    case state(Param)
    case tasks(Param)
    case task(Param, Param)

    var pathComponents: [PathComponent] {
        switch self {
        case .index: ["drills"]
        case .new: ["drills", "new"]
        case .show(let p): ["drills", p.component]
        case .edit(let p): ["drills", p.component, "edit"]
        case .state(let p): ["drills", p.component, "state"]
        case .tasks(let p): ["drills", p.component, "tasks"]
        case .task(let p, let t): ["drills", p.component, "tasks", t.component("tid")]
        }
    }

    enum API: Sendable, Equatable {
        case list
        case drill(Param)
        case state(Param)
        case tasks(Param)
        case task(Param, Param)

        var pathComponents: [PathComponent] {
            switch self {
            case .list: ["drills"]
            case .drill(let p): ["drills", p.component]
            case .state(let p): ["drills", p.component, "state"]
            case .tasks(let p): ["drills", p.component, "tasks"]
            case .task(let p, let t): ["drills", p.component, "tasks", t.component("tid")]
            }
        }
    }
}
