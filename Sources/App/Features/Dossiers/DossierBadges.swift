import Foundation
import Domain
import Plot

enum DossierBadges {
    static func state(_ state: DossierState, t: Localizer) -> Body {
        let cls = switch state {
        case .approved: "ok"
        case .returnedForRevision, .withdrawn: "danger"
        case .superseded: "muted"
        default: "warn"
        }
        return .el("span", ["class": "badge \(cls)", "data-state": state.rawValue], [.txt(t("dossierState.\(state.rawValue)"))])
    }
}
