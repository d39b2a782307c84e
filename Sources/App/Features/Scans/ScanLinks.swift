import Foundation
import Domain
import Plot
import Vapor

/// The system page's links into scans and findings.
enum ScanLinks {
    static func systemButtons(req: Request, system: InformationSystem, subject: Subject) -> Body {
        guard let sid = system.id else { return .empty }
        let t = req.t
        let owned = Resource.owned(agencyId: system.$agency.id)
        let id = sid.uuidString.lowercased()
        return .group([
            Policy.can(subject, .recordAssessments, owned)
                ? .link(SiteURL.scans(.new).path(query: ["systemId": id]), t("scans.importForSystem"), id: "system-import-scan", cls: "button") : .empty,
            Policy.can(subject, .runNetworkScan, owned)
                ? .link(SiteURL.scans(.nmap).path(query: ["systemId": id]), t("scans.nmapForSystem"), id: "system-nmap", cls: "button") : .empty,
            Policy.can(subject, .viewProactive, owned)
                ? .link(SiteURL.findings(.index).path(query: ["system": id]), t("findings.ofSystem"), id: "system-findings", cls: "button") : .empty,
        ])
    }
}
