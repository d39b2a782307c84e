import Foundation
import Vapor

/// The paths of the warnings feature; a case of SiteURL.
enum WarningsURL: Sendable, Equatable {
    /// The warnings the reader may see (officers: those touching their agencies' systems).
    case index
    case new
    /// Upload a CSAF 2.0 advisory or an NVD CVE JSON 2.0 record or feed.
    case importFile
    /// Per warning, per agency and system: who acted, who has not, and the province-wide overdue list.
    case tracking
    case show(Param)
    case edit(Param)
    /// Runs the matcher again for one warning.
    case rematch(Param)
    /// A coordinator adds an affected system by hand.
    case addSystem(Param)
    /// Acknowledge, remediate (with evidence) or "not affected" for one affected system (`sid` is the system id).
    case system(Param, Param)
    /// One affected-system row by its own id (the subject of its obligation): redirects to the warning.
    case affected(Param)

    var pathComponents: [PathComponent] {
        switch self {
        case .index: ["warnings"]
        case .new: ["warnings", "new"]
        case .importFile: ["warnings", "import"]
        case .tracking: ["warnings", "tracking"]
        case .show(let p): ["warnings", p.component]
        case .edit(let p): ["warnings", p.component, "edit"]
        case .rematch(let p): ["warnings", p.component, "rematch"]
        case .addSystem(let p): ["warnings", p.component, "systems"]
        case .system(let p, let s): ["warnings", p.component, "systems", s.component("sid")]
        case .affected(let p): ["warnings", "affected", p.component]
        }
    }

    enum API: Sendable, Equatable {
        case list
        case importFile
        case warning(Param)
        case rematch(Param)
        case system(Param, Param)

        var pathComponents: [PathComponent] {
            switch self {
            case .list: ["warnings"]
            case .importFile: ["warnings", "import"]
            case .warning(let p): ["warnings", p.component]
            case .rematch(let p): ["warnings", p.component, "rematch"]
            case .system(let p, let s): ["warnings", p.component, "systems", s.component("sid")]
            }
        }
    }
}
