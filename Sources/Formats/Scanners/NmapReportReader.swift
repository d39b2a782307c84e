import Domain
import Foundation

/// Reads nmap XML (`-oX`), one host at a time.
///
/// Yields `.info` at `<nmaprun>` (scanner, version, start, command line) and again at the end with the
/// finish time; per `<host>` a `.host` (IPv4/IPv6 address preferred over MAC, first host name, status),
/// then for each open port an info finding ("Open port 443/tcp: http (nginx 1.18.0)") whose evidence is
/// the port's NSE script output, and for each CVE the `vulners` script lists a finding with its CVSS
/// score. Host scripts become info findings without a port. Closed and filtered ports are not findings.
public struct NmapReportReader: ScanReportReader {
    private let xml: XMLPullReader
    private let limits: ScanLimits
    private var queue = EventQueue()
    private var info = ScanReportInfo(format: .nmap)
    private var sawRoot = false
    private var done = false

    // Caps on attribute text that is repeated in every finding of a port or host (a 10 MB product times
    // 100,000 vulners CVEs would otherwise be a petabyte of titles).
    static let maxServiceBytes = 256
    static let maxHostBytes = ScanText.maxHostBytes
    static let maxTitleBytes = ScanText.maxTitleBytes
    /// Vulners findings one port can produce; further CVEs are dropped (the port's evidence keeps the script output).
    static let maxVulnersFindingsPerPort = 2_000

    public init(source: ByteSource, limits: ScanLimits = ScanLimits()) {
        xml = XMLPullReader(source: source, limits: limits, format: .nmap, skipsWhitespaceText: true)
        self.limits = limits
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
            if !sawRoot {
                sawRoot = true
                try readRoot(name, attributes)
                continue
            }
            switch name {
            case "host" where xml.depth == 2:
                try readHost()
            case "scaninfo" where xml.depth == 2:
                if let proto = attributes.value("protocol"), let services = attributes.value("services"),
                   (info.scannedPorts?.utf8.count ?? 0) + services.utf8.count < 65_536 {
                    info.scannedPorts = (info.scannedPorts.map { $0 + ";" } ?? "") + proto + ":" + services
                }
            case "finished" where xml.path.suffix(2) == ["runstats", "finished"]:
                info.finishedAt = Self.date(epoch: attributes.value("time"))
            default:
                break
            }
        }
    }

    private mutating func readRoot(_ name: String, _ attributes: [XMLAttribute]) throws {
        guard name == "nmaprun" else {
            throw ScanParseError(format: .nmap, location: xml.tagLocation,
                                 message: "expected an nmap XML report (root element <nmaprun>), found <\(name)>")
        }
        info.scannerName = attributes.value("scanner") ?? "nmap"
        info.scannerVersion = attributes.value("version")
        info.startedAt = Self.date(epoch: attributes.value("start"))
        info.arguments = attributes.value("args")
        queue.push(.info(info))
    }

    // MARK: - Hosts

    private struct Host {
        var ip: String?
        var mac: String?
        var hostname: String?
        var state: String?
        var announced = false

        var address: String? { ip ?? mac }
    }

    private mutating func readHost() throws {
        let hostDepth = xml.depth
        var host = Host()
        while let event = try xml.next() {
            switch event {
            case .startElement(let name, let attributes):
                switch name {
                case "status": host.state = attributes.value("state")
                case "address": Self.add(address: attributes, to: &host)
                case "hostname": host.hostname = host.hostname ?? Self.capped(attributes.value("name"), Self.maxHostBytes)
                case "port":
                    announce(&host)
                    try readPort(attributes, host: host)
                case "script" where xml.path.suffix(2) == ["hostscript", "script"]:
                    announce(&host)
                    try readHostScript(attributes, host: host)
                default: break
                }
            case .endElement:
                if xml.depth < hostDepth {
                    announce(&host)
                    return
                }
            case .text:
                break
            }
        }
    }

    private static func add(address attributes: [XMLAttribute], to host: inout Host) {
        guard let address = capped(attributes.value("addr"), maxHostBytes) else { return }
        switch attributes.value("addrtype") {
        case "ipv4", "ipv6": host.ip = host.ip ?? address
        default: host.mac = host.mac ?? address
        }
    }

    /// The host event goes out before the host's first finding (nmap writes addresses before ports).
    private mutating func announce(_ host: inout Host) {
        guard !host.announced, let address = host.address else { return }
        host.announced = true
        queue.push(.host(ScanHost(address: address, hostname: host.hostname, state: host.state)))
    }

    // MARK: - Ports

    private struct Vulnerability {
        var id = ""
        var type = ""
        var score: Double?
        var cpe: String?
    }

    private mutating func readPort(_ attributes: [XMLAttribute], host: Host) throws {
        let portDepth = xml.depth
        var finding = ScanFinding(title: "", severity: .info)
        finding.host = host.address
        finding.hostname = host.hostname
        finding.port = attributes.value("portid").flatMap { Int($0) }
        finding.proto = attributes.value("protocol")
        finding.scannerId = "open-port"
        var state: String?
        var evidence: [String] = []
        var vulnerabilities: [Vulnerability] = []
        var vulnersOutput: String?
        while let event = try xml.next() {
            guard case .startElement(let name, let attributes) = event else {
                if case .endElement = event, xml.depth < portDepth { break }
                continue
            }
            switch name {
            case "state":
                state = attributes.value("state")
            case "service":
                finding.service = Self.capped(attributes.value("name"), Self.maxServiceBytes)
                finding.product = Self.capped(attributes.value("product"), Self.maxServiceBytes)
                finding.version = Self.capped(attributes.value("version"), Self.maxServiceBytes)
            case "cpe" where xml.path.suffix(2) == ["service", "cpe"]:
                let cpe = try xml.readText(maxBytes: 1024)
                if finding.cpe == nil, !cpe.isEmpty { finding.cpe = ScanText.cpe23(cpe) }
            case "script":
                let id = ScanText.capped(attributes.value("id") ?? "script", maxBytes: Self.maxServiceBytes)
                let output = ScanText.capped(attributes.value("output") ?? "", maxBytes: limits.maxFieldBytes)
                evidence.append("\(id):\(output.hasPrefix("\n") ? "" : " ")\(output)")
                if id == "vulners" {
                    vulnersOutput = attributes.value("output") ?? ""
                    vulnerabilities += try readVulnersTables()
                }
            default:
                break
            }
        }
        guard state == "open" else { return }
        finding.title = Self.portTitle(finding)
        finding.evidence = evidence.isEmpty ? nil : ScanText.capped(evidence.joined(separator: "\n\n"), maxBytes: limits.maxFieldBytes)
        queue.push(.finding(finding))
        if vulnerabilities.isEmpty, let vulnersOutput { vulnerabilities = Self.vulnerabilities(inOutput: vulnersOutput) }
        var seen = Set<String>()
        for vulnerability in vulnerabilities where vulnerability.type == "cve" {
            guard seen.count < Self.maxVulnersFindingsPerPort else { break }
            guard let cve = ScanText.normalizedCVE(vulnerability.id), seen.insert(cve).inserted else { continue }
            queue.push(.finding(Self.cveFinding(cve, vulnerability, on: finding)))
        }
    }

    /// "Open port 443/tcp: http (nginx 1.18.0)".
    private static func portTitle(_ finding: ScanFinding) -> String {
        var title = "Open port \(finding.port.map(String.init) ?? "?")/\(finding.proto ?? "tcp")"
        if let service = finding.service { title += ": \(service)" }
        let software = [finding.product, finding.version].compactMap { $0 }.joined(separator: " ")
        if !software.isEmpty { title += finding.service == nil ? ": \(software)" : " (\(software))" }
        return ScanText.capped(title, maxBytes: maxTitleBytes)
    }

    private static func cveFinding(_ cve: String, _ vulnerability: Vulnerability, on port: ScanFinding) -> ScanFinding {
        let place = "\(port.port.map(String.init) ?? "?")/\(port.proto ?? "tcp")"
        let software = [port.product, port.version].compactMap { $0 }.joined(separator: " ")
        let title = "\(cve) on \(place)" + (software.isEmpty ? "" : " (\(software))")
        var finding = ScanFinding(title: ScanText.capped(title, maxBytes: maxTitleBytes),
                                  severity: vulnerability.score.map(FindingSeverity.fromCVSS) ?? .info)
        finding.cvssScore = vulnerability.score
        finding.cves = [cve]
        finding.host = port.host
        finding.hostname = port.hostname
        finding.port = port.port
        finding.proto = port.proto
        finding.service = port.service
        finding.product = port.product
        finding.version = port.version
        finding.cpe = vulnerability.cpe.map(ScanText.cpe23) ?? port.cpe
        finding.scannerId = "vulners"
        finding.references = ["https://vulners.com/cve/\(cve)"]
        finding.evidence = "vulners: \(cve)" + (vulnerability.score.map { " CVSS \($0)" } ?? "")
        return finding
    }

    /// The structured output of vulners: `<table key="cpe:/…"><table><elem key="id">…</elem>…</table></table>`.
    private mutating func readVulnersTables() throws -> [Vulnerability] {
        let scriptDepth = xml.depth
        var found: [Vulnerability] = []
        var cpe: String?
        var current: Vulnerability?
        while let event = try xml.next() {
            switch event {
            case .startElement("table", let attributes):
                if let key = attributes.value("key") { cpe = key } else { current = Vulnerability(cpe: cpe) }
            case .startElement("elem", let attributes):
                guard current != nil else { try xml.skipElement(); continue }
                let value = try xml.readText(maxBytes: 256)
                switch attributes.value("key") {
                case "id": current?.id = value
                case "type": current?.type = value
                case "cvss": current?.score = ScanText.score(value)
                default: break
                }
            case .endElement("table"):
                if let vulnerability = current { found.append(vulnerability); current = nil }
            case .endElement:
                if xml.depth < scriptDepth { return found }
            default:
                break
            }
        }
        return found
    }

    /// Older vulners versions only write text: "\tCVE-2018-15919\t5.0\thttps://…" lines under a CPE line.
    private static func vulnerabilities(inOutput output: String) -> [Vulnerability] {
        var found: [Vulnerability] = []
        var cpe: String?
        for line in output.split(separator: "\n") {
            let trimmed = ScanText.trimmed(line)
            if trimmed.hasPrefix("cpe:/"), trimmed.hasSuffix(":") { cpe = String(trimmed.dropLast()); continue }
            let fields = trimmed.split(separator: "\t").map(ScanText.trimmed)
            guard fields.count >= 2, ScanText.normalizedCVE(fields[0]) != nil else { continue }
            found.append(Vulnerability(id: fields[0], type: "cve", score: ScanText.score(fields[1]), cpe: cpe))
        }
        return found
    }

    private mutating func readHostScript(_ attributes: [XMLAttribute], host: Host) throws {
        let id = ScanText.capped(attributes.value("id") ?? "script", maxBytes: Self.maxServiceBytes)
        try xml.skipElement()
        var finding = ScanFinding(title: "nmap script \(id)", severity: .info)
        finding.host = host.address
        finding.hostname = host.hostname
        finding.scannerId = id
        finding.evidence = ScanText.nonEmpty(attributes.value("output")).map { ScanText.capped($0, maxBytes: limits.maxFieldBytes) }
        queue.push(.finding(finding))
    }

    /// Non-empty `text` cut to `maxBytes` of UTF-8.
    private static func capped(_ text: String?, _ maxBytes: Int) -> String? {
        ScanText.nonEmpty(text).map { ScanText.capped($0, maxBytes: maxBytes) }
    }

    static func date(epoch: String?) -> Date? {
        guard let epoch, let seconds = TimeInterval(epoch), seconds > 0 else { return nil }
        return Date(timeIntervalSince1970: seconds)
    }
}

/// Events decided together (a port and its CVEs) waiting to be handed out one by one.
struct EventQueue {
    private var events: [ScanReportEvent] = []
    private var head = 0

    mutating func push(_ event: ScanReportEvent) { events.append(event) }

    mutating func pop() -> ScanReportEvent? {
        guard head < events.count else {
            if head > 0 { events.removeAll(keepingCapacity: true); head = 0 }
            return nil
        }
        defer { head += 1 }
        return events[head]
    }
}
