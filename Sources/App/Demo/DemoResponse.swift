import Foundation
import Domain
import Fluent

/// Demo incident-response readiness: the provincial response team (6 members, 5 experts), an approved plan
/// covering two Sở Y tế systems, and one executed real-combat drill with a follow-up task.
enum DemoResponse {
    static func seed(province: Agency, team standing: Agency, agencies: [String: Agency], rules: RuleBook, on db: any Database) async throws {
        let actor = AuditActor.system("demo")
        let team = ResponseTeam()
        team.agencyId = try standing.requireID()
        team.kind = .provincial
        team.name = "Đội ứng cứu sự cố an toàn thông tin mạng tỉnh Lạng Sơn"
        team.decisionNumber = "1520/QĐ-UBND"
        team.decisionDate = DisplayTime.parseDay("2025-08-15")
        team.validFrom = DisplayTime.parseDay("2025-08-15")
        team.validTo = DisplayTime.parseDay("2027-12-31")
        team.notes = "Kiện toàn sau khi chuyển giao nhiệm vụ quản lý nhà nước về an toàn thông tin mạng sang Công an tỉnh."
        team.version = 1
        try await team.create(on: db)
        let members: [(String, String, String, Bool, Bool, String, String)] = [
            ("Thượng tá Hoàng Văn Minh", "Công an tỉnh Lạng Sơn", "leader", true, false, "Điều phối ứng cứu, điều tra số", "0912 115 001"),
            ("Trần Thị Điều Phối", "Đội ứng cứu sự cố tỉnh", "deputy", true, false, "Phân tích mã độc, SIEM", "0912 115 002"),
            ("Lê Minh Ứng", "Đội ứng cứu sự cố tỉnh", "technical", true, false, "Pháp chứng số, săn lùng mối nguy hại", "0912 115 003"),
            ("Nguyễn Quang Huy", "Trung tâm dữ liệu tỉnh", "technical", true, false, "Quản trị hệ thống, mạng", "0912 115 004"),
            ("Phạm Đức Long", "Công ty An ninh mạng Viettel (thuê ngoài)", "technical", true, true, "Kiểm thử xâm nhập, ứng cứu sự cố", "0912 115 005"),
            ("Đỗ Thu Trang", "Văn phòng UBND tỉnh", "secretary", false, false, "Tổng hợp, báo cáo", "0912 115 006"),
        ]
        for (i, m) in members.enumerated() {
            let row = TeamMember()
            row.teamId = try team.requireID()
            row.position = i
            row.name = m.0
            row.organisation = m.1
            row.teamRole = m.2
            row.expert = m.3
            row.outsourced = m.4
            row.skills = m.5
            row.certifications = m.3 ? "CEH; GCIH" : nil
            row.phone = m.6
            row.email = "ducsc\(i + 1)@langson.gov.vn"
            try await row.create(on: db)
        }
        try await AuditLog.append(AuditEntry("team.create", recordType: "team", recordId: team.id?.uuidString, agencyId: team.agencyId,
                                             after: team.auditSnapshot), by: actor, on: db)

        guard let health = agencies["SYT"] else { return }
        let systems = try await InformationSystem.query(on: db).filter(\.$code ~~ ["SYT-HSSK", "SYT-CTT"]).sort(\.$code).all()
        let library = rules.scenarios()
        if systems.count == 2 {
            let plan = ResponsePlan()
            plan.agencyId = try health.requireID()
            plan.title = "Phương án ứng cứu sự cố các hệ thống thông tin của Sở Y tế"
            plan.scope = "agency"
            try await plan.create(on: db)
            let version = PlanVersion()
            version.planId = try plan.requireID()
            version.number = 1
            version.state = .approved
            version.resources = "Máy chủ dự phòng tại Trung tâm dữ liệu tỉnh; bản sao lưu ngoại tuyến hằng tuần; hợp đồng hỗ trợ ứng cứu với doanh nghiệp an ninh mạng."
            version.notes = "Trung tâm Công nghệ thông tin Y tế chủ trì triển khai; Đội ứng cứu sự cố tỉnh hỗ trợ khi sự cố vượt khả năng xử lý."
            version.approverName = "Giám đốc Sở Y tế"
            version.approvedAt = Date()
            version.decisionNumber = "312/QĐ-SYT"
            version.decisionDate = DisplayTime.parseDay("2026-10-20")
            version.createdByName = "demo"
            version.version = 2
            try await version.create(on: db)
            let vid = try version.requireID()
            for s in systems {
                let link = PlanVersionSystem(versionId: vid, systemId: try s.requireID())
                link.systemRevision = s.revision
                try await link.create(on: db)
            }
            for (i, id) in ["ransomware", "data_leak", "defacement"].enumerated() {
                guard let template = library.scenario(id) else { continue }
                let row = PlanScenario()
                row.planVersionId = vid
                row.position = i
                row.scenarioId = id
                row.templateVersion = library.header.version
                row.title = template.title.vi
                try await row.create(on: db)
                for phase in ResponsePhase.allCases {
                    for (j, step) in template.steps(phase).enumerated() {
                        let s = PlanStep()
                        s.planScenarioId = try row.requireID()
                        s.phase = phase
                        s.position = j
                        s.text = step.text.vi
                        s.sourceStepId = step.id
                        try await s.create(on: db)
                    }
                }
            }
            for (i, c) in [("Phạm Thu Hà", "Chuyên trách an toàn thông tin Sở Y tế", "0912 000 003", "chuyentrach.syt@langson.gov.vn"),
                           ("Lê Minh Ứng", "Đội ứng cứu sự cố tỉnh", "0912 115 003", "ducsc3@langson.gov.vn")].enumerated() {
                let row = PlanContact()
                row.planVersionId = vid
                row.position = i
                row.name = c.0
                row.role = c.1
                row.phone = c.2
                row.email = c.3
                try await row.create(on: db)
            }
            try await AuditLog.append(AuditEntry("plan.approve", recordType: "plan", recordId: plan.id?.uuidString, agencyId: plan.agencyId,
                                                 after: ["version": "1", "decisionNumber": "312/QĐ-SYT"]), by: actor, on: db)

            let drill = Drill()
            drill.agencyId = try health.requireID()
            drill.title = "Diễn tập thực chiến tấn công mã hóa dữ liệu hệ thống hồ sơ sức khỏe điện tử"
            drill.kind = .realCombat
            drill.state = .executed
            drill.plannedOn = DisplayTime.parseDay("2026-09-15")!
            drill.executedOn = DisplayTime.parseDay("2026-09-18")
            drill.scenarioId = "ransomware"
            drill.participants = "Đội ứng cứu sự cố tỉnh; Trung tâm Công nghệ thông tin Y tế; đội tấn công thuê ngoài"
            drill.findings = "Phát hiện tấn công sau 47 phút; bản sao lưu ngoại tuyến khôi phục được trong 5 giờ; hai máy chủ ứng dụng chưa bật ghi nhật ký tập trung."
            drill.createdByName = "demo"
            drill.version = 1
            try await drill.create(on: db)
            try await DrillSystem(drillId: try drill.requireID(), systemId: try systems.first { $0.code == "SYT-HSSK" }!.requireID()).create(on: db)
            try await TaskService.create(.init(agencyId: drill.agencyId, subjectKind: DrillService.taskSubject, subjectId: try drill.requireID(),
                                               phase: ResponsePhase.preparation.rawValue, title: "Bật ghi nhật ký tập trung cho hai máy chủ ứng dụng",
                                               dueAt: DisplayTime.parseDay("2026-12-15")),
                                         createdBy: nil, actor: actor, on: db)
        }
        try await ObligationRefresher.refresh(systemIds: nil, rules: rules, on: db)
        _ = province
    }
}
