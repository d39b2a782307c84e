import Foundation
import Vapor

/// The paths of the proactive feature; a case of SiteURL.
enum ProactiveURL: Sendable, Equatable {
    /// The province overview of scans and hunts.
    case index
    /// The half-year report (`?year=2026&half=2`).
    case reportDocx
    case reportXlsx
    /// Recording a scan or hunt (`?systemId=`).
    case newAssessment
    case assessment(Param)
    case editAssessment(Param)

    var pathComponents: [PathComponent] {
        switch self {
        case .index: ["proactive"]
        case .reportDocx: ["proactive", "report.docx"]
        case .reportXlsx: ["proactive", "report.xlsx"]
        case .newAssessment: ["proactive", "assessments", "new"]
        case .assessment(let p): ["proactive", "assessments", p.component]
        case .editAssessment(let p): ["proactive", "assessments", p.component, "edit"]
        }
    }

    enum API: Sendable, Equatable {
        case list
        case assessment(Param)
        case overview

        var pathComponents: [PathComponent] {
            switch self {
            case .list: ["assessments"]
            case .assessment(let p): ["assessments", p.component]
            case .overview: ["proactive", "overview"]
            }
        }
    }
}
