import Foundation
import Vapor

/// The paths of the SigmaRules feature; a case of SiteURL.
enum SigmaRulesURL: Sendable, Equatable {
    /// The rule list with filters (`?q=&level=&status=&tag=&product=&category=&enabled=&supported=&hits=`).
    case index
    /// The import form (GET) and the upload of a folder, files or zips of rules (POST).
    case importRules
    /// Enable or disable the checked rules, or every rule the filters select (form).
    case bulk
    case show(Param)
    /// Enabled flag and grouping window of one rule (form).
    case settings(Param)

    var pathComponents: [PathComponent] {
        switch self {
        case .index: ["detection", "rules"]
        case .importRules: ["detection", "rules", "import"]
        case .bulk: ["detection", "rules", "bulk"]
        case .show(let p): ["detection", "rules", p.component]
        case .settings(let p): ["detection", "rules", p.component, "settings"]
        }
    }

    enum API: Sendable, Equatable {
        case list
        case importRules
        case bulk
        /// GET one (with its YAML); PATCH enabled / grouping window with the version.
        case one(Param)

        var pathComponents: [PathComponent] {
            switch self {
            case .list: ["detection", "rules"]
            case .importRules: ["detection", "rules", "import"]
            case .bulk: ["detection", "rules", "bulk"]
            case .one(let p): ["detection", "rules", p.component]
            }
        }
    }
}
