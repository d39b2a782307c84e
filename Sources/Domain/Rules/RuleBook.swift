import Foundation

/// Every rule data file in force: the bundled `Resources/rules/*.json` plus a province's overrides.
/// An override with the same id and version replaces the bundled file; a new version is added and
/// takes effect from its `effectiveFrom`.
public struct RuleBook: Sendable {
    /// One loaded file.
    public struct LoadedFile: Sendable, Equatable {
        public var header: RuleFileHeader
        public var fileName: String
        /// Read from the overrides directory rather than the bundle.
        public var isOverride: Bool
    }

    /// The kinds of rule file this build understands. Later features add theirs here.
    static let kinds: [any RuleFileContent.Type] = [
        ClassificationRules.self, DossierRules.self, AuthorityTable.self, ControlCatalogue.self,
        SystemObligationRules.self, DocumentBasisRules.self,
        ResponseObligationRules.self, ScenarioLibrary.self,
        IncidentCategoryList.self, IncidentClockRules.self, SeriousIncidentCriteria.self, HolidayCalendar.self,
        ProactiveObligationRules.self,
    ]

    public private(set) var files: [LoadedFile]
    private var contents: [String: [any RuleFileContent]]

    /// Headers of all loaded files, by id then effective date, for a rules page.
    public var headers: [RuleFileHeader] { files.map(\.header) }

    /// The bundled rule files.
    public static var bundledDirectory: URL {
        Bundle.module.bundleURL.appendingPathComponent("Resources/rules")
    }

    /// The bundled files only. Stops the process if the shipped data is broken (a test guards it).
    public static let shipped: RuleBook = {
        do {
            return try load(overridesDirectory: nil)
        } catch {
            fatalError("The shipped rule data is broken: \(error)")
        }
    }()

    /// Loads the bundled files, then every `*.json` in `overridesDirectory` (absent directory = none).
    public static func load(overridesDirectory: URL?) throws -> RuleBook {
        try load(bundled: bundledDirectory, overrides: overridesDirectory)
    }

    static func load(bundled: URL, overrides: URL?) throws -> RuleBook {
        var loaded: [(LoadedFile, any RuleFileContent)] = []
        for url in try jsonFiles(in: bundled, required: true) {
            let item = try read(url, isOverride: false)
            if let clash = loaded.first(where: { $0.0.header.id == item.0.header.id && $0.0.header.version == item.0.header.version }) {
                throw RuleError(
                    file: item.0.fileName, path: "version",
                    message: "same id and version as \(clash.0.fileName) (\(item.0.header.id) \(item.0.header.version))")
            }
            loaded.append(item)
        }
        if let overrides {
            var fromOverrides = Set<String>()
            for url in try jsonFiles(in: overrides, required: false) {
                let item = try read(url, isOverride: true)
                let key = item.0.header.id + "\u{0}" + item.0.header.version
                if !fromOverrides.insert(key).inserted {
                    let other = loaded.first { $0.0.isOverride && $0.0.header.id == item.0.header.id && $0.0.header.version == item.0.header.version }
                    throw RuleError(
                        file: item.0.fileName, path: "version",
                        message: "same id and version as \(other?.0.fileName ?? "another override") (\(item.0.header.id) \(item.0.header.version))")
                }
                loaded.removeAll { $0.0.header.id == item.0.header.id && $0.0.header.version == item.0.header.version }
                loaded.append(item)
            }
        }
        for kind in kinds where !loaded.contains(where: { $0.0.header.id == kind.ruleId }) {
            throw RuleError(file: kind.ruleId, path: "", message: "no rule file with id \"\(kind.ruleId)\"")
        }
        loaded.sort { ($0.0.header.id, $0.0.header.effectiveFromDate) < ($1.0.header.id, $1.0.header.effectiveFromDate) }
        var contents: [String: [any RuleFileContent]] = [:]
        for (_, content) in loaded { contents[content.header.id, default: []].append(content) }
        return RuleBook(files: loaded.map(\.0), contents: contents)
    }

    private static func jsonFiles(in directory: URL, required: Bool) throws -> [URL] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) else {
            if required { throw RuleError(file: directory.path, path: "", message: "rule directory is missing") }
            return []
        }
        guard isDirectory.boolValue else {
            throw RuleError(file: directory.path, path: "", message: "not a directory")
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw RuleError(file: directory.path, path: "", message: "cannot list the directory: \(error.localizedDescription)")
        }
        return names.filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.sorted()
            .map { directory.appendingPathComponent($0) }
    }

    private static func read(_ url: URL, isOverride: Bool) throws -> (LoadedFile, any RuleFileContent) {
        let name = url.lastPathComponent
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw RuleError(file: name, path: "", message: "cannot read the file")
        }
        let content = try decode(data, fileName: name)
        return (LoadedFile(header: content.header, fileName: name, isOverride: isOverride), content)
    }

    /// Decodes one rule file by its `id`.
    static func decode(_ data: Data, fileName: String) throws -> any RuleFileContent {
        let decoder = JSONDecoder()
        let header: RuleFileHeader
        do {
            header = try decoder.decode(RuleFileHeader.self, from: data)
        } catch {
            throw RuleError.from(error, file: fileName)
        }
        guard let kind = kinds.first(where: { $0.ruleId == header.id }) else {
            throw RuleError(
                file: fileName, path: "id",
                message: "unknown rule id \"\(header.id)\"; known: \(kinds.map { $0.ruleId }.joined(separator: ", "))")
        }
        do {
            return try kind.decodeContent(from: data)
        } catch {
            throw RuleError.from(error, file: fileName)
        }
    }

    /// The version of `T` in effect at `date`: the latest `effectiveFrom` ≤ date not past its `effectiveTo`
    /// (a later version breaks ties); the earliest version when none is in effect.
    public func rules<T: RuleFileContent>(_ type: T.Type, at date: Date = Date()) -> T {
        let versions = (contents[T.ruleId] ?? []).compactMap { $0 as? T }
        precondition(!versions.isEmpty, "RuleBook has no \(T.ruleId) (load checks this)")
        let inEffect = versions.filter { $0.header.isInEffect(at: date) }
        if let best = inEffect.max(by: { Self.isOlder($0.header, than: $1.header) }) { return best }
        return versions.min(by: { Self.isOlder($0.header, than: $1.header) })!
    }

    /// Every loaded version of `T`, oldest first.
    public func versions<T: RuleFileContent>(_ type: T.Type) -> [T] {
        (contents[T.ruleId] ?? []).compactMap { $0 as? T }.sorted { Self.isOlder($0.header, than: $1.header) }
    }

    private static func isOlder(_ a: RuleFileHeader, than b: RuleFileHeader) -> Bool {
        if a.effectiveFromDate != b.effectiveFromDate { return a.effectiveFromDate < b.effectiveFromDate }
        return a.version.compare(b.version, options: .numeric) == .orderedAscending
    }

    public func classification(at date: Date = Date()) -> ClassificationRules {
        rules(ClassificationRules.self, at: date)
    }

    /// The workflow rules, with the user-count thresholds of the criteria in effect at the same date.
    public func workflow(at date: Date = Date()) -> DossierRules {
        var rules = rules(DossierRules.self, at: date)
        rules.userCountThresholds = classification(at: date).userCountThresholds
        return rules
    }

    public func authorities(at date: Date = Date()) -> AuthorityTable {
        rules(AuthorityTable.self, at: date)
    }

    public func controls(at date: Date = Date()) -> ControlCatalogue {
        rules(ControlCatalogue.self, at: date)
    }

    public func systemObligations(at date: Date = Date()) -> SystemObligationRules {
        rules(SystemObligationRules.self, at: date)
    }
}
