import Foundation

/// Why a spreadsheet or CSV upload could not be read. The App translates by `code`.
public enum TabularError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The file is not an .xlsx workbook (not a ZIP, or no workbook inside).
    case notXlsx(String)
    /// The file is damaged or not well-formed (bad XML, unterminated quote …).
    case malformed(String)
    /// The file exceeds a safety limit (size, rows, ZIP bomb).
    case tooLarge(String)
    /// The text is not valid UTF-8/UTF-16 (e.g. Windows-1258 or TCVN3 bytes).
    case encoding(String)
    /// Required header columns are missing (their expected titles).
    case missingHeaders([String])
    /// The file has no data.
    case empty

    /// Stable machine code, e.g. "tabular.notXlsx".
    public var code: String {
        switch self {
        case .notXlsx: return "tabular.notXlsx"
        case .malformed: return "tabular.malformed"
        case .tooLarge: return "tabular.tooLarge"
        case .encoding: return "tabular.encoding"
        case .missingHeaders: return "tabular.missingHeaders"
        case .empty: return "tabular.empty"
        }
    }

    /// The detail carried by the case (empty for `.empty`; the joined titles for `.missingHeaders`).
    public var detail: String {
        switch self {
        case .notXlsx(let detail), .malformed(let detail), .tooLarge(let detail), .encoding(let detail):
            return detail
        case .missingHeaders(let headers):
            return headers.joined(separator: ", ")
        case .empty:
            return ""
        }
    }

    public var description: String {
        switch self {
        case .notXlsx(let detail):
            return "The file is not an Excel .xlsx workbook: \(detail)"
        case .malformed(let detail):
            return "The file is damaged or badly formed: \(detail)"
        case .tooLarge(let detail):
            return "The file is too large: \(detail)"
        case .encoding(let detail):
            return "The file is not in UTF-8 (save it as \"CSV UTF-8\"): \(detail)"
        case .missingHeaders(let headers):
            return "Required columns are missing: \(headers.joined(separator: ", "))"
        case .empty:
            return "The file contains no data."
        }
    }
}
