import Foundation
import Domain
import Plot
import Vapor

extension FindingShow {
    struct View {
        let req: Request
        let model: Model
        var input = FindingService.StatusInput()
        var errors: [String: String] = [:]

        func render() -> Page {
            let t = req.t
            let f = model.finding
            let canChange = Policy.can(model.subject, .recordAssessments, .owned(agencyId: f.agencyId))
            return Layout(req: req).page(title: f.title, section: .findings, flash: FlashMessage.from(req), content: [
                .el("p", ["class": "crumbs"], [.link(SiteURL.findings(.index).path, t("findings.title"))]),
                .el("div", ["class": "page-head"], [
                    .el("div", [:], [
                        .el("h1", ["id": "finding-title"], [.txt(f.title)]),
                        .el("p", [:], [FindingBadges.severity(f.severity, t: t), .txt(" "), FindingBadges.status(f.statusValue, t: t)]),
                    ]),
                ]),
                details(),
                textCard("findings.description", f.details, id: "finding-description"),
                textCard("findings.evidence", f.evidence, id: "finding-evidence"),
                textCard("findings.solution", f.solution, id: "finding-solution"),
                references(),
                canChange ? statusCard() : .empty,
                history(),
            ])
        }

        private func details() -> Body {
            let t = req.t
            let f = model.finding
            let now = Date()
            var items: [(String, Body)] = [
                (t("findings.system"), model.system.map { .link(SiteURL.system(.value($0.id!)).path, "\($0.code) · \($0.name)", id: "finding-system") }
                    ?? .txt("—")),
                (t("findings.agency"), .txt(model.agency?.name ?? "—")),
                (t("findings.host"), .el("span", ["id": "finding-place"], [.txt(FindingBadges.place(f))])),
            ]
            func add(_ key: String, _ value: String?, id: String? = nil) {
                guard let value, !value.isEmpty else { return }
                items.append((t(key), .el("span", ["id": id], [.txt(value)])))
            }
            add("findings.hostname", f.hostname)
            add("findings.service", f.service, id: "finding-service")
            add("findings.product", [f.product, f.productVersion].compactMap { $0 }.joined(separator: " "), id: "finding-product")
            add("findings.cpe", f.cpe)
            add("findings.cves", f.cves, id: "finding-cves")
            add("findings.cwes", f.cwes)
            add("findings.cvss", [f.cvssScore.map { String(format: "%.1f", $0) }, f.cvssVector].compactMap { $0 }.joined(separator: " "), id: "finding-cvss")
            add("findings.scanner", [f.scanner.flatMap { ScannerNames.display($0) }, f.scannerRef].compactMap { $0 }.joined(separator: " · "),
                id: "finding-scanner")
            add("findings.location", f.location)
            items.append((t("findings.firstSeen"), .txt(DisplayTime.dateTime(f.firstSeenAt))))
            items.append((t("findings.lastSeen"), .txt(DisplayTime.dateTime(f.lastSeenAt))))
            items.append((t("findings.due"), FindingBadges.due(f, now: now, t: t)))
            add("findings.resolution", FindingService.resolution(f.resolution, lang: req.lang), id: "finding-resolution")
            if let until = f.acceptedUntil {
                add("findings.acceptedUntil", DisplayTime.date(until), id: "finding-accepted-until")
                add("findings.approverName", f.acceptedByName)
            }
            if !model.imports.isEmpty {
                items.append((t("findings.imports"), .el("ul", ["class": "plain", "id": "finding-imports"], model.imports.map { i in
                    .el("li", [:], [.link(SiteURL.scans(.show(.value(i.id!))).path,
                                          "\(DisplayTime.dateTime(i.createdAt ?? Date())) · \(i.scannerName ?? i.format ?? "—")")])
                })))
            }
            return .el("section", ["class": "card"], [
                .el("dl", ["class": "facts", "id": "finding-facts"], items.flatMap { label, value in
                    [Body.el("dt", [:], [.txt(label)]), .el("dd", [:], [value])]
                }),
            ])
        }

        private func textCard(_ key: String, _ text: String?, id: String) -> Body {
            guard let text, !text.isEmpty else { return .empty }
            return .el("section", ["class": "card"], [
                .el("h2", [:], [.txt(req.t(key))]),
                .el("pre", ["class": "prewrap", "id": id], [.txt(text)]),
            ])
        }

        private func references() -> Body {
            let refs = (model.finding.refs ?? "").split(separator: "\n").map(String.init).filter { !$0.isEmpty }
            guard !refs.isEmpty else { return .empty }
            return .el("section", ["class": "card"], [
                .el("h2", [:], [.txt(req.t("findings.references"))]),
                .el("ul", ["id": "finding-references"], refs.map { ref in
                    let safe = ref.lowercased().hasPrefix("https://") || ref.lowercased().hasPrefix("http://")
                    return .el("li", [:], [safe ? .el("a", ["href": ref, "rel": "noopener noreferrer nofollow"], [.txt(ref)]) : .txt(ref)])
                }),
            ])
        }

        private func statusCard() -> Body {
            let t = req.t
            let f = model.finding
            let choices = FindingStatus.allCases.filter { FindingLifecycle.canTransition(from: f.statusValue, to: $0) }
            guard !choices.isEmpty else { return .empty }
            return .el("section", ["class": "card", "id": "status-card"], [
                .el("h2", [:], [.txt(t("findings.changeStatus"))]),
                Forms.post(req, action: SiteURL.findings(.status(.value(f.id!))).path, id: "status-form", [
                    .void("input", ["type": "hidden", "name": "version", "value": String(input.version ?? f.version)]),
                    Forms.errorSummary(errors, t: t),
                    FindingStatusForm.fields(t: t, input: input, errors: errors, choices: choices),
                    Forms.submit(t("findings.saveStatus"), id: "save-status"),
                ]),
            ])
        }

        private func history() -> Body {
            let t = req.t
            let rows: [Body] = model.history.reversed().map { e in
                .el("tr", [:], [
                    .el("td", [:], [.txt(DisplayTime.dateTime(e.at))]),
                    .el("td", [:], [.txt(t("findings.event.\(e.action)"))]),
                    .el("td", [:], [.txt([e.fromStatus, e.toStatus].compactMap { $0 }.map { t("findings.status.\($0)") }.joined(separator: " → "))]),
                    .el("td", [:], [.txt(e.note ?? "")]),
                    .el("td", [:], [.txt(e.actorName)]),
                ])
            }
            return .el("section", ["class": "card"], [
                .el("h2", [:], [.txt(t("findings.history"))]),
                .el("div", ["class": "table-wrap"], [
                    .el("table", ["id": "finding-history"], [
                        .el("thead", [:], [.el("tr", [:], [t("findings.when"), t("findings.what"), t("findings.status"), t("findings.note"), t("findings.who")]
                            .map { .el("th", ["scope": "col"], [.txt($0)]) })]),
                        .el("tbody", [:], rows),
                    ]),
                ]),
            ])
        }
    }
}
