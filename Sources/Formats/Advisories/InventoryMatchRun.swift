import Domain
import Foundation

/// What `ungcuu match-cves --inventory INVENTORY.json FEED.json…` does, without Vapor or a database: reads the
/// inventory (``MatchInventory``), streams each advisory file (``AdvisoryFile``: NVD CVE JSON 2.0 feeds, pages and
/// records, CSAF 2.0 documents, told apart by content), and writes one JSON line per affected component:
///
///     {"cve":"CVE-2023-45802","system":"HT-01","component":"Máy chủ web","criteria":"cpe:2.3:a:apache:http_server:*:*:*:*:*:*:*:*",
///      "reason":"Máy chủ web (…) is within versions from 2.4.0 up to (excluding) 2.4.58","derivedCpe":null}
///
/// `criteria` is the CPE match criterion (or "vendor product (ranges)" for a CSAF product); `derivedCpe` is the CPE
/// built from the component's vendor, product and version when it had no CPE of its own (null otherwise). A CSAF
/// document gives one line per CVE it names, each for the products that CVE affects; an advisory without CVE ids is
/// reported under its own id. Platform components of "running on" configurations are not lines of their own; the
/// reason names them.
public struct InventoryMatchRun {
    public struct Line: Codable, Sendable, Equatable {
        public var cve: String
        public var system: String
        public var component: String
        public var criteria: String
        public var reason: String
        public var derivedCpe: String?

        public init(cve: String, system: String, component: String, criteria: String, reason: String, derivedCpe: String?) {
            self.cve = cve
            self.system = system
            self.component = component
            self.criteria = criteria
            self.reason = reason
            self.derivedCpe = derivedCpe
        }

        /// The line as written: keys in a fixed order, `derivedCpe` null when absent, no escaped slashes.
        public var json: String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.withoutEscapingSlashes]
            func q(_ s: String) -> String { String(decoding: (try? encoder.encode(s)) ?? Data("\"\"".utf8), as: UTF8.self) }
            return "{\"cve\":\(q(cve)),\"system\":\(q(system)),\"component\":\(q(component)),\"criteria\":\(q(criteria)),"
                + "\"reason\":\(q(reason)),\"derivedCpe\":\(derivedCpe.map(q) ?? "null")}"
        }
    }

    public struct Summary: Sendable, Equatable {
        public var advisories = 0
        public var lines = 0
        /// Components with no CPE and no vendor: they can never match.
        public var unmatchable: [String] = []
    }

    public enum Language: Sendable { case vi, en }

    let inventory: MatchInventory
    let matcher: VulnerabilityMatcher
    /// componentKey → (system code, component name).
    let components: [String: (system: String, name: String)]
    public let language: Language

    public init(inventory: MatchInventory, language: Language = .en) {
        self.inventory = inventory
        self.language = language
        var list: [InventoryComponent] = []
        var names: [String: (String, String)] = [:]
        for (si, system) in inventory.systems.enumerated() {
            for (ci, c) in system.components.enumerated() {
                let key = "\(si):\(ci)"
                names[key] = (system.code, c.name)
                list.append(InventoryComponent(systemKey: String(si), componentKey: key, name: c.name, vendor: c.vendor, product: c.product,
                                               version: c.version, cpe: c.cpe))
            }
        }
        components = names
        matcher = VulnerabilityMatcher(components: list)
    }

    /// "HT-01/Máy chủ web" of every component that can never match.
    public var unmatchable: [String] {
        matcher.unmatchable.compactMap { components[$0].map { "\($0.system)/\($0.name)" } }
    }

    /// The lines for one advisory (its CVE ids taken from it; for a CSAF document use ``lines(for:)-(AdvisoryItem)``).
    public func lines(for advisory: Advisory) -> [Line] {
        let cves = advisory.cves.isEmpty ? [advisory.id] : advisory.cves
        var out: [Line] = []
        for match in matcher.matches(advisory) {
            let platforms = match.platforms.map { language == .vi ? $0.reason.text.vi : $0.reason.text.en }
            for c in match.components {
                guard let owner = components[c.componentKey] else { continue }
                var reason = language == .vi ? c.reason.text.vi : c.reason.text.en
                if !platforms.isEmpty { reason += "; " + platforms.joined(separator: "; ") }
                for cve in cves {
                    out.append(Line(cve: cve, system: owner.system, component: owner.name, criteria: c.criterion, reason: reason,
                                    derivedCpe: c.reason.cpeOrigin.isDerived ? c.reason.componentCPE : nil))
                }
            }
        }
        return out
    }

    /// The lines for one item of a file: per CVE for CSAF documents.
    public func lines(for item: AdvisoryItem) -> [Line] {
        item.perCVE.flatMap { lines(for: $0) }
    }

    /// Streams every file, calling `write` with each line as it is found. Stops at the first unreadable file or
    /// record, naming the file and place (``FileError``); lines already written stay written.
    @discardableResult
    public func run(files: [URL], limits: ScanLimits = ScanLimits(), write: (String) -> Void) throws -> Summary {
        var summary = Summary()
        summary.unmatchable = unmatchable
        for url in files {
            do {
                let file = try AdvisoryFile(url: url, limits: limits)
                while let item = try file.next() {
                    summary.advisories += 1
                    for line in lines(for: item) {
                        write(line.json)
                        summary.lines += 1
                    }
                }
            } catch let error as AdvisoryFileError {
                throw FileError(file: url.path, error: error)
            }
        }
        return summary
    }

    /// A feed that could not be read, with its name.
    public struct FileError: Error, Sendable, Equatable, CustomStringConvertible {
        public var file: String
        public var error: AdvisoryFileError
        public var description: String { "\(file): \(error)" }
    }
}
