import Foundation
import Domain
import Fluent
import Formats
import Plot
import Vapor

/// One import: its state (with the running scan's progress), the counts, the hosts (with the choice of hosts when the
/// report named hosts outside the system's addresses), the error of a refused report, and the report file.
enum ScanShow {
    struct Model {
        let scan: ScanImport
        let system: InformationSystem?
        let job: JobRecord?
        let subject: Subject
    }

    static func query(_ scan: ScanImport, subject: Subject, on db: any Database) async throws -> Model {
        let job: JobRecord? = if let jobId = scan.jobId { try await JobRecord.find(jobId, on: db) } else { nil }
        return Model(scan: scan, system: try await InformationSystem.visible(scan.systemId, to: subject, on: db), job: job, subject: subject)
    }

    struct View {
        let req: Request
        let model: Model
        var errors: [String: String] = [:]
        var confirmInput = ScanUploadForm()

        func render() -> Page {
            let t = req.t
            let s = model.scan
            let state = ScanImportState(rawValue: s.state)
            var content: [Body] = [
                .el("p", ["class": "crumbs"], [
                    .link(SiteURL.scans(.index).path, t("scans.title")),
                    model.system.map { sys in .group([.txt(" · "), .link(SiteURL.system(.value(sys.id!)).path, "\(sys.code) · \(sys.name)")]) } ?? .empty,
                ]),
                .el("div", ["class": "page-head"], [
                    .el("h1", [:], [.txt(t(s.jobId == nil ? "scans.importTitle" : "scans.nmapRunTitle", s.fileName ?? ""))]),
                    .el("p", [:], [.el("span", ["id": "scan-state"], [ScanBadges.state(s.state, progress: model.job?.progress, t: t)])]),
                ]),
            ]
            if let error = s.error, state == .failed || state == .cancelled {
                content.append(.el("div", ["class": "flash error", "role": "alert", "id": "scan-error"], [.txt(t("scans.failedWith", error))]))
            }
            content.append(Forms.errorSummary(errors, t: t))
            if state == .running { content.append(progressCard()) }
            content.append(facts())
            if state == .awaitingConfirmation {
                content.append(confirmCard())
            } else if !(ScanImportService.decodeHosts(s.hosts).isEmpty) {
                content.append(hostsCard())
            }
            return Layout(req: req).page(title: t("scans.title"), section: .proactive, flash: FlashMessage.from(req), content: content)
        }

        private func facts() -> Body {
            let t = req.t
            let s = model.scan
            var items: [(String, Body)] = [
                (t("scans.system"), model.system.map { .link(SiteURL.system(.value($0.id!)).path, "\($0.code) · \($0.name)", id: "scan-system") } ?? .txt("—")),
                (t("scans.format"), .txt(s.format.flatMap(ScannerNames.display) ?? "—")),
            ]
            if let name = s.scannerName { items.append((t("scans.scanner"), .txt([name, s.scannerVersion].compactMap { $0 }.joined(separator: " ")))) }
            if let started = s.reportStartedAt { items.append((t("scans.reportStarted"), .txt(DisplayTime.dateTime(started)))) }
            if let finished = s.reportFinishedAt { items.append((t("scans.reportFinished"), .txt(DisplayTime.dateTime(finished)))) }
            if let plan = s.targets.flatMap({ try? JSONDecoder().decode(NetworkScan.Plan.self, from: Data($0.utf8)) }) {
                items.append((t("scans.targets"), .el("span", ["id": "scan-targets"], [.txt(plan.targets.joined(separator: ", "))])))
                items.append((t("scans.ports"), .txt(plan.ports)))
            }
            if let performer = s.performer {
                let kind = s.performerKind.flatMap(AssessmentPerformer.init(rawValue:))?.label.text(req.lang)
                items.append((t("scans.performer"), .el("span", ["id": "scan-performer"], [.txt([performer, kind].compactMap { $0 }.joined(separator: " · "))])))
            }
            items.append((t("scans.by"), .txt("\(s.createdByName) · \(DisplayTime.dateTime(s.createdAt ?? Date()))")))
            if s.state == ScanImportState.imported.rawValue {
                items.append((t("scans.findings"), .el("span", ["id": "scan-counts"], [
                    .txt(t("scans.counts", String(s.findingsTotal), String(s.findingsNew), String(s.findingsReopened), String(s.findingsClosed))),
                    .txt(" "),
                    .link(SiteURL.findings(.index).path(query: ["import": s.id!.uuidString.lowercased(), "status": "all"]), t("scans.seeFindings"),
                          id: "scan-findings"),
                ])))
                if let assessment = s.assessmentId {
                    items.append((t("scans.assessment"), .link(SiteURL.proactive(.assessment(.value(assessment))).path, t("scans.assessmentLink"),
                                                              id: "scan-assessment")))
                }
            } else if s.state == ScanImportState.awaitingConfirmation.rawValue {
                items.append((t("scans.findings"), .txt(t("scans.inReport", String(s.findingsTotal)))))
            }
            if s.fileId != nil {
                items.append((t("scans.report"), .link(SiteURL.scans(.report(.value(s.id!))).path, s.fileName ?? t("scans.download"), id: "scan-report")))
            }
            return .el("section", ["class": "card"], [
                .el("dl", ["class": "facts", "id": "scan-facts"], items.flatMap { label, value in
                    [Body.el("dt", [:], [.txt(label)]), .el("dd", [:], [value])]
                }),
            ])
        }

        /// The running scan: progress (refreshed by the page's poller; without JS by the refresh link) and the stop button.
        private func progressCard() -> Body {
            let t = req.t
            let s = model.scan
            let progress = model.job?.progress ?? 0
            let canStop = Policy.can(model.subject, .runNetworkScan, .owned(agencyId: s.agencyId))
            return .el("section", ["class": "card", "id": "scan-progress", "data-poll": SiteURL.scans(.state(.value(s.id!))).path], [
                .el("h2", [:], [.txt(t("scans.progressTitle"))]),
                .el("progress", ["max": "100", "value": String(progress), "id": "scan-progress-bar"], [.txt("\(progress)%")]),
                .el("p", ["id": "scan-progress-note", "role": "status"], [.txt("\(progress)% · \(model.job?.progressNote ?? t("scans.waiting"))")]),
                .el("div", ["class": "buttons"], [
                    .link(SiteURL.scans(.show(.value(s.id!))).path, t("scans.refresh"), id: "scan-refresh", cls: "button"),
                    canStop ? Forms.postButton(req, action: SiteURL.scans(.cancel(.value(s.id!))).path, label: t("scans.stop"), id: "scan-stop",
                                               cls: "danger", confirm: t("scans.stopConfirm")) : .empty,
                ]),
            ])
        }

        private func hostRow(_ h: ScanHostEntry, checkbox: Body?) -> Body {
            let t = req.t
            var cells: [Body] = []
            if let checkbox { cells.append(.el("td", [:], [checkbox])) }
            cells += [
                .el("td", [:], [.txt(h.address)]),
                .el("td", [:], [.txt(h.hostname ?? "")]),
                .el("td", [:], [.txt(h.state.map { t("scans.hostState.\($0)") } ?? "—")]),
                .el("td", [:], [h.inScope ? .el("span", ["class": "badge ok"], [.txt(t(h.network ? "scans.declared" : "scans.artefact"))])
                                          : .el("span", ["class": "badge danger"], [.txt(t("scans.notDeclared"))])]),
                .el("td", [:], [.txt(String(h.findings))]),
            ]
            return .el("tr", [:], cells)
        }

        private func hostHead(withCheckbox: Bool) -> Body {
            let t = req.t
            let labels = (withCheckbox ? [t("scans.keep")] : []) + [t("scans.host"), t("scans.hostname"), t("scans.hostState"), t("scans.scope"), t("scans.findings")]
            return .el("thead", [:], [.el("tr", [:], labels.map { .el("th", ["scope": "col"], [.txt($0)]) })])
        }

        private func hostsCard() -> Body {
            let hosts = ScanImportService.decodeHosts(model.scan.hosts)
            let kept = Set((ScanImportService.decodeStrings(model.scan.keptHosts) ?? hosts.map(\.address)))
            let shown = hosts.prefix(2000)
            return .el("section", ["class": "card"], [
                .el("h2", [:], [.txt(req.t("scans.hostsTitle", String(hosts.count)))]),
                .el("div", ["class": "table-wrap"], [
                    .el("table", ["id": "scan-hosts"], [
                        hostHead(withCheckbox: false),
                        .el("tbody", [:], shown.map { h in
                            var h = h
                            if !kept.contains(h.address) && h.network { h.inScope = false }
                            return hostRow(h, checkbox: nil)
                        }),
                    ]),
                ]),
                hosts.count > shown.count ? .el("p", ["class": "muted"], [.txt(req.t("scans.hostsCut", String(shown.count)))]) : .empty,
            ])
        }

        /// The report named hosts outside the system's addresses: the declared ones are checked, the others not; only
        /// the checked hosts' findings are imported.
        private func confirmCard() -> Body {
            let t = req.t
            let s = model.scan
            let hosts = ScanImportService.decodeHosts(s.hosts)
            let outside = hosts.filter { !$0.inScope }.count
            let canImport = Policy.can(model.subject, .recordAssessments, .owned(agencyId: s.agencyId))
            let rows: [Body] = hosts.map { h in
                hostRow(h, checkbox: canImport && h.network
                    ? .void("input", ["type": "checkbox", "name": "keep[]", "value": h.address, "checked": h.inScope ? "" : nil,
                                      "aria-label": t("scans.keepOne", h.address)])
                    : .txt(h.network ? "" : "✓"))
            }
            return .el("section", ["class": "card", "id": "confirm-hosts"], [
                .el("h2", [:], [.txt(t("scans.confirmTitle"))]),
                .el("p", ["class": "flash info", "id": "out-of-scope"], [.txt(t("scans.outOfScope", String(outside), String(hosts.count)))]),
                canImport ? Forms.post(req, action: SiteURL.scans(.confirm(.value(s.id!))).path, id: "confirm-form", [
                    .el("div", ["class": "table-wrap"], [.el("table", ["id": "scan-hosts"], [hostHead(withCheckbox: true), .el("tbody", [:], rows)])]),
                    errors["keepHosts"].map { .el("p", ["class": "error", "id": "keep-error"], [.txt(t($0))]) } ?? .empty,
                    Forms.select(name: "performerKind", label: t("scans.performerKind"),
                                 options: AssessmentPerformer.allCases.map { ($0.rawValue, $0.label.text(req.lang)) },
                                 selected: confirmInput.performerKind ?? s.performerKind ?? AssessmentPerformer.inHouse.rawValue,
                                 error: errors["performerKind"].map { t($0) }),
                    Forms.input(.init(name: "performer", label: t("scans.performer"), value: confirmInput.performer ?? s.performer,
                                      error: errors["performer"].map { t($0) }, hint: t("scans.performerHint"), maxLength: 300)),
                    .el("div", ["class": "actions"], [
                        .el("button", ["type": "submit", "name": "action", "value": "import", "class": "primary", "id": "confirm-import"],
                            [.txt(t("scans.confirmImport"))]),
                        .el("button", ["type": "submit", "name": "action", "value": "discard", "class": "danger", "id": "confirm-discard"],
                            [.txt(t("scans.discard"))]),
                    ]),
                ]) : .el("div", ["class": "table-wrap"], [.el("table", ["id": "scan-hosts"], [hostHead(withCheckbox: false), .el("tbody", [:], rows)])]),
            ])
        }
    }
}
