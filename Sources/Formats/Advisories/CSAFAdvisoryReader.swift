import Domain
import Foundation

/// A CSAF 2.0 document read as one advisory: its affected products, CVEs, scores and remediations.
public struct CSAFDocument: Sendable, Hashable {
    /// Id `document.tracking.id`, title `document.title`, the CVEs of `vulnerabilities`, and the products.
    public var advisory: Advisory
    /// `csaf_security_advisory`, `csaf_vex`, `csaf_base`, …
    public var category: String?
    public var publisher: String?
    public var publisherNamespace: String?
    public var initialReleaseDate: Date?
    public var currentReleaseDate: Date?
    /// `draft`, `interim`, `final`.
    public var status: String?
    public var version: String?
    /// `document.aggregate_severity.text` ("Important", "hoch").
    public var aggregateSeverity: String?
    /// The document's `summary` note (else its `description`).
    public var summary: String?
    public var vulnerabilities: [CSAFVulnerability]
    /// The preferred score over every vulnerability.
    public var score: CVSSScore?
    /// One line per distinct remediation, vendor fixes first: "CVE-…, CVE-…: details (url)".
    public var remediation: String
    public var references: [AdvisoryReference]
    /// What was read but cannot be used (a product without vendor, an unreadable version range).
    public var warnings: [String]
}

/// One entry of a CSAF document's `vulnerabilities`.
public struct CSAFVulnerability: Sendable, Hashable {
    public var cve: String?
    public var title: String?
    /// The `description` note.
    public var description: String?
    public var cwes: [String]
    /// `known_affected`, `first_affected` and `last_affected` product ids.
    public var affectedProductIds: [String]
    /// `fixed` and `first_fixed` product ids.
    public var fixedProductIds: [String]
    public var remediations: [CSAFRemediation]
    public var scores: [CVSSScore]
}

public struct CSAFRemediation: Sendable, Hashable {
    /// `vendor_fix`, `mitigation`, `workaround`, `none_available`, `no_fix_planned`.
    public var category: String
    public var details: String
    public var url: String?
    public var productIds: [String]
}

/// Reads CSAF 2.0 documents (BSI, Red Hat, Cisco, Siemens, …). Products come from the product tree:
/// branch vendor → product_name (or product_family) → product_version / product_version_range (`vers:` or
/// the simple form of `VersionRange(parsing:)`), full_product_names, and relationships (a package as a
/// component of a platform reads as the package); a CPE or purl identification helper supplies vendor,
/// product and version when present. A vulnerability's affected products are its known, first and last
/// affected ones; when it lists none, its fixed products with a version stand for "before that version".
/// Throws `AdvisoryReadError` naming the JSON path.
public enum CSAFAdvisoryReader {
    public static func read(_ data: Data) throws -> CSAFDocument {
        try read(JSONNode.parse(data))
    }

    public static func read(_ value: Any) throws -> CSAFDocument {
        var reader = CSAFReader()
        return try reader.read(JSONNode(value))
    }
}

struct CSAFProduct {
    var id: String
    var name: String
    var path: String
    var vendor: String?
    var productName: String?
    var version: String?
    var versionRange: String?
    var rangePath: String?
    var cpe: String?
    var cpePath: String?
    var purl: String?
}

struct CSAFReader {
    var products: [String: CSAFProduct] = [:]
    var warnings: [String] = []

    mutating func read(_ root: JSONNode) throws -> CSAFDocument {
        let document = try root.required("document")
        let title = try document.requiredString("title")
        let tracking = try document.required("tracking")
        let id = try tracking.requiredString("id").trimmingCharacters(in: .whitespaces)
        let publisher = try document.member("publisher")
        let notes = try document.array("notes")
        let summary = try notes.first { try $0.string("category") == "summary" } ?? notes.first { try $0.string("category") == "description" }
        var references: [AdvisoryReference] = []
        for r in try document.array("references") {
            references.append(AdvisoryReference(url: try r.requiredString("url"), source: try r.string("summary"),
                                                tags: try r.string("category").map { [$0] } ?? []))
        }

        if let tree = try root.member("product_tree") {
            try walk(try tree.array("branches"), CSAFProduct(id: "", name: "", path: ""))
            for f in try tree.array("full_product_names") { try record(f, CSAFProduct(id: "", name: "", path: "")) }
            for r in try tree.array("relationships") {
                let refNode = try r.required("product_reference")
                let ref = try refNode.string()
                guard var product = products[ref] else { throw refNode.fail("names product \"\(ref)\", which the product tree does not define") }
                let full = try r.required("full_product_name")
                product.id = try full.requiredString("product_id")
                product.name = try full.requiredString("name")
                product.path = full.path
                try define(product, at: "\(full.path).product_id")
            }
        }

        var vulnerabilities: [CSAFVulnerability] = []
        for v in try root.array("vulnerabilities") { vulnerabilities.append(try vulnerability(v)) }

        var affected: [AffectedProduct] = []
        for v in vulnerabilities {
            let fixedMode = v.affectedProductIds.isEmpty
            for pid in fixedMode ? v.fixedProductIds : v.affectedProductIds {
                guard let p = try affectedProduct(products[pid]!, fixed: fixedMode) else { continue }
                if !affected.contains(where: { $0.vendor == p.vendor && $0.product == p.product && $0.ranges == p.ranges && $0.excludedVersions == p.excludedVersions }) {
                    affected.append(p)
                }
            }
        }
        let cves = vulnerabilities.compactMap(\.cve).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        return CSAFDocument(
            advisory: Advisory(id: id, title: title, cves: cves, products: affected),
            category: try document.string("category"), publisher: try publisher?.string("name"),
            publisherNamespace: try publisher?.string("namespace"),
            initialReleaseDate: try tracking.date("initial_release_date"), currentReleaseDate: try tracking.date("current_release_date"),
            status: try tracking.string("status"), version: try tracking.string("version"),
            aggregateSeverity: try document.member("aggregate_severity")?.string("text"),
            summary: try summary?.string("text"), vulnerabilities: vulnerabilities,
            score: CVSSScore.best(vulnerabilities.flatMap(\.scores)), remediation: Self.remediationText(vulnerabilities),
            references: references, warnings: warnings)
    }

    // MARK: Product tree

    mutating func walk(_ branches: [JSONNode], _ context: CSAFProduct) throws {
        for b in branches {
            var ctx = context
            let category = try b.requiredString("category")
            let name = try b.requiredString("name")
            switch category {
            case "vendor": ctx.vendor = name
            case "product_name": ctx.productName = name
            case "product_family": if ctx.productName == nil { ctx.productName = name }
            case "product_version": ctx.version = name
            case "product_version_range":
                ctx.versionRange = name
                ctx.rangePath = "\(b.path).name"
            default: break
            }
            if let product = try b.member("product") { try record(product, ctx) }
            try walk(try b.array("branches"), ctx)
        }
    }

    mutating func record(_ node: JSONNode, _ context: CSAFProduct) throws {
        var p = context
        p.id = try node.requiredString("product_id")
        p.name = try node.requiredString("name")
        p.path = node.path
        if let helper = try node.member("product_identification_helper") {
            p.cpe = try helper.string("cpe")
            p.cpePath = "\(helper.path).cpe"
            p.purl = try helper.string("purl")
        }
        try define(p, at: "\(node.path).product_id")
    }

    mutating func define(_ p: CSAFProduct, at path: String) throws {
        guard products[p.id] == nil else { throw AdvisoryReadError(path: path, "product id \"\(p.id)\" is defined twice") }
        products[p.id] = p
    }

    /// The product form of a CSAF product; nil (with a warning) when it has no vendor and product.
    mutating func affectedProduct(_ p: CSAFProduct, fixed: Bool) throws -> AffectedProduct? {
        var vendor = p.vendor, product = p.productName, version = p.version
        if let text = p.cpe {
            let cpe: CPEName
            do { cpe = try CPEName(text) } catch { throw AdvisoryReadError(path: p.cpePath ?? p.path, error.description) }
            if case .text(let v) = cpe.vendor, !v.hasWildcards, case .text(let n) = cpe.product, !n.hasWildcards {
                vendor = v.literal
                product = n.literal
            }
            if version == nil, p.versionRange == nil, case .text(let v) = cpe.version, !v.hasWildcards { version = v.literal }
        }
        if let purl = p.purl.flatMap(PackageURL.init) {
            if product == nil || p.cpe == nil && p.productName == nil { product = purl.name }
            if vendor == nil { vendor = purl.namespace }
            if let v = purl.version { version = purl.epoch.map { "\($0):\(v)" } ?? v }
        }
        guard let vendor, let product, !vendor.isEmpty, !product.isEmpty else {
            warnings.append("\(p.path): product \"\(p.name)\" (\(p.id)) names no vendor and product, nor a CPE or purl; it cannot be matched.")
            return nil
        }
        var ranges: [VersionRange] = [], excluded: [String] = []
        if let range = p.versionRange, !fixed {
            if range.lowercased().hasPrefix("vers:") {
                do { (ranges, excluded) = try VersionRange.parseVers(range) } catch {
                    throw AdvisoryReadError(path: p.rangePath ?? p.path, error.description)
                }
            } else if let r = try? VersionRange(parsing: range) {
                ranges = [r]
            } else {
                warnings.append("\(p.rangePath ?? p.path): version range \"\(range)\" of \"\(p.name)\" is not a vers or simple range; every version is taken as affected.")
            }
        } else if let version {
            ranges = [fixed ? VersionRange(endExcluding: version) : .exactly(version)]
        } else if fixed {
            return nil
        }
        return AffectedProduct(vendor: vendor, product: product, ranges: ranges, excludedVersions: excluded,
                               name: p.name, productId: p.id)
    }

    // MARK: Vulnerabilities

    func vulnerability(_ v: JSONNode) throws -> CSAFVulnerability {
        func ids(_ status: JSONNode?, _ keys: [String]) throws -> [String] {
            guard let status else { return [] }
            var out: [String] = []
            for key in keys {
                for node in try status.array(key) {
                    let id = try node.string()
                    guard products[id] != nil else { throw node.fail("names product \"\(id)\", which the product tree does not define") }
                    if !out.contains(id) { out.append(id) }
                }
            }
            return out
        }
        let status = try v.member("product_status")
        let notes = try v.array("notes")
        var cwes: [String] = []
        if let cwe = try v.member("cwe") { cwes.append(try cwe.requiredString("id")) }
        for c in try v.array("cwes") { cwes.append(try c.requiredString("id")) }
        var remediations: [CSAFRemediation] = []
        for r in try v.array("remediations") {
            remediations.append(CSAFRemediation(category: try r.requiredString("category"), details: try r.requiredString("details"),
                                                url: try r.string("url"), productIds: try r.strings("product_ids")))
        }
        var scores: [CVSSScore] = []
        for s in try v.array("scores") {
            for (key, fallback) in [("cvss_v4", "4.0"), ("cvss_v3", "3.1"), ("cvss_v2", "2.0")] {
                guard let c = try s.member(key) else { continue }
                guard let base = try c.number("baseScore") else { throw AdvisoryReadError(path: "\(c.path).baseScore", "is required") }
                    guard base.isFinite, (0...10).contains(base) else { throw AdvisoryReadError(path: "\(c.path).baseScore", "must be a CVSS score from 0 to 10") }
                scores.append(CVSSScore(version: try c.string("version") ?? fallback, baseScore: base, vector: try c.string("vectorString"),
                                        severity: try c.string("baseSeverity")))
            }
        }
        return CSAFVulnerability(
            cve: try v.string("cve")?.trimmingCharacters(in: .whitespaces).uppercased(), title: try v.string("title"),
            description: try notes.first { try $0.string("category") == "description" }?.string("text"),
            cwes: cwes,
            affectedProductIds: try ids(status, ["known_affected", "first_affected", "last_affected"]),
            fixedProductIds: try ids(status, ["fixed", "first_fixed"]),
            remediations: remediations, scores: scores)
    }

    static func remediationText(_ vulnerabilities: [CSAFVulnerability]) -> String {
        var groups: [(category: String, text: String, cves: [String])] = []
        for v in vulnerabilities {
            for r in v.remediations {
                let text = r.details.trimmingCharacters(in: .whitespacesAndNewlines) + (r.url.map { " (\($0))" } ?? "")
                if let i = groups.firstIndex(where: { $0.category == r.category && $0.text == text }) {
                    if let cve = v.cve, !groups[i].cves.contains(cve) { groups[i].cves.append(cve) }
                } else {
                    groups.append((r.category, text, v.cve.map { [$0] } ?? []))
                }
            }
        }
        let ordered = groups.filter { $0.category == "vendor_fix" } + groups.filter { $0.category != "vendor_fix" }
        return ordered.map { ($0.cves.isEmpty ? "" : $0.cves.joined(separator: ", ") + ": ") + $0.text }.joined(separator: "\n")
    }
}

/// The parts of a package URL (`pkg:rpm/redhat/httpd@2.4.57-8.el9?arch=x86_64&epoch=1`) a product needs.
struct PackageURL {
    var type: String
    var namespace: String?
    var name: String
    var version: String?
    var epoch: String?

    init?(_ text: String) {
        guard text.lowercased().hasPrefix("pkg:") else { return nil }
        var rest = Substring(text.dropFirst(4))
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        var qualifiers: [String: String] = [:]
        if let q = rest.firstIndex(of: "?") {
            for pair in rest[rest.index(after: q)...].split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1)
                if kv.count == 2 { qualifiers[kv[0].lowercased()] = String(kv[1]).removingPercentEncoding }
            }
            rest = rest[..<q]
        }
        if let at = rest.lastIndex(of: "@") {
            version = String(rest[rest.index(after: at)...]).removingPercentEncoding
            rest = rest[..<at]
        }
        let parts = rest.split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) }
        guard parts.count >= 2 else { return nil }
        type = parts[0]
        name = parts[parts.count - 1]
        namespace = parts.count > 2 ? parts[1..<(parts.count - 1)].joined(separator: "/") : nil
        epoch = qualifiers["epoch"].flatMap { $0 == "0" ? nil : $0 }
    }
}
