import Foundation
import Domain
import Fluent

/// Demo scans and hunts (Directive 18/CT-TTg), dated from today so the overview always shows every state: systems
/// scanned and hunted on time, one hunt due soon, one portal overdue for both, one system whose last scan failed.
/// Findings and warnings come from their own features' demo data (a scanner report imported into a system records
/// its own scan), seeded after this.
enum DemoProactive {
    struct Activity {
        var system: String
        var kind: AssessmentKind
        var state = "completed"
        var performerKind: AssessmentPerformer
        var performer: String
        /// Days before today the activity ended (and `duration` days earlier it started).
        var daysAgo: Int
        var duration = 2
        var tool: String?
        var method: AssessmentMethod?
        var scope: String?
        var summary: String
        var findings = 0
    }

    static func activities() -> [Activity] {
        [
            Activity(system: "SYT-HSSK", kind: .vulnerabilityScan, performerKind: .inHouse, performer: "Trung tâm Công nghệ thông tin Y tế", daysAgo: 60,
                     tool: "Nessus Professional 10.7", method: .authenticatedScan, scope: "10.20.1.0/24; hssk.langson.gov.vn",
                     summary: "Phát hiện 14 lỗ hổng (2 mức cao, 9 trung bình, 3 thấp), chủ yếu do thiếu bản vá hệ điều hành và cấu hình TLS cũ; đã lập kế hoạch khắc phục.",
                     findings: 14),
            Activity(system: "SYT-HSSK", kind: .threatHunt, performerKind: .outsourced, performer: "Công ty Cổ phần An ninh mạng Lạng Sơn (thuê ngoài)",
                     daysAgo: 167, duration: 5, tool: "Velociraptor, Wazuh", method: .endpointHunt, scope: "12 máy chủ ứng dụng và cơ sở dữ liệu",
                     summary: "Không phát hiện dấu hiệu xâm nhập; khuyến nghị bật ghi nhật ký PowerShell trên 3 máy chủ."),
            Activity(system: "SYT-CTT", kind: .vulnerabilityScan, performerKind: .inHouse, performer: "Trung tâm Công nghệ thông tin Y tế", daysAgo: 212,
                     tool: "OpenVAS 22.4", method: .webApplicationScan, scope: "syt.langson.gov.vn",
                     summary: "Phát hiện 6 lỗ hổng mức trung bình của mã nguồn mở cổng thông tin; đã cập nhật phiên bản.", findings: 6),
            Activity(system: "TTDL-LS", kind: .vulnerabilityScan, performerKind: .authority,
                     performer: "Đội ứng cứu sự cố an toàn thông tin mạng tỉnh Lạng Sơn", daysAgo: 30, duration: 3, tool: "nmap 7.94, OpenVAS 22.4",
                     method: .networkScan, scope: "Dải 10.0.0.0/16 của Trung tâm dữ liệu tỉnh",
                     summary: "Rà quét 186 máy chủ; phát hiện 23 lỗ hổng (1 nghiêm trọng đã khắc phục ngay, 5 cao, 17 trung bình).", findings: 23),
            Activity(system: "TTDL-LS", kind: .threatHunt, performerKind: .inHouse, performer: "Sở Khoa học và Công nghệ (Phòng Công nghệ thông tin)",
                     daysAgo: 95, duration: 7, tool: "Wazuh, Sigma", method: .logAnalysis, scope: "Nhật ký tường lửa, máy chủ và hệ thống giám sát 90 ngày",
                     summary: "Phát hiện 1 máy trạm kết nối đến máy chủ điều khiển mã độc đã biết; đã cô lập, xử lý và báo cáo sự cố.", findings: 1),
            Activity(system: "VP-QLVB", kind: .vulnerabilityScan, performerKind: .outsourced, performer: "Công ty TNHH Dịch vụ An toàn thông tin (thuê ngoài)",
                     daysAgo: 243, tool: "Nessus Professional 10.6", method: .networkScan, scope: "qlvb.langson.gov.vn; 10.10.5.0/28",
                     summary: "Phát hiện 9 lỗ hổng (3 cao, 6 trung bình).", findings: 9),
            Activity(system: "VP-QLVB", kind: .vulnerabilityScan, state: "failed", performerKind: .outsourced,
                     performer: "Công ty TNHH Dịch vụ An toàn thông tin (thuê ngoài)", daysAgo: 10, duration: 1, tool: "Nessus Professional 10.7",
                     method: .networkScan, scope: "qlvb.langson.gov.vn; 10.10.5.0/28",
                     summary: "Không hoàn thành: tường lửa chặn địa chỉ máy rà quét; cần bổ sung ngoại lệ rồi thực hiện lại."),
            Activity(system: "VP-QLVB", kind: .threatHunt, performerKind: .authority, performer: "Công an tỉnh Lạng Sơn", daysAgo: 120, duration: 4,
                     tool: "Bộ công cụ săn lùng của Công an tỉnh", method: .indicatorSweep, scope: "Máy chủ và 40 máy trạm của Văn phòng UBND tỉnh",
                     summary: "Rà soát theo danh sách dấu hiệu tấn công (IoC) trong cảnh báo của cơ quan chức năng; không phát hiện dấu hiệu."),
        ]
    }

    static func seed(rules: RuleBook, now: Date = Date(), on db: any Database) async throws {
        let actor = AuditActor.system("demo")
        let codes = Array(Set(activities().map(\.system)))
        let systems = Dictionary(uniqueKeysWithValues: try await InformationSystem.query(on: db).filter(\.$code ~~ codes).all().map { ($0.code, $0) })
        var touched = Set<UUID>()
        for spec in activities() {
            guard let system = systems[spec.system], let sid = system.id else { continue }
            let finished = now.addingTimeInterval(-Double(spec.daysAgo) * 86_400)
            let a = ProactiveAssessment()
            a.systemId = sid
            a.agencyId = system.$agency.id
            a.kind = spec.kind.rawValue
            a.state = spec.state
            a.performerKind = spec.performerKind.rawValue
            a.performer = spec.performer
            a.startedAt = finished.addingTimeInterval(-Double(spec.duration) * 86_400)
            a.finishedAt = finished
            a.tool = spec.tool
            a.scope = spec.scope
            a.method = spec.method?.rawValue
            a.summary = spec.summary
            a.source = "manual"
            a.findingsCount = spec.findings
            a.createdByName = "demo"
            a.version = 1
            try await a.create(on: db)
            try await AuditLog.append(AuditEntry("proactive.assessment.create", recordType: ProactiveAssessmentService.recordType,
                                                 recordId: a.id?.uuidString, agencyId: a.agencyId, after: a.auditSnapshot), by: actor, on: db)
            touched.insert(sid)
        }
        if !touched.isEmpty { try await ObligationRefresher.refresh(systemIds: Array(touched), rules: rules, on: db) }
    }
}
