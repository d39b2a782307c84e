import Foundation

/// Traffic Light Protocol 2.0 marking of a case item (note, observable, evidence, report). Ordered from the
/// least to the most restrictive. Raw values are stored.
public enum TLP: String, CaseIterable, Codable, Sendable, Comparable {
    case clear
    case green
    case amber
    case amberStrict = "amber_strict"
    case red

    public var order: Int { Self.allCases.firstIndex(of: self)! }

    public static func < (a: TLP, b: TLP) -> Bool { a.order < b.order }

    /// The label of the standard: `TLP:CLEAR`, `TLP:AMBER+STRICT`, …
    public var label: String {
        switch self {
        case .clear: "TLP:CLEAR"
        case .green: "TLP:GREEN"
        case .amber: "TLP:AMBER"
        case .amberStrict: "TLP:AMBER+STRICT"
        case .red: "TLP:RED"
        }
    }

    /// Reads a label or tag as STIX and MISP write it (`TLP:AMBER+STRICT`, `tlp:amber+strict`, `amber_strict`),
    /// including TLP 1.0's `WHITE` (now `CLEAR`).
    public init?(label: String) {
        var text = label.trimmingCharacters(in: .whitespaces).lowercased()
        if text.hasPrefix("tlp:") { text.removeFirst(4) }
        switch text {
        case "clear", "white": self = .clear
        case "green": self = .green
        case "amber": self = .amber
        case "amber+strict", "amber_strict", "amber-strict": self = .amberStrict
        case "red": self = .red
        default: return nil
        }
    }
}

/// Who may see a marked item of a case.
public enum TLPSharing {
    /// For an item of a case that is shared with the police: CLEAR, GREEN and AMBER items are visible to the
    /// police liaison; AMBER+STRICT stays within the owning organisation; RED only reaches the people named on
    /// the item. Whether the case itself is shared is the caller's check.
    public static func visibleToPolice(tlp: TLP, namedUserIds: some Sequence<UUID>, userId: UUID) -> Bool {
        switch tlp {
        case .clear, .green, .amber: true
        case .amberStrict: false
        case .red: namedUserIds.contains(userId)
        }
    }

    /// For people of the owning organisation (and those who oversee it) who may read the case: everything
    /// except RED items, which only the named people see.
    public static func visibleInOwningOrganisation(tlp: TLP, namedUserIds: some Sequence<UUID>, userId: UUID) -> Bool {
        tlp == .red ? namedUserIds.contains(userId) : true
    }

    /// Whether an item with this marking leaves the owning organisation when the case is shared with the police.
    public static func isSharedWithPolice(_ tlp: TLP) -> Bool { tlp <= .amber }
}
