import Foundation

/// A system an advisory affects, with the components that make it so and why.
public struct AdvisoryMatch: Sendable, Hashable, Codable {
    public var advisoryId: String
    public var systemKey: String
    /// The vulnerable components (at least one), one reason each.
    public var components: [ComponentMatch]
    /// Components satisfying a "running on/with" node of an AND configuration (`vulnerable: false`).
    public var platforms: [ComponentMatch]

    public var componentKeys: [String] { components.map(\.componentKey) }
    public var criteria: [String] {
        var seen = Set<String>()
        return components.map(\.criterion).filter { seen.insert($0).inserted }
    }

    /// Every reason in one text: the components' sentences, then the platforms'.
    public var reason: LocalizedText {
        let all = (components + platforms).map(\.reason.text)
        return LocalizedText(vi: all.map(\.vi).joined(separator: "; "), en: all.map(\.en).joined(separator: "; "))
    }
}

/// One component matched by one criterion or product.
public struct ComponentMatch: Sendable, Hashable, Codable {
    public var componentKey: String
    /// The CPE criterion, or for the product form "vendor product (ranges)".
    public var criterion: String
    public var reason: MatchReason
}

/// Why a component matched, as fields and as sentences.
public struct MatchReason: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// The component's version is within the criterion's or product's range.
        case versionInRange
        /// The criterion names the component's version (wildcards allowed).
        case exactVersion
        /// The criterion names a version equal to the component's under `VersionOrder` (`2.4` vs `2.4.0`).
        case equivalentVersion
        /// The criterion or product covers every version.
        case anyVersion
        /// The component is the platform a vulnerable component runs on or with.
        case platform
    }

    public var kind: Kind
    /// "Apache HTTP Server 2.4.57".
    public var componentName: String
    public var componentVersion: String?
    /// The CPE the component was matched with, formatted string.
    public var componentCPE: String
    public var cpeOrigin: CPEOrigin
    /// The range that contains the version (nil when the criterion has none).
    public var range: VersionRange?
    /// Index of the configuration in the advisory, for CPE criteria.
    public var configurationIndex: Int?
    /// The product of the product form ("Apache HTTP Server"), for product matches.
    public var productName: String?
    public var text: LocalizedText
}

enum ReasonText {
    static func cpe(_ cpe: String, _ origin: CPEOrigin) -> LocalizedText {
        switch origin {
        case .provided:
            return LocalizedText(vi: cpe, en: cpe)
        case .derived:
            return LocalizedText(vi: "CPE suy ra từ nhà cung cấp, sản phẩm và phiên bản: \(cpe)",
                                 en: "CPE derived from its vendor, product and version: \(cpe)")
        case .derivedReplacingInvalid:
            return LocalizedText(vi: "CPE khai báo không hợp lệ, CPE suy ra từ nhà cung cấp, sản phẩm và phiên bản: \(cpe)",
                                 en: "its CPE is invalid, so CPE derived from its vendor, product and version: \(cpe)")
        }
    }

    static func make(kind: MatchReason.Kind, component: String, cpe: LocalizedText, componentVersion: String?,
                     criterion: String, range: VersionRange?, productName: String?) -> LocalizedText {
        let en = "\(component) (\(cpe.en))", vi = "\(component) (\(cpe.vi))"
        let r = range ?? .any
        if let product = productName {
            if r.isAny {
                return LocalizedText(vi: "\(vi) là \(product), bị ảnh hưởng ở mọi phiên bản",
                                     en: "\(en) is \(product), affected in all versions")
            }
            return LocalizedText(vi: "\(vi) nằm trong các phiên bản \(r.vietnamese) của \(product)",
                                 en: "\(en) is within versions \(r.english) of \(product)")
        }
        switch kind {
        case .versionInRange:
            return LocalizedText(vi: "\(vi) nằm trong các phiên bản \(r.vietnamese)",
                                 en: "\(en) is within versions \(r.english)")
        case .exactVersion:
            return LocalizedText(vi: "\(vi) khớp đúng \(criterion)", en: "\(en) matches \(criterion) exactly")
        case .equivalentVersion:
            let v = componentVersion ?? ""
            return LocalizedText(vi: "\(vi) có phiên bản \(v), tương đương phiên bản nêu trong \(criterion)",
                                 en: "\(en) has version \(v), equal to the version named by \(criterion)")
        case .anyVersion:
            return LocalizedText(vi: "\(vi) khớp \(criterion), áp dụng cho mọi phiên bản",
                                 en: "\(en) matches \(criterion), which covers all versions")
        case .platform:
            return LocalizedText(vi: "\(vi) là nền tảng \(criterion) mà phần mềm có lỗ hổng chạy trên đó hoặc đi cùng",
                                 en: "\(en) is the platform \(criterion) the vulnerable software runs on or with")
        }
    }
}
