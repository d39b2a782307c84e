import Foundation
import Domain
import Fluent
import Formats
import Vapor

/// The reports the legal clocks ask for: generated as .docx in the Decree 30 layout, pre-filled from the
/// case, and recorded when sent (when, to whom, how, with the document as sent).
enum IncidentReports {
    struct RecordInput: Content, Sendable {
        var kind: String?
        var sentAt: String?
        var recipients: String?
        var channel: String?
        var documentNumber: String?
    }

    static let channels = ["official_letter", "email", "fax", "portal", "phone", "other"]

    static func record(_ incident: Incident, _ input: RecordInput, req: Request) async throws -> IncidentReportRecord {
        try await IncidentService.authorize(.handleIncident, incident, req: req)
        var check = InputChecker()
        let kind = check.choice("kind", input.kind, as: IncidentClockKind.self)
        var sentAt: Date?
        let sentText = Validators.trimmed(input.sentAt)
        if sentText.isEmpty { check.fail("sentAt", "validation.required") }
        else if let date = DisplayTime.parseInstant(sentText) {
            if date > Date().addingTimeInterval(IncidentInput.clockSkew) { check.fail("sentAt", "validation.inFuture") }
            else if date < incident.detectedAt.addingTimeInterval(-86_400) { check.fail("sentAt", "incidents.sentBeforeDetection") }
            else { sentAt = date }
        } else { check.fail("sentAt", "validation.invalidDateTime") }
        let recipients = check.requiredText("recipients", input.recipients, max: 1000)
        let channel = Validators.trimmed(input.channel).isEmpty ? "official_letter" : Validators.trimmed(input.channel)
        if !channels.contains(channel) { check.fail("channel", "validation.unknownValue") }
        let number = check.optionalText("documentNumber", input.documentNumber, max: 100)
        guard check.errors.isEmpty, let kind, let sentAt else { throw AppError.validation(check.errors) }
        let document = try await docx(incident, kind: kind, documentNumber: number, date: sentAt, req: req)
        let accepted = StoredFileService.Accepted(name: "\(incident.number)-\(kind.rawValue).docx", bytes: ByteBuffer(data: document),
                                                  sha256: SHA256Digest.hex(document), kind: FileSniffer.docx)
        try StoredFileService.writeBytes([accepted], dataDirectory: req.application.config.dataDirectory)
        let actor = req.auditActor
        let notifier = req.notifier
        let rules = req.application.rules
        let now = Date()
        return try await req.write { db in
            let id = try incident.requireID()
            let stored = try await StoredFileService.record([accepted], recordType: "incident_report", recordId: id, agencyId: incident.agencyId,
                                                            actor: actor, on: db)
            let row = IncidentReportRecord()
            row.incidentId = id
            row.kind = kind.rawValue
            row.sentAt = sentAt
            row.recipients = recipients
            row.channel = channel
            row.documentNumber = number
            row.fileId = stored.first?.id
            row.recordedBy = actor.userId
            row.recordedByName = actor.label
            row.createdAt = now
            try await row.create(on: db)
            try await IncidentTimeline.append(id, .reportSent, IncidentTimeline.msg("timeline.reportSent", kind.rawValue, recipients), actor: actor, at: now, on: db)
            try await AuditLog.append(AuditEntry("incident.report.sent", recordType: "incident", recordId: id.uuidString, agencyId: incident.agencyId,
                                                 after: ["kind": kind.rawValue, "recipients": recipients, "channel": channel, "number": number]),
                                      by: actor, on: db)
            try await IncidentClocks.refresh([incident], rules: rules, now: now, notifier: notifier, on: db)
            return row
        }
    }

    static func docxResponse(_ incident: Incident, kind: IncidentClockKind, documentNumber: String?, req: Request) async throws -> Response {
        let data = try await docx(incident, kind: kind, documentNumber: documentNumber, date: Date(), req: req)
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        headers.replaceOrAdd(name: .contentDisposition, value: ContentDisposition.attachment("\(incident.number)-\(kind.rawValue).docx"))
        headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }
}

extension IncidentReports {
    /// The report of one clock as .docx, pre-filled from the case (TLP:RED items are never copied into it).
    static func docx(_ incident: Incident, kind: IncidentClockKind, documentNumber: String?, date: Date, req: Request) async throws -> Data {
        guard let documentKind = IncidentReportDocumentKind(rawValue: kind.rawValue) else { throw AppError.notFound }
        let content = try await content(incident, kind: kind, documentNumber: documentNumber, date: date, req: req)
        return try IncidentReportDocuments.docx(documentKind, content)
    }

    /// The place of the date line: the province of the top agency ("Lạng Sơn" from "Ủy ban nhân dân tỉnh Lạng Sơn"),
    /// or dots for the clerk when the top agency is not a provincial People's Committee.
    static func placeName(_ rootName: String) -> String {
        let place = LevelExplanationDocument.place(fromRootName: rootName)
        return place == rootName ? "……" : place
    }

    /// The rule data's recipients sentence as a "Kính gửi" line ("Đồng thời: chủ quản …" → "Chủ quản …").
    static func addressee(_ text: String) -> String {
        var line = text.trimmingCharacters(in: .whitespaces)
        if let colon = line.firstIndex(of: ":"), line.distance(from: line.startIndex, to: colon) < 20 {
            line = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
        }
        return line.prefix(1).uppercased() + line.dropFirst()
    }

    static func content(_ incident: Incident, kind: IncidentClockKind, documentNumber: String?, date: Date,
                        req: Request) async throws -> IncidentReportContent {
        let db = req.db
        let rules = req.application.rules
        let id = try incident.requireID()
        let agency = try await Agency.find(incident.agencyId, on: db)
        let parent = try await agency?.$parent.id.asyncMap { try await Agency.find($0, on: db) } ?? nil
        let root = try await Agency.query(on: db).filter(\.$parent.$id == nil).sort(\.$createdAt).first()
        let systemIds = try await IncidentSystem.query(on: db).filter(\.$incidentId == id).all().map(\.systemId)
        let systems = systemIds.isEmpty ? [] : try await InformationSystem.query(on: db).filter(\.$id ~~ systemIds).sort(\.$name).all()
        let sent = try await IncidentReportRecord.query(on: db).filter(\.$incidentId == id).all()
        let clock = IncidentRulesBridge.clocks(incident, sent: sent, rules: rules, now: date).first { $0.kind == kind }
        let vi = Localizer(lang: .vi)
        let observables = try await IncidentObservable.query(on: db).filter(\.$incidentId == id).sort(\.$createdAt).all()
            .filter { IncidentVisibility.leavesOrganisation($0.tlpRaw) }
        let timeline = try await TimelineEntry.query(on: db).filter(\.$incidentId == id).sort(\.$at).all()
            .filter { IncidentVisibility.leavesOrganisation($0.tlpRaw) && $0.kind != TimelineKind.policeNote.rawValue }
        let evidence = try await IncidentEvidence.query(on: db).filter(\.$incidentId == id).all()
            .filter { IncidentVisibility.leavesOrganisation($0.tlpRaw) }
        let files = evidence.isEmpty ? [] : try await StoredFile.query(on: db).filter(\.$id ~~ evidence.map(\.fileId)).all()
        let category = IncidentRulesBridge.categories(rules, at: incident.createdAt ?? date).category(code: incident.categoryCode)
        let suggestion = IncidentRulesBridge.seriousSuggestion(incident, systems: systems, rules: rules, at: date)
        let criteria = IncidentRulesBridge.criteria(rules, at: date)
        let impactFlags = IncidentRulesBridge.impactFlags(incident)
        let flags = ImpactFlag.allCases.filter(impactFlags.contains).map { criteria.title(of: $0).vi }
        let servicesDown = incident.servicesDown || impactFlags.contains(.serviceInterruption)
        let postReview = timeline.filter { $0.kind == TimelineKind.note.rawValue }.map(\.body).last
        return IncidentReportContent(
            issuerName: agency?.name ?? "", issuerParentBody: parent?.name, issuerSymbol: agency?.code, documentNumber: documentNumber,
            place: root.map { placeName($0.name) } ?? "……", date: date,
            addressees: clock.map { [addressee($0.recipients.vi)] } ?? [],
            legalBasis: (clock?.basis ?? []).map { "Căn cứ \($0.citation);" },
            caseNumber: incident.number, reportingUnit: agency?.name ?? "", reportingUnitAddress: agency?.address,
            contact: IncidentReportContact(name: incident.contactName, title: incident.contactTitle, phone: incident.contactPhone,
                                           email: incident.contactEmail),
            systems: systems.map { IncidentReportSystem(name: $0.name, owner: $0.ownerName, operator: $0.operatorName, level: $0.approvedLevel) },
            detectedAt: incident.detectedAt, occurredAt: incident.occurredAt, categoryLabel: category?.title.vi ?? incident.categoryCode,
            description: incident.description,
            impact: IncidentReportImpact(servicesDown: servicesDown ? (incident.servicesNote ?? "Có") : nil,
                                         dataAffected: incident.dataAffected, peopleAffected: incident.peopleAffected,
                                         other: flags.isEmpty ? nil : "Tác động: " + flags.joined(separator: "; ") + "."),
            involvesPersonalData: incident.personalData, involvesStateSecrets: incident.stateSecret, canHandleAlone: !incident.beyondCapability,
            measuresTaken: incident.actionsTaken ?? "", supportRequested: incident.supportRequested,
            observables: observables.map { IncidentReportObservable(typeLabel: vi("observableType.\($0.type)"), value: $0.value, note: $0.comment) },
            timeline: timeline.map { e in
                IncidentReportTimelineEntry(at: e.at, text: IncidentTimeline.text(e, t: vi, rules: rules))
            },
            attachments: files.map(\.originalName),
            recipients: ["Như trên;", "Lưu: VT."],
            signer: Signer(authority: nil, title: "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ", name: ""),
            responseEndedAt: incident.responseCompletedAt, lessonsLearned: kind == .finalReport ? postReview : nil,
            personalData: incident.personalData ? IncidentReportPersonalData(dataCategories: incident.dataAffected ?? "",
                                                                             subjectsAffected: incident.peopleAffected) : nil,
            seriousConditions: suggestion.reasons.map(\.vi))
    }
}
