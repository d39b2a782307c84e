import Foundation
import Domain
import Formats

/// Pass 1 of an import: reads the whole report once, writing nothing. Tells the format from the content (and
/// checks the user's claim against it), validates every part of the report (a parse error names the format and
/// the place), and collects the report's facts and hosts with their number of findings.
struct ScanReportSurvey: Sendable {
    var info: ScanReportInfo
    /// Hosts in the order the report first names them (from host entries, or from findings when the format has none).
    var hosts: [ScanHostEntry]
    var findingCount: Int
    /// Findings that name no host (code scanners' results outside any artefact): always kept.
    var hostlessFindings: Int

    var format: ScannerFormat { info.format }

    /// Why a report was refused: the message names the format and the place.
    struct Failure: Error, Sendable {
        var format: ScannerFormat?
        var message: String
    }

    static func read(_ url: URL, claimed: ScannerFormat?, limits: ScanLimits = ScanLimits()) throws -> ScanReportSurvey {
        var survey = ScanReportSurvey(info: ScanReportInfo(format: claimed ?? .nmap), hosts: [], findingCount: 0, hostlessFindings: 0)
        var index: [String: Int] = [:]
        func host(_ key: String, make: () -> ScanHostEntry) -> Int {
            if let i = index[key] { return i }
            survey.hosts.append(make())
            index[key] = survey.hosts.count - 1
            return survey.hosts.count - 1
        }
        var detected = claimed
        do {
            let source = try ByteSource(url: url)
            // The format is told from the content; a claim that disagrees is refused, naming both.
            let (format, opened) = try ScanReports.reader(source: source, claimed: claimed, limits: limits)
            detected = format
            survey.info = ScanReportInfo(format: format)
            var reader = opened
            while let event = try reader.next() {
                switch event {
                case .info(let info):
                    survey.info.fillMissing(from: info)
                case .host(let h):
                    let key = ScanHostEntry.key(h.address)
                    let i = host(key) { ScanHostEntry(h) }
                    survey.hosts[i].fill(from: h)
                    if let name = h.hostname, !name.isEmpty { index[ScanHostEntry.key(name)] = index[ScanHostEntry.key(name)] ?? i }
                case .finding(let f):
                    survey.findingCount += 1
                    let key = ScanHostEntry.findingKey(f)
                    if key.isEmpty {
                        survey.hostlessFindings += 1
                    } else {
                        let i = host(key) { ScanHostEntry(address: f.host ?? f.hostname ?? key, hostname: f.host == nil ? nil : f.hostname) }
                        survey.hosts[i].findings += 1
                    }
                }
            }
        } catch let error as ScanParseError {
            throw Failure(format: error.format ?? detected, message: error.description)
        } catch {
            throw Failure(format: detected, message: (detected.map { "\($0.displayName): " } ?? "") + "the file cannot be read (\(error.localizedDescription))")
        }
        return survey
    }
}

/// A host of a report, stored (as JSON) on the import so the user can choose which to keep.
struct ScanHostEntry: Codable, Sendable, Equatable {
    var address: String
    var hostname: String?
    /// "up", "down" or nil.
    var state: String?
    /// False for artefacts (images, repositories, files): no address to check.
    var network: Bool
    var inScope: Bool
    var findings: Int

    init(address: String, hostname: String?, state: String? = nil, network: Bool? = nil) {
        self.address = address
        self.hostname = hostname
        self.state = state
        self.network = network ?? ScanHostEntry.looksNetwork(address)
        inScope = false
        findings = 0
    }

    init(_ host: ScanHost) {
        self.init(address: host.address, hostname: host.hostname, state: host.state, network: host.isNetwork)
    }

    mutating func fill(from host: ScanHost) {
        if hostname == nil || hostname?.isEmpty == true { hostname = host.hostname }
        if let s = host.state { state = s }
    }

    /// The normalised key of an address or name (as the fingerprint normalises hosts).
    static func key(_ text: String?) -> String { FindingFingerprint.normalisedHost(text) }

    /// The host a finding is on: its address, else its host name; empty when it names none.
    static func findingKey(_ f: ScanFinding) -> String {
        let address = key(f.host)
        return address.isEmpty ? key(f.hostname) : address
    }

    static func looksNetwork(_ text: String) -> Bool {
        DeclaredAddresses.entry(text).map { entry in
            if case .name(let name) = entry { return InventoryValidators.isDomain(name) }
            return true
        } ?? false
    }

    /// Whether the system declares this host (artefacts always count as declared: there is no address to check).
    func declared(by addresses: DeclaredAddresses) -> Bool {
        !network || addresses.covers(address) || hostname.map(addresses.covers) == true
    }

    /// Keys a finding may carry to belong to this host.
    var keys: [String] { [Self.key(address)] + (hostname.map { [Self.key($0)] } ?? []) }
}

extension ScanReportInfo {
    /// Later values fill what earlier ones left empty.
    mutating func fillMissing(from other: ScanReportInfo) {
        scannerName = scannerName ?? other.scannerName
        scannerVersion = scannerVersion ?? other.scannerVersion
        startedAt = startedAt ?? other.startedAt
        finishedAt = finishedAt ?? other.finishedAt
        arguments = arguments ?? other.arguments
        scannedPorts = scannedPorts ?? other.scannedPorts
    }
}
