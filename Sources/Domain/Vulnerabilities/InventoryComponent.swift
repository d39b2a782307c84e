import Foundation

/// A component of an information system as the vulnerability matcher sees it. Keys are opaque strings
/// (a UUID's text, or anything unique), so the matcher does not depend on how systems are stored.
public struct InventoryComponent: Sendable, Hashable, Codable {
    public var systemKey: String
    public var componentKey: String
    /// Shown in reasons ("Apache HTTP Server").
    public var name: String
    public var vendor: String?
    /// The product name; `name` stands in when it is nil.
    public var product: String?
    public var version: String?
    /// A CPE 2.3 formatted string or URI (`cpe:/a:…` from nmap); nil when not known.
    public var cpe: String?

    public init(systemKey: String, componentKey: String, name: String, vendor: String? = nil, product: String? = nil,
                version: String? = nil, cpe: String? = nil) {
        self.systemKey = systemKey
        self.componentKey = componentKey
        self.name = name
        self.vendor = vendor
        self.product = product
        self.version = version
        self.cpe = cpe
    }

    /// The CPE the matcher uses: the given one, else `cpe:2.3:a:<vendor>:<product>:<version>:*:*:*:*:*:*:*`
    /// from the normalised names (`ProductNames`), or nil when there is no vendor to derive it from.
    public func resolvedCPE() -> (name: CPEName, origin: CPEOrigin)? {
        var invalid: String?
        if let text = cpe?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            do {
                return (try CPEName(text), .provided)
            } catch {
                invalid = error.description
            }
        }
        guard let vendor = nonEmpty(vendor), let product = nonEmpty(product) ?? nonEmpty(name) else { return nil }
        let (v, p) = ProductNames.split(vendor: vendor, product: product)
        guard !v.isEmpty, !p.isEmpty else { return nil }
        let versionValue: CPEValue = nonEmpty(version).map(CPEValue.literal) ?? .any
        let derived = CPEName(part: .literal("a"), vendor: .literal(v), product: .literal(p), version: versionValue)
        return (derived, invalid.map(CPEOrigin.derivedReplacingInvalid) ?? .derived)
    }

    /// "Apache HTTP Server 2.4.57": the name, and the version unless the name already shows it.
    public var displayName: String {
        guard let v = nonEmpty(version), !name.contains(v) else { return name }
        return name.isEmpty ? v : "\(name) \(v)"
    }

    private func nonEmpty(_ s: String?) -> String? {
        guard let t = s?.trimmingCharacters(in: .whitespaces), !t.isEmpty else { return nil }
        return t
    }
}

/// Where a component's CPE came from.
public enum CPEOrigin: Sendable, Hashable, Codable {
    /// The component's own CPE.
    case provided
    /// Derived from vendor, product and version: the component has no CPE.
    case derived
    /// Derived, because the component's CPE could not be read (the parse error).
    case derivedReplacingInvalid(String)

    public var isDerived: Bool { self != .provided }
}

extension ProductNames {
    /// The normalised vendor and product of `key(vendor:product:)`.
    public static func split(vendor: String, product: String) -> (vendor: String, product: String) {
        let parts = key(vendor: vendor, product: product).split(separator: "\u{1}", maxSplits: 1, omittingEmptySubsequences: false)
        return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
    }
}
