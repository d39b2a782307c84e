import Foundation
import Vapor

/// The paths of incident cases; a case of ``SiteURL``.
enum IncidentsURL: Sendable, Equatable {
    case index, board, new, draft
    case show(Param), triage(Param), assign(Param), phase(Param), merge(Param), note(Param)
    case observables(Param), observablesImport(Param), exportSTIX(Param), exportMISP(Param)
    case evidence(Param), evidenceItem(Param, Param), evidenceDownload(Param, Param)
    case tasks(Param), task(Param, Param)
    case reportDocx(Param, String), reports(Param), reportFile(Param, Param), evidenceRequest(Param)
    case share(Param), unshare(Param)

    var pathComponents: [PathComponent] {
        switch self {
        case .index: ["incidents"]
        case .board: ["incidents", "board"]
        case .new: ["incidents", "new"]
        case .draft: ["incidents", "draft"]
        case .show(let p): ["incidents", p.component]
        case .triage(let p): ["incidents", p.component, "triage"]
        case .assign(let p): ["incidents", p.component, "assign"]
        case .phase(let p): ["incidents", p.component, "phase"]
        case .merge(let p): ["incidents", p.component, "merge"]
        case .note(let p): ["incidents", p.component, "notes"]
        case .observables(let p): ["incidents", p.component, "observables"]
        case .observablesImport(let p): ["incidents", p.component, "observables", "import"]
        case .exportSTIX(let p): ["incidents", p.component, "observables.stix.json"]
        case .exportMISP(let p): ["incidents", p.component, "observables.misp.json"]
        case .evidence(let p): ["incidents", p.component, "evidence"]
        case .evidenceItem(let p, let e): ["incidents", p.component, "evidence", e.component("eid")]
        case .evidenceDownload(let p, let e): ["incidents", p.component, "evidence", e.component("eid"), "download"]
        case .tasks(let p): ["incidents", p.component, "tasks"]
        case .task(let p, let t): ["incidents", p.component, "tasks", t.component("tid")]
        case .reportDocx(let p, let kind): ["incidents", p.component, "reports", .constant("\(kind).docx")]
        case .reports(let p): ["incidents", p.component, "reports"]
        case .reportFile(let p, let r): ["incidents", p.component, "reports", r.component("rid"), "file"]
        case .evidenceRequest(let p): ["incidents", p.component, "evidence-requests"]
        case .share(let p): ["incidents", p.component, "share"]
        case .unshare(let p): ["incidents", p.component, "unshare"]
        }
    }

    enum API: Sendable, Equatable {
        case list, one(Param), timeline(Param), tasks(Param), task(Param, Param), observables(Param), observablesImport(Param)
        case evidence(Param), evidenceItem(Param, Param), reports(Param), clocks(Param), triage(Param), phase(Param), assign(Param)
        case share(Param), exportSTIX(Param), exportMISP(Param), search, merge(Param), reportDocx(Param, String)

        var pathComponents: [PathComponent] {
            switch self {
            case .list: ["incidents"]
            case .search: ["incidents", "search"]
            case .one(let p): ["incidents", p.component]
            case .timeline(let p): ["incidents", p.component, "timeline"]
            case .tasks(let p): ["incidents", p.component, "tasks"]
            case .task(let p, let t): ["incidents", p.component, "tasks", t.component("tid")]
            case .observables(let p): ["incidents", p.component, "observables"]
            case .observablesImport(let p): ["incidents", p.component, "observables", "import"]
            case .evidence(let p): ["incidents", p.component, "evidence"]
            case .evidenceItem(let p, let e): ["incidents", p.component, "evidence", e.component("eid")]
            case .reports(let p): ["incidents", p.component, "reports"]
            case .clocks(let p): ["incidents", p.component, "clocks"]
            case .triage(let p): ["incidents", p.component, "triage"]
            case .phase(let p): ["incidents", p.component, "phase"]
            case .assign(let p): ["incidents", p.component, "assignees"]
            case .share(let p): ["incidents", p.component, "share"]
            case .merge(let p): ["incidents", p.component, "merge"]
            case .reportDocx(let p, let kind): ["incidents", p.component, "reports", .constant("\(kind).docx")]
            case .exportSTIX(let p): ["incidents", p.component, "observables.stix.json"]
            case .exportMISP(let p): ["incidents", p.component, "observables.misp.json"]
            }
        }
    }
}
