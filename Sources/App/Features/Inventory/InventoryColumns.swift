import Foundation
import Domain
import Formats

/// The inventory spreadsheet's columns, shared by export and import so that an exported file imports back.
enum InventoryColumns {
    struct Column: Sendable {
        let key: String
        let titleKey: String
        let required: Bool
        let width: Double
    }

    static let systems: [Column] = [
        .init(key: "agencyCode", titleKey: "inventory.agencyCode", required: true, width: 14),
        .init(key: "code", titleKey: "field.code", required: true, width: 14),
        .init(key: "name", titleKey: "systems.name", required: true, width: 36),
        .init(key: "ownerName", titleKey: "systems.ownerName", required: true, width: 28),
        .init(key: "operatorName", titleKey: "systems.operatorName", required: true, width: 28),
        .init(key: "purpose", titleKey: "systems.purpose", required: false, width: 30),
        .init(key: "functionType", titleKey: "systems.functionType", required: true, width: 22),
        .init(key: "informationClasses", titleKey: "systems.informationClasses", required: true, width: 26),
        .init(key: "personalDataSubjects", titleKey: "systems.personalDataSubjects", required: false, width: 14),
        .init(key: "onlineServiceLevel", titleKey: "systems.onlineServiceLevel", required: false, width: 18),
        .init(key: "conditionalBusiness", titleKey: "systems.conditionalBusiness", required: false, width: 12),
        .init(key: "infrastructureScope", titleKey: "systems.infrastructureScope", required: false, width: 18),
        .init(key: "industrialControl", titleKey: "systems.industrialControl", required: false, width: 18),
        .init(key: "operates24x7", titleKey: "systems.operates24x7", required: false, width: 10),
        .init(key: "nationalEGovernment", titleKey: "systems.nationalEGovernment", required: false, width: 10),
        .init(key: "storesNationalData", titleKey: "systems.storesNationalData", required: false, width: 10),
        .init(key: "nationalImportant", titleKey: "systems.nationalImportant", required: false, width: 10),
        .init(key: "lifecycle", titleKey: "systems.lifecycle", required: true, width: 14),
        .init(key: "goLiveDate", titleKey: "systems.goLiveDate", required: false, width: 12),
        .init(key: "hosting", titleKey: "systems.hosting", required: true, width: 18),
        .init(key: "hostingProvider", titleKey: "systems.hostingProvider", required: false, width: 18),
        .init(key: "networkAddresses", titleKey: "systems.networkAddresses", required: false, width: 20),
        .init(key: "domains", titleKey: "systems.domains", required: false, width: 20),
        .init(key: "urls", titleKey: "systems.urls", required: false, width: 24),
        .init(key: "contactName", titleKey: "systems.contactName", required: false, width: 20),
        .init(key: "contactPhone", titleKey: "field.contactPhone", required: false, width: 14),
        .init(key: "contactEmail", titleKey: "field.contactEmail", required: false, width: 22),
        .init(key: "approvedLevel", titleKey: "inventory.approvedLevel", required: false, width: 10),
        .init(key: "proposedLevel", titleKey: "inventory.proposedLevel", required: false, width: 10),
    ]

    /// Header matching accepts the Vietnamese title, the English title and the key itself.
    static var headerMap: HeaderMap {
        HeaderMap(systems.map { c in
            HeaderMap.Column(c.key, aliases: [Localizer(lang: .vi)(c.titleKey), Localizer(lang: .en)(c.titleKey), c.key], required: c.required)
        })
    }

    /// Enumerations accept their code or either language's label, ignoring case and diacritics.
    static func enumValue<E: RawRepresentable & CaseIterable>(_ raw: String, _ type: E.Type, prefix: String) -> String where E.RawValue == String {
        let folded = SearchText.fold(raw)
        guard !folded.isEmpty else { return "" }
        for value in E.allCases {
            let labels = [value.rawValue, Localizer(lang: .vi)("\(prefix).\(value.rawValue)"), Localizer(lang: .en)("\(prefix).\(value.rawValue)")]
            if labels.contains(where: { SearchText.fold($0) == folded }) { return value.rawValue }
        }
        return raw  // validation names the bad value
    }

}
