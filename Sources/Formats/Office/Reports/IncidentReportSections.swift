import Foundation
import Domain

/// Sections shared by several incident reports.
extension ReportBody {
    typealias Content = IncidentReportContent

    /// "Căn cứ …" sentences, then the sentence that introduces the report.
    mutating func opening(_ c: Content, introduction: String) {
        addressees(c.addressees)
        for basis in c.legalBasis.compactMap({ nonEmpty($0) }) { paragraph([Run(basis)]) }
        paragraph([Run(introduction)])
    }

    mutating func reportingUnit(_ c: Content, title: String) {
        section(title)
        field("Tên đơn vị", c.reportingUnit)
        if let address = nonEmpty(c.reportingUnitAddress) { field("Địa chỉ", address) }
        let person = [nonEmpty(c.contact.name), nonEmpty(c.contact.title).map { "chức vụ: \($0)" }].compactMap { $0 }
        field("Người liên hệ", person.joined(separator: ", "), placeholder: "Chưa xác định")
        field("Điện thoại", c.contact.phone, placeholder: "Chưa có")
        field("Thư điện tử", c.contact.email, placeholder: "Chưa có")
    }

    mutating func systems(_ c: Content, title: String = "Thông tin về hệ thống thông tin bị sự cố") {
        section(title)
        guard !c.systems.isEmpty else {
            paragraph([Run("Chưa xác định hệ thống thông tin bị ảnh hưởng.")])
            return
        }
        table(Table(
            columns: [TableColumn("TT", widthPercent: 7, alignment: .center), TableColumn("Tên hệ thống thông tin", widthPercent: 31),
                      TableColumn("Chủ quản", widthPercent: 22), TableColumn("Đơn vị vận hành", widthPercent: 24),
                      TableColumn("Cấp độ", widthPercent: 16, alignment: .center)],
            rows: c.systems.enumerated().map { index, s in
                [String(index + 1), s.name, nonEmpty(s.owner) ?? "", nonEmpty(s.operator) ?? "", IncidentReportDocuments.levelText(s.level)]
            }))
    }

    mutating func incident(_ c: Content, title: String = "Thông tin về sự cố", includeEnd: Bool = false) {
        section(title)
        if let number = nonEmpty(c.caseNumber) { field("Mã sự cố", number) }
        field("Thời điểm phát hiện", IncidentReportDocuments.time(c.detectedAt))
        field("Thời điểm xảy ra", IncidentReportDocuments.time(c.occurredAt))
        if includeEnd { field("Thời điểm kết thúc ứng phó", IncidentReportDocuments.time(c.responseEndedAt)) }
        field("Loại sự cố", c.categoryLabel, placeholder: "Chưa phân loại")
        longField("Mô tả sự cố", c.description, placeholder: "Chưa có mô tả.")
    }

    mutating func impact(_ c: Content, title: String = "Phạm vi, mức độ ảnh hưởng") {
        section(title)
        longField("Dịch vụ bị gián đoạn", c.impact.servicesDown, placeholder: "Không")
        longField("Dữ liệu bị ảnh hưởng", c.impact.dataAffected, placeholder: "Chưa xác định")
        field("Số người bị ảnh hưởng", c.impact.peopleAffected.map(IncidentReportDocuments.count), placeholder: "Chưa xác định")
        if let other = nonEmpty(c.impact.other) { longField("Ảnh hưởng khác", other) }
        field("Liên quan đến dữ liệu cá nhân", IncidentReportDocuments.yesNo(c.involvesPersonalData))
        field("Liên quan đến bí mật nhà nước", IncidentReportDocuments.yesNo(c.involvesStateSecrets))
        if c.involvesStateSecrets {
            paragraph([.italic("Nội dung thuộc phạm vi bí mật nhà nước không nêu trong văn bản này.")])
        }
    }

    mutating func measures(_ c: Content, title: String = "Các biện pháp đã thực hiện") {
        section(title)
        paragraphs(c.measuresTaken, placeholder: "Chưa có biện pháp nào được thực hiện.")
    }

    /// The operator's own assessment of whether it can handle the incident.
    static func capability(_ value: Bool?) -> String {
        switch value {
        case true?: return "Đơn vị tự xử lý được sự cố."
        case false?: return "Đơn vị không đủ khả năng tự xử lý sự cố."
        case nil: return "Chưa đánh giá."
        }
    }

    mutating func support(_ c: Content, title: String = "Đánh giá khả năng xử lý và đề nghị hỗ trợ") {
        section(title)
        field("Khả năng tự xử lý", Self.capability(c.canHandleAlone))
        longField("Đề nghị hỗ trợ", c.supportRequested, placeholder: "Chưa có đề nghị hỗ trợ.")
    }

    mutating func timeline(_ c: Content, title: String) {
        section(title)
        guard !c.timeline.isEmpty else {
            paragraph([Run("Chưa ghi nhận diễn biến.")])
            return
        }
        table(Table(
            columns: [TableColumn("TT", widthPercent: 7, alignment: .center), TableColumn("Thời gian", widthPercent: 23, alignment: .center),
                      TableColumn("Nội dung", widthPercent: 70)],
            rows: c.timeline.sorted { $0.at < $1.at }.enumerated().map { index, entry in
                [String(index + 1), DisplayTime.dateTime(entry.at), entry.text]
            }))
    }

    mutating func observables(_ c: Content, title: String = "Dấu hiệu, thông tin kỹ thuật của sự cố") {
        section(title)
        guard !c.observables.isEmpty else {
            paragraph([Run("Chưa thu thập được dấu hiệu kỹ thuật.")])
            return
        }
        table(Table(
            columns: [TableColumn("TT", widthPercent: 7, alignment: .center), TableColumn("Loại", widthPercent: 20),
                      TableColumn("Giá trị", widthPercent: 48), TableColumn("Ghi chú", widthPercent: 25)],
            rows: c.observables.enumerated().map { index, o in [String(index + 1), o.typeLabel, o.value, nonEmpty(o.note) ?? ""] }))
    }

    mutating func attachments(_ c: Content) {
        let items = c.attachments.compactMap { nonEmpty($0) }
        guard !items.isEmpty else { return }
        section("Tài liệu kèm theo")
        for item in items { append(.bullet([Run(item)])) }
    }

    mutating func closing(_ text: String) {
        paragraph([Run(text)])
    }
}
