import Foundation
import Domain
import Vapor

/// A case in the API. For the police liaison, the description and impact text are left out when the
/// case's own TLP does not let them leave the organisation.
struct IncidentDTO: Content {
    var id: UUID
    var number: String
    var agencyId: UUID
    var title: String
    var description: String?
    var categoryCode: String
    var detectedAt: Date
    var occurredAt: Date?
    var systemIds: [UUID]
    var reporterName: String
    var contactName: String
    var contactTitle: String?
    var contactPhone: String
    var contactEmail: String?
    var servicesDown: Bool
    var servicesNote: String?
    var dataAffected: String?
    var peopleAffected: Int?
    var personalData: Bool
    var stateSecret: Bool
    var beyondCapability: Bool
    var impactFlags: [String]
    var actionsTaken: String?
    var supportRequested: String?
    var tlp: String
    var severity: String?
    var seriousSuggested: Bool
    var seriousConfirmed: Bool?
    var phase: String
    var resolution: String?
    var mergedIntoId: UUID?
    var triagedAt: Date?
    var responseCompletedAt: Date?
    var closedAt: Date?
    var policeShared: Bool
    var version: Int
    var createdAt: Date?
    var updatedAt: Date?

    init(_ i: Incident, systemIds: [UUID], subject: Subject) {
        let details = IncidentVisibility.caseDetailsVisible(i, to: subject)
        id = i.id!
        number = i.number
        agencyId = i.agencyId
        title = i.title
        description = details ? i.description : nil
        categoryCode = i.categoryCode
        detectedAt = i.detectedAt
        occurredAt = i.occurredAt
        self.systemIds = systemIds
        reporterName = i.reporterName
        contactName = i.contactName
        contactTitle = i.contactTitle
        contactPhone = i.contactPhone
        contactEmail = i.contactEmail
        servicesDown = i.servicesDown
        servicesNote = details ? i.servicesNote : nil
        dataAffected = details ? i.dataAffected : nil
        peopleAffected = i.peopleAffected
        personalData = i.personalData
        stateSecret = i.stateSecret
        beyondCapability = i.beyondCapability
        impactFlags = i.impactFlagsRaw.split(separator: ",").map(String.init)
        actionsTaken = details ? i.actionsTaken : nil
        supportRequested = details ? i.supportRequested : nil
        tlp = i.tlpRaw
        severity = i.severityRaw
        seriousSuggested = i.seriousSuggested
        seriousConfirmed = i.seriousConfirmed
        phase = i.phaseRaw
        resolution = i.resolutionRaw
        mergedIntoId = i.mergedIntoId
        triagedAt = i.triagedAt
        responseCompletedAt = i.responseCompletedAt
        closedAt = i.closedAt
        policeShared = i.policeShared
        version = i.version
        createdAt = i.createdAt
        updatedAt = i.updatedAt
    }
}

struct TimelineEntryDTO: Content {
    var id: UUID
    var at: Date
    var actorLabel: String
    var kind: String
    var text: String
    var tlp: String

    init(_ e: TimelineEntry, t: Localizer, rules: RuleBook) {
        id = e.id!
        at = e.at
        actorLabel = e.actorLabel
        kind = e.kind
        text = IncidentTimeline.text(e, t: t, rules: rules)
        tlp = e.tlpRaw
    }
}

struct ObservableDTO: Content {
    var id: UUID
    var type: String
    var value: String
    var tlp: String
    var comment: String?
    var isIOC: Bool
    /// Other cases the caller can read that carry the same observable.
    var sightings: Int
    var createdAt: Date

    init(_ o: IncidentObservable, sightings: Int) {
        id = o.id!
        type = o.type
        value = o.value
        tlp = o.tlpRaw
        comment = o.comment
        isIOC = o.isIOC
        self.sightings = sightings
        createdAt = o.createdAt
    }
}

struct EvidenceDTO: Content {
    var id: UUID
    var name: String
    var size: Int64
    var sha256: String
    var contentType: String
    var uploadedBy: String
    var uploadedAt: Date
    var tlp: String
    var description: String?
    var downloadPath: String

    init(_ e: IncidentEvidence, file: StoredFile) {
        id = e.id!
        name = file.originalName
        size = file.size
        sha256 = file.sha256
        contentType = file.contentType
        uploadedBy = file.uploadedByName
        uploadedAt = file.uploadedAt
        tlp = e.tlpRaw
        description = e.description
        downloadPath = SiteURL.api(.incidents(.evidenceItem(.value(e.incidentId), .value(e.id!)))).path
    }
}

struct IncidentReportDTO: Content {
    var id: UUID
    var kind: String
    var sentAt: Date
    var recipients: String
    var channel: String
    var documentNumber: String?
    var recordedBy: String

    init(_ r: IncidentReportRecord) {
        id = r.id!
        kind = r.kind
        sentAt = r.sentAt
        recipients = r.recipients
        channel = r.channel
        documentNumber = r.documentNumber
        recordedBy = r.recordedByName
    }
}

struct ClockDTO: Content {
    var kind: String
    var title: String
    var recipients: String
    var applies: Bool
    var state: String
    var startedAt: Date?
    var dueAt: Date?
    var sentAt: Date?
    var remainingSeconds: Int?
    var basis: [String]
    var confidence: String
    var explanation: String
    var ruleId: String
    var ruleVersion: String

    init(_ c: IncidentClock, lang: Lang) {
        kind = c.kind.rawValue
        title = c.title.text(lang)
        recipients = c.recipients.text(lang)
        applies = c.applies
        state = c.state.rawValue
        startedAt = c.startedAt
        dueAt = c.dueAt
        sentAt = c.sentAt
        remainingSeconds = c.remainingSeconds
        basis = c.basis.map(\.citation)
        confidence = c.confidence.rawValue
        explanation = c.explanation.text(lang)
        ruleId = c.ruleId
        ruleVersion = c.ruleVersion
    }
}

/// Observable as the API sends it (typed JSON).
struct ObservableBody: Content {
    var type: String?
    var value: String?
    var tlp: String?
    var comment: String?
    var isIOC: Bool?
    var namedUserIds: [UUID]?

    var input: IncidentArtifacts.ObservableInput {
        .init(type: type, value: value, tlp: tlp, comment: comment, isIOC: isIOC.map(String.init), namedUserIds: namedUserIds?.map(\.uuidString))
    }
}
