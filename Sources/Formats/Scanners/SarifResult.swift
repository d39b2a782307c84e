import Domain
import Foundation

/// One SARIF `result` made into a finding with its run's rules (see ``SarifReportReader`` for the rules).
enum SarifResult {
    static func finding(_ r: [String: Any], run: SarifRun, maxField: Int,
                        includeSuppressed: Bool) -> (finding: ScanFinding?, suppressed: Bool) {
        typealias F = JSONScanFields
        let kind = F.string(r["kind"])
        if kind == "pass" || kind == "notApplicable" { return (nil, false) }
        let suppressions = ((r["suppressions"] as? [Any]) ?? []).compactMap { $0 as? [String: Any] }
            .filter { F.string($0["state"]).map { $0 == "accepted" } ?? true }
        let suppressed = !suppressions.isEmpty
        if suppressed, !includeSuppressed { return (nil, true) }

        let rule = run.rule(for: r)
        let ruleID = F.string(r["ruleId"]) ?? F.string(F.object(r["rule"])?["id"]) ?? rule?.id
        let level = F.string(r["level"]) ?? (kind.map { $0 != "fail" } == true ? "none" : rule?.level ?? "warning")
        let properties = F.object(r["properties"]) ?? [:]
        let score = SarifRule.score(properties["security-severity"]) ?? rule?.securitySeverity
        let severity = score.map(FindingSeverity.fromCVSS) ?? levelSeverity(level)
        let message = text(F.object(r["message"]), rule: rule, run: run)

        var f = ScanFinding(title: rule?.title ?? message.map(SarifRule.firstLine) ?? ruleID ?? "SARIF result",
                            severity: severity)
        f.scannerId = ruleID
        f.description = rule?.fullDescription ?? F.cap(message, maxField)
        f.solution = rule?.help
        f.references = rule?.helpURI.map { [$0] } ?? []
        f.cwes = F.unique((rule?.cwes ?? []) + F.cwes(F.strings(properties["tags"]).filter { $0.lowercased().contains("cwe") }))
        f.cves = F.unique((rule?.cves ?? []) + F.cves(ruleID.map { [$0] } ?? []))
        f.host = run.host

        let first = (r["locations"] as? [Any])?.first as? [String: Any]
        let physical = F.object(first?["physicalLocation"])
        let region = F.object(physical?["region"])
        let uri = F.string(F.object(physical?["artifactLocation"])?["uri"])
            ?? F.string(F.object(r["analysisTarget"])?["uri"])
        let line = F.int(region?["startLine"])
        let logical = F.string(F.object((first?["logicalLocations"] as? [Any])?.first)?["fullyQualifiedName"])
        f.location = uri.map { uri in line.map { "\(uri):\($0)" } ?? uri } ?? logical

        var evidence: [String] = []
        if suppressed {
            let kinds = F.unique(suppressions.compactMap { F.string($0["kind"]) })
            evidence.append("Suppressed" + (kinds.isEmpty ? "" : " (\(kinds.joined(separator: ", ")))"))
        }
        if let message { evidence.append(message) }
        if let snippet = F.string(F.object(region?["snippet"])?["text"]) { evidence.append(snippet) }
        f.evidence = F.cap(evidence.isEmpty ? nil : evidence.joined(separator: "\n\n"), maxField)
        return (f, suppressed)
    }

    static func levelSeverity(_ level: String) -> FindingSeverity {
        switch level {
        case "error": .high
        case "warning": .medium
        case "note": .low
        default: .info
        }
    }

    /// A message's text: `text` (or `markdown`), else the rule's or run's message string `id`, with its
    /// `{0}`-style placeholders filled from `arguments`.
    static func text(_ message: [String: Any]?, rule: SarifRule?, run: SarifRun) -> String? {
        guard let message else { return nil }
        let arguments = JSONScanFields.strings(message["arguments"])
        let template = JSONScanFields.string(message["text"]) ?? JSONScanFields.string(message["markdown"])
            ?? JSONScanFields.string(message["id"]).flatMap { rule?.messages[$0] ?? run.globalMessages[$0] }
        return template.map { fill($0, arguments) }
    }

    /// Replaces `{n}` with `arguments[n]`; `{{` and `}}` stand for braces (SARIF §3.11.5).
    static func fill(_ template: String, _ arguments: [String]) -> String {
        guard template.contains("{") || template.contains("}") else { return template }
        var out = ""
        var chars = template[...]
        while let c = chars.popFirst() {
            if c == "{", chars.first == "{" { chars.removeFirst(); out.append("{"); continue }
            if c == "}", chars.first == "}" { chars.removeFirst(); out.append("}"); continue }
            if c == "{", let close = chars.firstIndex(of: "}"), let n = Int(chars[..<close]), n >= 0, n < arguments.count {
                out += arguments[n]
                chars = chars[chars.index(after: close)...]
                continue
            }
            out.append(c)
        }
        return out
    }
}
