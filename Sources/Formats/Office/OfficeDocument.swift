import Foundation

/// A small, writer-independent model of an administrative document laid out per Decree 30/2020/NĐ-CP.
/// Templates fill it from records; `DocxWriter` renders it. Feature code never builds XML by hand.
public struct OfficeDocument: Sendable {
    /// Boxes 1–4: issuing body, number/symbol, national title and motto, place and date.
    public var header: OfficialHeader
    /// Box 5a: the document type, e.g. "THUYẾT MINH", "BÁO CÁO" (rendered in upper case).
    public var title: String
    /// Box 5a (second line): the subject, e.g. "Đề xuất cấp độ an toàn hệ thống thông tin …".
    public var subject: String
    /// Box 6: the body.
    public var body: [Block]
    /// Box 7: authority, title and name of the signer.
    public var signer: Signer?
    /// Box 9a: recipients ("Như trên;", "Lưu: VT, PA05."). A leading "- " is added when missing.
    public var recipients: [String]

    public init(
        header: OfficialHeader,
        title: String,
        subject: String,
        body: [Block] = [],
        signer: Signer? = nil,
        recipients: [String] = []
    ) {
        self.header = header
        self.title = title
        self.subject = subject
        self.body = body
        self.signer = signer
        self.recipients = recipients
    }
}

/// The header block of an official document.
public struct OfficialHeader: Sendable {
    /// Parent body, e.g. "UBND TỈNH LẠNG SƠN" (upper case, upright, not bold). Optional.
    public var parentBody: String?
    /// Issuing body, e.g. "SỞ Y TẾ" (upper case, bold), with a short line under it.
    public var issuingBody: String
    /// Number and symbol, e.g. "Số: 125/BC-SYT" or "Số: ……/TM-SYT". When nil the writer renders
    /// "Số:      /" with blanks to be filled by the clerk (văn thư).
    public var number: String?
    /// Place name of the issuer, e.g. "Lạng Sơn".
    public var place: String
    /// Issuing date (rendered in Asia/Ho_Chi_Minh).
    public var date: Date
    /// Urgency mark such as "KHẨN", "THƯỢNG KHẨN", "HỎA TỐC" (rendered upper case, bold, boxed).
    public var urgency: String?

    public init(
        parentBody: String? = nil,
        issuingBody: String,
        number: String? = nil,
        place: String,
        date: Date,
        urgency: String? = nil
    ) {
        self.parentBody = parentBody
        self.issuingBody = issuingBody
        self.number = number
        self.place = place
        self.date = date
        self.urgency = urgency
    }
}

/// Horizontal alignment of a paragraph or table column.
public enum Alignment: String, Sendable, Equatable {
    case left, center, right, justified
}

/// A block of the document body.
public enum Block: Sendable {
    /// A section heading ("I. CĂN CỨ", "1. Mục tiêu"), bold; level 1…3 (level 3 is bold italic).
    case heading(String, level: Int)
    /// A body paragraph: justified with a 1.27 cm first-line indent by default.
    case paragraph([Run], alignment: Alignment = .justified, indentFirstLine: Bool = true)
    /// A dash item ("- …"), the usual Vietnamese administrative list style.
    case bullet([Run])
    /// A bordered table.
    case table(Table)
    /// A hard page break.
    case pageBreak
}

/// A run of text with uniform formatting. `size` is in points; nil means the body size.
/// A "\n" inside `text` becomes a line break, a "\t" a tab.
public struct Run: Sendable, Equatable {
    public var text: String
    public var bold: Bool
    public var italic: Bool
    public var size: Double?

    public init(_ text: String, bold: Bool = false, italic: Bool = false, size: Double? = nil) {
        self.text = text
        self.bold = bold
        self.italic = italic
        self.size = size
    }

    public init(text: String, bold: Bool = false, italic: Bool = false, size: Double? = nil) {
        self.init(text, bold: bold, italic: italic, size: size)
    }

    public static func bold(_ text: String, size: Double? = nil) -> Run {
        Run(text, bold: true, size: size)
    }

    public static func italic(_ text: String, size: Double? = nil) -> Run {
        Run(text, italic: true, size: size)
    }

    public static func boldItalic(_ text: String, size: Double? = nil) -> Run {
        Run(text, bold: true, italic: true, size: size)
    }
}

public struct TableColumn: Sendable, Equatable {
    public var title: String
    /// Share of the text width, in percent. Widths are normalised, so they need not add up to 100.
    public var widthPercent: Double
    public var alignment: Alignment

    public init(_ title: String, widthPercent: Double, alignment: Alignment = .left) {
        self.title = title
        self.widthPercent = widthPercent
        self.alignment = alignment
    }

    public init(title: String, widthPercent: Double, alignment: Alignment = .left) {
        self.init(title, widthPercent: widthPercent, alignment: alignment)
    }
}

/// A bordered table with a header row (repeated on every page) built from the column titles.
public struct Table: Sendable, Equatable {
    public var columns: [TableColumn]
    /// Cell texts; short rows are padded with empty cells, extra cells are dropped.
    public var rows: [[String]]
    public var headerBold: Bool

    public init(columns: [TableColumn], rows: [[String]], headerBold: Bool = true) {
        self.columns = columns
        self.rows = rows
        self.headerBold = headerBold
    }
}

/// Box 7 of Decree 30: the signing authority, title and name.
public struct Signer: Sendable, Equatable {
    /// "TM. ỦY BAN NHÂN DÂN", "KT. GIÁM ĐỐC", "TL. GIÁM ĐỐC" … (optional).
    public var authority: String?
    /// "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC" …
    public var title: String
    /// Full name, without academic titles.
    public var name: String

    public init(authority: String? = nil, title: String, name: String) {
        self.authority = authority
        self.title = title
        self.name = name
    }
}

/// Decree 30/2020/NĐ-CP presentation rules, in one place.
public enum Decree30 {
    // MARK: Page (twips: 1 inch = 1440, 1 mm ≈ 56.69)

    /// A4 portrait, 210 × 297 mm.
    public static let pageWidthTwips = 11906
    public static let pageHeightTwips = 16838
    /// Top margin 20 mm (allowed 20–25).
    public static let marginTopTwips = 1134
    /// Bottom margin 20 mm (allowed 20–25).
    public static let marginBottomTwips = 1134
    /// Left margin 30 mm (allowed 30–35).
    public static let marginLeftTwips = 1701
    /// Right margin 15 mm (allowed 15–20).
    public static let marginRightTwips = 850
    /// Distance of the page-number header from the top edge (10 mm).
    public static let headerDistanceTwips = 567
    /// Width available for text.
    public static var textWidthTwips: Int { pageWidthTwips - marginLeftTwips - marginRightTwips }
    /// First-line indent of body paragraphs, 1.27 cm.
    public static let firstLineIndentTwips = 720
    /// Space after body paragraphs, 6 pt (in twentieths of a point).
    public static let paragraphSpacingAfter = 120
    /// Body line spacing in 240ths of a line (single = 240).
    public static let bodyLineSpacing = 264

    // MARK: Font and sizes (points)

    public static let fontName = "Times New Roman"
    public static let language = "vi-VN"
    public static let bodySize = 14.0
    public static let parentBodySize = 13.0
    public static let issuingBodySize = 13.0
    public static let numberSize = 13.0
    public static let nationalTitleSize = 12.0
    public static let mottoSize = 14.0
    public static let placeDateSize = 14.0
    public static let documentTypeSize = 14.0
    public static let subjectSize = 14.0
    public static let tableSize = 13.0
    public static let signerSize = 14.0
    public static let recipientsHeadingSize = 12.0
    public static let recipientsItemSize = 11.0
    public static let pageNumberSize = 13.0
    public static let urgencySize = 13.0

    // MARK: Fixed texts

    public static let nationalTitle = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    public static let motto = "Độc lập - Tự do - Hạnh phúc"
    public static let recipientsHeading = "Nơi nhận:"
    /// Rendered when `OfficialHeader.number` is nil: blanks for the clerk to fill in.
    public static let blankNumber = "Số:      /"

    /// Time zone in which dates are written (UTC+7, no DST).
    public static let timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh") ?? TimeZone(secondsFromGMT: 7 * 3600)!

    /// "Lạng Sơn, ngày 05 tháng 01 năm 2026": days 1–9 and months 1–2 take a leading zero.
    public static func formalDate(_ date: Date, place: String) -> String {
        let trimmed = place.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? formalDate(date) : "\(trimmed), \(formalDate(date))"
    }

    /// "ngày 05 tháng 01 năm 2026" (no place).
    public static func formalDate(_ date: Date) -> String {
        let parts = dateParts(date)
        let day = parts.day < 10 ? "0\(parts.day)" : "\(parts.day)"
        let month = parts.month <= 2 ? "0\(parts.month)" : "\(parts.month)"
        return "ngày \(day) tháng \(month) năm \(parts.year)"
    }

    /// Calendar day, month and year of `date` in Asia/Ho_Chi_Minh.
    public static func dateParts(_ date: Date) -> (day: Int, month: Int, year: Int) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let components = calendar.dateComponents([.day, .month, .year], from: date)
        return (components.day ?? 1, components.month ?? 1, components.year ?? 1970)
    }
}
