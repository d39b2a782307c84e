import Foundation

/// One CPE 2.3 match criterion of an NVD configuration (`cpeMatch` item): a CPE name that may hold ANY and
/// wildcards, an optional version range, and whether the matched product is vulnerable (`false` for the
/// platform a vulnerable product runs on or with).
///
/// NVD semantics: when the criterion's version is ANY, the component's version must lie in the range;
/// when it names a version, the component's must match it (wildcards allowed). Every other attribute must
/// match per NISTIR 7696 (criterion `*` matches anything, `sp1` only `sp1`).
public struct AffectedCriterion: Sendable, Hashable {
    /// The criterion as given (`cpe:2.3:a:apache:http_server:*:*:*:*:*:*:*:*`).
    public let criteria: String
    public let cpe: CPEName
    public let range: VersionRange
    public let vulnerable: Bool
    public let matchCriteriaId: String?

    // Precomputed for the matcher.
    /// `ProductNames.key` of a vendor and product without wildcards; nil when either is ANY or a pattern.
    let indexKey: String?
    /// The attributes besides part, vendor, product and version that are not ANY.
    let constraints: [Constraint]
    /// The criterion's version when it is a literal without wildcards.
    let versionKey: ComparableVersion?

    struct Constraint: Sendable, Hashable {
        let attribute: Int
        let value: CPEValue
    }

    public init(criteria: String, versionStartIncluding: String? = nil, versionStartExcluding: String? = nil,
                versionEndIncluding: String? = nil, versionEndExcluding: String? = nil,
                vulnerable: Bool = true, matchCriteriaId: String? = nil) throws(CPEParseError) {
        let range = VersionRange(startIncluding: versionStartIncluding, startExcluding: versionStartExcluding,
                                 endIncluding: versionEndIncluding, endExcluding: versionEndExcluding)
        self.init(cpe: try CPEName(criteria), criteria: criteria, range: range, vulnerable: vulnerable,
                  matchCriteriaId: matchCriteriaId)
    }

    public init(cpe: CPEName, range: VersionRange = .any, vulnerable: Bool = true, matchCriteriaId: String? = nil) {
        self.init(cpe: cpe, criteria: cpe.formattedString, range: range, vulnerable: vulnerable, matchCriteriaId: matchCriteriaId)
    }

    init(cpe: CPEName, criteria: String, range: VersionRange, vulnerable: Bool, matchCriteriaId: String?) {
        self.criteria = criteria
        self.cpe = cpe
        self.range = range
        self.vulnerable = vulnerable
        self.matchCriteriaId = matchCriteriaId
        if case .text(let v) = cpe.vendor, !v.hasWildcards, case .text(let p) = cpe.product, !p.hasWildcards {
            indexKey = ProductNames.key(vendor: v.folded, product: p.folded)
        } else {
            indexKey = nil
        }
        constraints = (4...10).compactMap { cpe.values[$0] == .any ? nil : Constraint(attribute: $0, value: cpe.values[$0]) }
        if case .text(let v) = cpe.version, !v.hasWildcards {
            versionKey = ComparableVersion(v.literal)
        } else {
            versionKey = nil
        }
    }
}

extension AffectedCriterion: Codable {
    enum CodingKeys: String, CodingKey {
        case criteria, versionStartIncluding, versionStartExcluding, versionEndIncluding, versionEndExcluding, vulnerable, matchCriteriaId
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(criteria: c.decode(String.self, forKey: .criteria),
                      versionStartIncluding: c.decodeIfPresent(String.self, forKey: .versionStartIncluding),
                      versionStartExcluding: c.decodeIfPresent(String.self, forKey: .versionStartExcluding),
                      versionEndIncluding: c.decodeIfPresent(String.self, forKey: .versionEndIncluding),
                      versionEndExcluding: c.decodeIfPresent(String.self, forKey: .versionEndExcluding),
                      vulnerable: c.decodeIfPresent(Bool.self, forKey: .vulnerable) ?? true,
                      matchCriteriaId: c.decodeIfPresent(String.self, forKey: .matchCriteriaId))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(criteria, forKey: .criteria)
        try c.encodeIfPresent(range.startIncluding, forKey: .versionStartIncluding)
        try c.encodeIfPresent(range.startExcluding, forKey: .versionStartExcluding)
        try c.encodeIfPresent(range.endIncluding, forKey: .versionEndIncluding)
        try c.encodeIfPresent(range.endExcluding, forKey: .versionEndExcluding)
        try c.encode(vulnerable, forKey: .vulnerable)
        try c.encodeIfPresent(matchCriteriaId, forKey: .matchCriteriaId)
    }
}

/// How the parts of a node or configuration combine.
public enum MatchOperator: String, Sendable, Hashable, Codable {
    case and = "AND", or = "OR"
}

/// An NVD configuration node: criteria joined by AND or OR, the result negated when `negate`.
public struct AffectedNode: Sendable, Hashable, Codable {
    public var `operator`: MatchOperator
    public var negate: Bool
    public var criteria: [AffectedCriterion]

    public init(_ op: MatchOperator = .or, negate: Bool = false, criteria: [AffectedCriterion]) {
        self.operator = op
        self.negate = negate
        self.criteria = criteria
    }
}

/// An NVD configuration: one node, or nodes joined by `operator` (AND for "running on/with": the vulnerable
/// software in one node, the platform, `vulnerable: false`, in another). A system satisfies it when its
/// components do: for AND, some component satisfies each node.
public struct AffectedConfiguration: Sendable, Hashable, Codable {
    public var `operator`: MatchOperator
    public var nodes: [AffectedNode]

    public init(_ op: MatchOperator = .or, nodes: [AffectedNode]) {
        self.operator = op
        self.nodes = nodes
    }

    /// A configuration of one OR node.
    public init(criteria: [AffectedCriterion]) {
        self.init(nodes: [AffectedNode(criteria: criteria)])
    }
}

/// The simple product form of manual warnings and CSAF: vendor and product names (matched normalised, see
/// `ProductNames`) and the affected versions, also against components that have no CPE.
public struct AffectedProduct: Sendable, Hashable {
    /// Name shown in reasons ("Apache HTTP Server 2.4.0 - 2.4.57"); defaults to vendor and product.
    public var name: String
    public let vendor: String
    public let product: String
    /// Any of these ranges; empty means every version.
    public var ranges: [VersionRange]
    /// Versions excluded from the ranges (`vers` `!=`).
    public var excludedVersions: [String]
    /// The product's id in its source (CSAF `product_id`).
    public var productId: String?
    let key: String
    let excludedKeys: [ComparableVersion]

    public init(vendor: String, product: String, ranges: [VersionRange] = [], excludedVersions: [String] = [],
                name: String? = nil, productId: String? = nil) {
        self.vendor = vendor
        self.product = product
        self.ranges = ranges.contains(where: \.isAny) ? [] : ranges
        self.excludedVersions = excludedVersions
        self.name = name ?? "\(vendor) \(product)"
        self.productId = productId
        key = ProductNames.key(vendor: vendor, product: product)
        excludedKeys = excludedVersions.map(ComparableVersion.init)
    }

    /// Reads each version expression with `VersionRange(parsing:)`, or `VersionRange.parseVers` for
    /// `vers:` strings: `["< 2.4.58"]`, `[">= 2.4.0 < 2.4.58", "= 1.2.3"]`, `["*"]`.
    public init(vendor: String, product: String, versions: [String], name: String? = nil, productId: String? = nil) throws(VersionRangeError) {
        var ranges: [VersionRange] = [], excluded: [String] = []
        for v in versions {
            if v.trimmingCharacters(in: .whitespaces).lowercased().hasPrefix("vers:") {
                let parsed = try VersionRange.parseVers(v)
                ranges += parsed.ranges
                excluded += parsed.excluded
            } else {
                ranges.append(try VersionRange(parsing: v))
            }
        }
        self.init(vendor: vendor, product: product, ranges: ranges, excludedVersions: excluded, name: name, productId: productId)
    }

    /// Whether a version is affected (nil version: only when every version is).
    public func contains(_ version: ComparableVersion?) -> Bool {
        guard let v = version else { return ranges.isEmpty && excludedKeys.isEmpty }
        if excludedKeys.contains(v) { return false }
        return ranges.isEmpty || ranges.contains { $0.contains(v) }
    }
}

extension AffectedProduct: Codable {
    enum CodingKeys: String, CodingKey {
        case name, vendor, product, ranges, excludedVersions, productId
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(vendor: try c.decode(String.self, forKey: .vendor), product: try c.decode(String.self, forKey: .product),
                  ranges: try c.decodeIfPresent([VersionRange].self, forKey: .ranges) ?? [],
                  excludedVersions: try c.decodeIfPresent([String].self, forKey: .excludedVersions) ?? [],
                  name: try c.decodeIfPresent(String.self, forKey: .name),
                  productId: try c.decodeIfPresent(String.self, forKey: .productId))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(vendor, forKey: .vendor)
        try c.encode(product, forKey: .product)
        try c.encode(ranges, forKey: .ranges)
        try c.encode(excludedVersions, forKey: .excludedVersions)
        try c.encodeIfPresent(productId, forKey: .productId)
    }
}

/// What an advisory (an NVD CVE, a CSAF document, an authority's warning) affects.
/// A system is affected when some configuration is satisfied by its components, or some product matches one.
public struct Advisory: Sendable, Hashable, Codable {
    /// `CVE-2024-1234`, `RHSA-2024:1234`, a warning number.
    public var id: String
    public var title: String
    /// CVE ids the advisory covers (its own id for an NVD record).
    public var cves: [String]
    public var configurations: [AffectedConfiguration]
    public var products: [AffectedProduct]

    public init(id: String, title: String, cves: [String] = [], configurations: [AffectedConfiguration] = [],
                products: [AffectedProduct] = []) {
        self.id = id
        self.title = title
        self.cves = cves
        self.configurations = configurations
        self.products = products
    }
}

/// Normalised vendor and product names, so "Apache HTTP-Server", `apache:http_server` and a CSAF branch
/// "Apache" / "Apache HTTP Server" meet.
public enum ProductNames {
    /// Lowercased; spaces, tabs and hyphens become `_`; runs of `_` collapse; `_` trimmed at the ends.
    public static func normalise(_ name: String) -> String {
        var out: [UInt8] = []
        var lastUnderscore = true
        let lower = name.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A || $0 >= 0x80 }) ? name.lowercased() : name
        for b in lower.utf8 {
            if b == 0x20 || b == 0x09 || b == 0x2D || b == 0x5F || b == 0x0A {
                if !lastUnderscore { out.append(0x5F) }
                lastUnderscore = true
            } else {
                out.append(b)
                lastUnderscore = false
            }
        }
        if out.last == 0x5F { out.removeLast() }
        return String(decoding: out, as: UTF8.self)
    }

    /// `vendor` + `product`, both normalised, the vendor's name dropped from the start of the product
    /// ("Apache" / "Apache HTTP Server" is `apache` / `http_server`).
    public static func key(vendor: String, product: String) -> String {
        let v = normalise(vendor)
        var p = normalise(product)
        if !v.isEmpty, p.count > v.count + 1, p.hasPrefix(v + "_") { p = String(p.dropFirst(v.count + 1)) }
        return v + "\u{1}" + p
    }
}
