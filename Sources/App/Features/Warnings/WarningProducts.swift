import Foundation
import Domain

/// One affected-product row as shown and edited: vendor, product, the version range as text, the CPE 2.3 match
/// criteria. Rows from an NVD record may also name a platform (`vulnerable` false): not affected itself, but the
/// vulnerable product is affected only when running on or with it.
struct WarningProduct: Codable, Sendable, Equatable {
    var vendor: String?
    var product: String?
    /// "< 2.4.58", ">= 2.4.0, < 2.4.58", "= 2.4.57", "*".
    var versions: String?
    var cpe: String?
    /// nil or true: affected; false: a platform of an NVD configuration.
    var vulnerable: Bool?

    var isPlatform: Bool { vulnerable == false }
}

/// What `authority_warnings.products` holds: the rows people see and edit, and what the matcher reads
/// (NVD configurations with their CPE criteria and version ranges, and vendor/product/version products).
struct WarningProductSet: Codable, Sendable, Equatable {
    var rows: [WarningProduct]
    var configurations: [AffectedConfiguration]
    var products: [AffectedProduct]

    static let empty = WarningProductSet(rows: [], configurations: [], products: [])

    /// Rows typed in the form or sent to the API: a row with a CPE becomes a criterion (its version range applies when
    /// the CPE's version is `*`), a row without one a vendor/product product matched by names and versions.
    static func fromRows(_ rows: [ValidRow]) -> WarningProductSet {
        var configurations: [AffectedConfiguration] = []
        var products: [AffectedProduct] = []
        for row in rows {
            if let cpe = row.cpe {
                configurations.append(AffectedConfiguration(criteria: [AffectedCriterion(cpe: cpe, range: row.range)]))
            } else if let vendor = row.row.vendor, let product = row.row.product {
                products.append(AffectedProduct(vendor: vendor, product: product, ranges: [row.range]))
            }
        }
        return WarningProductSet(rows: rows.map(\.row), configurations: configurations, products: products)
    }

    /// An imported advisory's configurations and products, with rows to show them.
    static func fromAdvisory(_ advisory: Advisory) -> WarningProductSet {
        var rows: [WarningProduct] = []
        for configuration in advisory.configurations {
            for node in configuration.nodes {
                for c in node.criteria {
                    rows.append(WarningProduct(vendor: c.cpe.vendor.text?.literal, product: c.cpe.product.text?.literal,
                                               versions: c.range.isAny ? nil : c.range.description, cpe: c.criteria,
                                               vulnerable: c.vulnerable ? nil : false))
                }
            }
        }
        for p in advisory.products {
            if p.ranges.isEmpty {
                rows.append(WarningProduct(vendor: p.vendor, product: p.product, versions: nil, cpe: nil))
            }
            for range in p.ranges {
                rows.append(WarningProduct(vendor: p.vendor, product: p.product, versions: range.isAny ? nil : range.description, cpe: nil))
            }
        }
        return WarningProductSet(rows: rows, configurations: advisory.configurations, products: advisory.products)
    }

    /// The matcher's view of a warning.
    func advisory(id: String, title: String, cves: [String]) -> Advisory {
        Advisory(id: id, title: title, cves: cves, configurations: configurations, products: products)
    }

    var isEmpty: Bool { configurations.isEmpty && products.isEmpty }

    struct ValidRow: Sendable {
        var row: WarningProduct
        var cpe: CPEName?
        var range: VersionRange
    }
}

enum WarningProducts {
    static func encode(_ set: WarningProductSet) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(set)) ?? Data("{}".utf8), as: UTF8.self)
    }

    static func set(_ text: String) -> WarningProductSet {
        (try? JSONDecoder().decode(WarningProductSet.self, from: Data(text.utf8))) ?? .empty
    }

    static func decode(_ text: String) -> [WarningProduct] { set(text).rows }
}
