import Foundation
import Domain
import Fluent
import Formats

/// The response plan (phương án ứng cứu sự cố) in the Decree 30/2020 layout. Official documents are in Vietnamese.
enum PlanDocument {
    struct Facts: Sendable {
        var content: PlanService.Content
        var agencyName: String
        var parentAgencyName: String?
        var agencyCode: String
        var place: String
        var date: Date
        var basis: [LegalBasis]
    }

    static let phaseTitles: [ResponsePhase: String] = [
        .preparation: "Chuẩn bị", .detectionAnalysis: "Phát hiện và phân tích", .containment: "Ngăn chặn",
        .eradication: "Loại bỏ nguyên nhân", .recovery: "Khôi phục", .postIncident: "Sau sự cố",
    ]

    static func build(_ f: Facts) -> OfficeDocument {
        let c = f.content
        let v = c.version
        let names = c.systems.map { "\"\($0.name)\"" }.joined(separator: ", ")
        var body: [Block] = [.heading("I. CĂN CỨ XÂY DỰNG PHƯƠNG ÁN", level: 1)]
        body += f.basis.map { .paragraph([Run("Căn cứ \($0.citation);")]) }
        body += [
            .paragraph([Run("\(f.agencyName) xây dựng phương án ứng cứu sự cố an toàn thông tin mạng đối với \(c.systems.count > 1 ? "các hệ thống thông tin" : "hệ thống thông tin") \(names) như sau:")]),
            .heading("II. PHẠM VI, ĐỐI TƯỢNG ÁP DỤNG", level: 1),
        ]
        if c.systems.isEmpty {
            body.append(.paragraph([Run("Chưa xác định hệ thống thông tin áp dụng.")]))
        } else {
            body.append(.table(Table(columns: [TableColumn("TT", widthPercent: 8, alignment: .center), TableColumn("Hệ thống thông tin", widthPercent: 46),
                                               TableColumn("Mã", widthPercent: 18), TableColumn("Cấp độ", widthPercent: 28, alignment: .center)],
                                     rows: c.systems.enumerated().map { i, s in
                                         [String(i + 1), s.name, s.code, s.approvedLevel.map { "Cấp độ \($0)" } ?? "Chưa phê duyệt"]
                                     })))
        }
        body.append(.heading("III. LỰC LƯỢNG, ĐẦU MỐI LIÊN LẠC", level: 1))
        if c.contacts.isEmpty {
            body.append(.paragraph([Run("Đầu mối liên lạc: theo danh sách Đội ứng cứu sự cố của cơ quan, đơn vị.")]))
        } else {
            body.append(.table(Table(columns: [TableColumn("TT", widthPercent: 7, alignment: .center), TableColumn("Họ và tên", widthPercent: 27),
                                               TableColumn("Vai trò", widthPercent: 24), TableColumn("Điện thoại", widthPercent: 18),
                                               TableColumn("Thư điện tử", widthPercent: 24)],
                                     rows: c.contacts.enumerated().map { i, p in [String(i + 1), p.name, p.role ?? "", p.phone ?? "", p.email ?? ""] })))
        }
        body.append(.heading("IV. NGUỒN LỰC, PHƯƠNG TIỆN BẢO ĐẢM", level: 1))
        body += ResponseTextLines.paragraphs(v.resources, empty: "Sử dụng nguồn lực hiện có của cơ quan, đơn vị và Đội ứng cứu sự cố của tỉnh.")
        body.append(.heading("V. KỊCH BẢN ỨNG CỨU SỰ CỐ", level: 1))
        for (i, s) in c.scenarios.enumerated() {
            body.append(.heading("\(i + 1). Kịch bản: \(s.scenario.title)", level: 2))
            for (j, phase) in ResponsePhase.allCases.enumerated() {
                body.append(.heading("\(i + 1).\(j + 1). \(phaseTitles[phase] ?? phase.rawValue)", level: 3))
                let steps = s.steps[phase] ?? []
                body += steps.isEmpty ? [.bullet([Run("Không có bước riêng.")])] : steps.map { .bullet([Run($0.text)]) }
            }
        }
        body.append(.heading("VI. TỔ CHỨC THỰC HIỆN", level: 1))
        body += ResponseTextLines.paragraphs(v.notes, empty: "Các đơn vị, cá nhân liên quan có trách nhiệm triển khai phương án này; phương án được rà soát, cập nhật khi hệ thống thông tin thay đổi và định kỳ hằng năm.")
        if v.state != .draft, let number = v.decisionNumber {
            body.append(.paragraph([Run("Phương án (phiên bản \(v.number)) được phê duyệt theo Quyết định số \(number)\(v.decisionDate.map { " ngày \(DisplayTime.date($0))" } ?? "")\(v.approverName.map { " của \($0)" } ?? "").", italic: true)]))
        } else {
            body.append(.paragraph([Run("Dự thảo phiên bản \(v.number), chưa được phê duyệt.", italic: true)]))
        }
        return OfficeDocument(
            header: OfficialHeader(parentBody: f.parentAgencyName.map(LevelExplanationDocument.officialName),
                                   issuingBody: LevelExplanationDocument.officialName(f.agencyName),
                                   number: "Số:        /PA-\(f.agencyCode.uppercased())", place: f.place, date: f.date),
            title: "PHƯƠNG ÁN",
            subject: "Ứng cứu sự cố an toàn thông tin mạng \(c.plan.title)",
            body: body,
            signer: Signer(authority: nil, title: "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ", name: v.state == .draft ? "" : ""),
            recipients: ["Đội ứng cứu sự cố tỉnh;", "Các đơn vị liên quan;", "Lưu: VT."])
    }

    static func docx(_ content: PlanService.Content, rules: RuleBook, on db: any Database) async throws -> Data {
        let agency = try await Agency.find(content.plan.agencyId, on: db)
        let parent = try await agency?.$parent.id.asyncFlatMap { try await Agency.find($0, on: db) }
        let committee = try await Agency.query(on: db).filter(\.$kind == .provincialCommittee).sort(\.$code).first()
        let facts = Facts(content: content, agencyName: agency?.name ?? "", parentAgencyName: parent?.name, agencyCode: agency?.code ?? "",
                          place: committee.map { LevelExplanationDocument.place(fromRootName: $0.name) } ?? "……………",
                          date: content.version.approvedAt ?? Date(), basis: rules.scenarios().header.basis)
        return try DocxWriter.write(build(facts))
    }
}

enum ResponseTextLines {
    static func paragraphs(_ text: String?, empty: String) -> [Block] {
        let lines = ResponseText.lines(text)
        return (lines.isEmpty ? [empty] : lines).map { .paragraph([Run($0)]) }
    }
}
