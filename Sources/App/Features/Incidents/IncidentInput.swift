import Foundation
import Domain
import Fluent
import Vapor

/// An incident report as the form (all text) or the API sends it, validated in one place.
struct IncidentInput: Content, Sendable {
    var title: String?
    var description: String?
    var categoryCode: String?
    var detectedAt: String?
    var occurredAt: String?
    var systemIds: [String]?
    /// Only when no system is named: the agency the incident belongs to.
    var agencyId: String?
    var contactName: String?
    var contactTitle: String?
    var contactPhone: String?
    var contactEmail: String?
    var servicesDown: String?
    var servicesNote: String?
    var dataAffected: String?
    var peopleAffected: String?
    var personalData: String?
    var stateSecret: String?
    var beyondCapability: String?
    var impactFlags: [String]?
    var actionsTaken: String?
    var supportRequested: String?

    struct Valid: Sendable {
        var title: String
        var description: String
        var categoryCode: String
        var detectedAt: Date
        var occurredAt: Date?
        var systemIds: [UUID]
        var agencyId: UUID?
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
        var impactFlags: [ImpactFlag]
        var actionsTaken: String?
        var supportRequested: String?
    }

    /// A detection time may be a few minutes ahead of the server's clock, not more.
    static let clockSkew: TimeInterval = 300

    func check(categories: Set<String>, now: Date) -> (Valid?, InputChecker) {
        var check = InputChecker()
        let title = check.requiredText("title", title, max: 300)
        if title.contains(where: \.isNewline) { check.fail("title", "incidents.singleLine") }
        let description = check.requiredText("description", description, max: 20_000)
        let category = Validators.trimmed(categoryCode)
        if category.isEmpty { check.fail("categoryCode", "validation.required") }
        else if !categories.contains(category) { check.fail("categoryCode", "validation.unknownValue") }
        let detected = instant("detectedAt", detectedAt, required: true, now: now, check: &check)
        let occurred = instant("occurredAt", occurredAt, required: false, now: now, check: &check)
        if let detected, let occurred, occurred > detected { check.fail("occurredAt", "incidents.occurredAfterDetected") }
        var systems: [UUID] = []
        for raw in systemIds ?? [] where !Validators.trimmed(raw).isEmpty {
            guard let id = UUID(uuidString: Validators.trimmed(raw)) else { check.fail("systemIds", "validation.invalidId"); break }
            if !systems.contains(id) { systems.append(id) }
        }
        let agency = check.uuid("agencyId", agencyId, required: false)
        let contactName = check.requiredText("contactName", contactName, max: 200)
        let contactTitle = check.optionalText("contactTitle", contactTitle, max: 200)
        let phone = check.phone("contactPhone", contactPhone, required: true)
        let email = check.email("contactEmail", contactEmail, required: false)
        let servicesNote = check.optionalText("servicesNote", servicesNote, max: 4000)
        let dataAffected = check.optionalText("dataAffected", dataAffected, max: 4000)
        var people: Int?
        let peopleText = Validators.trimmed(peopleAffected)
        if !peopleText.isEmpty {
            if let n = SystemInput.wholeNumber(peopleText), n >= 0, n <= 200_000_000 { people = n }
            else { check.fail("peopleAffected", "validation.notNumber") }
        }
        var flags: [ImpactFlag] = []
        for raw in impactFlags ?? [] where !Validators.trimmed(raw).isEmpty {
            guard let flag = ImpactFlag(rawValue: Validators.trimmed(raw)) else { check.fail("impactFlags", "validation.unknownValue"); break }
            if !flags.contains(flag) { flags.append(flag) }
        }
        let actions = check.optionalText("actionsTaken", actionsTaken, max: 20_000)
        let support = check.optionalText("supportRequested", supportRequested, max: 4000)
        guard check.errors.isEmpty, let detected else { return (nil, check) }
        return (Valid(
            title: title, description: description, categoryCode: category, detectedAt: detected, occurredAt: occurred,
            systemIds: systems, agencyId: agency, contactName: contactName, contactTitle: contactTitle, contactPhone: phone ?? "",
            contactEmail: email, servicesDown: SystemInput.flag(servicesDown), servicesNote: servicesNote, dataAffected: dataAffected,
            peopleAffected: people, personalData: SystemInput.flag(personalData), stateSecret: SystemInput.flag(stateSecret),
            beyondCapability: SystemInput.flag(beyondCapability), impactFlags: flags, actionsTaken: actions, supportRequested: support), check)
    }

    private func instant(_ field: String, _ raw: String?, required: Bool, now: Date, check: inout InputChecker) -> Date? {
        let text = Validators.trimmed(raw)
        if text.isEmpty {
            if required { check.fail(field, "validation.required") }
            return nil
        }
        guard let date = DisplayTime.parseInstant(text) else { check.fail(field, "validation.invalidDateTime"); return nil }
        if date > now.addingTimeInterval(Self.clockSkew) { check.fail(field, "validation.inFuture"); return nil }
        return date
    }
}

/// The API body of a report: typed JSON, converted to the form's shape so both are validated alike.
struct IncidentReportBody: Content, Sendable {
    var title: String?
    var description: String?
    var categoryCode: String?
    var detectedAt: String?
    var occurredAt: String?
    var systemIds: [UUID]?
    var agencyId: UUID?
    var contactName: String?
    var contactTitle: String?
    var contactPhone: String?
    var contactEmail: String?
    var servicesDown: Bool?
    var servicesNote: String?
    var dataAffected: String?
    var peopleAffected: Int?
    var personalData: Bool?
    var stateSecret: Bool?
    var beyondCapability: Bool?
    var impactFlags: [String]?
    var actionsTaken: String?
    var supportRequested: String?

    var input: IncidentInput {
        IncidentInput(
            title: title, description: description, categoryCode: categoryCode, detectedAt: detectedAt, occurredAt: occurredAt,
            systemIds: systemIds?.map(\.uuidString), agencyId: agencyId?.uuidString, contactName: contactName, contactTitle: contactTitle,
            contactPhone: contactPhone, contactEmail: contactEmail, servicesDown: servicesDown.map(String.init),
            servicesNote: servicesNote, dataAffected: dataAffected, peopleAffected: peopleAffected.map(String.init),
            personalData: personalData.map(String.init), stateSecret: stateSecret.map(String.init),
            beyondCapability: beyondCapability.map(String.init), impactFlags: impactFlags, actionsTaken: actionsTaken,
            supportRequested: supportRequested)
    }
}

/// A yes/no that arrives as a JSON boolean from the API or as text from a form ("true", "on", "có"…).
struct FormFlag: Codable, Sendable, Equatable {
    var value: Bool

    init(_ value: Bool) { self.value = value }

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let bool = try? c.decode(Bool.self) { value = bool; return }
        let text = try c.decode(String.self)
        let folded = SearchText.fold(text)
        guard SystemInput.trueWords.contains(folded) || SystemInput.falseWords.contains(folded) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "expected true or false, found \"\(text)\"")
        }
        value = SystemInput.trueWords.contains(folded)
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(value)
    }
}
