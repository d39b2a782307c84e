import Foundation
import Domain
import Vapor

/// The second row of navigation shared by the detection pages (one entry in the main menu).
enum DetectionTabs {
    enum Tab: String { case alerts, hunts, events, sources, rules }

    static func bar(_ current: Tab, req: Request) -> Body {
        guard let subject = req.subject else { return .empty }
        let t = req.t
        var items: [(Tab, String)] = []
        if Policy.can(subject, .viewDetection) {
            items.append((.alerts, SiteURL.alerts(.index).path))
            items.append((.hunts, SiteURL.hunts(.index).path))
            items.append((.events, SiteURL.events(.index).path))
            items.append((.rules, SiteURL.sigmaRules(.index).path))
        }
        if Policy.can(subject, .manageEventSources) { items.insert((.sources, SiteURL.events(.sources).path), at: 3) }
        return .el("nav", ["class": "tabs", "aria-label": t("detection.tabs")], items.map { tab, path in
            .el("a", tab == current ? ["href": path, "aria-current": "page", "class": "tab active"] : ["href": path, "class": "tab"],
                [.txt(t("detection.tab.\(tab.rawValue)"))])
        })
    }
}
