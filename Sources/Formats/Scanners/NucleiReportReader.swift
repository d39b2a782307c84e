import Domain
import Foundation

/// Reads Nuclei's JSON output (`-jsonl`, one result object per line) a result at a time. Also accepted: whitespace-
/// separated pretty-printed objects, and files holding arrays of result objects (`-json-export`), in any mix.
/// Old (`templateID`, `matched`, `extracted_results`) and new (`template-id`, `matched-at`, …) field names are read.
///
/// Events: an `info` first; a `host` before the first finding on each host (the IP, else the host name); the
/// findings; a last `info` with the earliest and latest result timestamps. Errors name the line ("line 7 of the
/// JSON lines"). A top-level value that is not an object, or an object with neither a template id nor `info`,
/// is an error: the file is probably not Nuclei output.
public struct NucleiReportReader: ScanReportReader {
    private let json: JSONStreamReader
    private let limits: ScanLimits
    private var pending: [ScanReportEvent] = []
    private var phase = Phase.start
    private var hosts = Set<String>()
    private var earliest: Date?
    private var latest: Date?

    private enum Phase { case start, values, array, done }

    public init(source: ByteSource, limits: ScanLimits = ScanLimits()) {
        self.limits = limits
        json = JSONStreamReader(source: source, limits: limits, format: .nuclei, allowsMultipleValues: true)
        json.lineLabel = " of the JSON lines"
    }

    public mutating func next() throws -> ScanReportEvent? {
        while true {
            if !pending.isEmpty { return pending.removeFirst() }
            switch phase {
            case .start:
                var info = ScanReportInfo(format: .nuclei)
                info.scannerName = "Nuclei"
                pending.append(.info(info))
                phase = .values
            case .values:
                switch try json.peekKind() {
                case nil:
                    phase = .done
                    if earliest != nil {
                        var info = ScanReportInfo(format: .nuclei)
                        info.startedAt = earliest
                        info.finishedAt = latest
                        return .info(info)
                    }
                case .object:
                    try read(line: json.line)
                case .array:
                    _ = try json.enterArray()
                    json.lineLabel = ""
                    phase = .array
                default:
                    throw error(line: json.line, "expected a Nuclei result object")
                }
            case .array:
                guard try json.nextElement() else {
                    json.lineLabel = " of the JSON lines"
                    phase = .values
                    continue
                }
                guard try json.peekKind() == .object else { throw json.error("expected a Nuclei result object") }
                try read(line: json.line)
            case .done:
                return nil
            }
        }
    }

    private func error(line: Int, _ message: String) -> ScanParseError {
        ScanParseError(format: .nuclei, location: "line \(line)\(json.lineLabel)", message: message)
    }

    private mutating func read(line: Int) throws {
        guard let object = try json.captureObject() else { return }
        let templateID = JSONScanFields.string(object["template-id"]) ?? JSONScanFields.string(object["templateID"])
        guard templateID != nil || object["info"] is [String: Any] else {
            throw error(line: line, "not a Nuclei result: no template-id and no info")
        }
        let finding = finding(object, templateID: templateID)
        if let address = finding.host, hosts.insert(address).inserted {
            pending.append(.host(ScanHost(address: address, hostname: finding.hostname)))
        }
        pending.append(.finding(finding))
        if let date = JSONScanFields.date(object["timestamp"]) {
            earliest = min(earliest ?? date, date)
            latest = max(latest ?? date, date)
        }
    }

    private func finding(_ o: [String: Any], templateID: String?) -> ScanFinding {
        typealias F = JSONScanFields
        let info = F.object(o["info"]) ?? [:]
        let classification = F.object(info["classification"]) ?? [:]
        let score = F.double(classification["cvss-score"])
        let severity = F.string(info["severity"]).flatMap(FindingSeverity.fromWord)
            ?? score.map(FindingSeverity.fromCVSS) ?? .info
        var f = ScanFinding(title: ScanText.capped(F.string(info["name"]) ?? templateID ?? "Nuclei result", maxBytes: ScanText.maxTitleBytes), severity: severity)
        f.scannerId = templateID
        f.cves = F.cves(F.strings(classification["cve-id"]))
        f.cwes = F.cwes(F.strings(classification["cwe-id"]))
        f.cvssVector = F.string(classification["cvss-metrics"])
        f.cvssScore = score
        f.cpe = F.string(classification["cpe"])
        f.references = F.urls(info["reference"])
        f.solution = F.cap(F.string(info["remediation"]), limits.maxFieldBytes)
        var description = F.string(info["description"])
        if let impact = F.string(info["impact"]) {
            description = (description.map { $0 + "\n\n" } ?? "") + "Impact: " + impact
        }
        f.description = F.cap(description, limits.maxFieldBytes)

        let matched = F.string(o["matched-at"]) ?? F.string(o["matched"])
        // matched-at is the most specific ("h:22" for a network check where host is "https://h").
        let target = [matched, F.string(o["host"]), F.string(o["url"])].compactMap { $0 }.lazy
            .compactMap(NucleiTarget.init).first
        let ip = F.string(o["ip"])
        f.hostname = target?.host
        f.host = ip ?? target?.host
        f.port = F.int(o["port"]) ?? target?.port
        f.service = target?.scheme
        if f.port != nil { f.proto = "tcp" }
        f.location = matched

        var evidence: [String] = []
        if let matched { evidence.append("Matched at: \(matched)") }
        if let matcher = F.string(o["matcher-name"]) ?? F.string(o["matcher_name"]) { evidence.append("Matcher: \(matcher)") }
        let extracted = F.strings(o["extracted-results"]) + F.strings(o["extracted_results"])
        if !extracted.isEmpty { evidence.append("Extracted: " + extracted.joined(separator: ", ")) }
        if let type = F.string(o["type"]) { evidence.append("Type: \(type)") }
        if let timestamp = F.string(o["timestamp"]) { evidence.append("Time: \(timestamp)") }
        f.evidence = F.cap(evidence.isEmpty ? nil : evidence.joined(separator: "\n"), limits.maxFieldBytes)
        return f
    }
}

/// Host, port and scheme of a Nuclei target: "https://h:8443/p", "h:22", "h", or "/http://h/" (seen in output).
struct NucleiTarget {
    var host: String
    var port: Int?
    var scheme: String?

    init?(_ text: String) {
        var rest = Substring(text)
        if let sep = rest.range(of: "://") {
            let before = rest[..<sep.lowerBound]
            let schemeStart = before.lastIndex(where: { !($0.isLetter || $0.isNumber || "+.-".contains($0)) })
                .map { before.index(after: $0) } ?? before.startIndex
            let scheme = before[schemeStart...].lowercased()
            self.scheme = scheme.isEmpty ? nil : scheme
            rest = rest[sep.upperBound...]
        }
        var authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        var portText: Substring?
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() }
            authority = authority[authority.index(after: authority.startIndex)..<close]
        } else if let colon = authority.lastIndex(of: ":"), authority.firstIndex(of: ":") == colon {
            portText = authority[authority.index(after: colon)...]
            authority = authority[..<colon]
        }
        guard !authority.isEmpty, !authority.contains(" ") else { return nil }
        host = String(authority)
        port = portText.flatMap { Int($0) }.flatMap { (1...65535).contains($0) ? $0 : nil }
        if port == nil, portText == nil {
            port = scheme == "https" ? 443 : scheme == "http" ? 80 : nil
        }
    }
}
