import Foundation

/// The reports a case's legal clocks ask for. Raw values are those of the clock kinds in rule data.
public enum IncidentReportDocumentKind: String, Sendable, CaseIterable, Codable {
    /// Thông báo sự cố (Circular 20/2017).
    case notification = "NOTIFICATION"
    /// Báo cáo ban đầu sự cố, when the operator cannot handle the incident alone.
    case initialReport = "INITIAL_REPORT"
    /// Báo cáo kết thúc ứng phó sự cố.
    case finalReport = "FINAL_REPORT"
    /// Thông báo vi phạm quy định bảo vệ dữ liệu cá nhân, to the Ministry of Public Security (A05).
    case pdpBreachNotice = "PDP_BREACH_NOTICE"
    /// Báo cáo sự cố nghiêm trọng (Decision 05/2017).
    case seriousEscalation = "SERIOUS_ESCALATION"
}

/// Everything a report shows, as plain values filled from the case. Vietnamese text, no formatting.
/// Legal references come from rule data through `legalBasis`; the builders cite no law themselves.
public struct IncidentReportContent: Sendable, Equatable {
    // MARK: Header (Decree 30 boxes 1–5)

    /// Issuing agency, e.g. "Sở Y tế".
    public var issuerName: String
    /// Its parent body, e.g. "UBND tỉnh Lạng Sơn".
    public var issuerParentBody: String?
    /// Abbreviation used in document symbols, e.g. "SYT" (gives "Số:      /BC-SYT").
    public var issuerSymbol: String?
    /// The full number and symbol when known, e.g. "Số: 125/BC-SYT"; nil leaves the number blank for the clerk.
    public var documentNumber: String?
    /// Place name in the date line, e.g. "Lạng Sơn".
    public var place: String
    /// Issuing date.
    public var date: Date
    /// "KHẨN", "THƯỢNG KHẨN", "HỎA TỐC"; the serious-incident report is "KHẨN" unless set.
    public var urgency: String?
    /// "Kính gửi" lines. The personal-data breach notice defaults to the Ministry of Public Security (A05).
    public var addressees: [String]
    /// "Căn cứ …" sentences from rule data, in force on `date`.
    public var legalBasis: [String]
    /// The case number, e.g. "SC-2026-0042".
    public var caseNumber: String?

    // MARK: Reporting unit and contact

    /// The unit reporting (usually the operator), e.g. "Trung tâm Công nghệ thông tin – Sở Y tế".
    public var reportingUnit: String
    public var reportingUnitAddress: String?
    public var contact: IncidentReportContact

    // MARK: The incident

    public var systems: [IncidentReportSystem]
    public var detectedAt: Date
    public var occurredAt: Date?
    /// Category label from the versioned category list, e.g. "Tấn công mã hóa dữ liệu (ransomware)".
    public var categoryLabel: String
    public var description: String
    public var impact: IncidentReportImpact
    public var involvesPersonalData: Bool
    public var involvesStateSecrets: Bool
    /// Whether the operator can handle it alone; nil when not yet assessed.
    public var canHandleAlone: Bool?
    public var measuresTaken: String
    public var supportRequested: String?
    public var observables: [IncidentReportObservable]
    public var timeline: [IncidentReportTimelineEntry]
    /// Names of the documents sent with the report (logs, lists of indicators …).
    public var attachments: [String]

    // MARK: Closing (boxes 7 and 9a)

    /// "Nơi nhận" lines, e.g. "Như trên;", "Lưu: VT.".
    public var recipients: [String]
    public var signer: Signer

    // MARK: Final report

    public var responseEndedAt: Date?
    public var cause: String?
    /// Outcome of the response: what works again, what does not.
    public var result: String?
    public var damage: String?
    public var lessonsLearned: String?
    public var recommendations: String?

    // MARK: Personal-data breach notice

    public var personalData: IncidentReportPersonalData?

    // MARK: Serious incident

    /// Which conditions of a serious incident hold, worded by rule data (e.g. "Hệ thống thông tin cấp độ 4 bị ngừng hoạt động").
    public var seriousConditions: [String]

    public init(issuerName: String, issuerParentBody: String? = nil, issuerSymbol: String? = nil, documentNumber: String? = nil,
                place: String, date: Date, urgency: String? = nil, addressees: [String] = [], legalBasis: [String] = [],
                caseNumber: String? = nil, reportingUnit: String, reportingUnitAddress: String? = nil,
                contact: IncidentReportContact, systems: [IncidentReportSystem] = [], detectedAt: Date, occurredAt: Date? = nil,
                categoryLabel: String, description: String, impact: IncidentReportImpact = IncidentReportImpact(),
                involvesPersonalData: Bool = false, involvesStateSecrets: Bool = false, canHandleAlone: Bool? = nil,
                measuresTaken: String = "", supportRequested: String? = nil, observables: [IncidentReportObservable] = [],
                timeline: [IncidentReportTimelineEntry] = [], attachments: [String] = [], recipients: [String] = [],
                signer: Signer, responseEndedAt: Date? = nil, cause: String? = nil, result: String? = nil, damage: String? = nil,
                lessonsLearned: String? = nil, recommendations: String? = nil, personalData: IncidentReportPersonalData? = nil,
                seriousConditions: [String] = []) {
        self.issuerName = issuerName
        self.issuerParentBody = issuerParentBody
        self.issuerSymbol = issuerSymbol
        self.documentNumber = documentNumber
        self.place = place
        self.date = date
        self.urgency = urgency
        self.addressees = addressees
        self.legalBasis = legalBasis
        self.caseNumber = caseNumber
        self.reportingUnit = reportingUnit
        self.reportingUnitAddress = reportingUnitAddress
        self.contact = contact
        self.systems = systems
        self.detectedAt = detectedAt
        self.occurredAt = occurredAt
        self.categoryLabel = categoryLabel
        self.description = description
        self.impact = impact
        self.involvesPersonalData = involvesPersonalData
        self.involvesStateSecrets = involvesStateSecrets
        self.canHandleAlone = canHandleAlone
        self.measuresTaken = measuresTaken
        self.supportRequested = supportRequested
        self.observables = observables
        self.timeline = timeline
        self.attachments = attachments
        self.recipients = recipients
        self.signer = signer
        self.responseEndedAt = responseEndedAt
        self.cause = cause
        self.result = result
        self.damage = damage
        self.lessonsLearned = lessonsLearned
        self.recommendations = recommendations
        self.personalData = personalData
        self.seriousConditions = seriousConditions
    }
}

/// The person to contact about the report.
public struct IncidentReportContact: Sendable, Equatable {
    public var name: String
    /// Position, e.g. "Phó Giám đốc Trung tâm".
    public var title: String?
    public var phone: String?
    public var email: String?

    public init(name: String, title: String? = nil, phone: String? = nil, email: String? = nil) {
        self.name = name
        self.title = title
        self.phone = phone
        self.email = email
    }
}

/// An information system affected by the incident.
public struct IncidentReportSystem: Sendable, Equatable {
    public var name: String
    /// Chủ quản hệ thống thông tin.
    public var owner: String?
    /// Đơn vị vận hành.
    public var `operator`: String?
    /// Approved (or proposed) security level 1–5; nil when not determined.
    public var level: Int?

    public init(name: String, owner: String? = nil, operator: String? = nil, level: Int? = nil) {
        self.name = name
        self.owner = owner
        self.operator = `operator`
        self.level = level
    }
}

/// What the incident affected.
public struct IncidentReportImpact: Sendable, Equatable {
    /// Services interrupted, e.g. "Cổng dịch vụ công ngừng hoạt động từ 07:30".
    public var servicesDown: String?
    public var dataAffected: String?
    public var peopleAffected: Int?
    public var other: String?

    public init(servicesDown: String? = nil, dataAffected: String? = nil, peopleAffected: Int? = nil, other: String? = nil) {
        self.servicesDown = servicesDown
        self.dataAffected = dataAffected
        self.peopleAffected = peopleAffected
        self.other = other
    }
}

/// One indicator of compromise in the reports' technical annex.
public struct IncidentReportObservable: Sendable, Equatable {
    /// Vietnamese label of the type, e.g. "Địa chỉ IP", "Tên miền", "Mã băm SHA-256".
    public var typeLabel: String
    public var value: String
    public var note: String?

    public init(typeLabel: String, value: String, note: String? = nil) {
        self.typeLabel = typeLabel
        self.value = value
        self.note = note
    }
}

/// One line of the incident's history.
public struct IncidentReportTimelineEntry: Sendable, Equatable {
    public var at: Date
    public var text: String

    public init(at: Date, text: String) {
        self.at = at
        self.text = text
    }
}

/// What the personal-data breach notice needs beyond the incident itself.
public struct IncidentReportPersonalData: Sendable, Equatable {
    /// The organisation's role, e.g. "Bên Kiểm soát dữ liệu cá nhân" or "Bên Kiểm soát và xử lý dữ liệu cá nhân".
    public var controllerRole: String?
    /// Kinds of personal data, e.g. "Họ tên, số định danh cá nhân, số điện thoại, địa chỉ".
    public var dataCategories: String
    public var subjectsAffected: Int?
    public var recordsAffected: Int?
    public var likelyConsequences: String?
    /// Measures planned beyond those already taken.
    public var plannedMeasures: String?
    /// Why the notice comes after the deadline; nil when on time.
    public var delayReason: String?

    public init(controllerRole: String? = nil, dataCategories: String, subjectsAffected: Int? = nil, recordsAffected: Int? = nil,
                likelyConsequences: String? = nil, plannedMeasures: String? = nil, delayReason: String? = nil) {
        self.controllerRole = controllerRole
        self.dataCategories = dataCategories
        self.subjectsAffected = subjectsAffected
        self.recordsAffected = recordsAffected
        self.likelyConsequences = likelyConsequences
        self.plannedMeasures = plannedMeasures
        self.delayReason = delayReason
    }
}
