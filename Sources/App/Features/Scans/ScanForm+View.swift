import Foundation
import Domain
import Formats
import Plot
import Vapor

/// What the upload form shows again after a refusal.
struct ScanUploadForm: Content, Sendable {
    var systemId: String?
    var format: String?
    var performerKind: String?
    var performer: String?
}

/// `GET /scans/new?systemId=`: upload a scanner report to a system.
struct ScanFormView {
    let req: Request
    /// The system when it is fixed by the link; else a choice among `systems`.
    let system: InformationSystem?
    let systems: [InformationSystem]
    var input = ScanUploadForm()
    var errors: [String: String] = [:]
    /// The failed import a refused report was recorded as.
    var failed: ScanImport?

    func render() -> Page {
        let t = req.t
        let maxMB = req.application.config.maxUploadBytes / 1_048_576
        var page = Layout(req: req).page(title: t("scans.uploadTitle"), section: .proactive, content: [
            .el("p", ["class": "crumbs"], [
                .link(SiteURL.scans(.index).path, t("scans.title")),
                system.map { s in .group([.txt(" · "), .link(SiteURL.system(.value(s.id!)).path, "\(s.code) · \(s.name)")]) } ?? .empty,
            ]),
            .el("h1", [:], [.txt(t("scans.uploadTitle"))]),
            .el("p", ["class": "muted"], [.txt(t("scans.uploadIntro"))]),
            failed.map { f in
                .el("div", ["class": "flash error", "role": "alert", "id": "scan-error"], [
                    .txt(t("scans.failedWith", f.error ?? "")), .txt(" "),
                    .link(SiteURL.scans(.show(.value(f.id!))).path, t("scans.failedRecorded")),
                ])
            } ?? Forms.errorSummary(errors, t: t),
            Forms.multipart(req, action: SiteURL.scans(.new).path, id: "scan-form", [
                systemField(),
                Forms.fileInput(name: "file", label: t("scans.file"), error: errors["file"].map { t($0) },
                                hint: t("scans.fileHint", String(maxMB)), multiple: false,
                                accept: ".xml,.nessus,.json,.jsonl,.sarif,application/xml,application/json"),
                Forms.select(name: "format", label: t("scans.format"),
                             options: [("auto", t("scans.formatAuto"))] + ScannerFormat.allCases.map { ($0.rawValue, $0.displayName) },
                             selected: input.format ?? "auto", error: errors["format"].map { t($0) }),
                Forms.select(name: "performerKind", label: t("scans.performerKind"),
                             options: AssessmentPerformer.allCases.map { ($0.rawValue, $0.label.text(req.lang)) },
                             selected: input.performerKind ?? AssessmentPerformer.inHouse.rawValue, error: errors["performerKind"].map { t($0) }),
                Forms.input(.init(name: "performer", label: t("scans.performer"), value: input.performer, error: errors["performer"].map { t($0) },
                                  hint: t("scans.performerHint"), maxLength: 300)),
                Forms.submit(t("scans.uploadSubmit"), id: "upload-scan"),
            ]),
        ])
        page.status = errors.isEmpty && failed == nil ? .ok : .unprocessableEntity
        return page
    }

    private func systemField() -> Body {
        let t = req.t
        if let system {
            return .void("input", ["type": "hidden", "name": "systemId", "value": system.id!.uuidString.lowercased()])
        }
        return Forms.select(name: "systemId", label: t("scans.system"), options: systems.map { ($0.id!.uuidString.lowercased(), "\($0.code) · \($0.name)") },
                            selected: input.systemId?.lowercased(), error: errors["systemId"].map { t($0) }, required: true, includeBlank: "—")
    }
}

/// `GET /scans/nmap?systemId=`: the built-in network scan of a system's declared addresses.
struct NetworkScanFormView {
    let req: Request
    let system: InformationSystem?
    let systems: [InformationSystem]
    var input = NetworkScan.Input()
    var errors: [String: String] = [:]
    let nmapAvailable: Bool

    func render() -> Page {
        let t = req.t
        var content: [Body] = [
            .el("p", ["class": "crumbs"], [
                .link(SiteURL.scans(.index).path, t("scans.title")),
                system.map { s in .group([.txt(" · "), .link(SiteURL.system(.value(s.id!)).path, "\(s.code) · \(s.name)")]) } ?? .empty,
            ]),
            .el("h1", [:], [.txt(t("scans.nmapTitle"))]),
            .el("p", ["class": "muted"], [.txt(t("scans.nmapIntro"))]),
        ]
        if !nmapAvailable {
            content.append(.el("div", ["class": "flash error", "role": "alert", "id": "nmap-missing"], [.txt(t("scans.nmapMissing"))]))
        }
        content.append(Forms.errorSummary(errors, t: t))
        guard let system else {
            content.append(.el("form", ["method": "get", "action": SiteURL.scans(.nmap).path, "id": "nmap-system"], [
                Forms.select(name: "systemId", label: t("scans.system"), options: systems.map { ($0.id!.uuidString.lowercased(), "\($0.code) · \($0.name)") },
                             selected: nil, error: errors["systemId"].map { t($0) }, required: true, includeBlank: "—"),
                Forms.submit(t("scans.nmapChooseSystem"), id: "choose-system"),
            ]))
            var page = Layout(req: req).page(title: t("scans.nmapTitle"), section: .proactive, content: content)
            page.status = errors.isEmpty ? .ok : .unprocessableEntity
            return page
        }
        let declared = DeclaredAddresses(networkAddresses: system.networkAddresses, domains: system.domains, urls: system.urls)
        let chosen = Set(input.targets ?? [])
        let targetRows: [Body] = declared.entries.map { entry in
            let tooLarge = entry.addressCount > DeclaredAddresses.maxScanAddresses
            return .el("label", ["class": "check"], [
                .void("input", ["type": "checkbox", "name": "targets[]", "value": entry.text, "checked": chosen.contains(entry.text) ? "" : nil,
                                "disabled": tooLarge ? "" : nil]),
                .txt(" " + entry.text),
                tooLarge ? .el("span", ["class": "muted small"], [.txt(" — " + t("scans.targetTooLargeNote", String(DeclaredAddresses.maxIPv4Prefix)))]) : .empty,
            ])
        }
        let ports = input.ports ?? "top100"
        content.append(Forms.post(req, action: SiteURL.scans(.nmap).path, id: "nmap-form", [
            .void("input", ["type": "hidden", "name": "systemId", "value": system.id!.uuidString.lowercased()]),
            declared.isEmpty
                ? .el("p", ["class": "flash error", "id": "no-addresses"], [.txt(t("scans.noDeclaredAddresses"))])
                : .el("fieldset", ["class": errors["targets"] == nil ? "field checks" : "field checks invalid", "id": "targets"], [
                    .el("legend", [:], [.txt(t("scans.targets"))]),
                    .group(targetRows),
                    .el("p", ["class": "hint"], [.txt(t("scans.targetsHint"))]),
                    errors["targets"].map { .el("p", ["class": "error", "id": "targets-error"], [.txt(t($0))]) } ?? .empty,
                ]),
            .el("fieldset", ["class": "field checks", "id": "ports"], [
                .el("legend", [:], [.txt(t("scans.ports"))]),
                radio("top100", t("scans.portsTop100"), checked: ports == "top100"),
                radio("top1000", t("scans.portsTop1000"), checked: ports == "top1000"),
                radio("list", t("scans.portsList"), checked: ports == "list"),
                Forms.input(.init(name: "portList", label: t("scans.portList"), value: input.portList, error: (errors["portList"] ?? errors["ports"]).map { t($0) },
                                  hint: t("scans.portListHint"), maxLength: 1000, placeholder: "22,80,443,8000-8100")),
            ]),
            Forms.submit(t("scans.nmapStart"), id: "start-nmap"),
        ]))
        var page = Layout(req: req).page(title: t("scans.nmapTitle"), section: .proactive, content: content)
        page.status = errors.isEmpty ? .ok : .unprocessableEntity
        return page
    }

    private func radio(_ value: String, _ label: String, checked: Bool) -> Body {
        .el("label", ["class": "check"], [
            .void("input", ["type": "radio", "name": "ports", "value": value, "checked": checked ? "" : nil]),
            .txt(" " + label),
        ])
    }
}
