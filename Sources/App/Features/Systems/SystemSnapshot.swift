import Foundation
import Domain

/// What a revision keeps of a system: every field and the components, as flat text so that two
/// revisions can be compared field by field.
struct SystemSnapshot: Codable, Sendable, Equatable {
    var fields: [String: String]
    var components: [String]

    init(_ s: InformationSystem, components: [SystemComponent], agencyName: String?) {
        var f: [String: String] = [
            "code": s.code, "name": s.name, "agency": agencyName ?? s.$agency.id.uuidString,
            "ownerName": s.ownerName, "operatorName": s.operatorName, "purpose": s.purpose ?? "",
            "functionType": s.functionType.rawValue,
            "informationClasses": s.informationClasses.map(\.rawValue).joined(separator: ", "),
            "personalDataSubjects": String(s.personalDataSubjects), "onlineServiceLevel": s.onlineServiceLevel.rawValue,
            "conditionalBusiness": String(s.conditionalBusiness), "infrastructureScope": s.infrastructureScope.rawValue,
            "industrialControl": s.industrialControl.rawValue, "operates24x7": String(s.operates24x7),
            "nationalEGovernment": String(s.nationalEGovernment), "storesNationalData": String(s.storesNationalData),
            "nationalImportant": String(s.nationalImportant), "lifecycle": s.lifecycle.rawValue,
            "goLiveDate": s.goLiveDate.map(DisplayTime.date) ?? "", "hosting": s.hosting.rawValue,
            "hostingProvider": s.hostingProvider ?? "", "networkAddresses": s.networkAddresses ?? "",
            "domains": s.domains ?? "", "urls": s.urls ?? "", "contactName": s.contactName ?? "",
            "contactPhone": s.contactPhone ?? "", "contactEmail": s.contactEmail ?? "",
            "approvedLevel": s.approvedLevel.map(String.init) ?? "",
        ]
        f = f.filter { !$0.value.isEmpty }
        fields = f
        self.components = components.sorted { $0.position < $1.position }.map { c in
            [c.name, c.vendor, c.product, c.version, c.cpe, c.level.map { "L\($0)" }].compactMap { $0 }.joined(separator: " · ")
        }
    }

    var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try! encoder.encode(self), as: UTF8.self)
    }

    static func decode(_ text: String) -> SystemSnapshot? {
        try? JSONDecoder().decode(SystemSnapshot.self, from: Data(text.utf8))
    }

    struct Change: Sendable, Equatable {
        var field: String
        var before: String?
        var after: String?
    }

    /// Field-by-field differences from `old` (nil for the first revision: everything is new).
    func changes(from old: SystemSnapshot?) -> [Change] {
        let before = old?.fields ?? [:]
        var result = Set(before.keys).union(fields.keys).sorted().compactMap { key -> Change? in
            before[key] == fields[key] ? nil : Change(field: key, before: before[key], after: fields[key])
        }
        let oldComponents = old?.components ?? []
        for removed in oldComponents where !components.contains(removed) {
            result.append(Change(field: "components", before: removed, after: nil))
        }
        for added in components where !oldComponents.contains(added) {
            result.append(Change(field: "components", before: nil, after: added))
        }
        return result
    }
}
