import Foundation
import Testing
@testable import Formats

@Suite("Incident report documents")
struct IncidentReportDocumentsTests {
    static func utc(_ text: String) -> Date { ExchangeIdentifiers.parseTimestamp(text)! }

    static func content() -> IncidentReportContent {
        IncidentReportContent(
            issuerName: "Sở Y tế",
            issuerParentBody: "UBND tỉnh Lạng Sơn",
            issuerSymbol: "syt",
            place: "Lạng Sơn",
            date: vietnamDate(2026, 11, 25),
            addressees: ["Cơ quan điều phối quốc gia về ứng cứu sự cố", "Công an tỉnh Lạng Sơn (PA05)"],
            legalBasis: ["Căn cứ văn bản quy định về điều phối, ứng cứu sự cố (dữ liệu quy tắc, phiên bản thử nghiệm);"],
            caseNumber: "SC-2026-0042",
            reportingUnit: "Trung tâm Công nghệ thông tin – Sở Y tế",
            reportingUnitAddress: "Số 1 đường Lê Lợi, phường Đông Kinh",
            contact: IncidentReportContact(name: "Nguyễn Thị Hoa", title: "Phó Giám đốc Trung tâm", phone: "0912 345 678",
                                           email: "hoa.nt@langson.gov.vn"),
            systems: [IncidentReportSystem(name: "Cổng dịch vụ công <Y tế>", owner: "Sở Y tế", operator: "Trung tâm CNTT", level: 3),
                      IncidentReportSystem(name: "Hệ thống thư điện tử", owner: "Sở Y tế", operator: nil, level: nil)],
            detectedAt: utc("2026-11-25T00:30:00Z"),
            occurredAt: utc("2026-11-24T17:05:00Z"),
            categoryLabel: "Tấn công mã hóa dữ liệu (ransomware)",
            description: "Máy chủ ứng dụng bị mã hóa & đòi tiền chuộc \"gấp\".\nKẻ tấn công để lại tệp README.txt.",
            impact: IncidentReportImpact(servicesDown: "Cổng dịch vụ công ngừng hoạt động", dataAffected: "Hồ sơ bệnh án điện tử",
                                         peopleAffected: 1_234_567),
            involvesPersonalData: true,
            involvesStateSecrets: false,
            canHandleAlone: false,
            measuresTaken: "Cô lập máy chủ khỏi mạng.\nSao lưu nhật ký hệ thống.",
            supportRequested: "Đề nghị hỗ trợ phân tích mã độc.",
            observables: [IncidentReportObservable(typeLabel: "Địa chỉ IP", value: "203.0.113.45", note: "Máy chủ C2"),
                          IncidentReportObservable(typeLabel: "Mã băm SHA-256", value: String(repeating: "a", count: 64))],
            timeline: [IncidentReportTimelineEntry(at: utc("2026-11-25T01:00:00Z"), text: "Cô lập máy chủ"),
                       IncidentReportTimelineEntry(at: utc("2026-11-25T00:35:00Z"), text: "Tiếp nhận thông tin sự cố")],
            attachments: ["Nhật ký tường lửa (log.zip)"],
            recipients: ["Như trên;", "Giám đốc Sở (để b/c);", "Lưu: VT, TTCNTT."],
            signer: Signer(authority: "KT. GIÁM ĐỐC", title: "PHÓ GIÁM ĐỐC", name: "Trần Văn Bình"),
            responseEndedAt: utc("2026-11-27T10:00:00Z"),
            cause: "Lỗ hổng chưa vá trên máy chủ ứng dụng.",
            result: "Khôi phục dịch vụ từ bản sao lưu.",
            damage: "Mất dữ liệu của 2 giờ.",
            lessonsLearned: "Cần vá lỗ hổng định kỳ.",
            recommendations: "Tăng cường giám sát.",
            personalData: IncidentReportPersonalData(controllerRole: "Bên Kiểm soát và xử lý dữ liệu cá nhân",
                                                     dataCategories: "Họ tên, số định danh cá nhân, số điện thoại",
                                                     subjectsAffected: 12_000, recordsAffected: 45_000,
                                                     likelyConsequences: "Lộ lọt thông tin khám chữa bệnh.",
                                                     plannedMeasures: "Thông báo cho chủ thể dữ liệu.",
                                                     delayReason: "Cần thời gian xác minh phạm vi dữ liệu."),
            seriousConditions: ["Hệ thống thông tin cấp độ 4 bị ngừng hoạt động", "Có khả năng lây lan sang hệ thống khác"]
        )
    }

    static func text(_ kind: IncidentReportDocumentKind, _ content: IncidentReportContent = content()) throws -> (xml: String, text: String) {
        let data = try IncidentReportDocuments.docx(kind, content)
        let xml = try unzipText(data, "word/document.xml")
        return (xml, WordText.extract(xml).joined(separator: "\n"))
    }

    @Test(arguments: IncidentReportDocumentKind.allCases)
    func everyKindIsAWellFormedDocxWithTheCommonParts(kind: IncidentReportDocumentKind) throws {
        let data = try IncidentReportDocuments.docx(kind, Self.content())
        let entries = try unzipEntries(data)
        for (path, bytes) in entries { #expect(xmlError(String(decoding: bytes, as: UTF8.self)) == nil, "\(path) is not well-formed") }
        let (xml, text) = try Self.text(kind)
        #expect(text.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"))
        #expect(text.contains("UBND TỈNH LẠNG SƠN"))
        #expect(text.contains("SỞ Y TẾ"))
        #expect(text.contains("Lạng Sơn, ngày 25 tháng 11 năm 2026"))
        #expect(text.contains("Căn cứ văn bản quy định về điều phối, ứng cứu sự cố"))
        #expect(text.contains("KT. GIÁM ĐỐC") && text.contains("PHÓ GIÁM ĐỐC") && text.contains("Trần Văn Bình"))
        #expect(text.contains("Nơi nhận:") && text.contains("- Lưu: VT, TTCNTT."))
        #expect(text.contains("SC-2026-0042"))
        // Detected 00:30 UTC is 07:30 in Hà Nội; occurred 17:05 UTC on the 24th is 00:05 on the 25th.
        #expect(text.contains("25/11/2026 07:30"))
        #expect(text.contains("25/11/2026 00:05"))
        // User text is escaped in the XML and reads back unchanged.
        #expect(xml.contains("mã hóa &amp; đòi tiền chuộc &quot;gấp&quot;"))
        #expect(text.contains("Máy chủ ứng dụng bị mã hóa & đòi tiền chuộc \"gấp\"."))
        #expect(!xml.contains("<Y tế>"))
    }

    @Test func notification() throws {
        let (xml, text) = try Self.text(.notification)
        #expect(text.contains("THÔNG BÁO"))
        #expect(text.contains("Sự cố an toàn thông tin mạng đối với các hệ thống thông tin “Cổng dịch vụ công <Y tế>”, “Hệ thống thư điện tử”"))
        #expect(xml.contains("Cổng dịch vụ công &lt;Y tế&gt;"))
        #expect(text.contains("Số:      /TB-SYT"))
        #expect(text.contains("Kính gửi:"))
        #expect(text.contains("- Cơ quan điều phối quốc gia về ứng cứu sự cố;"))
        #expect(text.contains("- Công an tỉnh Lạng Sơn (PA05)."))
        for heading in ["I. THÔNG TIN VỀ ĐƠN VỊ THÔNG BÁO SỰ CỐ", "II. THÔNG TIN VỀ HỆ THỐNG THÔNG TIN BỊ SỰ CỐ",
                        "III. THÔNG TIN VỀ SỰ CỐ", "IV. PHẠM VI, MỨC ĐỘ ẢNH HƯỞNG", "V. CÁC BIỆN PHÁP ĐÃ THỰC HIỆN",
                        "VI. KHẢ NĂNG XỬ LÝ VÀ ĐỀ NGHỊ HỖ TRỢ", "VII. DẤU HIỆU, THÔNG TIN KỸ THUẬT CỦA SỰ CỐ", "VIII. TÀI LIỆU KÈM THEO"] {
            #expect(text.contains(heading), "missing \(heading)")
        }
        #expect(text.contains("Người liên hệ: Nguyễn Thị Hoa, chức vụ: Phó Giám đốc Trung tâm"))
        #expect(text.contains("Điện thoại: 0912 345 678"))
        #expect(text.contains("Thư điện tử: hoa.nt@langson.gov.vn"))
        #expect(text.contains("Cấp độ 3"))
        #expect(text.contains("Chưa xác định")) // the e-mail system's level
        #expect(text.contains("Loại sự cố: Tấn công mã hóa dữ liệu (ransomware)"))
        #expect(text.contains("Số người bị ảnh hưởng: 1.234.567"))
        #expect(text.contains("Liên quan đến dữ liệu cá nhân: Có"))
        #expect(text.contains("Liên quan đến bí mật nhà nước: Không"))
        #expect(text.contains("Cô lập máy chủ khỏi mạng."))
        #expect(text.contains("Đơn vị không đủ khả năng tự xử lý sự cố."))
        #expect(text.contains("203.0.113.45") && text.contains("Máy chủ C2"))
        #expect(text.contains("Nhật ký tường lửa (log.zip)"))
    }

    @Test func initialReport() throws {
        let (_, text) = try Self.text(.initialReport)
        #expect(text.contains("BÁO CÁO BAN ĐẦU"))
        #expect(text.contains("Số:      /BC-SYT"))
        #expect(text.contains("báo cáo ban đầu về sự cố an toàn thông tin mạng"))
        #expect(text.contains("DIỄN BIẾN SỰ CỐ"))
        #expect(text.contains("ĐÁNH GIÁ KHẢ NĂNG XỬ LÝ VÀ ĐỀ NGHỊ HỖ TRỢ"))
        #expect(text.contains("Đề nghị hỗ trợ phân tích mã độc."))
        // The timeline is in time order whatever the input order.
        let received = try #require(text.range(of: "Tiếp nhận thông tin sự cố"))
        let isolated = try #require(text.range(of: "Cô lập máy chủ\n"))
        #expect(received.lowerBound < isolated.lowerBound)
        #expect(text.contains("25/11/2026 07:35"))
    }

    @Test func finalReport() throws {
        let (_, text) = try Self.text(.finalReport)
        #expect(text.contains("BÁO CÁO"))
        #expect(text.contains("Kết thúc ứng phó sự cố an toàn thông tin mạng đối với"))
        #expect(text.contains("Thời điểm kết thúc ứng phó: 27/11/2026 17:00"))
        for heading in ["DIỄN BIẾN VÀ QUÁ TRÌNH ỨNG PHÓ", "NGUYÊN NHÂN SỰ CỐ", "KẾT QUẢ XỬ LÝ VÀ THIỆT HẠI",
                        "BÀI HỌC KINH NGHIỆM", "KIẾN NGHỊ, ĐỀ XUẤT"] {
            #expect(text.contains(heading), "missing \(heading)")
        }
        #expect(text.contains("Lỗ hổng chưa vá trên máy chủ ứng dụng."))
        #expect(text.contains("Cần vá lỗ hổng định kỳ."))
        #expect(text.contains("Khôi phục dịch vụ từ bản sao lưu."))
    }

    @Test func personalDataBreachNotice() throws {
        var content = Self.content()
        content.addressees = []
        let (_, text) = try Self.text(.pdpBreachNotice, content)
        #expect(text.contains("THÔNG BÁO"))
        #expect(text.contains("Vi phạm quy định bảo vệ dữ liệu cá nhân"))
        #expect(text.contains("Kính gửi: Bộ Công an (Cục An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao)"))
        #expect(text.contains("Vai trò: Bên Kiểm soát và xử lý dữ liệu cá nhân"))
        #expect(text.contains("Loại dữ liệu cá nhân: Họ tên, số định danh cá nhân, số điện thoại"))
        #expect(text.contains("Số chủ thể dữ liệu bị ảnh hưởng: 12.000"))
        #expect(text.contains("Số bản ghi bị ảnh hưởng: 45.000"))
        #expect(text.contains("HẬU QUẢ, THIỆT HẠI CÓ THỂ XẢY RA"))
        #expect(text.contains("LÝ DO THÔNG BÁO CHẬM"))
        #expect(text.contains("Cần thời gian xác minh phạm vi dữ liệu."))
    }

    @Test func seriousEscalation() throws {
        let (_, text) = try Self.text(.seriousEscalation)
        #expect(text.contains("KHẨN"))
        #expect(text.contains("Sự cố an toàn thông tin mạng nghiêm trọng đối với"))
        #expect(text.contains("CĂN CỨ XÁC ĐỊNH SỰ CỐ NGHIÊM TRỌNG"))
        #expect(text.contains("Hệ thống thông tin cấp độ 4 bị ngừng hoạt động"))
        #expect(text.contains("Khả năng tự xử lý: Đơn vị không đủ khả năng tự xử lý sự cố."))
        var hurried = Self.content()
        hurried.urgency = "Hỏa tốc"
        #expect(try Self.text(.seriousEscalation, hurried).text.contains("HỎA TỐC"))
    }

    @Test(arguments: IncidentReportDocumentKind.allCases)
    func buildersCiteNoLawOfTheirOwn(kind: IncidentReportDocumentKind) throws {
        var content = Self.content()
        content.legalBasis = []
        content.seriousConditions = []
        let text = try Self.text(kind, content).text
        #expect(text.firstMatch(of: /\d+\/\d{4}\/[A-ZĐ]/) == nil, "a law number appears in \(kind)")
        for word in ["Nghị định", "Thông tư", "Quyết định số", "Luật "] { #expect(!text.contains(word), "\(word) in \(kind)") }
    }

    @Test func minimalContentUsesPlaceholders() throws {
        let content = IncidentReportContent(
            issuerName: "Sở Tài chính", place: "Lạng Sơn", date: vietnamDate(2026, 2, 3), reportingUnit: "Sở Tài chính",
            contact: IncidentReportContact(name: "Lê Văn C"), detectedAt: Self.utc("2026-02-02T10:00:00Z"),
            categoryLabel: "", description: "", signer: Signer(title: "GIÁM ĐỐC", name: "Lê Văn D"))
        for kind in IncidentReportDocumentKind.allCases {
            let (xml, text) = try Self.text(kind, content)
            #expect(xmlError(xml) == nil)
            #expect(text.contains("ngày 03 tháng 02 năm 2026"))
            #expect(text.contains("- Như trên;") && text.contains("- Lưu: VT."))
        }
        let text = try Self.text(.notification, content).text
        #expect(text.contains("Số:      /TB"))
        #expect(text.contains("Chưa xác định hệ thống thông tin bị ảnh hưởng."))
        #expect(text.contains("Thời điểm xảy ra: Chưa xác định"))
        #expect(text.contains("Chưa thu thập được dấu hiệu kỹ thuật."))
        #expect(text.contains("Khả năng tự xử lý: Chưa đánh giá."))
    }

    @Test func givenDocumentNumberIsUsed() throws {
        var content = Self.content()
        content.documentNumber = "125/BC-SYT"
        #expect(try Self.text(.finalReport, content).text.contains("Số: 125/BC-SYT"))
        content.documentNumber = "Số: 07/TB-SYT"
        #expect(try Self.text(.notification, content).text.contains("Số: 07/TB-SYT"))
    }

    /// With `UNGCUU_REPORTS_OUT` set, writes every report there for a person (or LibreOffice) to look at.
    @Test func writesSampleReportsWhenAsked() throws {
        guard let directory = ProcessInfo.processInfo.environment["UNGCUU_REPORTS_OUT"], !directory.isEmpty else { return }
        let folder = URL(fileURLWithPath: directory, isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for kind in IncidentReportDocumentKind.allCases {
            let name = IncidentReportDocuments.fileStem(kind, caseNumber: "SC-2026-0042") + ".docx"
            try IncidentReportDocuments.docx(kind, Self.content()).write(to: folder.appendingPathComponent(name))
        }
    }

    @Test func fileStems() {
        #expect(IncidentReportDocuments.fileStem(.initialReport, caseNumber: "SC-2026-0042") == "SC-2026-0042-bao-cao-ban-dau")
        #expect(IncidentReportDocuments.fileStem(.pdpBreachNotice, caseNumber: "../x y") == "xy-thong-bao-vi-pham-dlcn")
        #expect(IncidentReportDocuments.fileStem(.notification, caseNumber: nil) == "thong-bao-su-co")
    }
}
