import Foundation

/// Plain-language names of the classification fields and their values, in both languages, used by
/// the level engine's explanations (and available to pages).
public enum ClassificationVocabulary {
    public static func label(_ field: ConditionField) -> LocalizedText {
        switch field {
        case .functionType:
            LocalizedText(vi: "Loại hệ thống thông tin theo chức năng", en: "System type by function")
        case .informationClasses:
            LocalizedText(vi: "Thông tin được xử lý", en: "Information processed")
        case .personalDataSubjects:
            LocalizedText(vi: "Số người dùng có thông tin riêng/cá nhân", en: "Users with private/personal data")
        case .onlineServiceLevel:
            LocalizedText(vi: "Mức độ dịch vụ công trực tuyến", en: "Online public service level")
        case .conditionalBusiness:
            LocalizedText(
                vi: "Dịch vụ trực tuyến thuộc danh mục ngành, nghề đầu tư kinh doanh có điều kiện",
                en: "Online services in conditional business lines")
        case .infrastructureScope:
            LocalizedText(vi: "Phạm vi phục vụ của hạ tầng thông tin", en: "Scope of the information infrastructure")
        case .industrialControl:
            LocalizedText(
                vi: "Công trình do hệ thống điều khiển công nghiệp trực tiếp điều khiển",
                en: "Works directly controlled by the industrial control system")
        case .operates24x7:
            LocalizedText(
                vi: "Yêu cầu vận hành 24/7, không chấp nhận ngừng vận hành ngoài kế hoạch",
                en: "Must run 24/7 with no unplanned downtime")
        case .nationalEGovernment:
            LocalizedText(vi: "Hệ thống thông tin quốc gia phục vụ Chính phủ điện tử", en: "National system serving e-Government")
        case .storesNationalData:
            LocalizedText(
                vi: "Lưu trữ tập trung dữ liệu đặc biệt quan trọng của quốc gia",
                en: "Stores especially important national data centrally")
        case .nationalImportant:
            LocalizedText(
                vi: "Thuộc danh mục hệ thống thông tin quan trọng quốc gia",
                en: "Listed as a national important information system")
        }
    }

    /// Name of one raw value of a choice or set field.
    public static func value(_ field: ConditionField, _ raw: String) -> LocalizedText {
        switch (field, raw) {
        case (.functionType, "internal"): LocalizedText(vi: "phục vụ hoạt động nội bộ", en: "internal operations")
        case (.functionType, "citizen_business"): LocalizedText(vi: "phục vụ người dân, doanh nghiệp", en: "serving citizens and businesses")
        case (.functionType, "infrastructure"): LocalizedText(vi: "hệ thống cơ sở hạ tầng thông tin", en: "information infrastructure")
        case (.functionType, "industrial_control"): LocalizedText(vi: "hệ thống điều khiển công nghiệp", en: "industrial control system")
        case (.functionType, "other"): LocalizedText(vi: "hệ thống thông tin khác", en: "other system")
        case (.informationClasses, "public"): LocalizedText(vi: "thông tin công cộng", en: "public information")
        case (.informationClasses, "private"): LocalizedText(vi: "thông tin riêng", en: "private information")
        case (.informationClasses, "personal"): LocalizedText(vi: "thông tin cá nhân", en: "personal information")
        case (.informationClasses, "secret_confidential"):
            LocalizedText(vi: "bí mật nhà nước độ Mật", en: "state secret, Mật (confidential)")
        case (.informationClasses, "secret_secret"):
            LocalizedText(vi: "bí mật nhà nước độ Tối mật", en: "state secret, Tối mật (secret)")
        case (.informationClasses, "secret_top"):
            LocalizedText(vi: "bí mật nhà nước độ Tuyệt mật", en: "state secret, Tuyệt mật (top secret)")
        case (.onlineServiceLevel, "none"): LocalizedText(vi: "không cung cấp", en: "none")
        case (.onlineServiceLevel, "information_only"): LocalizedText(vi: "chỉ cung cấp thông tin", en: "information only")
        case (.onlineServiceLevel, "level1"): LocalizedText(vi: "mức độ 1", en: "level 1")
        case (.onlineServiceLevel, "level2"): LocalizedText(vi: "mức độ 2", en: "level 2")
        case (.onlineServiceLevel, "level3"): LocalizedText(vi: "mức độ 3", en: "level 3")
        case (.onlineServiceLevel, "level4"): LocalizedText(vi: "mức độ 4", en: "level 4")
        case (.onlineServiceLevel, "partial"): LocalizedText(vi: "dịch vụ công trực tuyến một phần", en: "partial online service")
        case (.onlineServiceLevel, "full_process"): LocalizedText(vi: "dịch vụ công trực tuyến toàn trình", en: "full-process online service")
        case (.infrastructureScope, "none"): LocalizedText(vi: "không phải hạ tầng dùng chung", en: "not shared infrastructure")
        case (.infrastructureScope, "single_agency"): LocalizedText(vi: "một cơ quan, tổ chức", en: "one agency or organisation")
        case (.infrastructureScope, "sector_or_province"):
            LocalizedText(vi: "một ngành, một tỉnh hoặc nhiều tỉnh", en: "a sector, a province or several provinces")
        case (.infrastructureScope, "national"): LocalizedText(vi: "phạm vi quốc gia", en: "nation-wide")
        case (.infrastructureScope, "international"): LocalizedText(vi: "kết nối quốc tế", en: "linking Vietnam internationally")
        case (.industrialControl, "none"): LocalizedText(vi: "không", en: "none")
        case (.industrialControl, "construction_works"): LocalizedText(vi: "công trình xây dựng", en: "construction works")
        case (.industrialControl, "important_works"): LocalizedText(vi: "công trình quan trọng", en: "important works")
        case (.industrialControl, "national_security_works"):
            LocalizedText(vi: "công trình quan trọng liên quan đến an ninh quốc gia", en: "works critical to national security")
        default: LocalizedText(vi: raw, en: raw)
        }
    }

    static func values(_ field: ConditionField, _ raws: [String], viJoin: String = ", ", enJoin: String = ", ") -> LocalizedText {
        let names = raws.map { value(field, $0) }
        return LocalizedText(vi: names.map(\.vi).joined(separator: viJoin), en: names.map(\.en).joined(separator: enJoin))
    }

    /// 12000 → "12.000" (vi) and "12,000" (en).
    public static func number(_ n: Int) -> LocalizedText {
        LocalizedText(vi: grouped(n, "."), en: grouped(n, ","))
    }

    private static func grouped(_ n: Int, _ separator: String) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += separator }
            out.append(ch)
        }
        return n < 0 ? "-" + out : out
    }

    static func yesNo(_ b: Bool) -> LocalizedText {
        b ? LocalizedText(vi: "có", en: "yes") : LocalizedText(vi: "không", en: "no")
    }

    /// "Số người dùng …: 12.000 (≥ 10.000) — đạt".
    static func reason(_ atom: ConditionAtom, input: ClassificationInput, negated: Bool, met: Bool) -> LocalizedText {
        let label = label(atom.field)
        let actual: LocalizedText
        switch atom.field.value(in: input) {
        case .choice(let v): actual = value(atom.field, v)
        case .set(let vs): actual = vs.isEmpty ? LocalizedText(vi: "không có", en: "none") : values(atom.field, vs)
        case .count(let n): actual = number(n)
        case .flag(let b): actual = yesNo(b)
        }
        let need = requirement(atom, negated: negated)
        let verdict = met ? LocalizedText(vi: "đạt", en: "met") : LocalizedText(vi: "không đạt", en: "not met")
        return LocalizedText(
            vi: "\(label.vi): \(actual.vi) (\(need.vi)) — \(verdict.vi)",
            en: "\(label.en): \(actual.en) (\(need.en)) — \(verdict.en)")
    }

    private static func requirement(_ atom: ConditionAtom, negated: Bool) -> LocalizedText {
        let f = atom.field
        func list(_ raws: [String], or: Bool) -> LocalizedText {
            values(f, raws, viJoin: or ? " hoặc " : ", ", enJoin: or ? " or " : ", ")
        }
        func count(_ op: String, _ t: Int) -> LocalizedText {
            let n = number(t)
            return LocalizedText(vi: "\(op) \(n.vi)", en: "\(op) \(n.en)")
        }
        func text(_ vi: String, _ en: String, _ v: LocalizedText) -> LocalizedText {
            LocalizedText(vi: "\(vi) \(v.vi)", en: "\(en) \(v.en)")
        }
        switch (atom.test, negated) {
        case (.in(let l), false), (.notIn(let l), true): return text("cần:", "required:", list(l, or: true))
        case (.in(let l), true), (.notIn(let l), false): return text("cần khác:", "required: not", list(l, or: true))
        case (.anyOf(let l), false), (.noneOf(let l), true): return text("cần có ít nhất một trong:", "required: any of", list(l, or: false))
        case (.anyOf(let l), true), (.noneOf(let l), false): return text("cần không có:", "required: none of", list(l, or: false))
        case (.allOf(let l), false): return text("cần có đủ:", "required: all of", list(l, or: false))
        case (.allOf(let l), true): return text("cần thiếu ít nhất một trong:", "required: not all of", list(l, or: false))
        case (.onlyFrom(let l), false): return text("cần chỉ gồm:", "required: only", list(l, or: false))
        case (.onlyFrom(let l), true): return text("cần có loại khác ngoài:", "required: something other than", list(l, or: false))
        case (.lt(let t), false), (.gte(let t), true): return count("<", t)
        case (.gte(let t), false), (.lt(let t), true): return count("≥", t)
        case (.lte(let t), false), (.gt(let t), true): return count("≤", t)
        case (.gt(let t), false), (.lte(let t), true): return count(">", t)
        case (.eq(let t), false): return count("=", t)
        case (.eq(let t), true): return count("≠", t)
        case (.is(let b), _): return text("cần:", "required:", yesNo(b != negated))
        }
    }
}
