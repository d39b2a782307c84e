import Foundation

/// CONTRACT (issue 6): the entry points the App and the CLI use. The Sigma implementation replaces the
/// bodies; the signatures stay (add, don't change).
public enum SigmaRuleLoader {
    /// Largest rule file read (a Sigma rule is a few kilobytes; collections a little more).
    public static let maxFileBytes = 4 << 20

    /// Parses one YAML text (one rule, or a rule collection with `action: global`/`reset`/`repeat`
    /// documents) into rules. Throws for YAML that cannot be read or a rule without title/detection.
    public static func parse(yaml: String, origin: String, config: SigmaConfig = .default) throws(SigmaLoadError) -> [SigmaRule] {
        try SigmaRuleParser.parse(text: yaml, origin: origin, config: config)
    }

    /// Every `*.yml`/`*.yaml` under the given files and folders (recursively), in path order.
    public static func load(paths: [URL], config: SigmaConfig = .default) -> (rules: [SigmaRule], errors: [SigmaLoadError]) {
        let files = ruleFiles(paths)
        final class Box: @unchecked Sendable {
            var results: [Result<[SigmaRule], SigmaLoadError>?]
            init(_ n: Int) { results = Array(repeating: nil, count: n) }
        }
        let box = Box(files.count)
        let lock = NSLock()
        let workers = min(2, max(1, files.count / 16))
        let chunk = (files.count + workers - 1) / max(workers, 1)
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            let from = w * chunk, to = min(files.count, from + chunk)
            guard from < to else { return }
            var local: [(Int, Result<[SigmaRule], SigmaLoadError>)] = []
            for i in from..<to { local.append((i, loadFile(files[i], config: config))) }
            lock.lock()
            for (i, r) in local { box.results[i] = r }
            lock.unlock()
        }
        var rules: [SigmaRule] = []
        var errors: [SigmaLoadError] = []
        for r in box.results {
            switch r {
            case .success(let list)?: rules += list
            case .failure(let e)?: errors.append(e)
            case nil: break
            }
        }
        return (rules, errors)
    }

    /// One rule file.
    public static func loadFile(_ url: URL, config: SigmaConfig = .default) -> Result<[SigmaRule], SigmaLoadError> {
        let origin = url.path
        let data: Data
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: origin)
            if let size = attributes[.size] as? NSNumber, size.intValue > maxFileBytes {
                return .failure(SigmaLoadError(origin: origin, message: "file is larger than \(maxFileBytes) bytes"))
            }
            data = try Data(contentsOf: url)
        } catch {
            return .failure(SigmaLoadError(origin: origin, message: "cannot read: \(error.localizedDescription)"))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return .failure(SigmaLoadError(origin: origin, message: "not UTF-8 text"))
        }
        do {
            return .success(try SigmaRuleParser.parse(text: text, origin: origin, config: config))
        } catch {
            return .failure(error)
        }
    }

    /// The rule files under the given paths: files as given, folders searched recursively for
    /// `.yml`/`.yaml`, sorted by path.
    public static func ruleFiles(_ paths: [URL]) -> [URL] {
        var out: [URL] = []
        let fm = FileManager.default
        for url in paths {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: url.path, isDirectory: &isDir) else { out.append(url); continue }
            if !isDir.boolValue { out.append(url); continue }
            var found: [URL] = []
            if let en = fm.enumerator(at: url, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles]) {
                for case let f as URL in en {
                    let ext = f.pathExtension.lowercased()
                    guard ext == "yml" || ext == "yaml" else { continue }
                    if (try? f.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true { found.append(f) }
                }
            }
            out += found.sorted { $0.path < $1.path }
        }
        return out
    }
}

/// A rule the engine leaves out, and why.
public struct SigmaUnsupportedRule: Sendable, Hashable {
    public var rule: SigmaRule
    public var reason: String
}

/// The compiled matcher for a set of rules. Thread-safe: one engine serves every thread.
public final class SigmaEngine: Sendable {
    /// The rules the engine applies (the supported ones of those given, in the order given).
    public let rules: [SigmaRule]
    /// The rules given that the engine cannot apply, with the reason (never half-applied).
    public let unsupported: [SigmaUnsupportedRule]
    let program: SigmaProgram
    private let pool = SigmaMatcherPool()

    public init(rules: [SigmaRule], config: SigmaConfig = .default) {
        var compiler = SigmaCompiler(config: config)
        var applied: [SigmaRule] = []
        var left: [SigmaUnsupportedRule] = []
        for rule in rules {
            var parsed = rule.parsed
            if parsed == nil, rule.unsupported == nil {
                parsed = SigmaEngine.reparse(rule, config: config)
                if parsed == nil {
                    left.append(SigmaUnsupportedRule(rule: rule, reason: "the rule's YAML does not parse into this rule again"))
                    continue
                }
            }
            guard let parsed else {
                left.append(SigmaUnsupportedRule(rule: rule, reason: rule.unsupported ?? "unsupported"))
                continue
            }
            do {
                try compiler.add(rule: Int32(applied.count), parsed: parsed, logsource: rule.logsource)
                var r = rule
                r.unsupported = nil
                applied.append(r)
            } catch {
                var r = rule
                r.unsupported = error.message
                left.append(SigmaUnsupportedRule(rule: r, reason: error.message))
            }
        }
        self.rules = applied
        self.unsupported = left
        self.program = SigmaProgram(&compiler)
    }

    private static func reparse(_ rule: SigmaRule, config: SigmaConfig) -> SigmaParsedRule? {
        guard let list = try? SigmaRuleParser.parse(text: rule.yaml, origin: rule.origin, config: config) else { return nil }
        let candidate = list.first(where: { $0.id == rule.id && $0.title == rule.title })
            ?? list.first(where: { $0.id == rule.id }) ?? (list.count == 1 ? list.first : nil)
        return candidate?.parsed
    }

    /// Indices into `rules` of the rules that match the event, ascending.
    public func match(_ event: FlatEvent) -> [Int] {
        let m = pool.take() ?? SigmaMatcher(program: program, ruleCount: rules.count)
        defer { pool.give(m) }
        return m.match(event)
    }

    /// A matcher for one thread: faster than `match(_:)` for many events (no pool round trip).
    public func makeMatcher() -> SigmaMatcher {
        SigmaMatcher(program: program, ruleCount: rules.count)
    }
}

/// Matchers kept for `SigmaEngine.match(_:)`.
final class SigmaMatcherPool: @unchecked Sendable {
    private let lock = NSLock()
    private var free: [SigmaMatcher] = []

    func take() -> SigmaMatcher? {
        lock.lock(); defer { lock.unlock() }
        return free.popLast()
    }

    func give(_ m: SigmaMatcher) {
        lock.lock(); defer { lock.unlock() }
        if free.count < 8 { free.append(m) }
    }
}
