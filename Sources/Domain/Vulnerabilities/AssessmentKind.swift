import Foundation

/// The two proactive activities Directive 18/CT-TTg requires on every information system at least once
/// every six months (domain.md §9.1 ProactiveActivity). Raw values are stored and used in the API.
public enum AssessmentKind: String, CaseIterable, Codable, Sendable {
    /// Rà quét lỗ hổng.
    case vulnerabilityScan = "vuln_scan"
    /// Săn lùng mối nguy hại.
    case threatHunt = "threat_hunt"

    public var label: LocalizedText {
        switch self {
        case .vulnerabilityScan: LocalizedText(vi: "Rà quét lỗ hổng", en: "Vulnerability scan")
        case .threatHunt: LocalizedText(vi: "Săn lùng mối nguy hại", en: "Threat hunt")
        }
    }

    /// The duty that requires this activity periodically.
    public var duty: ProactiveDuty {
        switch self {
        case .vulnerabilityScan: .scanOverdue
        case .threatHunt: .huntOverdue
        }
    }

    /// The methods that belong to this kind, in display order.
    public var methods: [AssessmentMethod] { AssessmentMethod.allCases.filter { $0.kind == self } }
}

/// Who performed an activity.
public enum AssessmentPerformer: String, CaseIterable, Codable, Sendable {
    /// The owner's or operator's own staff.
    case inHouse = "in_house"
    /// A contracted security service provider.
    case outsourced
    /// A competent authority (the provincial police, the national coordinating body, …).
    case authority

    public var label: LocalizedText {
        switch self {
        case .inHouse: LocalizedText(vi: "Đơn vị tự thực hiện", en: "In-house")
        case .outsourced: LocalizedText(vi: "Thuê đơn vị cung cấp dịch vụ", en: "Outsourced provider")
        case .authority: LocalizedText(vi: "Cơ quan chức năng thực hiện", en: "Competent authority")
        }
    }
}

/// How an activity was done. Each method belongs to one ``AssessmentKind``.
public enum AssessmentMethod: String, CaseIterable, Codable, Sendable {
    // Vulnerability scanning
    /// Network and service discovery with vulnerability checks, without credentials.
    case networkScan = "network_scan"
    /// Scan with credentials on the hosts (patch level, configuration).
    case authenticatedScan = "authenticated_scan"
    /// Web application scanning (DAST).
    case webApplicationScan = "web_application_scan"
    /// Container images, packages and infrastructure-as-code.
    case imageAndDependencyScan = "image_dependency_scan"
    /// Source code analysis (SAST).
    case sourceCodeScan = "source_code_scan"
    /// Manual penetration testing.
    case penetrationTest = "penetration_test"
    /// Configuration review against a baseline (CIS, vendor hardening guide).
    case configurationReview = "configuration_review"
    // Threat hunting
    /// Sweeping hosts and logs for known indicators of compromise (IoC) from warnings and threat feeds.
    case indicatorSweep = "ioc_sweep"
    /// Hypothesis-driven analysis of collected logs (SIEM, Sigma rules).
    case logAnalysis = "log_analysis"
    /// Endpoint telemetry (EDR) hunting: processes, persistence, lateral movement.
    case endpointHunt = "endpoint_hunt"
    /// Network traffic and flow analysis (beaconing, unusual destinations).
    case networkTrafficAnalysis = "network_traffic_analysis"
    /// Memory and disk forensics of selected hosts.
    case forensicAnalysis = "forensic_analysis"
    /// Compromise assessment by an outside team or tool.
    case compromiseAssessment = "compromise_assessment"

    public var kind: AssessmentKind {
        switch self {
        case .networkScan, .authenticatedScan, .webApplicationScan, .imageAndDependencyScan, .sourceCodeScan,
             .penetrationTest, .configurationReview:
            .vulnerabilityScan
        case .indicatorSweep, .logAnalysis, .endpointHunt, .networkTrafficAnalysis, .forensicAnalysis, .compromiseAssessment:
            .threatHunt
        }
    }

    public var label: LocalizedText {
        switch self {
        case .networkScan: LocalizedText(vi: "Rà quét lỗ hổng qua mạng", en: "Network vulnerability scan")
        case .authenticatedScan: LocalizedText(vi: "Rà quét có xác thực trên máy chủ", en: "Authenticated host scan")
        case .webApplicationScan: LocalizedText(vi: "Rà quét lỗ hổng ứng dụng web", en: "Web application scan")
        case .imageAndDependencyScan: LocalizedText(vi: "Rà quét gói phần mềm, ảnh container", en: "Package and container image scan")
        case .sourceCodeScan: LocalizedText(vi: "Phân tích mã nguồn", en: "Source code analysis")
        case .penetrationTest: LocalizedText(vi: "Kiểm thử xâm nhập", en: "Penetration test")
        case .configurationReview: LocalizedText(vi: "Rà soát cấu hình an toàn", en: "Security configuration review")
        case .indicatorSweep: LocalizedText(vi: "Rà soát dấu hiệu tấn công (IoC)", en: "Indicator-of-compromise sweep")
        case .logAnalysis: LocalizedText(vi: "Phân tích nhật ký hệ thống", en: "Log analysis")
        case .endpointHunt: LocalizedText(vi: "Săn lùng trên máy trạm, máy chủ (EDR)", en: "Endpoint (EDR) hunt")
        case .networkTrafficAnalysis: LocalizedText(vi: "Phân tích lưu lượng mạng", en: "Network traffic analysis")
        case .forensicAnalysis: LocalizedText(vi: "Phân tích điều tra số", en: "Forensic analysis")
        case .compromiseAssessment: LocalizedText(vi: "Đánh giá dấu hiệu xâm nhập", en: "Compromise assessment")
        }
    }
}
