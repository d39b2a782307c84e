import Foundation
import Domain
import Formats

/// The level-proposal explanation (thuyết minh đề xuất cấp độ) of a dossier, in the Decree 30/2020 layout.
/// Official documents are always in Vietnamese.
enum LevelExplanationDocument {
    struct Facts: Sendable {
        var system: SystemFactsForDocument
        var dossier: DossierFactsForDocument
        var agencyName: String
        var parentAgencyName: String?
        var agencyCode: String
        var place: String
        var date: Date
        /// "Căn cứ …" paragraphs in force on `date` (rule data `documents.levelExplanation`).
        var basis: [String]
    }

    struct SystemFactsForDocument: Sendable {
        var name: String
        var code: String
        var ownerName: String
        var operatorName: String
        var purpose: String?
        var lifecycle: LifecycleStatus
        var goLiveDate: Date?
        var hosting: String
        var components: [(name: String, detail: String, level: String)]
    }

    struct DossierFactsForDocument: Sendable {
        var proposedLevel: Int
        var computedLevel: Int
        var input: ClassificationInput
        var proposal: LevelProposal
        var justification: String?
        var appraisingBody: String?
        var approvingBody: String?
    }

    static func build(_ f: Facts, t: Localizer) -> OfficeDocument {
        let s = f.system
        let d = f.dossier
        let p = d.proposal
        let vi = "vi"
        func label(_ key: String) -> String { t(key) }
        var body: [Block] = [
            .heading("I. CĂN CỨ", level: 1),
        ]
        body += f.basis.map { .paragraph([Run($0)]) }
        body += [
            .paragraph([Run("\(f.agencyName) thuyết minh đề xuất cấp độ an toàn hệ thống thông tin \"\(s.name)\" như sau:")]),
            .heading("II. THÔNG TIN CHUNG VỀ HỆ THỐNG", level: 1),
            .bullet([Run.bold("Tên hệ thống: "), Run("\(s.name) (mã \(s.code))")]),
            .bullet([Run.bold("Chủ quản hệ thống thông tin: "), Run(s.ownerName)]),
            .bullet([Run.bold("Đơn vị vận hành: "), Run(s.operatorName)]),
            .bullet([Run.bold("Mục đích, phạm vi: "), Run(s.purpose ?? "Không có mô tả.")]),
            .bullet([Run.bold("Tình trạng: "), Run(label("lifecycle.\(s.lifecycle.rawValue)") + (s.goLiveDate.map { ", đưa vào vận hành ngày \(DisplayTime.date($0))" } ?? ""))]),
            .bullet([Run.bold("Hạ tầng: "), Run(s.hosting)]),
        ]
        if !s.components.isEmpty {
            body.append(.paragraph([Run("Các thành phần của hệ thống:")]))
            body.append(.table(Table(columns: [TableColumn("TT", widthPercent: 8, alignment: .center), TableColumn("Thành phần", widthPercent: 32),
                                               TableColumn("Nhà cung cấp, sản phẩm, phiên bản", widthPercent: 44), TableColumn("Cấp độ", widthPercent: 16, alignment: .center)],
                                     rows: s.components.enumerated().map { [String($0.offset + 1), $0.element.name, $0.element.detail, $0.element.level] })))
        }
        body += [
            .heading("III. PHÂN LOẠI THÔNG TIN", level: 1),
            .bullet([Run.bold("Loại thông tin xử lý: "), Run(d.input.informationClasses.map { label("infoClass.\($0.rawValue)") }.joined(separator: "; "))]),
            .bullet([Run.bold("Số người sử dụng có thông tin riêng, thông tin cá nhân được lưu trữ, xử lý: "),
                     Run(d.input.personalDataSubjects.formatted(.number.locale(Locale(identifier: "vi_VN"))))]),
            .heading("IV. PHÂN LOẠI HỆ THỐNG THÔNG TIN", level: 1),
            .bullet([Run.bold("Loại hình hệ thống: "), Run(label("functionType.\(d.input.functionType.rawValue)"))]),
            .bullet([Run.bold("Dịch vụ công trực tuyến: "), Run(label("onlineService.\(d.input.onlineServiceLevel.rawValue)"))]),
            .bullet([Run.bold("Dịch vụ thuộc danh mục ngành, nghề kinh doanh có điều kiện: "), Run(d.input.conditionalBusiness ? "Có" : "Không")]),
            .bullet([Run.bold("Phạm vi hạ tầng dùng chung: "), Run(label("infraScope.\(d.input.infrastructureScope.rawValue)"))]),
            .heading("V. ĐỀ XUẤT CẤP ĐỘ", level: 1),
            .paragraph([Run("Đối chiếu với các tiêu chí tại Điều 7 đến Điều 11 Nghị định số 85/2016/NĐ-CP, hệ thống đáp ứng các tiêu chí sau:")]),
        ]
        let applying = p.criteria.filter(\.applies)
        if applying.isEmpty {
            body.append(.paragraph([Run("Hệ thống không thuộc trường hợp nào tại Điều 7 đến Điều 11 Nghị định số 85/2016/NĐ-CP; cấp độ 1 chỉ là mức tối thiểu, cơ quan đề xuất cần thuyết minh cấp độ phù hợp.")]))
        } else {
            body.append(.table(Table(columns: [TableColumn("Cấp độ", widthPercent: 12, alignment: .center), TableColumn("Tiêu chí", widthPercent: 38),
                                               TableColumn("Căn cứ", widthPercent: 18), TableColumn("Lý do", widthPercent: 32)],
                                     rows: applying.map { c in
                                         [String(c.level), c.title.text(vi) + (c.confidence == .confirmed ? "" : " (cần đối chiếu văn bản gốc)"),
                                          c.article.text(vi), c.reasons.map { $0.text(vi) }.joined(separator: "\n")]
                                     })))
        }
        if let component = p.componentLevel {
            body.append(.paragraph([Run("Hệ thống có thành phần ở cấp độ \(component); theo Điều 5 Nghị định số 85/2016/NĐ-CP, cấp độ của hệ thống là cấp độ cao nhất của các thành phần.")]))
        }
        body.append(.paragraph([Run("Kết luận: ", bold: true), Run("đề xuất hệ thống thông tin \"\(s.name)\" ở "), Run("cấp độ \(d.proposedLevel)", bold: true), Run(".")]))
        if d.proposedLevel != d.computedLevel {
            body.append(.paragraph([Run("Cấp độ tính theo tiêu chí là cấp độ \(d.computedLevel); đơn vị đề xuất cấp độ \(d.proposedLevel) với lý do: \(d.justification ?? "")")]))
        } else if let justification = d.justification {
            body.append(.paragraph([Run(justification)]))
        }
        body.append(.paragraph([Run("Kết quả được tính theo bộ tiêu chí \(p.ruleId), phiên bản \(p.ruleVersion).", italic: true)]))
        if d.appraisingBody != nil || d.approvingBody != nil {
            body.append(.heading("VI. THẨM QUYỀN THẨM ĐỊNH, PHÊ DUYỆT", level: 1))
            if let a = d.appraisingBody { body.append(.bullet([Run.bold("Đơn vị thẩm định: "), Run(a)])) }
            if let a = d.approvingBody { body.append(.bullet([Run.bold("Cấp phê duyệt: "), Run(a)])) }
        }
        var recipients = ["Như trên;"]
        if let a = d.appraisingBody { recipients.append("\(a) (để thẩm định);") }
        recipients.append("Lưu: VT.")
        return OfficeDocument(
            header: OfficialHeader(parentBody: f.parentAgencyName.map(officialName), issuingBody: officialName(f.agencyName),
                                   number: "Số:        /TM-\(f.agencyCode.uppercased())", place: f.place, date: f.date),
            title: "THUYẾT MINH",
            subject: "Đề xuất cấp độ an toàn hệ thống thông tin \"\(s.name)\"",
            body: body,
            signer: Signer(authority: nil, title: "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ", name: ""),
            recipients: recipients)
    }

    /// Issuing-body names are upper case, with "Ủy ban nhân dân" shortened as usual.
    static func officialName(_ name: String) -> String {
        name.uppercased(with: Locale(identifier: "vi_VN")).replacingOccurrences(of: "ỦY BAN NHÂN DÂN", with: "UBND")
    }

    /// "Lạng Sơn" from "Ủy ban nhân dân tỉnh Lạng Sơn".
    static func place(fromRootName name: String) -> String {
        for prefix in ["Ủy ban nhân dân tỉnh ", "Ủy ban nhân dân thành phố ", "UBND tỉnh ", "UBND thành phố ", "Tỉnh ", "Thành phố "]
        where name.lowercased().hasPrefix(prefix.lowercased()) {
            return String(name.dropFirst(prefix.count))
        }
        return name
    }
}
