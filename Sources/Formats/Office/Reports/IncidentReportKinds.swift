import Foundation

extension IncidentReportDocuments {
    /// Thông báo sự cố: sent within the notification deadline to the owner, the national coordinating body,
    /// the specialised unit and network members at the same time.
    public static func notification(_ c: IncidentReportContent) -> OfficeDocument {
        var body = ReportBody()
        body.opening(c, introduction: "\(c.reportingUnit) thông báo sự cố an toàn thông tin mạng như sau:")
        body.reportingUnit(c, title: "Thông tin về đơn vị thông báo sự cố")
        body.systems(c)
        body.incident(c)
        body.impact(c)
        body.measures(c)
        body.support(c, title: "Khả năng xử lý và đề nghị hỗ trợ")
        body.observables(c)
        body.attachments(c)
        body.closing("\(c.reportingUnit) sẽ tiếp tục cập nhật thông tin khi có diễn biến mới hoặc khi hoàn thành xử lý sự cố.")
        return document(c, typeCode: "TB", title: "THÔNG BÁO", subject: subject("Sự cố an toàn thông tin mạng", c), body: body.blocks)
    }

    /// Báo cáo ban đầu sự cố: when the operator judges the incident beyond its capability.
    public static func initialReport(_ c: IncidentReportContent) -> OfficeDocument {
        var body = ReportBody()
        body.opening(c, introduction: "\(c.reportingUnit) báo cáo ban đầu về sự cố an toàn thông tin mạng như sau:")
        body.reportingUnit(c, title: "Thông tin về đơn vị báo cáo")
        body.systems(c)
        body.incident(c)
        body.impact(c)
        body.timeline(c, title: "Diễn biến sự cố")
        body.measures(c, title: "Các biện pháp ban đầu đã thực hiện")
        body.support(c)
        body.observables(c)
        body.attachments(c)
        body.closing("Đề nghị các cơ quan, đơn vị có liên quan phối hợp, hỗ trợ \(c.reportingUnit) xử lý sự cố.")
        return document(c, typeCode: "BC", title: "BÁO CÁO BAN ĐẦU", subject: subject("Sự cố an toàn thông tin mạng", c), body: body.blocks)
    }

    /// Báo cáo kết thúc ứng phó sự cố: after the response ends; the coordinating body closes the case on receiving it.
    public static func finalReport(_ c: IncidentReportContent) -> OfficeDocument {
        var body = ReportBody()
        body.opening(c, introduction: "\(c.reportingUnit) báo cáo kết quả ứng phó sự cố an toàn thông tin mạng như sau:")
        body.reportingUnit(c, title: "Thông tin về đơn vị báo cáo")
        body.systems(c)
        body.incident(c, includeEnd: true)
        body.timeline(c, title: "Diễn biến và quá trình ứng phó")
        body.section("Các biện pháp đã thực hiện")
        body.paragraphs(c.measuresTaken, placeholder: "Không có.")
        body.section("Nguyên nhân sự cố")
        body.paragraphs(c.cause, placeholder: "Chưa xác định được nguyên nhân.")
        body.section("Kết quả xử lý và thiệt hại")
        body.longField("Kết quả xử lý", c.result, placeholder: "Chưa có.")
        body.longField("Thiệt hại", c.damage, placeholder: "Chưa xác định.")
        body.longField("Dịch vụ bị gián đoạn", c.impact.servicesDown, placeholder: "Không")
        body.longField("Dữ liệu bị ảnh hưởng", c.impact.dataAffected, placeholder: "Chưa xác định")
        body.field("Số người bị ảnh hưởng", c.impact.peopleAffected.map(count), placeholder: "Chưa xác định")
        body.field("Liên quan đến dữ liệu cá nhân", yesNo(c.involvesPersonalData))
        body.field("Liên quan đến bí mật nhà nước", yesNo(c.involvesStateSecrets))
        body.section("Bài học kinh nghiệm")
        body.paragraphs(c.lessonsLearned, placeholder: "Chưa có.")
        body.section("Kiến nghị, đề xuất")
        body.paragraphs(c.recommendations ?? c.supportRequested, placeholder: "Không có.")
        body.observables(c)
        body.attachments(c)
        return document(c, typeCode: "BC", title: "BÁO CÁO",
                        subject: subject("Kết thúc ứng phó sự cố an toàn thông tin mạng", c), body: body.blocks)
    }

    /// Thông báo vi phạm quy định bảo vệ dữ liệu cá nhân, to the Ministry of Public Security (A05).
    public static func personalDataBreachNotice(_ c: IncidentReportContent) -> OfficeDocument {
        var content = c
        if content.addressees.isEmpty { content.addressees = [defaultPersonalDataAuthority] }
        let pd = c.personalData
        var body = ReportBody()
        body.opening(content, introduction: "\(c.issuerName) thông báo vi phạm quy định bảo vệ dữ liệu cá nhân như sau:")
        body.section("Thông tin về tổ chức")
        body.field("Tên tổ chức", c.issuerName)
        if let address = nonEmpty(c.reportingUnitAddress) { body.field("Địa chỉ", address) }
        body.field("Vai trò", pd?.controllerRole, placeholder: "Bên Kiểm soát dữ liệu cá nhân")
        body.field("Đơn vị phát hiện, xử lý", c.reportingUnit)
        let person = [nonEmpty(c.contact.name), nonEmpty(c.contact.title).map { "chức vụ: \($0)" }].compactMap { $0 }
        body.field("Người liên hệ", person.joined(separator: ", "), placeholder: "Chưa xác định")
        body.field("Điện thoại", c.contact.phone, placeholder: "Chưa có")
        body.field("Thư điện tử", c.contact.email, placeholder: "Chưa có")
        body.section("Mô tả vi phạm")
        if let number = nonEmpty(c.caseNumber) { body.field("Mã sự cố", number) }
        body.field("Thời gian xảy ra", time(c.occurredAt))
        body.field("Thời điểm phát hiện", time(c.detectedAt))
        body.field("Địa điểm (hệ thống thông tin)", c.systems.map(\.name).compactMap { nonEmpty($0) }.joined(separator: "; "),
                   placeholder: "Chưa xác định")
        body.field("Loại sự cố", c.categoryLabel, placeholder: "Chưa phân loại")
        body.longField("Hành vi vi phạm", c.description, placeholder: "Chưa có mô tả.")
        body.section("Dữ liệu cá nhân bị ảnh hưởng")
        body.longField("Loại dữ liệu cá nhân", pd?.dataCategories ?? c.impact.dataAffected, placeholder: "Chưa xác định")
        body.field("Số chủ thể dữ liệu bị ảnh hưởng", (pd?.subjectsAffected ?? c.impact.peopleAffected).map(count),
                   placeholder: "Chưa xác định")
        if let records = pd?.recordsAffected { body.field("Số bản ghi bị ảnh hưởng", count(records)) }
        body.section("Hậu quả, thiệt hại có thể xảy ra")
        body.paragraphs(pd?.likelyConsequences, placeholder: "Chưa đánh giá được.")
        body.section("Các biện pháp đã và sẽ thực hiện")
        body.longField("Đã thực hiện", c.measuresTaken, placeholder: "Chưa có.")
        body.longField("Sẽ thực hiện", pd?.plannedMeasures, placeholder: "Chưa có.")
        if let reason = nonEmpty(pd?.delayReason) {
            body.section("Lý do thông báo chậm")
            body.paragraphs(reason)
        }
        body.attachments(c)
        body.closing("\(c.issuerName) cam kết cung cấp thông tin bổ sung khi có yêu cầu và tiếp tục thông báo khi có diễn biến mới.")
        return document(content, typeCode: "TB", title: "THÔNG BÁO", subject: "Vi phạm quy định bảo vệ dữ liệu cá nhân", body: body.blocks)
    }

    /// Báo cáo sự cố nghiêm trọng: escalated at once when the conditions of a serious incident hold.
    public static func seriousEscalation(_ c: IncidentReportContent) -> OfficeDocument {
        var body = ReportBody()
        body.opening(c, introduction: "\(c.reportingUnit) báo cáo khẩn sự cố an toàn thông tin mạng nghiêm trọng như sau:")
        body.reportingUnit(c, title: "Thông tin về đơn vị báo cáo")
        body.systems(c)
        body.incident(c)
        body.section("Căn cứ xác định sự cố nghiêm trọng")
        let conditions = c.seriousConditions.compactMap { nonEmpty($0) }
        if conditions.isEmpty { body.paragraph([Run("Chưa nêu điều kiện xác định.")]) }
        for condition in conditions { body.append(.bullet([Run(condition)])) }
        body.field("Khả năng tự xử lý", ReportBody.capability(c.canHandleAlone))
        body.impact(c)
        body.timeline(c, title: "Diễn biến sự cố")
        body.measures(c)
        body.section("Đề nghị")
        body.paragraphs(c.supportRequested, placeholder: "Đề nghị kích hoạt phương án ứng cứu khẩn cấp và hỗ trợ xử lý sự cố.")
        body.observables(c)
        body.attachments(c)
        return document(c, typeCode: "BC", title: "BÁO CÁO", subject: subject("Sự cố an toàn thông tin mạng nghiêm trọng", c),
                        body: body.blocks, urgency: "KHẨN")
    }

    /// Addressee of the personal-data breach notice when rule data names none.
    public static let defaultPersonalDataAuthority = "Bộ Công an (Cục An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao)"
}
