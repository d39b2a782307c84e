import Foundation

/// Fixed STIX 2.1 identifiers and the mapping between UngCuu observable types and STIX objects.
enum STIXVocabulary {
    /// The TLP 2.0 extension of the OASIS CTI TC (oasis-open/cti-stix-common-objects,
    /// extension-definition-specifications/tlp-2.0).
    static let tlp2ExtensionID = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
    static let tlp2Created = "2022-10-01T00:00:00.000Z"

    /// The official TLP 2.0 marking-definition ids.
    static func markingID(_ tlp: ExchangeTLP) -> String {
        switch tlp {
        case .clear: return "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"
        case .green: return "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"
        case .amber: return "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"
        case .amberStrict: return "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003"
        case .red: return "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"
        }
    }

    /// TLP 1.0 marking definitions of the STIX 2.1 specification (§7.2.1.4), read on import.
    static let tlp1MarkingIDs: [String: ExchangeTLP] = [
        "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9": .clear,
        "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da": .green,
        "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82": .amber,
        "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed": .red,
    ]

    static let knownMarkingIDs: [String: ExchangeTLP] = {
        var ids = tlp1MarkingIDs
        for tlp in ExchangeTLP.allCases { ids[markingID(tlp)] = tlp }
        return ids
    }()

    /// The TLP 2.0 marking-definition object, exactly as published.
    static func markingDefinition(_ tlp: ExchangeTLP) -> JSONObject {
        JSONObject([
            ("type", .string("marking-definition")),
            ("spec_version", .string("2.1")),
            ("id", .string(markingID(tlp))),
            ("created", .string(tlp2Created)),
            ("name", .string(tlp.label)),
            ("extensions", .object(JSONObject([
                (tlp2ExtensionID, .object(JSONObject([
                    ("extension_type", .string("property-extension")),
                    ("tlp_2_0", .string(tlp2Value(tlp))),
                ]))),
            ]))),
        ])
    }

    /// "clear", "green", "amber", "amber+strict", "red".
    static func tlp2Value(_ tlp: ExchangeTLP) -> String {
        tlp == .amberStrict ? "amber+strict" : tlp.rawValue
    }

    /// STIX hash algorithm names (hash-algorithm-ov).
    static func hashName(_ type: ExchangeObservableType) -> String? {
        switch type {
        case .md5: return "MD5"
        case .sha1: return "SHA-1"
        case .sha256: return "SHA-256"
        case .sha512: return "SHA-512"
        default: return nil
        }
    }

    /// The UngCuu hash type of a STIX (or loosely written) hash algorithm name: "SHA-256", "sha256", "SHA256".
    static func hashType(_ name: String) -> ExchangeObservableType? {
        switch name.lowercased().replacingOccurrences(of: "-", with: "").replacingOccurrences(of: "_", with: "") {
        case "md5": return .md5
        case "sha1": return .sha1
        case "sha256": return .sha256
        case "sha512": return .sha512
        default: return nil
        }
    }

    /// Marks a `note` that carries an observable of type `other` (STIX has no object for it).
    static let otherObservableLabel = "ungcuu-observable-other"
}
