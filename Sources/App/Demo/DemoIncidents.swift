import Foundation
import Domain
import Fluent
import SQLKit

/// Three demo cases of Sở Y tế: a defacement being contained (notification still due), a phishing wave
/// whose notification is overdue, and a closed ransomware case with its reports sent.
enum DemoIncidents {
    static func seed(users: [Role: User], rules: RuleBook, now: Date = Date(), on db: any Database) async throws {
        guard let officer = users[.agencyOfficer], let agencyId = officer.$agency.id else { return }
        let coordinator = users[.coordinator]
        let responder = users[.responder]
        let systems = try await InformationSystem.query(on: db).filter(\.$agency.$id == agencyId).sort(\.$code).all()
        let portal = systems.first { $0.code == "SYT-CTT" }
        let records = systems.first { $0.code == "SYT-HSSK" }
        let reporter = AuditActor(userId: officer.id, label: officer.name, clientAddress: nil)
        let team = AuditActor(userId: coordinator?.id, label: coordinator?.name ?? "demo", clientAddress: nil)
        let day: TimeInterval = 86_400

        func make(_ title: String, category: String, detected: TimeInterval, system: InformationSystem?, description: String,
                  servicesDown: Bool = false, personalData: Bool = false, flags: [ImpactFlag] = [], actions: String) async throws -> Incident {
            let i = Incident()
            i.number = try await IncidentService.nextNumber(now: now, on: db)
            i.agencyId = agencyId
            i.title = title
            i.description = description
            i.categoryCode = category
            i.categoryRuleVersion = IncidentRulesBridge.categories(rules, at: now).header.version
            i.detectedAt = now.addingTimeInterval(-detected)
            i.occurredAt = now.addingTimeInterval(-detected - 3600)
            i.reporterId = officer.id
            i.reporterName = officer.name
            i.contactName = officer.name
            i.contactTitle = "Chuyên viên phụ trách an toàn thông tin"
            i.contactPhone = officer.phone ?? "0912 000 003"
            i.contactEmail = officer.email
            i.servicesDown = servicesDown
            i.personalData = personalData
            i.stateSecret = false
            i.beyondCapability = false
            i.impactFlagsRaw = flags.map(\.rawValue).joined(separator: ",")
            i.actionsTaken = actions
            i.tlpRaw = TLP.amber.rawValue
            i.phaseRaw = IncidentPhase.detected.rawValue
            i.policeShared = false
            i.version = 1
            i.seriousSuggested = false
            i.searchText = IncidentService.searchText(i)
            try await i.create(on: db)
            // Reported ten minutes after detection, as if it had happened in real time.
            try await (db as! any SQLDatabase).update(Incident.schema).set("created_at", to: SQLBind(i.detectedAt.addingTimeInterval(600)))
                .where("id", .equal, SQLBind(i.id!)).run()
            if let system { try await IncidentSystem(incidentId: i.id!, systemId: system.id!).create(on: db) }
            try await IncidentTimeline.append(i.id!, .reported, IncidentTimeline.msg("timeline.reported", officer.name), actor: reporter, at: i.detectedAt.addingTimeInterval(600), on: db)
            return i
        }

        func triage(_ i: Incident, severity: IncidentSeverity, phase: IncidentPhase, after: TimeInterval) async throws {
            let at = i.detectedAt.addingTimeInterval(after)
            i.triagedAt = at
            i.severityRaw = severity.rawValue
            i.seriousConfirmed = false
            i.seriousConfirmedAt = at
            i.phaseRaw = phase.rawValue
            try await IncidentTimeline.append(i.id!, .triage, "timeline.accepted", actor: team, at: at, on: db)
            try await IncidentTimeline.append(i.id!, .severity, IncidentTimeline.msg("timeline.severity", severity.rawValue), actor: team, at: at, on: db)
            if let responder, let id = responder.id {
                let row = IncidentAssignee()
                row.incidentId = i.id!
                row.userId = id
                row.assignedAt = at
                try await row.create(on: db)
                try await IncidentTimeline.append(i.id!, .assignment, IncidentTimeline.msg("timeline.assigned", responder.name), actor: team, at: at, on: db)
            }
            if phase != .triaged {
                try await IncidentTimeline.append(i.id!, .phase, "timeline.phase|triaged|\(phase.rawValue)", actor: team, at: at.addingTimeInterval(3 * 3600), on: db)
            }
            try await i.save(on: db)
        }

        func observables(_ i: Incident, _ items: [(ObservableType, String, TLP)]) async throws {
            let valid = items.compactMap { type, value, tlp in
                (try? ObservableValidator.normalise(type: type, value: value)).map {
                    IncidentArtifacts.ValidObservable(type: type, value: $0, tlp: tlp, comment: nil, isIOC: true, named: [])
                }
            }
            _ = try await IncidentArtifacts.insert(valid, into: i, actor: team, on: db)
        }

        let deface = try await make("Cổng thông tin điện tử Sở Y tế bị thay đổi giao diện", category: "defacement", detected: 2 * day, system: portal,
                                    description: "Trang chủ cổng thông tin hiển thị nội dung lạ do nhóm tin tặc đăng tải. Phát hiện qua phản ánh của người dân lúc 07:40.",
                                    servicesDown: true, flags: [.serviceInterruption],
                                    actions: "Tạm ngừng cổng thông tin, chuyển trang bảo trì; sao lưu nhật ký máy chủ web.")
        try await triage(deface, severity: .high, phase: .contained, after: 2 * 3600)
        try await observables(deface, [(.ipv4, "185.220.101.45", .green), (.domain, "defacer-crew.example", .amber),
                                       (.sha256, "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08", .amber)])
        try await IncidentTimeline.append(deface.id!, .note, "Đã xác định webshell trong thư mục uploads; cô lập máy chủ khỏi mạng nội bộ.",
                                          actor: team, at: deface.detectedAt.addingTimeInterval(5 * 3600), on: db)

        let phishing = try await make("Thư điện tử giả mạo gửi tới cán bộ Sở Y tế", category: "phishing", detected: 6 * day, system: records,
                                      description: "Nhiều cán bộ nhận thư giả mạo Bộ Y tế yêu cầu đăng nhập lại hộp thư; 3 tài khoản đã nhập mật khẩu.",
                                      personalData: true, actions: "Đổi mật khẩu 3 tài khoản, chặn tên miền gửi thư.")
        try await triage(phishing, severity: .medium, phase: .triaged, after: 5 * 3600)
        try await observables(phishing, [(.email, "thongbao@bo-yte-gov.example", .green), (.url, "https://bo-yte-gov.example/login", .green)])

        let ransomware = try await make("Máy trạm phòng kế toán bị mã hóa dữ liệu", category: "ransomware", detected: 40 * day, system: nil,
                                        description: "Hai máy trạm bị mã độc mã hóa tệp, đòi tiền chuộc bằng tiền mã hóa.",
                                        actions: "Ngắt mạng hai máy trạm, khôi phục dữ liệu từ bản sao lưu.")
        try await triage(ransomware, severity: .medium, phase: .closed, after: 4 * 3600)
        ransomware.responseCompletedAt = ransomware.detectedAt.addingTimeInterval(3 * day)
        ransomware.closedAt = ransomware.detectedAt.addingTimeInterval(6 * day)
        ransomware.resolutionRaw = IncidentResolution.resolved.rawValue
        try await ransomware.save(on: db)
        for (kind, after) in [(IncidentClockKind.notification, 1 * day), (.finalReport, 5 * day)] {
            let r = IncidentReportRecord()
            r.incidentId = ransomware.id!
            r.kind = kind.rawValue
            r.sentAt = ransomware.detectedAt.addingTimeInterval(after)
            r.recipients = "Sở Khoa học và Công nghệ; Công an tỉnh Lạng Sơn"
            r.channel = "official_letter"
            r.recordedBy = officer.id
            r.recordedByName = officer.name
            r.createdAt = r.sentAt
            try await r.create(on: db)
            try await IncidentTimeline.append(ransomware.id!, .reportSent, IncidentTimeline.msg("timeline.reportSent", kind.rawValue, r.recipients), actor: reporter,
                                              at: r.sentAt, on: db)
        }
        try await IncidentClocks.refresh([deface, phishing, ransomware], rules: rules, now: now, on: db)
    }
}
