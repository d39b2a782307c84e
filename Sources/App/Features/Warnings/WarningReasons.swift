import Foundation
import Domain

/// Why a system is affected, as stored in `warning_systems.reasons` (a JSON array): for a match, which component met
/// which criterion of which affected product, the version range it fell in and, when the component had no CPE of its
/// own, the CPE derived from its vendor, product and version; for a row added by hand, the coordinator's reason.
struct WarningReason: Codable, Sendable, Equatable {
    /// "match" or "manual".
    var kind: String
    var componentId: UUID?
    /// The component's name as the system lists it.
    var component: String?
    /// The component's vendor, product and version, or its CPE, as compared.
    var componentText: String?
    /// The product criterion that matched: a CPE 2.3 match string, or "vendor product".
    var criteria: String?
    /// The version range that held ("≥ 2.4.0, < 2.4.58"); nil when every version is affected.
    var range: String?
    /// The CPE built from the component's vendor, product and version when it had none of its own.
    var derivedCpe: String?
    /// The matcher's own words, both languages.
    var explanationVi: String?
    var explanationEn: String?
    /// Manual: the coordinator's reason, who and when.
    var note: String?
    var by: String?
    var at: Date?

    static func manual(_ note: String, by: String, at: Date) -> WarningReason {
        WarningReason(kind: "manual", note: note, by: by, at: at)
    }

    func explanation(_ lang: Lang) -> String? { lang == .vi ? explanationVi : explanationEn }
}

enum WarningReasons {
    static func encode(_ reasons: [WarningReason]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: (try? encoder.encode(reasons)) ?? Data("[]".utf8), as: UTF8.self)
    }

    static func decode(_ text: String) -> [WarningReason] {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return (try? decoder.decode([WarningReason].self, from: Data(text.utf8))) ?? []
    }
}
