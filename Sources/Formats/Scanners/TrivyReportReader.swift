import Domain
import Foundation

/// Reads Trivy JSON a finding at a time: schema 2 (`{"SchemaVersion": 2, "ArtifactName": …, "Results": […]}`),
/// the legacy top-level array of results (or `null`), and the Kubernetes cluster report (`{"ClusterName": …,
/// "Vulnerabilities"/"Misconfigurations": [{"Namespace", "Kind", "Name", "Results": […]}]}`). Results and the
/// findings in them are streamed; only one vulnerability, misconfiguration or secret is held at a time.
///
/// Vulnerabilities, failed misconfigurations (passes are skipped) and secrets become findings; `host` is the
/// artefact (or cluster) name, a non-network ``ScanHost``; `location` is "Target: package" or "Target:line"
/// (prefixed with the Kubernetes resource: "Deployment default/web, Target: package"). Trivy writes `ArtifactName` and each result's `Target` before the
/// findings; when a file has them after, findings read before them lack those values.
public struct TrivyReportReader: ScanReportReader {
    private let json: JSONStreamReader
    private let limits: ScanLimits
    private var pending: [ScanReportEvent] = []
    private var levels: [Level] = []
    private var started = false
    private var finished = false
    private var artifact: String?
    private var createdAt: Date?
    private var result = Context()
    private var resource = Resource()

    private enum Level { case root, results, result, findings(Kind), resources, resource }
    private enum Kind { case vulnerability, misconfiguration, secret }

    private struct Context { var target: String?; var type: String? }
    private struct Resource {
        var namespace: String?, kind: String?, name: String?
        var label: String? {
            guard let name else { return nil }
            return [kind, [namespace, name].compactMap { $0 }.joined(separator: "/")].compactMap { $0 }.joined(separator: " ")
        }
    }

    public init(source: ByteSource, limits: ScanLimits = ScanLimits()) {
        self.limits = limits
        json = JSONStreamReader(source: source, limits: limits, format: .trivy)
    }

    public mutating func next() throws -> ScanReportEvent? {
        while true {
            if !pending.isEmpty { return pending.removeFirst() }
            guard let level = levels.last else {
                if !started { try start(); continue }
                if finished { return nil }
                finished = true
                guard try json.next() == nil else { throw json.error("unexpected data after the report") }
                if let createdAt {
                    var info = ScanReportInfo(format: .trivy)
                    info.startedAt = createdAt
                    return .info(info)
                }
                continue
            }
            switch level {
            case .root:
                guard let key = try json.nextKey() else { levels.removeLast(); continue }
                switch key {
                case "ArtifactName", "ClusterName":
                    // Repeated as the host of every finding, so capped (a path or image reference).
                    artifact = try json.readString().map { ScanText.capped($0, maxBytes: 1024) }
                    if let artifact { pending.append(.host(ScanHost(address: artifact, isNetwork: false))) }
                case "CreatedAt":
                    createdAt = try json.readString().flatMap { ExchangeIdentifiers.parseTimestamp($0) }
                case "Results":
                    if try json.enterArray() { levels.append(.results) }
                case "Vulnerabilities", "Misconfigurations":
                    if try json.enterArray() { levels.append(.resources) }
                default:
                    try json.skipValue()
                }
            case .results:
                guard try json.nextElement() else { levels.removeLast(); continue }
                if try json.enterObject() {
                    result = Context()
                    levels.append(.result)
                }
            case .result:
                guard let key = try json.nextKey() else { levels.removeLast(); continue }
                switch key {
                case "Target": result.target = try json.readString()
                case "Type": result.type = try json.readString()
                case "Vulnerabilities": if try json.enterArray() { levels.append(.findings(.vulnerability)) }
                case "Misconfigurations": if try json.enterArray() { levels.append(.findings(.misconfiguration)) }
                case "Secrets": if try json.enterArray() { levels.append(.findings(.secret)) }
                default: try json.skipValue()
                }
            case .findings(let kind):
                guard try json.nextElement() else { levels.removeLast(); continue }
                guard let object = try json.captureObject() else { continue }
                if let finding = finding(kind, object) { return .finding(finding) }
            case .resources:
                guard try json.nextElement() else { levels.removeLast(); continue }
                if try json.enterObject() {
                    resource = Resource()
                    levels.append(.resource)
                }
            case .resource:
                guard let key = try json.nextKey() else { resource = Resource(); levels.removeLast(); continue }
                switch key {
                case "Namespace": resource.namespace = try json.readString()
                case "Kind": resource.kind = try json.readString()
                case "Name": resource.name = try json.readString()
                case "Results": if try json.enterArray() { levels.append(.results) }
                default: try json.skipValue()
                }
            }
        }
    }

    private mutating func start() throws {
        started = true
        var info = ScanReportInfo(format: .trivy)
        info.scannerName = "Trivy"
        pending.append(.info(info))
        switch try json.peekKind() {
        case .object:
            _ = try json.enterObject()
            levels = [.root]
        case .array:
            _ = try json.enterArray()
            levels = [.results]
        case .null:
            try json.skipValue()
        default:
            throw json.error("expected a Trivy report: an object, or an array of results")
        }
    }

    private func finding(_ kind: Kind, _ o: [String: Any]) -> ScanFinding? {
        switch kind {
        case .vulnerability: return vulnerability(o)
        case .misconfiguration: return misconfiguration(o)
        case .secret: return secret(o)
        }
    }

    private func place(_ detail: String?, separator: String) -> String? {
        let target = [resource.label, result.target].compactMap { $0 }.joined(separator: ", ")
        guard let detail else { return target.isEmpty ? nil : target }
        return target.isEmpty ? detail : target + separator + detail
    }

    private func vulnerability(_ o: [String: Any]) -> ScanFinding {
        typealias F = JSONScanFields
        let id = F.string(o["VulnerabilityID"])
        let package = F.string(o["PkgName"])
        let installed = F.string(o["InstalledVersion"])
        let fixed = F.string(o["FixedVersion"])
        let (vector, score) = cvss(F.object(o["CVSS"]) ?? [:], preferred: F.string(o["SeveritySource"]))
        let word = F.string(o["Severity"]).flatMap(FindingSeverity.fromWord)
        let severity = word.flatMap { $0 == .info && score != nil ? nil : $0 } ?? score.map(FindingSeverity.fromCVSS) ?? .info
        let title = F.string(o["Title"]) ?? [id, package.map { "in \($0)" }].compactMap { $0 }.joined(separator: " ")
        var f = ScanFinding(title: title.isEmpty ? "Trivy vulnerability" : ScanText.capped(title, maxBytes: ScanText.maxTitleBytes), severity: severity)
        f.scannerId = id
        f.cves = F.cves(id.map { [$0] } ?? [])
        f.cwes = F.cwes(F.strings(o["CweIDs"]))
        f.cvssVector = vector
        f.cvssScore = score
        f.product = package
        f.version = installed
        if let package, let fixed { f.solution = "Upgrade \(package) to \(fixed)" }
        f.description = F.cap(F.string(o["Description"]), limits.maxFieldBytes)
        f.references = F.unique(F.strings(o["PrimaryURL"]) + F.strings(o["References"]))
        f.host = artifact
        f.location = place(package, separator: ": ")
        var evidence = [[package, installed].compactMap { $0 }.joined(separator: " ") + " installed"]
        if let fixed { evidence.append("Fixed in: \(fixed)") }
        if let path = F.string(o["PkgPath"]) { evidence.append("Path: \(path)") }
        if let status = F.string(o["Status"]) { evidence.append("Status: \(status)") }
        f.evidence = F.cap(evidence.joined(separator: "\n"), limits.maxFieldBytes)
        return f
    }

    /// The CVSS v3 (else v4) vector and score, preferring NVD's, then the severity source's, then any vendor's.
    private func cvss(_ all: [String: Any], preferred: String?) -> (String?, Double?) {
        typealias F = JSONScanFields
        let vendors = F.unique(["nvd"] + (preferred.map { [$0] } ?? []) + all.keys.sorted())
        for version in ["V3", "V40"] {
            for vendor in vendors {
                guard let entry = F.object(all[vendor]) else { continue }
                let vector = F.string(entry[version + "Vector"])
                let score = F.double(entry[version + "Score"])
                if vector != nil || score != nil { return (vector, score) }
            }
        }
        return (nil, nil)
    }

    private func misconfiguration(_ o: [String: Any]) -> ScanFinding? {
        typealias F = JSONScanFields
        if F.string(o["Status"])?.uppercased() == "PASS" { return nil }
        let id = F.string(o["ID"]) ?? F.string(o["AVDID"])
        let severity = F.string(o["Severity"]).flatMap(FindingSeverity.fromWord) ?? .info
        var f = ScanFinding(title: ScanText.capped(F.string(o["Title"]) ?? id ?? "Trivy misconfiguration", maxBytes: ScanText.maxTitleBytes), severity: severity)
        f.scannerId = id
        f.description = F.cap(F.string(o["Description"]), limits.maxFieldBytes)
        f.solution = F.cap(F.string(o["Resolution"]), limits.maxFieldBytes)
        f.evidence = F.cap(F.string(o["Message"]), limits.maxFieldBytes)
        f.references = F.unique(F.strings(o["PrimaryURL"]) + F.strings(o["References"]))
        f.host = artifact
        let line = F.int(F.object(o["CauseMetadata"])?["StartLine"])
        f.location = place(line.map(String.init), separator: ":")
        return f
    }

    private func secret(_ o: [String: Any]) -> ScanFinding {
        typealias F = JSONScanFields
        let id = F.string(o["RuleID"])
        let severity = F.string(o["Severity"]).flatMap(FindingSeverity.fromWord) ?? .high
        var f = ScanFinding(title: ScanText.capped(F.string(o["Title"]) ?? id ?? "Secret", maxBytes: ScanText.maxTitleBytes), severity: severity)
        f.scannerId = id
        f.description = F.string(o["Category"]).map { "Secret of category \($0) found in the artefact." }
        f.evidence = F.cap(F.string(o["Match"]), limits.maxFieldBytes)
        f.solution = "Remove the secret from the artefact and revoke it."
        f.host = artifact
        f.location = place(F.int(o["StartLine"]).map(String.init), separator: ":")
        return f
    }
}
