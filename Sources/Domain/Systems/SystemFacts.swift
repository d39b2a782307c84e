import Foundation

// The facts about an information system (HTTT) that the Decree 85 level criteria and the
// obligation rules read. Raw values are stored in the database and used in the API and rule data.

public enum FunctionType: String, CaseIterable, Codable, Sendable {
    case `internal`
    case citizenBusiness = "citizen_business"
    case infrastructure
    case industrialControl = "industrial_control"
    case other
}

public enum InformationClass: String, CaseIterable, Codable, Sendable {
    case `public`
    case `private`
    case personal
    /// State secret, grade Mật.
    case secretConfidential = "secret_confidential"
    /// State secret, grade Tối mật.
    case secretSecret = "secret_secret"
    /// State secret, grade Tuyệt mật.
    case secretTop = "secret_top"

    public var isStateSecret: Bool {
        switch self {
        case .secretConfidential, .secretSecret, .secretTop: true
        default: false
        }
    }
}

/// Online public service level (Circular 32/2017 levels 1–4) or category (Decree 42/2022: partial /
/// full-process). How the new categories map onto Decree 85 thresholds is rule data.
public enum OnlineServiceLevel: String, CaseIterable, Codable, Sendable {
    case none
    case informationOnly = "information_only"
    case level1, level2, level3, level4
    case partial
    case fullProcess = "full_process"
}

public enum InfrastructureScope: String, CaseIterable, Codable, Sendable {
    case none
    case singleAgency = "single_agency"
    case sectorOrProvince = "sector_or_province"
    case national
    case international
}

/// For industrial control systems: what the system directly controls.
public enum IndustrialControlCriticality: String, CaseIterable, Codable, Sendable {
    case none
    case constructionWorks = "construction_works"
    case importantWorks = "important_works"
    case nationalSecurityWorks = "national_security_works"
}

public enum LifecycleStatus: String, CaseIterable, Codable, Sendable {
    case planned, building, operating, retired
}

public enum HostingKind: String, CaseIterable, Codable, Sendable {
    case ownServerRoom = "own_server_room"
    case provincialDataCentre = "provincial_data_centre"
    case cloud
}

/// What the level engine reads. The same JSON is the body of `POST /api/v1/classification/evaluate`
/// and the file of `ungcuu classify`.
public struct ClassificationInput: Codable, Sendable, Equatable {
    public var name: String?
    public var functionType: FunctionType
    public var informationClasses: [InformationClass]
    /// Number of users whose private or personal information the system holds.
    public var personalDataSubjects: Int
    public var onlineServiceLevel: OnlineServiceLevel
    /// Provides online services on the list of conditional business lines.
    public var conditionalBusiness: Bool
    public var infrastructureScope: InfrastructureScope
    public var industrialControl: IndustrialControlCriticality
    /// Must run 24/7 and cannot accept unplanned downtime.
    public var operates24x7: Bool
    /// National system serving e-Government.
    public var nationalEGovernment: Bool
    /// National system storing especially important national data centrally.
    public var storesNationalData: Bool
    /// Listed as a national important information system (HTTT quan trọng quốc gia).
    public var nationalImportant: Bool
    /// Levels of component systems, where known (composite rule: the highest applies).
    public var components: [ComponentLevel]

    public struct ComponentLevel: Codable, Sendable, Equatable {
        public var name: String
        public var level: Int
        public init(name: String, level: Int) {
            self.name = name
            self.level = level
        }
    }

    public init(
        name: String? = nil, functionType: FunctionType, informationClasses: [InformationClass],
        personalDataSubjects: Int = 0, onlineServiceLevel: OnlineServiceLevel = .none,
        conditionalBusiness: Bool = false, infrastructureScope: InfrastructureScope = .none,
        industrialControl: IndustrialControlCriticality = .none, operates24x7: Bool = false,
        nationalEGovernment: Bool = false, storesNationalData: Bool = false, nationalImportant: Bool = false,
        components: [ComponentLevel] = []
    ) {
        self.name = name
        self.functionType = functionType
        self.informationClasses = informationClasses
        self.personalDataSubjects = personalDataSubjects
        self.onlineServiceLevel = onlineServiceLevel
        self.conditionalBusiness = conditionalBusiness
        self.infrastructureScope = infrastructureScope
        self.industrialControl = industrialControl
        self.operates24x7 = operates24x7
        self.nationalEGovernment = nationalEGovernment
        self.storesNationalData = storesNationalData
        self.nationalImportant = nationalImportant
        self.components = components
    }
}

/// Text in both interface languages.
public struct LocalizedText: Codable, Sendable, Equatable, Hashable {
    public var vi: String
    public var en: String
    public init(vi: String, en: String) {
        self.vi = vi
        self.en = en
    }
    public func text(_ lang: String) -> String { lang == "en" ? en : vi }
}

/// How sure the domain reference is about a rule (domain.md §0).
public enum Confidence: String, Codable, Sendable, CaseIterable {
    case confirmed, partial, memory, guess
}

/// One legal reference behind a rule.
public struct LegalBasis: Codable, Sendable, Equatable, Hashable {
    public var document: String
    public var provision: String?
    public init(document: String, provision: String? = nil) {
        self.document = document
        self.provision = provision
    }
    public var citation: String { provision.map { "\($0) \(document)" } ?? document }
}
