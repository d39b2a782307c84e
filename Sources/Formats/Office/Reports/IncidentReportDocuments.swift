import Foundation
import Domain

/// Builds the incident reports in the Decree 30/2020 layout from `IncidentReportContent`.
/// Official documents are in Vietnamese; times are shown dd/MM/yyyy HH:mm in Vietnam time.
public enum IncidentReportDocuments {
    public static func build(_ kind: IncidentReportDocumentKind, _ content: IncidentReportContent) -> OfficeDocument {
        switch kind {
        case .notification: return notification(content)
        case .initialReport: return initialReport(content)
        case .finalReport: return finalReport(content)
        case .pdpBreachNotice: return personalDataBreachNotice(content)
        case .seriousEscalation: return seriousEscalation(content)
        }
    }

    /// The report as a .docx file.
    public static func docx(_ kind: IncidentReportDocumentKind, _ content: IncidentReportContent) throws -> Data {
        try DocxWriter.write(build(kind, content))
    }

    /// Suggested file name without extension, e.g. "SC-2026-0042-bao-cao-ban-dau".
    public static func fileStem(_ kind: IncidentReportDocumentKind, caseNumber: String?) -> String {
        let stem: String
        switch kind {
        case .notification: stem = "thong-bao-su-co"
        case .initialReport: stem = "bao-cao-ban-dau"
        case .finalReport: stem = "bao-cao-ket-thuc"
        case .pdpBreachNotice: stem = "thong-bao-vi-pham-dlcn"
        case .seriousEscalation: stem = "bao-cao-su-co-nghiem-trong"
        }
        let number = (caseNumber ?? "").filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        return number.isEmpty ? stem : "\(number)-\(stem)"
    }

    // MARK: - Shared parts

    /// "Số:      /BC-SYT" when no number is given (the clerk fills it in), else the given number.
    static func number(_ c: IncidentReportContent, typeCode: String) -> String {
        OfficialReportParts.number(documentNumber: c.documentNumber, symbol: c.issuerSymbol, typeCode: typeCode)
    }

    static func document(_ c: IncidentReportContent, typeCode: String, title: String, subject: String, body: [Block],
                         urgency: String? = nil) -> OfficeDocument {
        OfficialReportParts.document(c.issuer, typeCode: typeCode, title: title, subject: subject, body: body, urgency: urgency)
    }

    /// "hệ thống thông tin “Cổng dịch vụ công”", or several names; nil when no system is named.
    static func systemsPhrase(_ c: IncidentReportContent) -> String? {
        let names = c.systems.map(\.name).compactMap { nonEmpty($0) }
        switch names.count {
        case 0: return nil
        case 1: return "hệ thống thông tin “\(names[0])”"
        default: return "các hệ thống thông tin " + names.map { "“\($0)”" }.joined(separator: ", ")
        }
    }

    static func subject(_ lead: String, _ c: IncidentReportContent) -> String {
        systemsPhrase(c).map { "\(lead) đối với \($0)" } ?? lead
    }

    static func time(_ date: Date?) -> String {
        date.map(DisplayTime.dateTime) ?? "Chưa xác định"
    }

    static func yesNo(_ value: Bool) -> String { value ? "Có" : "Không" }

    /// "1.234.567" (Vietnamese thousands separator).
    static func count(_ value: Int?) -> String {
        guard let value else { return "Chưa xác định" }
        let digits = String(value.magnitude)
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out += "." }
            out.append(character)
        }
        return value < 0 ? "-" + out : out
    }

    static func levelText(_ level: Int?) -> String {
        guard let level, (1...5).contains(level) else { return "Chưa xác định" }
        return "Cấp độ \(level)"
    }
}

/// Accumulates a report body with numbered sections (I, II, …).
struct ReportBody {
    private(set) var blocks: [Block] = []
    private var sectionCount = 0

    mutating func addressees(_ names: [String]) {
        let items = names.compactMap { nonEmpty($0) }
        guard !items.isEmpty else { return }
        if items.count == 1 {
            blocks.append(.paragraph([Run("Kính gửi: "), Run(items[0])], alignment: .center, indentFirstLine: false))
            return
        }
        blocks.append(.paragraph([Run("Kính gửi:")], alignment: .center, indentFirstLine: false))
        for (index, item) in items.enumerated() {
            let end = index == items.count - 1 ? "." : ";"
            let text = item.hasSuffix(";") || item.hasSuffix(".") ? String(item.dropLast()) : item
            blocks.append(.paragraph([Run("- \(text)\(end)")], alignment: .center, indentFirstLine: false))
        }
    }

    mutating func paragraphs(_ text: String?, placeholder: String? = nil) {
        let lines = (text ?? "").split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if lines.isEmpty {
            if let placeholder { blocks.append(.paragraph([Run(placeholder)])) }
            return
        }
        for line in lines { blocks.append(.paragraph([Run(line)])) }
    }

    mutating func paragraph(_ runs: [Run]) { blocks.append(.paragraph(runs)) }

    mutating func section(_ title: String) {
        sectionCount += 1
        blocks.append(.heading("\(Self.roman(sectionCount)). \(title.uppercased(with: Locale(identifier: "vi_VN")))", level: 1))
    }

    mutating func field(_ label: String, _ value: String?, placeholder: String = "Không có") {
        let text = nonEmpty(value) ?? placeholder
        blocks.append(.bullet([.bold("\(label): "), Run(text)]))
    }

    /// A labelled field whose value spans several lines: the first on the dash line, the rest as paragraphs.
    mutating func longField(_ label: String, _ value: String?, placeholder: String = "Không có") {
        let lines = (value ?? "").split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        blocks.append(.bullet([.bold("\(label): "), Run(lines.first ?? placeholder)]))
        for line in lines.dropFirst() { blocks.append(.paragraph([Run(line)])) }
    }

    mutating func table(_ table: Table) { blocks.append(.table(table)) }

    mutating func append(_ block: Block) { blocks.append(block) }

    static func roman(_ number: Int) -> String {
        let values = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
        var remaining = number
        var out = ""
        for (value, symbol) in values {
            while remaining >= value { out += symbol; remaining -= value }
        }
        return out
    }
}
