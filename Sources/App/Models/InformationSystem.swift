import Domain
import Fluent
import Foundation

/// An information system (HTTT) of an agency: the subject of level determination, controls and duties.
final class InformationSystem: Model, @unchecked Sendable {
    static let schema = "information_systems"

    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    @Parent(key: "agency_id") var agency: Agency
    @Children(for: \.$system) var components: [SystemComponent]

    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @Field(key: "owner_name") var ownerName: String
    @Field(key: "operator_name") var operatorName: String
    @OptionalField(key: "purpose") var purpose: String?
    @Field(key: "function_type") var functionType: FunctionType
    /// Comma-separated ``InformationClass`` raw values.
    @Field(key: "information_classes") var informationClassesText: String
    @Field(key: "personal_data_subjects") var personalDataSubjects: Int
    @Field(key: "online_service_level") var onlineServiceLevel: OnlineServiceLevel
    @Field(key: "conditional_business") var conditionalBusiness: Bool
    @Field(key: "infrastructure_scope") var infrastructureScope: InfrastructureScope
    @Field(key: "industrial_control") var industrialControl: IndustrialControlCriticality
    @Field(key: "operates_24x7") var operates24x7: Bool
    @Field(key: "national_e_government") var nationalEGovernment: Bool
    @Field(key: "stores_national_data") var storesNationalData: Bool
    @Field(key: "national_important") var nationalImportant: Bool
    @Field(key: "lifecycle") var lifecycle: LifecycleStatus
    @OptionalField(key: "go_live_date") var goLiveDate: Date?
    @Field(key: "hosting") var hosting: HostingKind
    @OptionalField(key: "hosting_provider") var hostingProvider: String?
    /// One address or CIDR range per line.
    @OptionalField(key: "network_addresses") var networkAddresses: String?
    @OptionalField(key: "domains") var domains: String?
    @OptionalField(key: "urls") var urls: String?
    @OptionalField(key: "contact_name") var contactName: String?
    @OptionalField(key: "contact_phone") var contactPhone: String?
    @OptionalField(key: "contact_email") var contactEmail: String?
    /// The level the engine proposed at the last evaluation.
    @OptionalField(key: "proposed_level") var proposedLevel: Int?
    /// The level of the approved dossier in force.
    @OptionalField(key: "approved_level") var approvedLevel: Int?
    @OptionalField(key: "approved_at") var approvedAt: Date?
    @Field(key: "needs_redetermination") var needsRedetermination: Bool
    @OptionalField(key: "redetermination_fields") var redeterminationFields: String?
    /// Increases with every saved change; the revision history is numbered by it.
    @Field(key: "revision") var revision: Int
    @Field(key: "search_text") var searchText: String

    init() {}

    var informationClasses: [InformationClass] {
        get { informationClassesText.split(separator: ",").compactMap { InformationClass(rawValue: String($0)) } }
        set { informationClassesText = newValue.map(\.rawValue).joined(separator: ",") }
    }

    /// The level that applies now: the approved one, else none.
    var currentLevel: Int? { approvedLevel }

    func classificationInput(components: [SystemComponent]) -> ClassificationInput {
        ClassificationInput(
            name: name, functionType: functionType, informationClasses: informationClasses,
            personalDataSubjects: personalDataSubjects, onlineServiceLevel: onlineServiceLevel,
            conditionalBusiness: conditionalBusiness, infrastructureScope: infrastructureScope,
            industrialControl: industrialControl, operates24x7: operates24x7,
            nationalEGovernment: nationalEGovernment, storesNationalData: storesNationalData,
            nationalImportant: nationalImportant,
            components: components.compactMap { c in c.level.map { .init(name: c.name, level: $0) } })
    }
}

/// A part of a system: software, hardware or a component system with its own level.
final class SystemComponent: Model, @unchecked Sendable {
    static let schema = "system_components"

    @ID(key: .id) var id: UUID?
    @Parent(key: "system_id") var system: InformationSystem
    @Field(key: "position") var position: Int
    @Field(key: "name") var name: String
    @OptionalField(key: "vendor") var vendor: String?
    @OptionalField(key: "product") var product: String?
    @OptionalField(key: "version") var version: String?
    /// CPE 2.3 formatted string, used later to match advisories.
    @OptionalField(key: "cpe") var cpe: String?
    /// Security level of a component system, when it has one.
    @OptionalField(key: "level") var level: Int?

    init() {}

    init(systemId: UUID, position: Int, name: String, vendor: String?, product: String?, version: String?, cpe: String?, level: Int?) {
        self.$system.id = systemId
        self.position = position
        self.name = name
        self.vendor = vendor
        self.product = product
        self.version = version
        self.cpe = cpe
        self.level = level
    }
}

/// A dated copy of a system as it was after one change.
final class SystemRevision: Model, @unchecked Sendable {
    static let schema = "system_revisions"

    @ID(key: .id) var id: UUID?
    @Parent(key: "system_id") var system: InformationSystem
    @Field(key: "number") var number: Int
    @Field(key: "changed_at") var changedAt: Date
    @OptionalField(key: "changed_by") var changedBy: UUID?
    @Field(key: "changed_by_name") var changedByName: String
    @Field(key: "action") var action: String
    /// ``SystemSnapshot`` as JSON.
    @Field(key: "snapshot") var snapshot: String

    init() {}
}
