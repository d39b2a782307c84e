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
        let message = text(F.object(r["message"]), rule: rule, run: run, maxBytes: maxField)

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
    /// `{0}`-style placeholders filled from `arguments`, cut to `maxBytes` of UTF-8.
    static func text(_ message: [String: Any]?, rule: SarifRule?, run: SarifRun, maxBytes: Int) -> String? {
        guard let message else { return nil }
        let arguments = JSONScanFields.strings(message["arguments"])
        let template = JSONScanFields.string(message["text"]) ?? JSONScanFields.string(message["markdown"])
            ?? JSONScanFields.string(message["id"]).flatMap { rule?.messages[$0] ?? run.globalMessages[$0] }
        return template.map { fill($0, arguments, maxBytes: maxBytes) }
    }

    /// Replaces `{n}` with `arguments[n]`; `{{` and `}}` stand for braces (SARIF §3.11.5).
    ///
    /// Hostile input is bounded: the output is built incrementally and stops (ending with "…") once it
    /// passes `maxBytes`, and a placeholder is only `{` + at most 9 digits + `}` — anything else is literal,
    /// so a `{a{a{a…` text without `}` stays linear.
    static func fill(_ template: String, _ arguments: [String], maxBytes: Int) -> String {
        guard template.contains("{") || template.contains("}") else { return ScanText.capped(template, maxBytes: maxBytes) }
        var out = ""
        var chars = template[...]
        while out.utf8.count <= maxBytes, let c = chars.popFirst() {
            if c == "{", chars.first == "{" { chars.removeFirst(); out.append("{"); continue }
            if c == "}", chars.first == "}" { chars.removeFirst(); out.append("}"); continue }
            if c == "{", let (n, rest) = placeholder(chars).map({ ($0.0, $0.1) }), n < arguments.count {
                let argument = arguments[n]
                let room = maxBytes - out.utf8.count
                // Past the room only a prefix matters: room + 1 characters are more than room bytes.
                if argument.utf8.count <= room { out += argument } else { out += argument.prefix(room + 1) }
                chars = rest
                continue
            }
            out.append(c)
        }
        return ScanText.capped(out, maxBytes: maxBytes)
    }

    /// The index of a `{n}` placeholder whose `{` was just read (1–9 ASCII digits then `}`), and the text after it.
    private static func placeholder(_ chars: Substring) -> (Int, Substring)? {
        var digits = 0
        var index = chars.startIndex
        while index < chars.endIndex, digits <= 9 {
            let c = chars[index]
            if c == "}" {
                guard digits > 0, let n = Int(chars[..<index]) else { return nil }
                return (n, chars[chars.index(after: index)...])
            }
            guard c.isASCII, c.isNumber else { return nil }
            digits += 1
            index = chars.index(after: index)
        }
        return nil
    }
}
