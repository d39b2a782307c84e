import Foundation
import Domain
import Vapor

/// A system as the API returns it.
struct SystemDTO: Content {
    var id: UUID
    var agencyId: UUID
    var code: String
    var name: String
    var ownerName: String
    var operatorName: String
    var purpose: String?
    var functionType: FunctionType
    var informationClasses: [InformationClass]
    var personalDataSubjects: Int
    var onlineServiceLevel: OnlineServiceLevel
    var conditionalBusiness: Bool
    var infrastructureScope: InfrastructureScope
    var industrialControl: IndustrialControlCriticality
    var operates24x7: Bool
    var nationalEGovernment: Bool
    var storesNationalData: Bool
    var nationalImportant: Bool
    var lifecycle: LifecycleStatus
    var goLiveDate: String?
    var hosting: HostingKind
    var hostingProvider: String?
    var networkAddresses: [String]
    var domains: [String]
    var urls: [String]
    var contactName: String?
    var contactPhone: String?
    var contactEmail: String?
    var proposedLevel: Int?
    var approvedLevel: Int?
    var approvedAt: String?
    var needsRedetermination: Bool
    var redeterminationFields: [String]
    var revision: Int
    var updatedAt: Date?
    var components: [ComponentDTO]?

    init(_ s: InformationSystem, components: [SystemComponent]? = nil) {
        id = s.id!
        agencyId = s.$agency.id
        code = s.code
        name = s.name
        ownerName = s.ownerName
        operatorName = s.operatorName
        purpose = s.purpose
        functionType = s.functionType
        informationClasses = s.informationClasses
        personalDataSubjects = s.personalDataSubjects
        onlineServiceLevel = s.onlineServiceLevel
        conditionalBusiness = s.conditionalBusiness
        infrastructureScope = s.infrastructureScope
        industrialControl = s.industrialControl
        operates24x7 = s.operates24x7
        nationalEGovernment = s.nationalEGovernment
        storesNationalData = s.storesNationalData
        nationalImportant = s.nationalImportant
        lifecycle = s.lifecycle
        goLiveDate = s.goLiveDate.map(DisplayTime.isoDay)
        hosting = s.hosting
        hostingProvider = s.hostingProvider
        networkAddresses = InventoryValidators.lines(s.networkAddresses)
        domains = InventoryValidators.lines(s.domains)
        urls = InventoryValidators.lines(s.urls)
        contactName = s.contactName
        contactPhone = s.contactPhone
        contactEmail = s.contactEmail
        proposedLevel = s.proposedLevel
        approvedLevel = s.approvedLevel
        approvedAt = s.approvedAt.map(DisplayTime.isoDay)
        needsRedetermination = s.needsRedetermination
        redeterminationFields = (s.redeterminationFields ?? "").split(separator: ",").map(String.init)
        revision = s.revision
        updatedAt = s.updatedAt
        self.components = components.map { $0.map(ComponentDTO.init) }
    }
}

struct ComponentDTO: Content {
    var id: UUID
    var name: String
    var vendor: String?
    var product: String?
    var version: String?
    var cpe: String?
    var level: Int?

    init(_ c: SystemComponent) {
        id = c.id!
        name = c.name
        vendor = c.vendor
        product = c.product
        version = c.version
        cpe = c.cpe
        level = c.level
    }
}

/// The API body for creating (all required fields) or patching (any subset) a system.
struct SystemWriteDTO: Content {
    var agencyId: String?
    var code: String?
    var name: String?
    var ownerName: String?
    var operatorName: String?
    var purpose: String?
    var functionType: String?
    var informationClasses: [String]?
    var personalDataSubjects: Int?
    var onlineServiceLevel: String?
    var conditionalBusiness: Bool?
    var infrastructureScope: String?
    var industrialControl: String?
    var operates24x7: Bool?
    var nationalEGovernment: Bool?
    var storesNationalData: Bool?
    var nationalImportant: Bool?
    var lifecycle: String?
    var goLiveDate: String?
    var hosting: String?
    var hostingProvider: String?
    var networkAddresses: [String]?
    var domains: [String]?
    var urls: [String]?
    var contactName: String?
    var contactPhone: String?
    var contactEmail: String?

    /// Fields present in the body replace those of `base`.
    func merged(into base: SystemInput) -> SystemInput {
        var i = base
        func b(_ v: Bool?) -> String? { v.map { $0 ? "true" : "" } }
        if let v = agencyId { i.agencyId = v }
        if let v = code { i.code = v }
        if let v = name { i.name = v }
        if let v = ownerName { i.ownerName = v }
        if let v = operatorName { i.operatorName = v }
        if let v = purpose { i.purpose = v }
        if let v = functionType { i.functionType = v }
        if let v = informationClasses { i.informationClasses = v }
        if let v = personalDataSubjects { i.personalDataSubjects = String(v) }
        if let v = onlineServiceLevel { i.onlineServiceLevel = v }
        if let v = b(conditionalBusiness) { i.conditionalBusiness = v }
        if let v = infrastructureScope { i.infrastructureScope = v }
        if let v = industrialControl { i.industrialControl = v }
        if let v = b(operates24x7) { i.operates24x7 = v }
        if let v = b(nationalEGovernment) { i.nationalEGovernment = v }
        if let v = b(storesNationalData) { i.storesNationalData = v }
        if let v = b(nationalImportant) { i.nationalImportant = v }
        if let v = lifecycle { i.lifecycle = v }
        if let v = goLiveDate { i.goLiveDate = v }
        if let v = hosting { i.hosting = v }
        if let v = hostingProvider { i.hostingProvider = v }
        if let v = networkAddresses { i.networkAddresses = v.joined(separator: "\n") }
        if let v = domains { i.domains = v.joined(separator: "\n") }
        if let v = urls { i.urls = v.joined(separator: "\n") }
        if let v = contactName { i.contactName = v }
        if let v = contactPhone { i.contactPhone = v }
        if let v = contactEmail { i.contactEmail = v }
        return i
    }
}

struct ComponentWriteDTO: Content {
    var name: String?
    var vendor: String?
    var product: String?
    var version: String?
    var cpe: String?
    var level: Int?

    func merged(into base: ComponentInput) -> ComponentInput {
        var i = base
        if let v = name { i.name = v }
        if let v = vendor { i.vendor = v }
        if let v = product { i.product = v }
        if let v = version { i.version = v }
        if let v = cpe { i.cpe = v }
        if let v = level { i.level = String(v) }
        return i
    }
}

struct RevisionDTO: Content {
    var number: Int
    var changedAt: Date
    var changedBy: String
    var action: String
    var changes: [Change]

    struct Change: Content {
        var field: String
        var before: String?
        var after: String?
    }
}

struct DossierDTO: Content {
    var id: UUID
    var state: DossierState
    var proposedLevel: Int
    var computedLevel: Int
    var ruleId: String
    var ruleVersion: String
    var justification: String?
    var appraisingBody: String?
    var approvingBody: String?
    var decisionNumber: String?
    var decisionDate: String?
    var createdAt: Date?
    var evaluation: LevelProposal?
    var steps: [Step]?

    struct Step: Content {
        var transition: String
        var from: String
        var to: String
        var actor: String
        var comment: String?
        var at: Date
    }

    init(_ d: LevelDossier, steps: [DossierStep]? = nil) {
        id = d.id!
        state = d.state
        proposedLevel = d.proposedLevel
        computedLevel = d.computedLevel
        ruleId = d.ruleId
        ruleVersion = d.ruleVersion
        justification = d.justification
        appraisingBody = d.appraisingBody
        approvingBody = d.approvingBody
        decisionNumber = d.decisionNumber
        decisionDate = d.decisionDate.map(DisplayTime.isoDay)
        createdAt = d.createdAt
        evaluation = d.proposal
        self.steps = steps?.map { Step(transition: $0.transition, from: $0.fromState, to: $0.toState, actor: $0.actorName, comment: $0.comment, at: $0.at) }
    }
}

struct ControlAssessmentDTO: Content {
    var controlId: UUID
    var code: String
    var group: String
    var firstLevel: Int
    var title: String
    var status: ControlStatus
    var effectiveDate: String?
    var justification: String?
    var evidenceLinks: [String]
}

struct ControlsDTO: Content {
    var level: Int?
    var planStatus: PlanStatus
    var percent: Int
    var controls: [ControlAssessmentDTO]
}

struct ObligationDTO: Content {
    var dutyId: String
    var subjectKind: String
    var subjectId: UUID
    var agencyId: UUID?
    var state: ObligationState
    var dueAt: Date?
    var title: String
    var explanation: String
    var basis: String
    var ruleId: String
    var ruleVersion: String

    init(_ o: Obligation, lang: String) {
        dutyId = o.dutyId
        subjectKind = o.subjectKind
        subjectId = o.subjectId
        agencyId = o.agencyId
        state = o.state
        dueAt = o.dueAt
        title = o.title(lang)
        explanation = o.explanation(lang)
        basis = o.basis
        ruleId = o.ruleId
        ruleVersion = o.ruleVersion
    }
}
