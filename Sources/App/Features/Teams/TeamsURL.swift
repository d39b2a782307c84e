import Foundation
import Vapor

/// The paths of the response teams feature; a case of SiteURL.
enum TeamsURL: Sendable, Equatable {
    case index
    case new
    case show(Param)
    case edit(Param)
    case delete(Param)
    case members(Param)
    case memberEdit(Param, Param)
    case memberDelete(Param, Param)

    var pathComponents: [PathComponent] {
        switch self {
        case .index: ["teams"]
        case .new: ["teams", "new"]
        case .show(let p): ["teams", p.component]
        case .edit(let p): ["teams", p.component, "edit"]
        case .delete(let p): ["teams", p.component, "delete"]
        case .members(let p): ["teams", p.component, "members"]
        case .memberEdit(let p, let m): ["teams", p.component, "members", m.component("mid"), "edit"]
        case .memberDelete(let p, let m): ["teams", p.component, "members", m.component("mid"), "delete"]
        }
    }

    enum API: Sendable, Equatable {
        case list
        case team(Param)
        case members(Param)
        case member(Param, Param)

        var pathComponents: [PathComponent] {
            switch self {
            case .list: ["teams"]
            case .team(let p): ["teams", p.component]
            case .members(let p): ["teams", p.component, "members"]
            case .member(let p, let m): ["teams", p.component, "members", m.component("mid")]
            }
        }
    }
}
