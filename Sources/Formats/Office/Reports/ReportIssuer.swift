import Foundation

/// The parts of a Decree 30/2020 document every generated report shares: the issuer and its number/symbol
/// (boxes 2–3), the place and date (box 4), the signer (box 7) and the recipients (box 9a).
public struct ReportIssuer: Sendable, Equatable {
    /// Issuing agency, e.g. "Công an tỉnh Lạng Sơn".
    public var name: String
    /// Its parent body, e.g. "UBND tỉnh Lạng Sơn".
    public var parentBody: String?
    /// Abbreviation used in document symbols, e.g. "CAT" (gives "Số:      /BC-CAT").
    public var symbol: String?
    /// The full number and symbol when known, e.g. "Số: 125/BC-CAT"; nil leaves the number blank for the clerk.
    public var documentNumber: String?
    /// Place name in the date line, e.g. "Lạng Sơn".
    public var place: String
    /// Issuing date.
    public var date: Date
    /// "KHẨN", "THƯỢNG KHẨN", "HỎA TỐC".
    public var urgency: String?
    /// "Nơi nhận" lines; empty gives "Như trên;" and "Lưu: VT.".
    public var recipients: [String]
    public var signer: Signer

    public init(name: String, parentBody: String? = nil, symbol: String? = nil, documentNumber: String? = nil, place: String,
                date: Date, urgency: String? = nil, recipients: [String] = [], signer: Signer) {
        self.name = name
        self.parentBody = parentBody
        self.symbol = symbol
        self.documentNumber = documentNumber
        self.place = place
        self.date = date
        self.urgency = urgency
        self.recipients = recipients
        self.signer = signer
    }
}

/// Builds the Decree 30 frame of a report around its body (shared by the incident and proactive reports).
enum OfficialReportParts {
    static let defaultRecipients = ["Như trên;", "Lưu: VT."]

    /// The given number ("Số: 125/BC-SYT"), or "Số:      /BC-SYT" for the clerk to fill in.
    static func number(documentNumber: String?, symbol: String?, typeCode: String) -> String {
        if let given = nonEmpty(documentNumber) { return given.hasPrefix("Số") ? given : "Số: \(given)" }
        let suffix = nonEmpty(symbol).map { "-" + $0.uppercased(with: Locale(identifier: "vi_VN")) } ?? ""
        return "\(Decree30.blankNumber)\(typeCode)\(suffix)"
    }

    static func document(_ issuer: ReportIssuer, typeCode: String, title: String, subject: String, body: [Block],
                         urgency: String? = nil) -> OfficeDocument {
        OfficeDocument(
            header: OfficialHeader(parentBody: nonEmpty(issuer.parentBody), issuingBody: issuer.name,
                                   number: number(documentNumber: issuer.documentNumber, symbol: issuer.symbol, typeCode: typeCode),
                                   place: issuer.place, date: issuer.date, urgency: nonEmpty(issuer.urgency) ?? urgency),
            title: title, subject: subject, body: body, signer: issuer.signer,
            recipients: issuer.recipients.isEmpty ? defaultRecipients : issuer.recipients)
    }
}

extension IncidentReportContent {
    /// The issuer, date, signer and recipients of the report.
    public var issuer: ReportIssuer {
        ReportIssuer(name: issuerName, parentBody: issuerParentBody, symbol: issuerSymbol, documentNumber: documentNumber, place: place,
                     date: date, urgency: urgency, recipients: recipients, signer: signer)
    }
}
