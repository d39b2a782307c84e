import Domain
import Foundation

/// Reads a Nessus v2 report (`.nessus`, root `<NessusClientData_v2>`), one ReportHost at a time.
///
/// Yields `.info` before the first host (scanner "Nessus", the policy name as arguments) and at the end
/// (earliest host start, latest host end, the engine version from plugin 19506 "Nessus Scan Information");
/// a `.host` per ReportHost (host-ip, else its name; host-fqdn) and a `.finding` per ReportItem: severity
/// 0–4, plugin id and name, port (0 → none), service, CVEs, CWEs, CVSS v3 (else v2) vector and score,
/// synopsis and description, solution, plugin output as evidence, see-also links, CPE.
public struct NessusReportReader: ScanReportReader {
    private let xml: XMLPullReader
    private let limits: ScanLimits
    private var queue = EventQueue()
    private var info = ScanReportInfo(format: .nessus)
    private var sawRoot = false
    private var announcedInfo = false
    private var done = false

    public init(source: ByteSource, limits: ScanLimits = ScanLimits()) {
        xml = XMLPullReader(source: source, limits: limits, format: .nessus, skipsWhitespaceText: true)
        self.limits = limits
        info.scannerName = "Nessus"
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
            guard case .startElement(let name, let attributes) = event else { continue }
            guard sawRoot else {
                sawRoot = true
                guard name == "NessusClientData_v2" else {
                    throw ScanParseError(format: .nessus, location: xml.tagLocation, message:
                        "expected a Nessus v2 report (root element <NessusClientData_v2>), found <\(name)>")
                }
                continue
            }
            switch name {
            case "policyName" where xml.path.suffix(2) == ["Policy", "policyName"]:
                info.arguments = ScanText.nonEmpty(try xml.readText(maxBytes: 1024)).map { "policy: \($0)" }
            case "ReportHost":
                if !announcedInfo {
                    announcedInfo = true
                    queue.push(.info(info))
                }
                try readReportHost(name: attributes.value("name"))
            default:
                break
            }
        }
    }

    // MARK: - Hosts

    private struct Host {
        var name: String?
        var ip: String?
        var fqdn: String?
        var announced = false
        /// HOST_START / HOST_END, epoch first (the text form's zone is unknown).
        var start: (epoch: Date?, text: Date?)
        var end: (epoch: Date?, text: Date?)

        var address: String? { ip ?? name }
        var hostname: String? { fqdn ?? (name != address ? name : nil) }
    }

    private mutating func readReportHost(name: String?) throws {
        let hostDepth = xml.depth
        var host = Host(name: ScanText.nonEmpty(name).map { ScanText.capped($0, maxBytes: ScanText.maxHostBytes) })
        while let event = try xml.next() {
            switch event {
            case .startElement("tag", let attributes) where xml.path.suffix(2) == ["HostProperties", "tag"]:
                try readHostProperty(attributes.value("name") ?? "", into: &host)
            case .startElement("ReportItem", let attributes):
                announce(&host)
                try readItem(attributes, host: host)
            case .endElement("HostProperties"):
                announce(&host)
            case .endElement:
                if xml.depth < hostDepth {
                    announce(&host)
                    if let start = host.start.epoch ?? host.start.text, info.startedAt.map({ start < $0 }) ?? true {
                        info.startedAt = start
                    }
                    if let end = host.end.epoch ?? host.end.text, info.finishedAt.map({ end > $0 }) ?? true {
                        info.finishedAt = end
                    }
                    return
                }
            default:
                break
            }
        }
    }

    private mutating func readHostProperty(_ name: String, into host: inout Host) throws {
        switch name {
        case "host-ip": host.ip = ScanText.nonEmpty(try xml.readText(maxBytes: 256))
        case "host-fqdn": host.fqdn = ScanText.nonEmpty(try xml.readText(maxBytes: 1024))
        case "HOST_START_TIMESTAMP": host.start.epoch = Self.date(try xml.readText(maxBytes: 64))
        case "HOST_START": host.start.text = Self.date(try xml.readText(maxBytes: 64))
        case "HOST_END_TIMESTAMP": host.end.epoch = Self.date(try xml.readText(maxBytes: 64))
        case "HOST_END": host.end.text = Self.date(try xml.readText(maxBytes: 64))
        default:
            try xml.skipElement()
        }
    }

    private mutating func announce(_ host: inout Host) {
        guard !host.announced, let address = host.address else { return }
        host.announced = true
        queue.push(.host(ScanHost(address: address, hostname: host.hostname)))
    }

    // MARK: - Items

    private struct Item {
        var description: String?
        var synopsis: String?
        var solution: String?
        var output: String?
        var pluginName: String?
        var riskFactor: String?
        var cvss3Vector: String?
        var cvss3Score: Double?
        var cvss2Vector: String?
        var cvss2Score: Double?
        var cves: [String] = []
        var cwes: [String] = []
        var references: [String] = []
        var cpe: String?
    }

    private mutating func readItem(_ attributes: [XMLAttribute], host: Host) throws {
        let itemDepth = xml.depth
        let field = limits.maxFieldBytes
        var item = Item()
        while let event = try xml.next() {
            guard case .startElement(let name, _) = event else {
                if case .endElement = event, xml.depth < itemDepth { break }
                continue
            }
            switch name {
            case "description": item.description = try Self.paragraph(xml.readText(maxBytes: field))
            case "synopsis": item.synopsis = try Self.paragraph(xml.readText(maxBytes: field))
            case "solution": item.solution = try Self.paragraph(xml.readText(maxBytes: field))
            case "plugin_output": item.output = try Self.paragraph(xml.readText(maxBytes: field))
            case "plugin_name": item.pluginName = ScanText.nonEmpty(try xml.readText(maxBytes: 4096))
            case "risk_factor": item.riskFactor = try xml.readText(maxBytes: 64)
            case "cvss3_vector": item.cvss3Vector = ScanText.nonEmpty(try xml.readText(maxBytes: 256))
            case "cvss3_base_score": item.cvss3Score = ScanText.score(try xml.readText(maxBytes: 64))
            case "cvss_vector": item.cvss2Vector = ScanText.nonEmpty(try xml.readText(maxBytes: 256))
            case "cvss_base_score": item.cvss2Score = ScanText.score(try xml.readText(maxBytes: 64))
            case "cve":
                if let cve = ScanText.normalizedCVE(try xml.readText(maxBytes: 64)) { ScanText.appendUnique(cve, to: &item.cves) }
            case "cwe":
                if let cwe = ScanText.normalizedCWE(try xml.readText(maxBytes: 64)) { ScanText.appendUnique(cwe, to: &item.cwes) }
            case "xref":
                let xref = try xml.readText(maxBytes: 256)
                if xref.uppercased().hasPrefix("CWE:"), let cwe = ScanText.normalizedCWE(xref) {
                    ScanText.appendUnique(cwe, to: &item.cwes)
                }
            case "see_also":
                for link in try xml.readText(maxBytes: 1 << 16).split(whereSeparator: \.isNewline) {
                    if let link = ScanText.nonEmpty(String(link)) { ScanText.appendUnique(link, to: &item.references) }
                }
            case "cpe":
                let first = try xml.readText(maxBytes: 4096).split(whereSeparator: \.isWhitespace).first
                item.cpe = item.cpe ?? first.map { ScanText.cpe23(String($0)) }
            default:
                try xml.skipElement()
            }
        }
        let pluginID = attributes.value("pluginID")
        if pluginID == "19506", let output = item.output { info.scannerVersion = info.scannerVersion ?? Self.engineVersion(output) }
        queue.push(.finding(finding(attributes, item, pluginID: pluginID, host: host)))
    }

    private func finding(_ attributes: [XMLAttribute], _ item: Item, pluginID: String?, host: Host) -> ScanFinding {
        let hasV3 = item.cvss3Score != nil || item.cvss3Vector != nil
        let score = hasV3 ? item.cvss3Score : item.cvss2Score
        let severity = attributes.value("severity").flatMap(Int.init).flatMap(Self.severity)
            ?? item.riskFactor.flatMap(FindingSeverity.fromWord) ?? score.map(FindingSeverity.fromCVSS) ?? .info
        let title = ScanText.nonEmpty(attributes.value("pluginName")) ?? item.pluginName ?? "Nessus plugin \(pluginID ?? "?")"
        var finding = ScanFinding(title: ScanText.capped(title, maxBytes: ScanText.maxTitleBytes), severity: severity)
        finding.cvssScore = score
        finding.cvssVector = hasV3 ? item.cvss3Vector : item.cvss2Vector
        finding.cves = item.cves
        finding.cwes = item.cwes
        finding.host = host.address
        finding.hostname = host.hostname
        if let port = attributes.value("port").flatMap(Int.init), port > 0 {
            finding.port = port
            finding.proto = ScanText.nonEmpty(attributes.value("protocol"))?.lowercased()
        }
        let service = attributes.value("svc_name").map { $0.hasSuffix("?") ? String($0.dropLast()) : $0 }
        finding.service = service == "general" ? nil : ScanText.nonEmpty(service)
        finding.cpe = item.cpe
        finding.evidence = item.output
        let description = [item.synopsis, item.description].compactMap { $0 }.joined(separator: "\n\n")
        finding.description = description.isEmpty ? nil : ScanText.capped(description, maxBytes: limits.maxFieldBytes)
        finding.solution = item.solution == "n/a" ? nil : item.solution
        finding.references = item.references
        finding.scannerId = pluginID
        return finding
    }

    private static func paragraph(_ text: String) -> String? {
        ScanText.nonEmpty(ScanText.dedented(text))
    }

    private static func severity(_ level: Int) -> FindingSeverity? {
        let levels: [FindingSeverity] = [.info, .low, .medium, .high, .critical]
        return levels.indices.contains(level) ? levels[level] : nil
    }

    /// "Nessus version : 10.1.1" in the output of plugin 19506.
    private static func engineVersion(_ output: String) -> String? {
        for line in output.split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, ScanText.trimmed(parts[0]) == "Nessus version" {
                return ScanText.nonEmpty(String(parts[1]))
            }
        }
        return nil
    }

    /// An epoch (HOST_START_TIMESTAMP) or "Wed Mar 23 14:31:51 2022" (HOST_START, taken as UTC: the
    /// report does not say which zone the scanner used).
    static func date(_ text: String) -> Date? {
        if let seconds = TimeInterval(text), seconds > 0 { return Date(timeIntervalSince1970: seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE MMM d HH:mm:ss yyyy"
        return formatter.date(from: text.split(whereSeparator: \.isWhitespace).joined(separator: " "))
    }
}
