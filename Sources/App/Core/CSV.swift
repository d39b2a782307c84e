import Foundation
import Vapor

/// RFC 4180 CSV with a UTF-8 byte-order mark (so spreadsheet programs show Vietnamese correctly).
/// Cells that start with =, +, - or @ are prefixed with ' so that they are never run as formulas.
enum CSV {
    static let byteOrderMark = "\u{FEFF}"

    static func render(header: [String], rows: [[String]]) -> String {
        var out = byteOrderMark
        for row in [header] + rows { out += line(row) }
        return out
    }

    static func line(_ cells: [String]) -> String {
        cells.map(cell).joined(separator: ",") + "\r\n"
    }

    private static func cell(_ value: String) -> String {
        var value = value
        if let first = value.first, "=+-@\t\r".contains(first) { value = "'" + value }
        if value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return value
    }

    /// Undoes the formula guard of `cell` when a CSV export is read back (the import), so that
    /// "'+84 205 3812 345" is the phone number again.
    static func unguarded(_ value: String) -> String {
        guard value.first == "'", let second = value.dropFirst().first, "=+-@\t\r".contains(second) else { return value }
        return String(value.dropFirst())
    }

    static func response(_ text: String, filename: String) -> Response {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(filename)\"")
        return Response(status: .ok, headers: headers, body: .init(string: text))
    }
}
