import Domain
import Foundation

/// Scanner report formats UngCuu reads.
public enum ScannerFormat: String, Codable, Sendable, CaseIterable {
    case nmap, openvas, nessus, nuclei, trivy, sarif

    /// Human name used in messages ("nmap XML", "Nessus (.nessus)", …).
    public var displayName: String {
        switch self {
        case .nmap: "nmap XML"
        case .openvas: "OpenVAS/GVM XML"
        case .nessus: "Nessus (.nessus)"
        case .nuclei: "Nuclei JSON lines"
        case .trivy: "Trivy JSON"
        case .sarif: "SARIF 2.1"
        }
    }
}

/// One finding of any scanner, in the normalised shape findings are stored in.
public struct ScanFinding: Codable, Sendable, Equatable {
    public var title: String
    public var severity: FindingSeverity
    public var cvssVector: String?
    public var cvssScore: Double?
    /// Upper-cased `CVE-YYYY-N…` ids, deduplicated, in report order.
    public var cves: [String] = []
    /// `CWE-N` ids, deduplicated.
    public var cwes: [String] = []
    /// The address (IP) or, when the report has none, the host name / artefact the finding is on.
    public var host: String?
    public var hostname: String?
    public var port: Int?
    /// "tcp", "udp", "sctp"; nil when not a network finding.
    public var proto: String?
    public var service: String?
    public var product: String?
    public var version: String?
    public var cpe: String?
    /// Scanner output proving the finding (plugin output, matched-at, …), capped by the reader.
    public var evidence: String?
    public var solution: String?
    public var description: String?
    public var references: [String] = []
    /// The scanner's own id of the check: nmap script id, NVT OID, Nessus plugin id, Nuclei template id,
    /// Trivy vulnerability/misconfiguration id, SARIF rule id.
    public var scannerId: String?
    /// Where in an artefact (file:line, package name, target) for code and image scanners.
    public var location: String?

    public init(title: String, severity: FindingSeverity) {
        self.title = title
        self.severity = severity
    }
}

/// A host a report covers (scanned, up or down), used to check the report against a system's addresses.
public struct ScanHost: Codable, Sendable, Equatable, Hashable {
    /// IP address, else host name or artefact name (an image, a repository) for non-network scanners.
    public var address: String
    public var hostname: String?
    /// "up", "down" or nil when the format does not say.
    public var state: String?
    /// True when `address` is a network address (IPv4/IPv6) or a host name that a scope check applies to.
    public var isNetwork: Bool

    public init(address: String, hostname: String? = nil, state: String? = nil, isNetwork: Bool = true) {
        self.address = address
        self.hostname = hostname
        self.state = state
        self.isNetwork = isNetwork
    }
}

/// Facts about the report itself.
public struct ScanReportInfo: Codable, Sendable, Equatable {
    public var format: ScannerFormat
    public var scannerName: String?
    public var scannerVersion: String?
    public var startedAt: Date?
    public var finishedAt: Date?
    /// The command line or scan configuration, when the report records it.
    public var arguments: String?
    /// The ports the scanner probed, as `tcp:1-1000,8080;udp:53` (nmap's `<scaninfo>`); nil when the report
    /// does not say. A rescan closes only findings on ports it probed.
    public var scannedPorts: String?

    /// Whether the report probed this port; true when it does not say which ports it probed.
    public func probed(port: Int?, proto: String?) -> Bool {
        guard let scannedPorts, let port else { return true }
        let wanted = (proto ?? "tcp").lowercased()
        for part in scannedPorts.split(separator: ";") {
            let pieces = part.split(separator: ":", maxSplits: 1)
            guard pieces.count == 2, pieces[0].lowercased() == wanted else { continue }
            for item in pieces[1].split(separator: ",") {
                let bounds = item.split(separator: "-", maxSplits: 1).compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
                if bounds.count == 1, bounds[0] == port { return true }
                if bounds.count == 2, bounds[0] <= port, port <= bounds[1] { return true }
            }
        }
        return false
    }

    public init(format: ScannerFormat) { self.format = format }
}

/// What a streaming report reader yields, in document order. `info` may come first or last, or both
/// (later values fill what earlier ones left empty).
public enum ScanReportEvent: Sendable, Equatable {
    case info(ScanReportInfo)
    case host(ScanHost)
    case finding(ScanFinding)
}

/// A report reader: pulls events from the file a little at a time, so memory stays bounded
/// whatever the report's size.
public protocol ScanReportReader {
    /// nil at the end of the report. Throws ``ScanParseError`` on malformed input.
    mutating func next() throws -> ScanReportEvent?
}

/// Why a report could not be read: names the format and where.
public struct ScanParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var format: ScannerFormat?
    /// "line 12, column 4", "byte 1048576", "line 7 of the JSON lines", "$.Results[3].Vulnerabilities[0].Severity".
    public var location: String?
    public var message: String

    public init(format: ScannerFormat?, location: String?, message: String) {
        self.format = format
        self.location = location
        self.message = message
    }

    public var description: String {
        var s = format.map { "\($0.displayName): " } ?? ""
        if let location { s += "\(location): " }
        return s + message
    }
}

/// Bounds a reader enforces on hostile input.
public struct ScanLimits: Sendable, Equatable {
    /// Deepest element/array/object nesting.
    public var maxDepth: Int = 256
    /// Longest single text node, attribute value, JSON string or JSON line, in bytes.
    public var maxTokenBytes: Int = 16 << 20
    /// Longest evidence/description kept per finding (longer is cut, with "…").
    public var maxFieldBytes: Int = 64 << 10
    /// Most attributes on one XML element.
    public var maxAttributes: Int = 256

    public init() {}
}
