import Foundation

/// Reads CSV files as exported by Excel and LibreOffice, including Vietnamese-locale exports that
/// use ";" as the delimiter.
///
/// - RFC 4180 quoting: quoted fields may contain delimiters, doubled quotes and line breaks.
/// - CRLF, LF or CR line endings; blank lines are skipped.
/// - UTF-8 (with or without BOM) or UTF-16 LE/BE with BOM. Anything else (Windows-1258, TCVN3 …)
///   is refused with `.encoding`, naming the first bad line.
public enum CSVReader {
    /// Delimiters considered by detection.
    public static let candidateDelimiters: [Character] = [",", ";", "\t"]
    /// Maximum rows accepted.
    public static let maxRows = 100_000

    /// Reads `data`, detecting the delimiter from the first record (comma, semicolon or tab).
    public static func read(_ data: Data) throws(TabularError) -> [[String]] {
        try read(data, delimiter: nil)
    }

    /// Reads `data` with a fixed delimiter, or detects it when `delimiter` is nil.
    public static func read(_ data: Data, delimiter: Character?) throws(TabularError) -> [[String]] {
        let text = try decode(data)
        let separator = delimiter ?? detectDelimiter(text)
        return try parse(text, delimiter: separator)
    }

    // MARK: - Decoding

    /// Decodes UTF-8 (BOM optional) or UTF-16 with BOM; reports the first line with invalid bytes.
    public static func decode(_ data: Data) throws(TabularError) -> String {
        let bytes = [UInt8](data)
        if bytes.count >= 2, bytes[0] == 0xFF, bytes[1] == 0xFE {
            return try decodeUTF16(bytes.dropFirst(2), littleEndian: true)
        }
        if bytes.count >= 2, bytes[0] == 0xFE, bytes[1] == 0xFF {
            return try decodeUTF16(bytes.dropFirst(2), littleEndian: false)
        }
        var body = bytes[...]
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { body = bytes.dropFirst(3) }
        if let text = String(validating: body, as: UTF8.self) {
            if text.unicodeScalars.contains("\u{0}") {
                throw .encoding("line \(lineOfFirstNUL(body)): NUL bytes (UTF-16 without a byte-order mark?)")
            }
            return text
        }
        // Find the first line whose bytes are not valid UTF-8.
        var line = 1
        var start = body.startIndex
        for index in body.indices where body[index] == 0x0A {
            if String(validating: body[start..<index], as: UTF8.self) == nil { break }
            line += 1
            start = index + 1
        }
        throw .encoding("line \(line): the text is not valid UTF-8 (Windows-1258 or TCVN3?)")
    }

    private static func lineOfFirstNUL(_ bytes: ArraySlice<UInt8>) -> Int {
        var line = 1
        for byte in bytes {
            if byte == 0 { break }
            if byte == 0x0A { line += 1 }
        }
        return line
    }

    private static func decodeUTF16(_ bytes: ArraySlice<UInt8>, littleEndian: Bool) throws(TabularError) -> String {
        guard bytes.count % 2 == 0 else { throw .encoding("line 1: truncated UTF-16 text (odd number of bytes)") }
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let a = UInt16(bytes[index]), b = UInt16(bytes[index + 1])
            units.append(littleEndian ? a | b << 8 : a << 8 | b)
            index += 2
        }
        var text = ""
        var line = 1
        var iterator = units.makeIterator()
        var decoder = UTF16()
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                if scalar == "\n" { line += 1 }
                text.unicodeScalars.append(scalar)
            case .emptyInput:
                break loop
            case .error:
                throw .encoding("line \(line): invalid UTF-16 text")
            }
        }
        return text
    }

    // MARK: - Parsing

    /// The delimiter that occurs most often outside quotes in the first record (comma on ties).
    public static func detectDelimiter(_ text: String) -> Character {
        var counts: [Unicode.Scalar: Int] = [:]
        var inQuotes = false
        for scalar in text.unicodeScalars {
            if scalar == "\"" { inQuotes.toggle(); continue }
            if inQuotes { continue }
            if scalar == "\n" || scalar == "\r" {
                if counts.values.contains(where: { $0 > 0 }) { break }
                continue
            }
            if scalar == "," || scalar == ";" || scalar == "\t" { counts[scalar, default: 0] += 1 }
        }
        let comma = counts[",", default: 0], semicolon = counts[";", default: 0], tab = counts["\t", default: 0]
        if semicolon > comma && semicolon >= tab { return ";" }
        if tab > comma && tab > semicolon { return "\t" }
        return ","
    }

    static func parse(_ text: String, delimiter: Character) throws(TabularError) -> [[String]] {
        let separator = delimiter.unicodeScalars.first ?? ","
        var rows: [[String]] = []
        var row: [String] = []
        var field = String.UnicodeScalarView()
        var inQuotes = false
        var fieldWasQuoted = false
        var line = 1
        var quoteLine = 1
        var rowHasContent = false
        var previousWasCR = false

        func endField() {
            row.append(String(field))
            field = String.UnicodeScalarView()
            fieldWasQuoted = false
        }

        var scalars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        while let scalar = pending ?? scalars.next() {
            pending = nil
            let isLF = scalar == "\n"
            let isCR = scalar == "\r"
            if isLF && previousWasCR {
                previousWasCR = false
                continue // CRLF: the CR already ended the line (or became "\n" inside quotes)
            }
            previousWasCR = isCR
            if isLF || isCR { line += 1 }

            if inQuotes {
                if scalar == "\"" {
                    if let next = scalars.next() {
                        if next == "\"" {
                            field.append("\"")
                        } else {
                            inQuotes = false
                            pending = next
                        }
                    } else {
                        inQuotes = false
                    }
                } else {
                    field.append(isCR ? "\n" : scalar)
                }
                continue
            }

            if scalar == separator {
                endField()
                rowHasContent = true
            } else if isLF || isCR {
                if rowHasContent || !field.isEmpty || fieldWasQuoted {
                    endField()
                    rows.append(row)
                    guard rows.count <= maxRows else { throw .tooLarge("more than \(maxRows) rows") }
                }
                row = []
                field = String.UnicodeScalarView()
                fieldWasQuoted = false
                rowHasContent = false
            } else if scalar == "\"" && field.isEmpty && !fieldWasQuoted {
                inQuotes = true
                fieldWasQuoted = true
                quoteLine = line
            } else {
                // Text after a closing quote or a stray quote inside an unquoted field is kept as is.
                field.append(scalar)
            }
        }
        if inQuotes {
            throw .malformed("line \(quoteLine): a quoted field is not closed (missing \")")
        }
        if rowHasContent || !field.isEmpty || fieldWasQuoted {
            endField()
            rows.append(row)
            guard rows.count <= maxRows else { throw .tooLarge("more than \(maxRows) rows") }
        }
        return rows
    }
}
