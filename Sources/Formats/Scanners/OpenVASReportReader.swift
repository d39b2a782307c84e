import Domain
import Foundation

/// Reads an OpenVAS / Greenbone (GVM) XML report: `<report>`, possibly nested in another `<report>` or in
/// `<get_reports_response>`.
///
/// Yields `.info` before the first result (scan start, GMP/GVM version) and at the end (scan end); a
/// `.host` the first time an address appears (in a result or in the report's host list); a `.finding`
/// per `<results><result>`: threat → severity (Log → info; the score when there is no threat), score,
/// CVSS vector, NVT OID, CVE and URL references, the detection output as evidence, the NVT summary as
/// description and its solution.
public struct OpenVASReportReader: ScanReportReader {
    private let xml: XMLPullReader
    private let limits: ScanLimits
    private var queue = EventQueue()
    private var info = ScanReportInfo(format: .openvas)
    private var announcedHosts = Set<String>()
    private var sawRoot = false
    private var announcedInfo = false
    private var done = false

    public init(source: ByteSource, limits: ScanLimits = ScanLimits()) {
        xml = XMLPullReader(source: source, limits: limits, format: .openvas, skipsWhitespaceText: true)
        self.limits = limits
        info.scannerName = "OpenVAS/GVM"
    }

    public mutating func next() throws -> ScanReportEvent? {
        while true {
            if let event = queue.pop() { return event }
            if done { return nil }
            guard let event = try xml.next() else {
                done = true
                queue.push(.info(info))
                continue
            }
            guard case .startElement(let name, _) = event else { continue }
            guard sawRoot else {
                sawRoot = true
                guard name == "report" || name == "get_reports_response" else {
                    throw ScanParseError(format: .openvas, location: xml.tagLocation, message:
                        "expected an OpenVAS/GVM XML report (root element <report> or <get_reports_response>), found <\(name)>")
                }
                continue
            }
            let parent = xml.path.count >= 2 ? xml.path[xml.path.count - 2] : ""
            switch (parent, name) {
            case ("results", "result"):
                announceInfo()
                try readResult()
            case (_, "results"):
                announceInfo()
            case ("report", "host"):
                try readHostSummary()
            case ("report", "scan_start"):
                info.startedAt = Self.date(try xml.readText(maxBytes: 64))
            case ("report", "scan_end"):
                info.finishedAt = Self.date(try xml.readText(maxBytes: 64))
            case ("gmp", "version"):
                info.scannerVersion = ScanText.nonEmpty(try xml.readText(maxBytes: 64))
            default:
                break
            }
        }
    }

    private mutating func announceInfo() {
        guard !announcedInfo else { return }
        announcedInfo = true
        queue.push(.info(info))
    }

    private mutating func announce(_ address: String?, hostname: String?) {
        guard let address, announcedHosts.insert(address).inserted else { return }
        queue.push(.host(ScanHost(address: address, hostname: hostname)))
    }

    // MARK: - Results

    private struct Result {
        var name: String?
        var nvtName: String?
        var oid: String?
        var ip: String?
        var hostname: String?
        var port: String?
        var threat: String?
        var score: Double?
        var cvssBase: Double?
        var vector: String?
        var tags: [String: String] = [:]
        var solution: String?
        var evidence: String?
        var cves: [String] = []
        var references: [String] = []
    }

    private mutating func readResult() throws {
        let base = xml.depth
        var result = Result()
        while let event = try xml.next() {
            switch event {
            case .startElement(let name, let attributes):
                try read(name, attributes, level: xml.depth - base, into: &result)
            case .endElement:
                if xml.depth < base {
                    announce(result.ip, hostname: result.hostname)
                    queue.push(.finding(finding(from: result)))
                    return
                }
            case .text:
                break
            }
        }
    }

    /// One element inside `<result>`; `level` 1 is a child of the result, 2 a child of `<nvt>` ….
    private mutating func read(_ name: String, _ attributes: [XMLAttribute], level: Int, into result: inout Result) throws {
        let parent = xml.path[xml.path.count - 2]
        let field = limits.maxFieldBytes
        switch (level, parent, name) {
        case (1, _, "name"): result.name = ScanText.nonEmpty(try xml.readText(maxBytes: 4096))
        case (1, _, "host"): try readResultHost(into: &result)
        case (1, _, "port"): result.port = try xml.readText(maxBytes: 256)
        case (1, _, "nvt"): result.oid = ScanText.nonEmpty(attributes.value("oid"))
        case (1, _, "threat"): result.threat = try xml.readText(maxBytes: 64)
        case (1, _, "severity"): result.score = ScanText.score(try xml.readText(maxBytes: 64))
        case (1, _, "description"): result.evidence = ScanText.nonEmpty(try xml.readText(maxBytes: field))
        case (1, _, _): try xml.skipElement() // owner, qod, detection (holds nested results), notes …
        case (2, "nvt", "name"): result.nvtName = ScanText.nonEmpty(try xml.readText(maxBytes: 4096))
        case (2, "nvt", "cvss_base"): result.cvssBase = ScanText.score(try xml.readText(maxBytes: 64))
        case (2, "nvt", "tags"): result.tags = Self.tags(try xml.readText(maxBytes: max(field * 4, 1 << 16)))
        case (2, "nvt", "solution"): result.solution = ScanText.nonEmpty(try xml.readText(maxBytes: field))
        case (2, "nvt", "cve"): // GMP before 8 listed ids as text: "CVE-2011-3389, CVE-2015-0204" or "NOCVE"
            for id in try xml.readText(maxBytes: 1 << 16).split(separator: ",") {
                if let cve = ScanText.normalizedCVE(String(id)) { ScanText.appendUnique(cve, to: &result.cves) }
            }
        case (2, "nvt", "xref"): // … and references as "URL:https://…, CERT-BUND:…"
            for reference in try xml.readText(maxBytes: 1 << 16).split(separator: ",") {
                let text = ScanText.trimmed(reference)
                if text.hasPrefix("URL:") { ScanText.appendUnique(String(text.dropFirst(4)), to: &result.references) }
            }
        case (2, "nvt", "refs"), (2, "nvt", "severities"), (3, "severities", "severity"):
            break
        case (3, "refs", "ref"):
            guard let id = ScanText.nonEmpty(attributes.value("id")) else { break }
            switch attributes.value("type")?.lowercased() {
            case "cve": if let cve = ScanText.normalizedCVE(id) { ScanText.appendUnique(cve, to: &result.cves) }
            case "url": ScanText.appendUnique(id, to: &result.references)
            default: break
            }
        case (4, "severity", "value"):
            let vector = ScanText.nonEmpty(try xml.readText(maxBytes: 256))
            result.vector = result.vector ?? vector
        default:
            try xml.skipElement()
        }
    }

    /// `<host>10.0.0.5<asset asset_id="…"/><hostname>srv</hostname></host>`: the address is the host's own text.
    private func readResultHost(into result: inout Result) throws {
        let hostDepth = xml.depth
        var address = ""
        while let event = try xml.next() {
            switch event {
            case .text(let text) where xml.depth == hostDepth:
                if address.utf8.count < 1024 { address += text }
            case .startElement("hostname", _):
                result.hostname = ScanText.nonEmpty(try xml.readText(maxBytes: 1024))
            case .startElement:
                try xml.skipElement()
            case .endElement:
                if xml.depth < hostDepth {
                    result.ip = ScanText.nonEmpty(address)
                    return
                }
            default:
                break
            }
        }
    }

    private func finding(from result: Result) -> ScanFinding {
        let threatSeverity = result.threat.flatMap(FindingSeverity.fromWord)
        let score = result.score ?? result.cvssBase
        var finding = ScanFinding(title: ScanText.capped(result.name ?? result.nvtName ?? result.oid ?? "OpenVAS result", maxBytes: ScanText.maxTitleBytes),
                                  severity: threatSeverity ?? score.map(FindingSeverity.fromCVSS) ?? .info)
        finding.cvssScore = score
        finding.cvssVector = result.vector ?? ScanText.nonEmpty(result.tags["cvss_base_vector"])
        finding.cves = result.cves
        finding.host = result.ip
        finding.hostname = result.hostname
        let (port, proto) = result.port.map(ScanText.portAndProtocol) ?? (nil, nil)
        finding.port = port
        finding.proto = port == nil ? nil : proto
        finding.scannerId = result.oid
        finding.evidence = result.evidence
        finding.description = ScanText.nonEmpty(result.tags["summary"]).map { ScanText.capped($0, maxBytes: limits.maxFieldBytes) }
        finding.solution = result.solution
            ?? ScanText.nonEmpty(result.tags["solution"]).map { ScanText.capped($0, maxBytes: limits.maxFieldBytes) }
        finding.references = result.references
        return finding
    }

    /// "cvss_base_vector=AV:N/…|summary=…|solution=…"; a piece without `key=` continues the previous value.
    /// Split on UTF-8 bytes: tags are long, and Character-wise splitting cost more than tokenizing them.
    static func tags(_ text: String) -> [String: String] {
        var tags: [String: String] = [:]
        var last: String?
        for piece in text.utf8.split(separator: UInt8(ascii: "|"), omittingEmptySubsequences: false) {
            let equals = piece.firstIndex(of: UInt8(ascii: "="))
            if let equals, equals > piece.startIndex, piece[..<equals].allSatisfy(Self.isKeyByte) {
                let key = String(decoding: piece[..<equals], as: UTF8.self)
                tags[key] = String(decoding: piece[piece.index(after: equals)...], as: UTF8.self)
                last = key
            } else if let key = last {
                tags[key, default: ""] += "|" + String(decoding: piece, as: UTF8.self)
            }
        }
        return tags
    }

    private static func isKeyByte(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A || byte == 0x5F
    }

    // MARK: - Report host list

    /// `<host><ip>…</ip><start>…</start><detail><name>hostname</name><value>…</value></detail></host>`.
    private mutating func readHostSummary() throws {
        let hostDepth = xml.depth
        var ip: String?
        var hostname: String?
        var detailName: String?
        while let event = try xml.next() {
            switch event {
            case .startElement("ip", _) where xml.depth == hostDepth + 1:
                ip = ScanText.nonEmpty(try xml.readText(maxBytes: 1024))
            case .startElement("name", _) where xml.path.suffix(2) == ["detail", "name"]:
                detailName = try xml.readText(maxBytes: 256)
            case .startElement("value", _) where xml.path.suffix(2) == ["detail", "value"]:
                let value = try xml.readText(maxBytes: 1024)
                if detailName == "hostname", hostname == nil { hostname = ScanText.nonEmpty(value) }
            case .endElement:
                if xml.depth < hostDepth {
                    announce(ip, hostname: hostname)
                    return
                }
            default:
                break
            }
        }
    }

    static func date(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}
