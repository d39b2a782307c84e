import Foundation
import Domain
import Plot
import Vapor

/// The import form (a folder, or files and zips) and the page that reports an import.
struct RuleImportView {
    let req: Request
    var outcome: RuleImport.Outcome?
    var errors: [String: String] = [:]

    func render() -> Page {
        let t = req.t
        var content: [Body] = [
            .el("p", ["class": "crumbs"], [.link(SiteURL.sigmaRules(.index).path, t("sigmaRules.title"))]),
            .el("h1", [:], [.txt(t(outcome == nil ? "sigmaRules.importTitle" : "sigmaRules.importResult"))]),
            DetectionTabs.bar(.rules, req: req),
        ]
        if let outcome { content += result(outcome) }
        content.append(form())
        return Layout(req: req).page(title: t(outcome == nil ? "sigmaRules.importTitle" : "sigmaRules.importResult"), section: .detection, content: content)
    }

    private func form() -> Body {
        let t = req.t
        let limit = String(req.application.config.maxUploadBytes / 1_048_576)
        return .el("section", ["class": "card form"], [
            outcome == nil ? .el("p", [:], [.txt(t("sigmaRules.importIntro"))]) : .el("h2", [:], [.txt(t("sigmaRules.importMore"))]),
            Forms.multipart(req, action: SiteURL.sigmaRules(.importRules).path, id: "import-form", [
                Forms.errorSummary(errors, t: t),
                .el("div", ["class": errors["files"] == nil ? "field" : "field invalid"], [
                    .el("label", ["for": "folder"], [.txt(t("sigmaRules.importFolder"))]),
                    .void("input", ["type": "file", "id": "folder", "name": "files[]", "multiple": "", "webkitdirectory": "", "directory": ""]),
                    .el("p", ["class": "hint"], [.txt(t("sigmaRules.importFolderHint"))]),
                ]),
                .el("div", ["class": errors["files"] == nil ? "field" : "field invalid"], [
                    .el("label", ["for": "files"], [.txt(t("sigmaRules.importFiles"))]),
                    .void("input", ["type": "file", "id": "files", "name": "files[]", "multiple": "", "accept": ".yml,.yaml,.zip",
                                    "aria-invalid": errors["files"] == nil ? nil : "true",
                                    "aria-describedby": errors["files"] == nil ? "files-hint" : "files-hint files-error"]),
                    .el("p", ["class": "hint", "id": "files-hint"], [.txt(t("sigmaRules.importFilesHint", limit))]),
                    errors["files"].map { .el("p", ["class": "error", "id": "files-error"], [.txt(t($0))]) } ?? .empty,
                ]),
                Forms.submit(t("sigmaRules.importSubmit"), id: "import-submit"),
            ]),
        ])
    }

    private func result(_ o: RuleImport.Outcome) -> [Body] {
        let t = req.t
        func ruleList(_ lines: [RuleImport.Line], id: String) -> Body {
            .el("ul", ["id": id], lines.prefix(500).map { line in
                .el("li", [:], [.link(SiteURL.sigmaRules(.show(.value(line.id))).path, line.title), .el("span", ["class": "muted small"], [.txt(" · " + line.origin)])])
            } + (lines.count > 500 ? [.el("li", ["class": "muted"], [.txt(t("sigmaRules.andMore", String(lines.count - 500)))])] : []))
        }
        var out: [Body] = [
            .el("div", ["class": o.failures.isEmpty ? "flash success" : "flash info", "role": "status", "id": "import-summary"], [
                .el("p", [:], [.txt(t("sigmaRules.importSummary", String(o.created.count), String(o.updated.count), String(o.unchanged),
                                      String(o.unsupported.count), String(o.failures.count)))]),
                o.ignored > 0 ? .el("p", [:], [.txt(t("sigmaRules.importIgnored", String(o.ignored)))]) : .empty,
            ]),
        ]
        if !o.failures.isEmpty {
            out.append(.el("section", ["class": "card"], [
                .el("h2", [:], [.txt(t("sigmaRules.importFailures", String(o.failures.count)))]),
                .el("p", ["class": "hint"], [.txt(t("sigmaRules.importFailuresHint"))]),
                .el("div", ["class": "table-wrap"], [
                    .el("table", ["id": "import-failures"], [
                        .el("thead", [:], [.el("tr", [:], [t("sigmaRules.place"), t("sigmaRules.problem")].map { .el("th", ["scope": "col"], [.txt($0)]) })]),
                        .el("tbody", [:], o.failures.map { f in
                            .el("tr", [:], [.el("td", [:], [.el("code", [:], [.txt(f.place)])]), .el("td", [:], [.txt(f.message)])])
                        }),
                    ]),
                ]),
            ]))
        }
        if !o.unsupported.isEmpty {
            out.append(.el("section", ["class": "card"], [
                .el("h2", [:], [.txt(t("sigmaRules.importUnsupported", String(o.unsupported.count)))]),
                .el("p", ["class": "hint"], [.txt(t("sigmaRules.unsupportedExplained"))]),
                .el("div", ["class": "table-wrap"], [
                    .el("table", ["id": "import-unsupported"], [
                        .el("thead", [:], [.el("tr", [:], [t("sigmaRules.ruleTitle"), t("sigmaRules.origin"), t("sigmaRules.reason")]
                            .map { .el("th", ["scope": "col"], [.txt($0)]) })]),
                        .el("tbody", [:], o.unsupported.map { u in
                            .el("tr", [:], [
                                .el("td", [:], [.link(SiteURL.sigmaRules(.show(.value(u.line.id))).path, u.line.title)]),
                                .el("td", [:], [.el("code", [:], [.txt(u.line.origin)])]),
                                .el("td", [:], [.txt(u.reason)]),
                            ])
                        }),
                    ]),
                ]),
            ]))
        }
        if !o.created.isEmpty {
            out.append(.el("section", ["class": "card"], [.el("h2", [:], [.txt(t("sigmaRules.importCreated", String(o.created.count)))]),
                                                          ruleList(o.created, id: "import-created")]))
        }
        if !o.updated.isEmpty {
            out.append(.el("section", ["class": "card"], [.el("h2", [:], [.txt(t("sigmaRules.importUpdated", String(o.updated.count)))]),
                                                          ruleList(o.updated, id: "import-updated")]))
        }
        out.append(.el("p", [:], [.link(SiteURL.sigmaRules(.index).path, t("sigmaRules.backToRules"))]))
        return out
    }
}
