import Foundation
import Testing
import Domain
@testable import Formats

@Suite("Proactive report documents")
struct ProactiveReportDocumentsTests {
    static func content(systems: [ProactiveReportSystemRow]? = nil, warnings: [ProactiveReportWarningRow]? = nil) -> ProactiveReportContent {
        ProactiveReportContent(
            issuer: ReportIssuer(name: "Công an tỉnh Lạng Sơn", parentBody: "UBND tỉnh Lạng Sơn", symbol: "cat", place: "Lạng Sơn",
                                 date: vietnamDate(2026, 7, 5), recipients: ["Như trên;", "Lưu: VT, PA05."],
                                 signer: Signer(authority: "KT. GIÁM ĐỐC", title: "PHÓ GIÁM ĐỐC", name: "Hoàng Văn Cường")),
            addressees: ["Ủy ban nhân dân tỉnh Lạng Sơn"],
            legalBasis: ["Căn cứ Chỉ thị số 18/CT-TTg ngày 13/10/2022 của Thủ tướng Chính phủ về đẩy mạnh triển khai các hoạt động ứng cứu sự cố an toàn thông tin mạng Việt Nam;"],
            period: ProactiveReportPeriod(year: 2026, half: .first),
            systems: systems ?? [
                ProactiveReportSystemRow(agencyName: "Sở Y tế", systemName: "Cổng dịch vụ công <Y tế>", level: 3,
                                         lastScanAt: vietnamDate(2026, 3, 10), lastHuntAt: vietnamDate(2026, 6, 30), scansInPeriod: 1, huntsInPeriod: 1,
                                         scanState: .met, huntState: .met, openFindings: [.critical: 1, .high: 2, .low: 4], overdueFindings: 1),
                ProactiveReportSystemRow(agencyName: "Sở Tài chính", systemName: "Phần mềm kế toán", level: 2,
                                         lastScanAt: vietnamDate(2025, 9, 1), scanState: .overdue, huntState: .overdue),
                ProactiveReportSystemRow(agencyName: "Sở Y tế", systemName: "Hệ thống thư điện tử", level: nil,
                                         lastScanAt: vietnamDate(2026, 7, 1), lastHuntAt: nil, scansInPeriod: 0,
                                         scanState: .met, huntState: .dueSoon, openFindings: [.medium: 3]),
            ],
            warnings: warnings ?? [
                ProactiveReportWarningRow(title: "Lỗ hổng nghiêm trọng trong Apache Log4j (CVE-2021-44228)",
                                          reference: "Công văn số 123/CATTT-NCSC ngày 01/03/2026", deadline: vietnamDate(2026, 3, 15),
                                          affectedSystems: 3, remediated: 2),
                ProactiveReportWarningRow(title: "Chiến dịch tấn công mã hóa dữ liệu", affectedSystems: 1, remediated: 1),
            ],
            overview: "Rà quét bằng công cụ do Công an tỉnh cung cấp.",
            assessment: "Các đơn vị đã cơ bản thực hiện.",
            proposals: "Đề nghị Sở Tài chính bố trí kinh phí.")
    }

    static func text(_ c: ProactiveReportContent = content(), _ l: ProactiveReportLanguage = .vi) throws -> String {
        let xml = try unzipText(ProactiveReportDocuments.docx(c, language: l), "word/document.xml")
        return WordText.extract(xml).joined(separator: "\n")
    }

    @Test func periodsAreHalfYearsInVietnamTime() {
        let first = ProactiveReportPeriod(year: 2026, half: .first)
        #expect(DisplayTime.date(first.start) == "01/01/2026" && DisplayTime.date(first.lastDay) == "30/06/2026")
        #expect(first.contains(vietnamDate(2026, 6, 30, hour: 23)))
        #expect(!first.contains(vietnamDate(2026, 7, 1, hour: 0)))
        #expect(ProactiveReportPeriod.containing(vietnamDate(2026, 7, 1, hour: 0)) == ProactiveReportPeriod(year: 2026, half: .second))
        #expect(ProactiveReportPeriod(year: 2026, half: .second).label(.vi) == "6 tháng cuối năm 2026")
        #expect(first.label(.en) == "the first half of 2026")
        #expect(ProactiveReportDocuments.fileStem(first) == "bao-cao-ra-quet-san-lung-2026-6t-dau")
    }

    @Test func summaryFiguresComeFromTheRows() {
        let s = Self.content().summary
        #expect(s.systems == 3)
        #expect(s.scanned == 1) // the mail system's last scan is after the period and none counted in it
        #expect(s.hunted == 1)
        #expect(s.scanOverdue == 1 && s.huntOverdue == 1 && s.anyOverdue == 1)
        #expect(s.openFindings == [.critical: 1, .high: 2, .medium: 3, .low: 4])
        #expect(s.openFindingsTotal == 10)
        #expect(s.overdueFindings == 1)
        #expect(s.warnings == 2 && s.warningSystems == 4 && s.warningRemediated == 3 && s.warningNotRemediated == 1)
        #expect(ProactiveReportDocuments.percent(1, of: 3) == "33,3%")
        #expect(ProactiveReportDocuments.percent(0, of: 0) == "0%")
    }

    @Test func docxIsAWellFormedDecree30ReportWithTheHeaderAndClosingParts() throws {
        let data = try ProactiveReportDocuments.docx(Self.content())
        for (path, bytes) in try unzipEntries(data) {
            #expect(xmlError(String(decoding: bytes, as: UTF8.self)) == nil, "\(path) is not well-formed")
        }
        let text = try Self.text()
        #expect(text.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"))
        #expect(text.contains("Độc lập - Tự do - Hạnh phúc"))
        #expect(text.contains("UBND TỈNH LẠNG SƠN"))
        #expect(text.contains("CÔNG AN TỈNH LẠNG SƠN"))
        #expect(text.contains("Số:      /BC-CAT"))
        #expect(text.contains("Lạng Sơn, ngày 05 tháng 7 năm 2026"))
        #expect(text.contains("BÁO CÁO"))
        #expect(text.contains("Kết quả rà quét lỗ hổng, săn lùng mối nguy hại 6 tháng đầu năm 2026"))
        #expect(text.contains("Kính gửi: Ủy ban nhân dân tỉnh Lạng Sơn"))
        #expect(text.contains("Căn cứ Chỉ thị số 18/CT-TTg"))
        #expect(text.contains("(từ ngày 01/01/2026 đến ngày 30/06/2026)"))
        #expect(text.contains("KT. GIÁM ĐỐC") && text.contains("PHÓ GIÁM ĐỐC") && text.contains("Hoàng Văn Cường"))
        #expect(text.contains("Nơi nhận:") && text.contains("- Lưu: VT, PA05."))
        #expect(text.contains("./."))
    }

    @Test func docxHasTheSummaryATablePerAgencyAndTheWarnings() throws {
        let text = try Self.text()
        #expect(text.contains("I. KẾT QUẢ CHUNG"))
        #expect(text.contains("Rà quét bằng công cụ do Công an tỉnh cung cấp."))
        #expect(text.contains("Số hệ thống thông tin thuộc phạm vi báo cáo: 3"))
        #expect(text.contains("Số hệ thống đã được rà quét lỗ hổng trong kỳ: 1/3 (33,3%)"))
        #expect(text.contains("Số hệ thống quá hạn săn lùng mối nguy hại: 1"))
        #expect(text.contains("Số lỗ hổng chưa khắc phục: 10 (1 nghiêm trọng, 2 cao, 3 trung bình, 4 thấp)"))
        #expect(text.contains("II. KẾT QUẢ THEO TỪNG CƠ QUAN, ĐƠN VỊ VÀ HỆ THỐNG THÔNG TIN"))
        // Agencies in the order they first appear; both Sở Y tế systems in one table.
        let health = try #require(text.range(of: "1. Sở Y tế"))
        let finance = try #require(text.range(of: "2. Sở Tài chính"))
        #expect(health.lowerBound < finance.lowerBound)
        let between = String(text[health.upperBound..<finance.lowerBound])
        #expect(between.contains("Cổng dịch vụ công <Y tế>") && between.contains("Hệ thống thư điện tử"))
        #expect(between.contains("10/03/2026") && between.contains("Chưa thực hiện") && between.contains("Sắp đến hạn"))
        #expect(text.contains("Quá hạn rà quét và săn lùng"))
        #expect(text.contains("Lỗ hổng chưa khắc phục (NT/C/TB/T)"))
        #expect(between.contains("1/2/0/4") && between.contains("0/0/3/0"))
        #expect(text.contains("Ghi chú: cấp độ “–”: chưa có cấp độ được phê duyệt; lỗ hổng chưa khắc phục theo mức độ NT/C/TB/T: nghiêm trọng/cao/trung bình/thấp."))
        #expect(text.contains("III. XỬ LÝ CẢNH BÁO CỦA CƠ QUAN CHỨC NĂNG"))
        #expect(text.contains("Lỗ hổng nghiêm trọng trong Apache Log4j (CVE-2021-44228)"))
        #expect(text.contains("Công văn số 123/CATTT-NCSC ngày 01/03/2026"))
        #expect(text.contains("15/03/2026"))
        #expect(text.contains("Không nêu"))
        #expect(text.contains("IV. ĐÁNH GIÁ, KIẾN NGHỊ"))
        #expect(text.contains("Đề nghị Sở Tài chính bố trí kinh phí."))
    }

    @Test func emptyReportSaysSoInsteadOfEmptyTables() throws {
        let text = try Self.text(Self.content(systems: [], warnings: []))
        #expect(text.contains("Không có hệ thống thông tin thuộc phạm vi báo cáo."))
        #expect(text.contains("Trong kỳ không có cảnh báo của cơ quan chức năng"))
        #expect(text.contains("Số hệ thống đã được rà quét lỗ hổng trong kỳ: 0/0 (0%)"))
    }

    @Test func englishRenderingTranslatesTheLabels() throws {
        let text = try Self.text(Self.content(), .en)
        #expect(text.contains("REPORT"))
        #expect(text.contains("Results of vulnerability scanning and threat hunting in the first half of 2026"))
        #expect(text.contains("To: Ủy ban nhân dân tỉnh Lạng Sơn"))
        #expect(text.contains("I. SUMMARY"))
        #expect(text.contains("Systems scanned for vulnerabilities in the period: 1/3 (33.3%)"))
        #expect(text.contains("Scan and hunt overdue"))
        #expect(text.contains("Open findings (C/H/M/L)") && text.contains("open findings by severity C/H/M/L: critical/high/medium/low."))
        #expect(!text.contains("Kết quả chung"))
    }

    @Test func xlsxHasOneSheetPerTableWithTheSameFigures() throws {
        let data = try ProactiveReportDocuments.xlsx(Self.content())
        for (path, bytes) in try unzipEntries(data) {
            #expect(xmlError(String(decoding: bytes, as: UTF8.self)) == nil, "\(path) is not well-formed")
        }
        let sheets = try XlsxReader.read(data)
        #expect(sheets.map(\.name) == ["Tổng hợp", "Hệ thống", "Cảnh báo"])
        let summary = sheets[0].rows
        #expect(summary[0] == ["Chỉ tiêu", "Giá trị"])
        #expect(summary.contains(["Kỳ báo cáo", "6 tháng đầu năm 2026 (từ ngày 01/01/2026 đến ngày 30/06/2026)"]))
        #expect(summary.contains(["Ngày báo cáo", "05/07/2026"]))
        #expect(summary.contains(["Số hệ thống thông tin", "3"]))
        #expect(summary.contains(["Đã rà quét lỗ hổng trong kỳ", "1"]))
        #expect(summary.contains(["Lỗ hổng chưa khắc phục – nghiêm trọng", "1"]))
        #expect(summary.contains(["Chưa khắc phục", "1"]))

        let systems = sheets[1].rows
        #expect(systems[0].prefix(4) == ["TT", "Cơ quan, đơn vị", "Hệ thống thông tin", "Cấp độ"])
        #expect(systems[0].count == 15)
        #expect(systems.count == 4)
        #expect(systems[1] == ["1", "Sở Y tế", "Cổng dịch vụ công <Y tế>", "3", "10/03/2026", "1", "Đạt", "30/06/2026", "1", "Đạt",
                               "1", "2", "0", "4", "1"])
        #expect(systems[2][1...2] == ["Sở Y tế", "Hệ thống thư điện tử"])
        #expect(systems[2][3] == "" && systems[2][7] == "" && systems[2][9] == "Sắp đến hạn")
        #expect(systems[3][1] == "Sở Tài chính" && systems[3][6] == "Quá hạn")

        let warnings = sheets[2].rows
        #expect(warnings[0] == ["TT", "Cảnh báo", "Văn bản", "Hạn khắc phục", "Hệ thống bị ảnh hưởng", "Đã khắc phục", "Chưa khắc phục"])
        #expect(warnings[1] == ["1", "Lỗ hổng nghiêm trọng trong Apache Log4j (CVE-2021-44228)", "Công văn số 123/CATTT-NCSC ngày 01/03/2026",
                                "15/03/2026", "3", "2", "1"])
        #expect(warnings[2] == ["2", "Chiến dịch tấn công mã hóa dữ liệu", "", "", "1", "1", "0"])
    }

    @Test func xlsxInEnglish() throws {
        let sheets = try XlsxReader.read(ProactiveReportDocuments.xlsx(Self.content(), language: .en))
        #expect(sheets.map(\.name) == ["Summary", "Systems", "Warnings"])
        #expect(sheets[1].rows[0].prefix(3) == ["No.", "Agency", "Information system"])
        #expect(sheets[1].rows[3][6] == "Overdue")
    }

    @Test func writesSampleReportsWhenAsked() throws {
        guard let directory = ProcessInfo.processInfo.environment["UNGCUU_REPORTS_OUT"], !directory.isEmpty else { return }
        let folder = URL(fileURLWithPath: directory, isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let stem = ProactiveReportDocuments.fileStem(Self.content().period)
        try ProactiveReportDocuments.docx(Self.content()).write(to: folder.appendingPathComponent(stem + ".docx"))
        try ProactiveReportDocuments.docx(Self.content(), language: .en).write(to: folder.appendingPathComponent(stem + "-en.docx"))
        try ProactiveReportDocuments.xlsx(Self.content()).write(to: folder.appendingPathComponent(stem + ".xlsx"))
    }

    @Test func incidentReportsStillUseTheSharedHeaderParts() {
        let issuer = ReportIssuer(name: "Sở Y tế", symbol: "syt", place: "Lạng Sơn", date: vietnamDate(2026, 11, 25),
                                  signer: Signer(title: "GIÁM ĐỐC", name: "A"))
        #expect(OfficialReportParts.number(documentNumber: nil, symbol: "syt", typeCode: "BC") == "Số:      /BC-SYT")
        #expect(OfficialReportParts.number(documentNumber: "125/BC-SYT", symbol: "syt", typeCode: "BC") == "Số: 125/BC-SYT")
        let doc = OfficialReportParts.document(issuer, typeCode: "BC", title: "BÁO CÁO", subject: "S", body: [])
        #expect(doc.recipients == ["Như trên;", "Lưu: VT."])
        #expect(doc.header.number == "Số:      /BC-SYT")
    }
}
