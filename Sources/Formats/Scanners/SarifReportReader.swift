import Domain
import Foundation

/// Reads a SARIF 2.1 log (`runs[].tool.driver`/`extensions` rules, `runs[].results[]`) a result at a time.
///
/// Two passes when the source can rewind (files and data; not pipes) and is unread: the first skips the
/// results and keeps each run's tool, rules (compacted), repository and invocation; the second streams the
/// results, so a result can use its rule and the run's repository wherever they appear in the file. Memory
/// is the rules plus one result. A source that cannot rewind is read once; a result then only knows the rules
/// and repository written before it (tools write `tool` first, so this rarely matters).
///
/// - Severity: the rule's (or result's) `properties.security-severity` score, else the level: the result's,
///   else `none` for a `kind` other than `fail`, else the rule's `defaultConfiguration.level`, else `warning`
///   (SARIF §3.27.10); error → high, warning → medium, note → low, none → info.
/// - Results of kind `pass` or `notApplicable` are not findings and are skipped.
/// - Suppressed results (a suppression whose `state` is absent or `accepted`; `underReview` and `rejected`
///   ones do not count) are skipped and counted in ``suppressedCount``: the project has reviewed and waived
///   them. With `includeSuppressed`, they are read, their evidence starting "Suppressed (kind)".
/// - CWEs come from rule tags ("external/cwe/cwe-79", "CWE-79"), `properties.cwe` and CWE relationships.
/// - Host: the run's `versionControlProvenance[0].repositoryUri`, else an absolute `originalUriBaseIds` root,
///   else the invocation's working directory; a non-network ``ScanHost``.
public struct SarifReportReader: ScanReportReader {
    private let source: ByteSource
    private let limits: ScanLimits
    private var json: JSONStreamReader
    public let includeSuppressed: Bool
    /// Suppressed results met so far (skipped unless `includeSuppressed`).
    public private(set) var suppressedCount = 0

    private var runs: [SarifRun] = []
    private var runIndex = -1
    private var levels: [Level] = []
    private var collect = true
    private var emit = true
    private var started = false
    private var finished = false
    private var pending: [ScanReportEvent] = []
    private var hosts = Set<String>()

    private enum Level { case root, runs, run, results }
    static let maxRules = 100_000

    public init(source: ByteSource, limits: ScanLimits = ScanLimits(), includeSuppressed: Bool = false) {
        self.source = source
        self.limits = limits
        self.includeSuppressed = includeSuppressed
        json = JSONStreamReader(source: source, limits: limits, format: .sarif)
    }

    public mutating func next() throws -> ScanReportEvent? {
        while true {
            if !pending.isEmpty { return pending.removeFirst() }
            if !started { try start(); continue }
            guard let level = levels.last else {
                if finished { return nil }
                finished = true
                try expectEnd()
                if collect { pending.append(.info(info())) }
                continue
            }
            if let event = try walk(level) { return event }
        }
    }

    private mutating func start() throws {
        started = true
        if source.offset == 0, source.canRewind {
            emit = false
            levels = try begin()
            while let level = levels.last { _ = try walk(level) }
            try expectEnd()
            try source.rewind()
            json = JSONStreamReader(source: source, limits: limits, format: .sarif)
            runIndex = -1
            collect = false
            emit = true
            pending.append(.info(info()))
        } else {
            pending.append(.info(ScanReportInfo(format: .sarif)))
        }
        levels = try begin()
    }

    private func begin() throws -> [Level] {
        guard try json.peekKind() == .object else { throw json.error("expected a SARIF log (a JSON object with runs)") }
        _ = try json.enterObject()
        return [.root]
    }

    private func expectEnd() throws {
        guard try json.next() == nil else { throw json.error("unexpected data after the SARIF log") }
    }

    private func info() -> ScanReportInfo {
        var info = ScanReportInfo(format: .sarif)
        let names = JSONScanFields.unique(runs.compactMap(\.toolName))
        info.scannerName = names.isEmpty ? nil : names.joined(separator: ", ")
        info.scannerVersion = runs.first?.toolVersion
        info.startedAt = runs.compactMap(\.startedAt).min()
        info.finishedAt = runs.compactMap(\.finishedAt).max()
        info.arguments = runs.lazy.compactMap(\.commandLine).first
        return info
    }

    private mutating func walk(_ level: Level) throws -> ScanReportEvent? {
        switch level {
        case .root:
            guard let key = try json.nextKey() else { levels.removeLast(); return nil }
            switch key {
            case "version" where collect:
                if let version = try json.readString(), !version.hasPrefix("2.") {
                    throw json.error("SARIF version \(version) is not supported (2.1.0 expected)")
                }
            case "runs":
                if try json.enterArray() { levels.append(.runs) }
            default:
                try json.skipValue()
            }
        case .runs:
            guard try json.nextElement() else { levels.removeLast(); return nil }
            runIndex += 1
            if runs.count <= runIndex { runs.append(SarifRun()) }
            if try json.enterObject() { levels.append(.run) }
        case .run:
            guard let key = try json.nextKey() else {
                levels.removeLast()
                return hostEvent()
            }
            switch key {
            case "results" where emit:
                if try json.enterArray() {
                    levels.append(.results)
                    return hostEvent()
                }
            case "tool" where collect: try readTool()
            case "invocations" where collect: try readInvocation()
            case "versionControlProvenance" where collect:
                if let first = try firstObject() { runs[runIndex].repository = JSONScanFields.string(first["repositoryUri"]) }
            case "originalUriBaseIds" where collect:
                let roots = try json.captureObject() ?? [:]
                runs[runIndex].sourceRoot = (["SRCROOT", "PROJECTROOT"] + roots.keys.sorted()).lazy
                    .compactMap { JSONScanFields.string(JSONScanFields.object(roots[$0])?["uri"]) }
                    .first { $0.contains("://") || $0.hasPrefix("/") }
            default:
                try json.skipValue()
            }
        case .results:
            guard try json.nextElement() else { levels.removeLast(); return nil }
            guard let result = try json.captureObject() else { return nil }
            let read = SarifResult.finding(result, run: runs[runIndex], maxField: limits.maxFieldBytes,
                                           includeSuppressed: includeSuppressed)
            if read.suppressed { suppressedCount += 1 }
            return read.finding.map(ScanReportEvent.finding)
        }
        return nil
    }

    private mutating func hostEvent() -> ScanReportEvent? {
        guard emit, let host = runs[runIndex].host, hosts.insert(host).inserted else { return nil }
        return .host(ScanHost(address: host, isNetwork: false))
    }

    /// The first element of an array value, captured; the rest skipped.
    private func firstObject() throws -> [String: Any]? {
        guard try json.enterArray() else { return nil }
        var first: [String: Any]?
        while try json.nextElement() {
            if first == nil { first = try json.captureObject() } else { try json.skipValue() }
        }
        return first
    }

    private mutating func readInvocation() throws {
        guard let o = try firstObject() else { return }
        typealias F = JSONScanFields
        runs[runIndex].startedAt = F.date(o["startTimeUtc"])
        runs[runIndex].finishedAt = F.date(o["endTimeUtc"])
        runs[runIndex].commandLine = F.cap(F.string(o["commandLine"]), limits.maxFieldBytes)
        runs[runIndex].workingDirectory = F.string(F.object(o["workingDirectory"])?["uri"])
    }

    private mutating func readTool() throws {
        guard try json.enterObject() else { return }
        while let key = try json.nextKey() {
            switch key {
            case "driver":
                try readComponent(extension: nil)
            case "extensions":
                guard try json.enterArray() else { continue }
                var index = 0
                while try json.nextElement() {
                    try readComponent(extension: index)
                    index += 1
                }
            default:
                try json.skipValue()
            }
        }
    }

    private mutating func readComponent(extension index: Int?) throws {
        guard try json.enterObject() else { return }
        var semanticVersion: String?
        while let key = try json.nextKey() {
            switch key {
            case "name" where index == nil: runs[runIndex].toolName = try json.readString()
            case "version" where index == nil: runs[runIndex].toolVersion = try json.readString()
            case "semanticVersion" where index == nil: semanticVersion = try json.readString()
            case "rules":
                guard try json.enterArray() else { continue }
                while try json.nextElement() {
                    guard let o = try json.captureObject() else { continue }
                    guard runs[runIndex].ruleCount < Self.maxRules else {
                        throw json.error("more than \(Self.maxRules) rules in a run")
                    }
                    runs[runIndex].add(SarifRule(o, maxField: limits.maxFieldBytes), toExtension: index)
                }
            case "globalMessageStrings" where index == nil:
                for (id, value) in try json.captureObject() ?? [:] {
                    if let text = JSONScanFields.string(JSONScanFields.object(value)?["text"]) {
                        runs[runIndex].globalMessages[id] = JSONScanFields.cap(text, limits.maxFieldBytes)
                    }
                }
            default:
                try json.skipValue()
            }
        }
        if index == nil, runs[runIndex].toolVersion == nil { runs[runIndex].toolVersion = semanticVersion }
    }
}
