import Foundation
import Domain
import Plot
import Vapor

/// The "incident response" card of a system page: plan status (missing, current, stale) and the last drill,
/// read from the system's materialised duties, with links to its plans and drills.
enum SystemResponseCard {
    static func render(req: Request, system: InformationSystem, obligations: [Obligation]) -> Body {
        let t = req.t
        let lang = req.lang.rawValue
        guard let subject = req.subject, Policy.can(subject, .viewResponse), let sid = system.id else { return .empty }
        let byDuty = Dictionary(obligations.map { ($0.dutyId, $0) }) { a, _ in a }
        let missing = byDuty[ResponseDuty.planMissing.rawValue]
        let stale = byDuty[ResponseDuty.planStale.rawValue]
        let drill = byDuty[ResponseDuty.drillOverdue.rawValue]
        let id = sid.uuidString.lowercased()
        var plan: [Body] = [.txt(t("response.plan") + ": ")]
        if missing?.state == .met {
            let isStale = stale.map { $0.state == .overdue } ?? false
            plan.append(.el("span", ["class": isStale ? "badge danger" : "badge ok", "id": "plan-badge"], [.txt(isStale ? t("response.stale") : t("response.current"))]))
            plan.append(.txt(" " + (isStale ? stale!.explanation(lang) : missing!.explanation(lang))))
        } else {
            plan.append(.el("span", ["class": "badge warn", "id": "plan-badge"], [.txt(t("response.noPlan"))]))
        }
        plan += [.txt(" · "), .link(SiteURL.plans(.index).path(query: ["systemId": id]), t("plans.title"))]
        if Policy.can(subject, .editPlans, .owned(agencyId: system.$agency.id)) {
            plan += [.txt(" · "), .link(SiteURL.plans(.new).path(query: ["systemId": id, "agencyId": system.$agency.id.uuidString.lowercased()]), t("response.newPlan"))]
        }
        var drills: [Body] = [.txt(t("response.lastDrill") + ": "), .txt(drill?.evidence ?? t("response.noDrill"))]
        if let drill, drill.state != .notApplicable {
            drills += [.txt(" "), SystemBadges.obligation(drill, t: t)]
        }
        drills += [.txt(" · "), .link(SiteURL.drills(.index).path(query: ["systemId": id]), t("drills.title"))]
        if Policy.can(subject, .recordDrills, .owned(agencyId: system.$agency.id)) {
            drills += [.txt(" · "), .link(SiteURL.drills(.new).path(query: ["systemId": id, "agencyId": system.$agency.id.uuidString.lowercased()]), t("response.newDrill"))]
        }
        return .el("section", ["class": "card", "id": "response"], [
            .el("h2", [:], [.txt(t("response.title"))]),
            .el("p", ["id": "response-plan"], plan),
            .el("p", ["id": "response-drill"], drills),
        ])
    }
}
