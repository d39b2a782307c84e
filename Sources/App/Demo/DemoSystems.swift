import Foundation
import Domain
import Fluent

/// Demo information systems: a spread of levels, lifecycles and duty states so every page has something real to show.
enum DemoSystems {
    struct Spec {
        var agency: String
        var code: String
        var name: String
        var purpose: String
        var function: FunctionType
        var classes: [InformationClass]
        var users: Int
        var online: OnlineServiceLevel = .none
        var scope: InfrastructureScope = .none
        var lifecycle: LifecycleStatus
        var goLive: String?
        var hosting: HostingKind
        var provider: String? = nil
        var addresses: String? = nil
        var domains: String? = nil
        var components: [ComponentInput.Valid] = []
        /// Approve the computed level with this decision, on this day.
        var approval: (number: String, day: String)? = nil
        /// Share of the applicable controls to mark implemented.
        var implementedShare: Double = 0
    }

    static func specs() -> [Spec] {
        [
            Spec(agency: "SYT", code: "SYT-HSSK", name: "Hệ thống quản lý hồ sơ sức khỏe điện tử",
                 purpose: "Lưu trữ, khai thác hồ sơ sức khỏe điện tử của người dân trên địa bàn tỉnh.", function: .citizenBusiness,
                 classes: [.private, .personal], users: 420_000, online: .partial, lifecycle: .operating, goLive: "2023-05-15",
                 hosting: .provincialDataCentre, addresses: "10.20.1.10\n10.20.1.11", domains: "hssk.langson.gov.vn",
                 components: [
                    .init(name: "Máy chủ web", vendor: "F5", product: "nginx", version: "1.24.0", cpe: "cpe:2.3:a:f5:nginx:1.24.0:*:*:*:*:*:*:*", level: nil),
                    .init(name: "Máy chủ ứng dụng", vendor: "Apache", product: "Tomcat", version: "9.0.80", cpe: "cpe:2.3:a:apache:tomcat:9.0.80:*:*:*:*:*:*:*", level: nil),
                    .init(name: "Cơ sở dữ liệu", vendor: "PostgreSQL", product: "PostgreSQL", version: "14.9", cpe: "cpe:2.3:a:postgresql:postgresql:14.9:*:*:*:*:*:*:*", level: nil),
                 ], approval: ("125/QĐ-UBND", "2024-03-12"), implementedShare: 0.6),
            Spec(agency: "SYT", code: "SYT-CTT", name: "Cổng thông tin điện tử Sở Y tế", purpose: "Công bố thông tin, văn bản của ngành y tế.",
                 function: .citizenBusiness, classes: [.public], users: 0, online: .informationOnly, lifecycle: .operating, goLive: "2019-09-02",
                 hosting: .provincialDataCentre, addresses: "10.20.1.20", domains: "syt.langson.gov.vn",
                 components: [.init(name: "Hệ quản trị nội dung", vendor: "WordPress", product: "WordPress", version: "6.4.2",
                                    cpe: "cpe:2.3:a:wordpress:wordpress:6.4.2:*:*:*:*:*:*:*", level: nil)]),
            Spec(agency: "VP-UBND", code: "VP-QLVB", name: "Hệ thống quản lý văn bản và điều hành",
                 purpose: "Quản lý văn bản đến, văn bản đi và điều hành công việc của các cơ quan nhà nước tỉnh.", function: .internal,
                 classes: [.private, .personal], users: 6_500, lifecycle: .operating, goLive: "2020-01-06", hosting: .provincialDataCentre,
                 addresses: "10.20.2.0/28", domains: "qlvb.langson.gov.vn"),
            Spec(agency: "SKHCN", code: "TTDL-LS", name: "Trung tâm dữ liệu tỉnh Lạng Sơn",
                 purpose: "Hạ tầng máy chủ, lưu trữ và mạng dùng chung cho các cơ quan nhà nước của tỉnh.", function: .infrastructure,
                 classes: [.private], users: 0, scope: .sectorOrProvince, lifecycle: .operating, goLive: "2021-07-01", hosting: .ownServerRoom,
                 addresses: "10.20.0.0/16",
                 components: [.init(name: "Nền tảng ảo hóa", vendor: "VMware", product: "ESXi", version: "7.0", cpe: "cpe:2.3:o:vmware:esxi:7.0:-:*:*:*:*:*:*", level: nil),
                              .init(name: "Tường lửa biên", vendor: "Fortinet", product: "FortiOS", version: "7.2.5", cpe: "cpe:2.3:o:fortinet:fortios:7.2.5:*:*:*:*:*:*:*", level: nil)],
                 approval: ("88/QĐ-UBND", "2023-11-20"), implementedShare: 1.0),
            Spec(agency: "VP-UBND", code: "DVC-LS", name: "Cổng dịch vụ công tỉnh Lạng Sơn",
                 purpose: "Tiếp nhận, giải quyết thủ tục hành chính trực tuyến cho người dân, doanh nghiệp.", function: .citizenBusiness,
                 classes: [.public, .personal], users: 250_000, online: .fullProcess, lifecycle: .building, goLive: "2027-01-01",
                 hosting: .cloud, provider: "Viettel Cloud", domains: "dichvucong.langson.gov.vn"),
            Spec(agency: "STC", code: "STC-QLNS", name: "Hệ thống quản lý tài chính, ngân sách", purpose: "Quản lý dự toán, cấp phát và quyết toán ngân sách tỉnh.",
                 function: .internal, classes: [.private], users: 0, lifecycle: .planned, hosting: .provincialDataCentre),
        ]
    }

    static func seed(agencies: [String: Agency], rules: RuleBook, on db: any Database) async throws {
        let actor = AuditActor.system("demo")
        var ids: [UUID] = []
        for spec in specs() {
            guard let agency = agencies[spec.agency] else { continue }
            let valid = SystemInput.Valid(
                agencyId: agency.id!, code: spec.code, name: spec.name, ownerName: "Ủy ban nhân dân tỉnh Lạng Sơn", operatorName: agency.name,
                purpose: spec.purpose, functionType: spec.function, informationClasses: spec.classes, personalDataSubjects: spec.users,
                onlineServiceLevel: spec.online, conditionalBusiness: false, infrastructureScope: spec.scope, industrialControl: .none,
                operates24x7: false, nationalEGovernment: false, storesNationalData: false, nationalImportant: false, lifecycle: spec.lifecycle,
                goLiveDate: spec.goLive.flatMap(DisplayTime.parseDay), hosting: spec.hosting, hostingProvider: spec.provider,
                networkAddresses: spec.addresses, domains: spec.domains, urls: spec.domains.map { "https://\($0)" },
                contactName: "Bộ phận công nghệ thông tin", contactPhone: agency.contactPhone, contactEmail: agency.contactEmail)
            let system = try await SystemService.insert(valid, components: spec.components, actor: actor, rules: rules, bulk: true,
                                                        revisionAction: "create", on: db)
            let sid = try system.requireID()
            ids.append(sid)
            let components = try await SystemComponent.query(on: db).filter(\.$system.$id == sid).all()
            let input = system.classificationInput(components: components)
            let proposal = LevelEngine.evaluate(input, rules: rules.classification())
            if let approval = spec.approval, let day = DisplayTime.parseDay(approval.day) {
                let dossier = LevelDossier()
                dossier.$system.id = sid
                dossier.state = .approved
                dossier.proposedLevel = proposal.level
                dossier.computedLevel = proposal.level
                dossier.ruleId = proposal.ruleId
                dossier.ruleVersion = proposal.ruleVersion
                dossier.inputJSON = DossierService.encode(input)
                dossier.evaluationJSON = DossierService.encode(proposal)
                dossier.hasOpinion = false
                dossier.appraisingBody = "Công an tỉnh Lạng Sơn (Phòng An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao)"
                dossier.approvingBody = "Ủy ban nhân dân tỉnh Lạng Sơn"
                dossier.decisionNumber = approval.number
                dossier.decisionDate = day
                dossier.submittedAt = day.addingTimeInterval(-30 * 86_400)
                dossier.appraisedAt = day.addingTimeInterval(-7 * 86_400)
                dossier.approvedAt = day
                try await dossier.create(on: db)
                for (transition, from, to, offset) in [("submit", "draft", "submitted_for_appraisal", -30), ("appraise", "submitted_for_appraisal", "appraised", -7),
                                                       ("submit_for_approval", "appraised", "submitted_for_approval", -6), ("approve", "submitted_for_approval", "approved", 0)] {
                    let step = DossierStep()
                    step.$dossier.id = try dossier.requireID()
                    step.transition = transition
                    step.fromState = from
                    step.toState = to
                    step.actorName = "demo"
                    step.at = day.addingTimeInterval(Double(offset) * 86_400)
                    if transition == "approve" { step.decisionNumber = approval.number; step.decisionDate = day }
                    try await step.create(on: db)
                }
                system.approvedLevel = proposal.level
                system.approvedAt = day
                system.revision += 1
                try await system.save(on: db)
                try await SystemService.recordRevision(system, components: components, action: "level.approve", actor: actor, on: db)
                let controls = try await CatalogueControl.query(on: db).filter(\.$active == true).filter(\.$firstLevel <= proposal.level).sort(\.$position).all()
                for control in controls.prefix(Int((Double(controls.count) * spec.implementedShare).rounded())) {
                    let row = ControlAssessment()
                    row.$system.id = sid
                    row.$control.id = try control.requireID()
                    row.status = .implemented
                    row.effectiveDate = day
                    row.evidenceLinks = "https://vanban.langson.gov.vn/\(spec.code.lowercased())/\(control.code.lowercased())"
                    row.updatedByName = "demo"
                    try await row.create(on: db)
                }
                if spec.implementedShare >= 1 {
                    let assessment = SystemAssessment()
                    assessment.$system.id = sid
                    assessment.kind = "periodic"
                    assessment.performedOn = day.addingTimeInterval(200 * 86_400)
                    assessment.assessor = "Trung tâm Giám sát an toàn không gian mạng (đơn vị độc lập)"
                    assessment.independent = true
                    assessment.summary = "Không phát hiện điểm yếu nghiêm trọng; 3 khuyến nghị đã khắc phục."
                    assessment.createdByName = "demo"
                    try await assessment.create(on: db)
                }
            }
        }
        try await ObligationRefresher.refresh(systemIds: ids, rules: rules, on: db)
    }
}
