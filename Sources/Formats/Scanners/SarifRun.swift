import Domain
import Foundation

/// What a SARIF run says besides its results: tool, rules, repository, invocation. Kept compact (texts capped)
/// because it is held while the run's results stream.
struct SarifRun {
    var toolName: String?
    var toolVersion: String?
    var driverRules: [SarifRule] = []
    var extensionRules: [[SarifRule]] = []
    var rulesByID: [String: SarifRule] = [:]
    var globalMessages: [String: String] = [:]
    var repository: String?
    var workingDirectory: String?
    var sourceRoot: String?
    var startedAt: Date?
    var finishedAt: Date?
    var commandLine: String?

    /// The artefact the run is about: its repository, else the source root or working directory.
    var host: String? { repository ?? sourceRoot ?? workingDirectory }

    private(set) var ruleCount = 0

    mutating func add(_ rule: SarifRule, toExtension index: Int?) {
        ruleCount += 1
        if let index {
            while extensionRules.count <= index { extensionRules.append([]) }
            extensionRules[index].append(rule)
        } else {
            driverRules.append(rule)
        }
        if let id = rule.id, rulesByID[id] == nil { rulesByID[id] = rule }
    }

    /// The rule a result refers to, by `rule.toolComponent.index` + index, `ruleIndex`, then id (or its
    /// hierarchical parent: "C2001/subcheck" → "C2001").
    func rule(for result: [String: Any]) -> SarifRule? {
        typealias F = JSONScanFields
        let reference = F.object(result["rule"])
        let id = F.string(result["ruleId"]) ?? F.string(reference?["id"])
        let index = F.int(result["ruleIndex"]) ?? F.int(reference?["index"])
        let component = F.int(F.object(reference?["toolComponent"])?["index"])
        let list = component.map { $0 >= 0 && $0 < extensionRules.count ? extensionRules[$0] : [] } ?? driverRules
        if let index, index >= 0, index < list.count, id == nil || list[index].id == id { return list[index] }
        guard let id else { return nil }
        if let rule = rulesByID[id] { return rule }
        if let slash = id.firstIndex(of: "/") { return rulesByID[String(id[..<slash])] }
        return nil
    }
}

/// A SARIF `reportingDescriptor` reduced to what findings use.
struct SarifRule {
    var id: String?
    var title: String?
    var fullDescription: String?
    var help: String?
    var helpURI: String?
    /// `defaultConfiguration.level`.
    var level: String?
    /// `properties.security-severity` (a CVSS-like 0–10 score, as GitHub code scanning uses).
    var securitySeverity: Double?
    var cwes: [String] = []
    var cves: [String] = []
    var messages: [String: String] = [:]

    init(_ o: [String: Any], maxField: Int) {
        typealias F = JSONScanFields
        id = F.string(o["id"])
        let short = F.string(F.object(o["shortDescription"])?["text"])
        let full = F.string(F.object(o["fullDescription"])?["text"])
        title = short ?? F.string(o["name"]) ?? full.map(SarifRule.firstLine)
        fullDescription = F.cap(full ?? short, maxField)
        let helpObject = F.object(o["help"])
        help = F.cap(F.string(helpObject?["text"]) ?? F.string(helpObject?["markdown"]), maxField)
        helpURI = F.string(o["helpUri"])
        level = F.string(F.object(o["defaultConfiguration"])?["level"])
        let properties = F.object(o["properties"]) ?? [:]
        securitySeverity = SarifRule.score(properties["security-severity"])
        let tags = F.strings(properties["tags"])
        var cweTexts = tags.filter { $0.lowercased().contains("cwe") } + F.strings(properties["cwe"])
        for case let relation as [String: Any] in (o["relationships"] as? [Any]) ?? [] {
            let target = F.object(relation["target"])
            let component = F.string(F.object(target?["toolComponent"])?["name"])
            if let id = F.string(target?["id"]), component?.uppercased() == "CWE" || id.uppercased().hasPrefix("CWE") {
                cweTexts.append(id)
            }
        }
        cwes = F.cwes(cweTexts)
        cves = F.cves(tags.map { $0.split(separator: "/").last.map(String.init) ?? $0 } + (id.map { [$0] } ?? []))
        for (key, value) in F.object(o["messageStrings"]) ?? [:] {
            if let text = F.string(F.object(value)?["text"]) { messages[key] = F.cap(text, maxField) }
        }
    }

    /// A 0–10 score from a number or a numeric string.
    static func score(_ value: Any?) -> Double? {
        guard let score = JSONScanFields.double(value), score >= 0, score <= 10 else { return nil }
        return score
    }

    static func firstLine(_ text: String) -> String {
        let line = text.prefix { $0 != "\n" && $0 != "\r" }
        return JSONScanFields.cap(String(line), 300) ?? String(line)
    }
}
