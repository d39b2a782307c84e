import Domain
import Foundation

/// One NVD CVE record (CVE API 2.0): what it affects, as an `Advisory`, and what describes it.
public struct NVDCVERecord: Sendable, Hashable {
    public var id: String
    public var sourceIdentifier: String?
    /// "Analyzed", "Modified", "Awaiting Analysis", "Rejected", …
    public var vulnStatus: String?
    public var published: Date?
    public var lastModified: Date?
    /// The English description (else the first one).
    public var description: String?
    /// The preferred score (`CVSSScore.best`) of `scores`.
    public var score: CVSSScore?
    /// Every score of cvssMetricV40, V31, V30 and V2.
    public var scores: [CVSSScore]
    /// `CWE-352`, …, deduplicated, without NVD's `NVD-CWE-noinfo` and `NVD-CWE-Other`.
    public var weaknesses: [String]
    public var references: [AdvisoryReference]
    /// Date CISA added the CVE to its Known Exploited Vulnerabilities catalogue, when it has.
    public var knownExploitedSince: Date?
    public var advisory: Advisory
}

/// Reads NVD CVE JSON 2.0 records: from a Foundation value (an element of `vulnerabilities`,
/// `{"cve": {…}}`, as `JSONStreamReader` captures it, a bare `cve` object, or a vunnel snapshot
/// `{"item": {"cve": …}}`), or from the Data of a small file (one record or an API page).
/// Throws `AdvisoryReadError` naming the JSON path of what is wrong.
public enum NVDCVEReader {
    public static func record(_ value: Any, path: String = "$") throws -> NVDCVERecord {
        var node = JSONNode(value, path: path)
        if let item = try node.member("item"), try item.member("cve") != nil { node = item }
        let cve = try node.member("cve") ?? node
        return try read(cve)
    }

    /// Every record of a file: an API page (`vulnerabilities`), one record, or a bare `cve` object.
    public static func records(_ data: Data) throws -> [NVDCVERecord] {
        let root = JSONNode(try JSONNode.parse(data))
        if try root.member("vulnerabilities") != nil {
            return try root.array("vulnerabilities").map { try record($0.value, path: $0.path) }
        }
        return [try record(root.value)]
    }

    static func read(_ cve: JSONNode) throws -> NVDCVERecord {
        let id = try cve.requiredString("id").trimmingCharacters(in: .whitespaces)
        var descriptions: [(lang: String, text: String)] = []
        for d in try cve.array("descriptions") {
            descriptions.append((try d.string("lang") ?? "", try d.requiredString("value")))
        }
        let description = (descriptions.first { $0.lang.lowercased().hasPrefix("en") } ?? descriptions.first)?.text
        var scores: [CVSSScore] = []
        if let metrics = try cve.member("metrics") {
            for (key, version) in [("cvssMetricV40", "4.0"), ("cvssMetricV31", "3.1"), ("cvssMetricV30", "3.0"), ("cvssMetricV2", "2.0")] {
                for m in try metrics.array(key) {
                    let data = try m.required("cvssData")
                    guard let base = try data.number("baseScore") else { throw AdvisoryReadError(path: "\(data.path).baseScore", "is required") }
                    guard base.isFinite, (0...10).contains(base) else { throw AdvisoryReadError(path: "\(data.path).baseScore", "must be a CVSS score from 0 to 10") }
                    scores.append(CVSSScore(version: try data.string("version") ?? version, baseScore: base,
                                            vector: try data.string("vectorString"),
                                            severity: try data.string("baseSeverity") ?? m.string("baseSeverity"),
                                            source: try m.string("source"), primary: (try m.string("type")) != "Secondary"))
                }
            }
        }
        var weaknesses: [String] = []
        for w in try cve.array("weaknesses") {
            for d in try w.array("description") {
                let value = try d.requiredString("value").trimmingCharacters(in: .whitespaces)
                if value.hasPrefix("CWE-") && !weaknesses.contains(value) { weaknesses.append(value) }
            }
        }
        var references: [AdvisoryReference] = []
        for r in try cve.array("references") {
            references.append(AdvisoryReference(url: try r.requiredString("url"), source: try r.string("source"), tags: try r.strings("tags")))
        }
        var configurations: [AffectedConfiguration] = []
        for c in try cve.array("configurations") {
            configurations.append(try configuration(c))
        }
        let title = try cve.string("cisaVulnerabilityName") ?? description.map(Self.title) ?? id
        return NVDCVERecord(id: id, sourceIdentifier: try cve.string("sourceIdentifier"), vulnStatus: try cve.string("vulnStatus"),
                            published: try cve.date("published"), lastModified: try cve.date("lastModified"),
                            description: description, score: CVSSScore.best(scores), scores: scores, weaknesses: weaknesses,
                            references: references, knownExploitedSince: try cve.date("cisaExploitAdd"),
                            advisory: Advisory(id: id, title: title, cves: [id], configurations: configurations))
    }

    static func configuration(_ c: JSONNode) throws -> AffectedConfiguration {
        var nodes: [AffectedNode] = []
        for n in try c.array("nodes") {
            var criteria: [AffectedCriterion] = []
            for m in try n.array("cpeMatch") {
                let text = try m.requiredString("criteria")
                do {
                    criteria.append(try AffectedCriterion(
                        criteria: text,
                        versionStartIncluding: try m.string("versionStartIncluding"), versionStartExcluding: try m.string("versionStartExcluding"),
                        versionEndIncluding: try m.string("versionEndIncluding"), versionEndExcluding: try m.string("versionEndExcluding"),
                        vulnerable: try m.bool("vulnerable") ?? true, matchCriteriaId: try m.string("matchCriteriaId")))
                } catch let error as CPEParseError {
                    throw AdvisoryReadError(path: "\(m.path).criteria", error.description)
                }
            }
            nodes.append(AffectedNode(try op(n), negate: try n.bool("negate") ?? false, criteria: criteria))
        }
        return AffectedConfiguration(try op(c), nodes: nodes)
    }

    static func op(_ node: JSONNode) throws -> MatchOperator {
        guard let m = try node.member("operator") else { return .or }
        guard let op = MatchOperator(rawValue: try m.string().uppercased()) else { throw m.fail("expected \"AND\" or \"OR\"") }
        return op
    }

    /// The first sentence of a description, at most 160 characters.
    static func title(_ description: String) -> String {
        let text = description.trimmingCharacters(in: .whitespacesAndNewlines)
        var sentence = text
        if let r = text.range(of: ". ") { sentence = String(text[..<r.lowerBound]) }
        if sentence.count <= 160 { return sentence }
        return String(sentence.prefix(159)) + "…"
    }
}
