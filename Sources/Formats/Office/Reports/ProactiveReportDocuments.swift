import Foundation
import Domain

/// The half-year report on vulnerability scanning and threat hunting ("Báo cáo kết quả rà quét lỗ hổng, săn lùng
/// mối nguy hại 6 tháng đầu năm/cuối năm YYYY"): a Decree 30/2020 document (.docx) and a workbook (.xlsx, one sheet
/// per table) built from the same ``ProactiveReportContent``.
public enum ProactiveReportDocuments {
    /// Document symbol type code: báo cáo.
    static let typeCode = "BC"

    // MARK: - Document

    public static func build(_ c: ProactiveReportContent, language: ProactiveReportLanguage = .vi) -> OfficeDocument {
        let l = language
        var body = ReportBody()
        body.proactiveAddressees(c.addressees, l)
        for basis in c.legalBasis.compactMap({ nonEmpty($0) }) { body.paragraph([Run(basis)]) }
        body.paragraph([Run(l.pick(
            "\(c.issuer.name) báo cáo kết quả rà quét lỗ hổng, săn lùng mối nguy hại đối với các hệ thống thông tin thuộc phạm vi quản lý trong \(c.period.label(l)) (\(c.period.range(l))) như sau:",
            "\(c.issuer.name) reports the results of vulnerability scanning and threat hunting on the information systems it manages in \(c.period.label(l)) (\(c.period.range(l))):"))])

        summarySection(&body, c, l)
        systemsSection(&body, c, l)
        warningsSection(&body, c, l)

        body.section(l.pick("Đánh giá, kiến nghị", "Assessment and proposals"))
        body.append(.heading(l.pick("1. Đánh giá chung", "1. Assessment"), level: 2))
        body.paragraphs(c.assessment, placeholder: l.pick("Không có.", "None."))
        body.append(.heading(l.pick("2. Kiến nghị, đề xuất", "2. Proposals"), level: 2))
        body.paragraphs(c.proposals, placeholder: l.pick("Không có.", "None."))
        body.paragraph([Run(l.pick(
            "Trên đây là báo cáo kết quả rà quét lỗ hổng, săn lùng mối nguy hại \(c.period.label(l)) của \(c.issuer.name)./.",
            "This concludes the report of \(c.issuer.name) on vulnerability scanning and threat hunting in \(c.period.label(l))."))])

        return OfficialReportParts.document(c.issuer, typeCode: typeCode, title: l.pick("BÁO CÁO", "REPORT"),
                                            subject: subject(c, l), body: body.blocks)
    }

    /// "Kết quả rà quét lỗ hổng, săn lùng mối nguy hại 6 tháng đầu năm 2026".
    public static func subject(_ c: ProactiveReportContent, _ l: ProactiveReportLanguage = .vi) -> String {
        l.pick("Kết quả rà quét lỗ hổng, săn lùng mối nguy hại \(c.period.label(l))",
               "Results of vulnerability scanning and threat hunting in \(c.period.label(l))")
    }

    public static func docx(_ c: ProactiveReportContent, language: ProactiveReportLanguage = .vi) throws -> Data {
        try DocxWriter.write(build(c, language: language))
    }

    /// "bao-cao-ra-quet-san-lung-2026-6t-dau" / "…-6t-cuoi" (no extension).
    public static func fileStem(_ period: ProactiveReportPeriod) -> String {
        "bao-cao-ra-quet-san-lung-\(period.year)-\(period.half == .first ? "6t-dau" : "6t-cuoi")"
    }

    /// "33,3%" (Vietnamese decimal comma) or "33.3%" in English; one decimal at most.
    static func percent(_ part: Int, of whole: Int, _ l: ProactiveReportLanguage = .vi) -> String {
        guard whole > 0 else { return "0%" }
        let value = (Double(part) * 1000 / Double(whole)).rounded() / 10
        let text = value == value.rounded() ? String(Int(value)) : String(value).replacingOccurrences(of: ".", with: l == .vi ? "," : ".")
        return "\(text)%"
    }

    static let severities: [FindingSeverity] = [.critical, .high, .medium, .low]

    static func severityLabel(_ s: FindingSeverity, _ l: ProactiveReportLanguage) -> String {
        switch s {
        case .critical: l.pick("Nghiêm trọng", "Critical")
        case .high: l.pick("Cao", "High")
        case .medium: l.pick("Trung bình", "Medium")
        case .low: l.pick("Thấp", "Low")
        case .info: l.pick("Thông tin", "Info")
        }
    }

    /// Column abbreviations of the severity columns in the document (explained in a note under the table).
    static func severityShort(_ s: FindingSeverity, _ l: ProactiveReportLanguage) -> String {
        switch s {
        case .critical: l.pick("NT", "C")
        case .high: l.pick("C", "H")
        case .medium: l.pick("TB", "M")
        case .low: l.pick("T", "L")
        case .info: l.pick("TT", "I")
        }
    }

    /// "3 (1 nghiêm trọng, 2 cao)" or "0".
    static func findingsPhrase(_ counts: [FindingSeverity: Int], _ l: ProactiveReportLanguage) -> String {
        let total = counts.values.reduce(0, +)
        let parts = FindingSeverity.allCases.sorted(by: >).compactMap { s -> String? in
            guard let n = counts[s], n > 0 else { return nil }
            return "\(n) \(severityLabel(s, l).lowercased(with: Locale(identifier: l == .vi ? "vi_VN" : "en_US")))"
        }
        return parts.isEmpty ? "\(total)" : "\(total) (\(parts.joined(separator: ", ")))"
    }

    /// The duty states of a system in one phrase.
    static func stateText(_ row: ProactiveReportSystemRow, _ l: ProactiveReportLanguage) -> String {
        let scanLate = row.scanState == .overdue, huntLate = row.huntState == .overdue
        switch (scanLate, huntLate) {
        case (true, true): return l.pick("Quá hạn rà quét và săn lùng", "Scan and hunt overdue")
        case (true, false): return l.pick("Quá hạn rà quét", "Scan overdue")
        case (false, true): return l.pick("Quá hạn săn lùng", "Hunt overdue")
        case (false, false): break
        }
        if row.scanState == .dueSoon || row.huntState == .dueSoon { return l.pick("Sắp đến hạn", "Due soon") }
        if row.scanState == .met || row.huntState == .met { return l.pick("Đạt", "Met") }
        if row.scanState == .notApplicable && row.huntState == .notApplicable { return l.pick("Không áp dụng", "Not applicable") }
        return l.pick("Chưa đánh giá", "Not evaluated")
    }

    static func dayText(_ date: Date?, _ l: ProactiveReportLanguage) -> String {
        date.map(DisplayTime.date) ?? l.pick("Chưa thực hiện", "Never")
    }

    // MARK: Sections

    static func summarySection(_ body: inout ReportBody, _ c: ProactiveReportContent, _ l: ProactiveReportLanguage) {
        let s = c.summary
        body.section(l.pick("Kết quả chung", "Summary"))
        body.paragraphs(c.overview)
        body.field(l.pick("Số hệ thống thông tin thuộc phạm vi báo cáo", "Information systems covered"), "\(s.systems)")
        body.field(l.pick("Số hệ thống đã được rà quét lỗ hổng trong kỳ", "Systems scanned for vulnerabilities in the period"),
                   "\(s.scanned)/\(s.systems) (\(percent(s.scanned, of: s.systems, l)))")
        body.field(l.pick("Số hệ thống đã được săn lùng mối nguy hại trong kỳ", "Systems hunted for threats in the period"),
                   "\(s.hunted)/\(s.systems) (\(percent(s.hunted, of: s.systems, l)))")
        body.field(l.pick("Số hệ thống quá hạn rà quét lỗ hổng", "Systems overdue for a vulnerability scan"), "\(s.scanOverdue)")
        body.field(l.pick("Số hệ thống quá hạn săn lùng mối nguy hại", "Systems overdue for a threat hunt"), "\(s.huntOverdue)")
        body.field(l.pick("Số lỗ hổng chưa khắc phục", "Open findings"), findingsPhrase(s.openFindings, l))
        body.field(l.pick("Số lỗ hổng quá hạn khắc phục", "Findings past their remediation deadline"), "\(s.overdueFindings)")
        body.field(l.pick("Số cảnh báo của cơ quan chức năng", "Warnings of competent authorities"),
                   l.pick("\(s.warnings) cảnh báo, \(s.warningSystems) lượt hệ thống bị ảnh hưởng, đã khắc phục \(s.warningRemediated), chưa khắc phục \(s.warningNotRemediated)",
                          "\(s.warnings) warnings, \(s.warningSystems) affected systems, \(s.warningRemediated) remediated, \(s.warningNotRemediated) not yet"))
    }

    /// "NT/C/TB/T" / "C/H/M/L".
    static func severityKey(_ l: ProactiveReportLanguage) -> String { severities.map { severityShort($0, l) }.joined(separator: "/") }

    static func systemColumns(_ l: ProactiveReportLanguage) -> [TableColumn] {
        // Widths fit "dd/MM/yyyy" on one line at the table size on A4 portrait; the four severities share a column.
        [TableColumn(l.pick("TT", "No."), widthPercent: 6, alignment: .center),
         TableColumn(l.pick("Hệ thống thông tin", "Information system"), widthPercent: 20),
         TableColumn(l.pick("Cấp độ", "Level"), widthPercent: 8, alignment: .center),
         TableColumn(l.pick("Rà quét gần nhất", "Last scan"), widthPercent: 16, alignment: .center),
         TableColumn(l.pick("Săn lùng gần nhất", "Last hunt"), widthPercent: 16, alignment: .center),
         TableColumn(l.pick("Tình trạng", "Status"), widthPercent: 13, alignment: .center),
         TableColumn(l.pick("Lỗ hổng chưa khắc phục", "Open findings") + " (\(severityKey(l)))", widthPercent: 12, alignment: .center),
         TableColumn(l.pick("Quá hạn khắc phục", "Overdue findings"), widthPercent: 9, alignment: .center)]
    }

    static func systemsSection(_ body: inout ReportBody, _ c: ProactiveReportContent, _ l: ProactiveReportLanguage) {
        body.section(l.pick("Kết quả theo từng cơ quan, đơn vị và hệ thống thông tin", "Results by agency and information system"))
        let groups = c.systemsByAgency
        guard !groups.isEmpty else {
            body.paragraph([Run(l.pick("Không có hệ thống thông tin thuộc phạm vi báo cáo.", "No information system is covered."))])
            return
        }
        for (index, group) in groups.enumerated() {
            let name = group.agency.isEmpty ? l.pick("Chưa xác định cơ quan, đơn vị", "Agency not recorded") : group.agency
            body.append(.heading("\(index + 1). \(name)", level: 2))
            body.table(Table(columns: systemColumns(l), rows: group.systems.enumerated().map { i, row in
                [String(i + 1), row.systemName, row.level.map(String.init) ?? "–", dayText(row.lastScanAt, l), dayText(row.lastHuntAt, l), stateText(row, l)]
                    + [severities.map { String(row.openFindings[$0] ?? 0) }.joined(separator: "/"), String(row.overdueFindings)]
            }))
        }
        let names = severities.map { severityLabel($0, l).lowercased(with: Locale(identifier: l == .vi ? "vi_VN" : "en_US")) }
        body.append(.paragraph([.italic(l.pick("Ghi chú: cấp độ “–”: chưa có cấp độ được phê duyệt; lỗ hổng chưa khắc phục theo mức độ \(severityKey(l)): ",
                                               "Note: level “–”: no approved level; open findings by severity \(severityKey(l)): ")
                                        + names.joined(separator: "/") + ".")]))
    }

    static func warningColumns(_ l: ProactiveReportLanguage) -> [TableColumn] {
        [TableColumn(l.pick("TT", "No."), widthPercent: 6, alignment: .center),
         TableColumn(l.pick("Cảnh báo", "Warning"), widthPercent: 40),
         TableColumn(l.pick("Hạn khắc phục", "Deadline"), widthPercent: 15, alignment: .center),
         TableColumn(l.pick("Hệ thống bị ảnh hưởng", "Affected systems"), widthPercent: 13, alignment: .center),
         TableColumn(l.pick("Đã khắc phục", "Remediated"), widthPercent: 13, alignment: .center),
         TableColumn(l.pick("Chưa khắc phục", "Not yet"), widthPercent: 13, alignment: .center)]
    }

    static func warningText(_ w: ProactiveReportWarningRow) -> String {
        [nonEmpty(w.title), nonEmpty(w.reference)].compactMap { $0 }.joined(separator: "\n")
    }

    static func warningsSection(_ body: inout ReportBody, _ c: ProactiveReportContent, _ l: ProactiveReportLanguage) {
        body.section(l.pick("Xử lý cảnh báo của cơ quan chức năng", "Handling of warnings from competent authorities"))
        guard !c.warnings.isEmpty else {
            body.paragraph([Run(l.pick("Trong kỳ không có cảnh báo của cơ quan chức năng liên quan đến các hệ thống thông tin thuộc phạm vi quản lý.",
                                       "No warning of a competent authority concerned the systems managed in the period."))])
            return
        }
        body.table(Table(columns: warningColumns(l), rows: c.warnings.enumerated().map { i, w in
            [String(i + 1), warningText(w), w.deadline.map(DisplayTime.date) ?? l.pick("Không nêu", "None given"),
             String(w.affectedSystems), String(w.remediated), String(w.notRemediated)]
        }))
    }

    // MARK: - Workbook

    /// The sheets: summary figures, systems (with their agency) and warnings.
    public static func sheets(_ c: ProactiveReportContent, language: ProactiveReportLanguage = .vi) -> [Sheet] {
        let l = language
        let s = c.summary
        let summaryRows: [[CellValue]] = [
            [.text(l.pick("Kỳ báo cáo", "Period")), .text("\(c.period.label(l)) (\(c.period.range(l)))")],
            [.text(l.pick("Đơn vị báo cáo", "Reporting agency")), .text(c.issuer.name)],
            [.text(l.pick("Ngày báo cáo", "Report date")), .date(c.issuer.date)],
            [.text(l.pick("Số hệ thống thông tin", "Information systems")), .integer(s.systems)],
            [.text(l.pick("Đã rà quét lỗ hổng trong kỳ", "Scanned in the period")), .integer(s.scanned)],
            [.text(l.pick("Đã săn lùng mối nguy hại trong kỳ", "Hunted in the period")), .integer(s.hunted)],
            [.text(l.pick("Quá hạn rà quét lỗ hổng", "Overdue for a scan")), .integer(s.scanOverdue)],
            [.text(l.pick("Quá hạn săn lùng mối nguy hại", "Overdue for a hunt")), .integer(s.huntOverdue)],
            [.text(l.pick("Quá hạn rà quét hoặc săn lùng", "Overdue for a scan or a hunt")), .integer(s.anyOverdue)],
        ] + severities.map { sev in
            [.text(l.pick("Lỗ hổng chưa khắc phục – ", "Open findings – ") + severityLabel(sev, l).lowercased(with: Locale(identifier: l == .vi ? "vi_VN" : "en_US"))),
             .integer(s.openFindings[sev] ?? 0)]
        } + [
            [.text(l.pick("Lỗ hổng quá hạn khắc phục", "Findings past their deadline")), .integer(s.overdueFindings)],
            [.text(l.pick("Cảnh báo của cơ quan chức năng", "Authority warnings")), .integer(s.warnings)],
            [.text(l.pick("Lượt hệ thống bị ảnh hưởng", "Affected systems")), .integer(s.warningSystems)],
            [.text(l.pick("Đã khắc phục", "Remediated")), .integer(s.warningRemediated)],
            [.text(l.pick("Chưa khắc phục", "Not yet remediated")), .integer(s.warningNotRemediated)],
        ]
        let summary = Sheet(name: l.pick("Tổng hợp", "Summary"),
                            columns: [SheetColumn(l.pick("Chỉ tiêu", "Figure"), width: 44), SheetColumn(l.pick("Giá trị", "Value"), width: 40)],
                            rows: summaryRows)

        func day(_ date: Date?) -> CellValue { date.map(CellValue.date) ?? .empty }
        func state(_ value: ObligationState?) -> CellValue {
            guard let value else { return .empty }
            switch value {
            case .met: return .text(l.pick("Đạt", "Met"))
            case .dueSoon: return .text(l.pick("Sắp đến hạn", "Due soon"))
            case .overdue: return .text(l.pick("Quá hạn", "Overdue"))
            case .notApplicable: return .text(l.pick("Không áp dụng", "Not applicable"))
            }
        }
        var systemRows: [[CellValue]] = []
        var counter = 0
        for group in c.systemsByAgency {
            for row in group.systems {
                counter += 1
                systemRows.append([.integer(counter), .text(group.agency), .text(row.systemName), row.level.map(CellValue.integer) ?? .empty,
                                   day(row.lastScanAt), .integer(row.scansInPeriod), state(row.scanState),
                                   day(row.lastHuntAt), .integer(row.huntsInPeriod), state(row.huntState)]
                                  + severities.map { .integer(row.openFindings[$0] ?? 0) } + [.integer(row.overdueFindings)])
            }
        }
        let systems = Sheet(
            name: l.pick("Hệ thống", "Systems"),
            columns: [SheetColumn(l.pick("TT", "No."), width: 6), SheetColumn(l.pick("Cơ quan, đơn vị", "Agency"), width: 30),
                      SheetColumn(l.pick("Hệ thống thông tin", "Information system"), width: 36), SheetColumn(l.pick("Cấp độ", "Level"), width: 8),
                      SheetColumn(l.pick("Rà quét gần nhất", "Last scan"), width: 14), SheetColumn(l.pick("Số lần rà quét trong kỳ", "Scans in period"), width: 12),
                      SheetColumn(l.pick("Tình trạng rà quét", "Scan duty"), width: 14),
                      SheetColumn(l.pick("Săn lùng gần nhất", "Last hunt"), width: 14), SheetColumn(l.pick("Số lần săn lùng trong kỳ", "Hunts in period"), width: 12),
                      SheetColumn(l.pick("Tình trạng săn lùng", "Hunt duty"), width: 14)]
                + severities.map { SheetColumn(l.pick("Lỗ hổng ", "Open ") + severityLabel($0, l).lowercased(with: Locale(identifier: l == .vi ? "vi_VN" : "en_US")), width: 12) }
                + [SheetColumn(l.pick("Quá hạn khắc phục", "Overdue findings"), width: 12)],
            rows: systemRows)

        let warnings = Sheet(
            name: l.pick("Cảnh báo", "Warnings"),
            columns: [SheetColumn(l.pick("TT", "No."), width: 6), SheetColumn(l.pick("Cảnh báo", "Warning"), width: 50),
                      SheetColumn(l.pick("Văn bản", "Reference"), width: 40), SheetColumn(l.pick("Hạn khắc phục", "Deadline"), width: 14),
                      SheetColumn(l.pick("Hệ thống bị ảnh hưởng", "Affected systems"), width: 12), SheetColumn(l.pick("Đã khắc phục", "Remediated"), width: 12),
                      SheetColumn(l.pick("Chưa khắc phục", "Not yet"), width: 12)],
            rows: c.warnings.enumerated().map { i, w in
                [.integer(i + 1), .text(w.title), nonEmpty(w.reference).map(CellValue.text) ?? .empty, day(w.deadline),
                 .integer(w.affectedSystems), .integer(w.remediated), .integer(w.notRemediated)]
            })
        return [summary, systems, warnings]
    }

    public static func xlsx(_ c: ProactiveReportContent, language: ProactiveReportLanguage = .vi) throws -> Data {
        try XlsxWriter.write(sheets(c, language: language))
    }
}

extension ReportBody {
    /// "Kính gửi:" (or "To:") with one or several addressees, centred.
    mutating func proactiveAddressees(_ names: [String], _ l: ProactiveReportLanguage) {
        if l == .vi {
            addressees(names)
            return
        }
        let items = names.compactMap { nonEmpty($0) }
        guard !items.isEmpty else { return }
        append(.paragraph([Run("To: " + items.joined(separator: "; "))], alignment: .center, indentFirstLine: false))
    }
}
