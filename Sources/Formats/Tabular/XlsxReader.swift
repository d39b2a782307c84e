import Foundation
import ZIPFoundation

/// One worksheet as read from a workbook.
public struct SheetData: Sendable, Equatable {
    public var name: String
    /// Cell texts, dense: `rows[r][c]` is the cell in row r+1 and column c (A = 0), so gaps in the
    /// sheet become "" (and empty rows `[]`). Trailing empty cells and trailing empty rows are trimmed.
    /// Numbers render without a trailing ".0"; date-formatted cells as dd/MM/yyyy (with " HH:mm" when
    /// the format shows a time and the value has one), time formats as HH:mm[:ss]; booleans as
    /// TRUE/FALSE; formula cells as their cached result.
    public var rows: [[String]]
    /// Merged ranges, e.g. "A2:C2".
    public var merged: [String]
    /// References of cells that hold a formula, e.g. "D5".
    public var formulaCells: [String]

    public init(name: String, rows: [[String]], merged: [String] = [], formulaCells: [String] = []) {
        self.name = name
        self.rows = rows
        self.merged = merged
        self.formulaCells = formulaCells
    }
}

/// Reads .xlsx workbooks defensively (size, row and ZIP-bomb limits) into plain text grids.
public enum XlsxReader {
    /// Maximum total uncompressed size of all entries.
    public static let maxTotalUncompressedBytes = 50 * 1024 * 1024
    /// Maximum uncompressed size of one entry.
    public static let maxEntryUncompressedBytes = 30 * 1024 * 1024
    /// Maximum rows per sheet.
    public static let maxRows = 100_000
    /// Maximum cells per sheet once the grid is made dense.
    public static let maxCells = 5_000_000
    static let maxEntries = 10_000
    static let maxColumns = 16_384

    public static func read(_ data: Data) throws(TabularError) -> [SheetData] {
        do {
            return try readUnchecked(data)
        } catch let error as TabularError {
            throw error
        } catch {
            throw .malformed("\(error)")
        }
    }

    // MARK: - Package

    private static func readUnchecked(_ data: Data) throws -> [SheetData] {
        guard !data.isEmpty else { throw TabularError.empty }
        guard data.count >= 4, data.prefix(4).elementsEqual([0x50, 0x4B, 0x03, 0x04]) else {
            throw TabularError.notXlsx("the file is not a ZIP package")
        }
        let package = try Package(data: data)

        let rootRels = try package.relationships(of: "")
        let workbookPath = rootRels.first { $0.type.hasSuffix("/officeDocument") }?.target ?? "xl/workbook.xml"
        guard let workbookData = try package.extract(workbookPath) else {
            throw TabularError.notXlsx("no workbook inside the package (is it a Word or ODS file?)")
        }
        let workbook = WorkbookParser()
        try workbook.run(workbookData, part: workbookPath)
        let workbookRels = try package.relationships(of: workbookPath)

        var sharedStrings: [String] = []
        if let path = workbookRels.first(where: { $0.type.hasSuffix("/sharedStrings") })?.target
            ?? (package.contains("xl/sharedStrings.xml") ? "xl/sharedStrings.xml" : nil),
            let stringsData = try package.extract(path) {
            let parser = SharedStringsParser()
            try parser.run(stringsData, part: path)
            sharedStrings = parser.strings
        }

        var formats: [Int: NumberFormatKind] = [:]
        if let path = workbookRels.first(where: { $0.type.hasSuffix("/styles") })?.target
            ?? (package.contains("xl/styles.xml") ? "xl/styles.xml" : nil),
            let stylesData = try package.extract(path) {
            let parser = StylesParser()
            try parser.run(stylesData, part: path)
            formats = parser.styleKinds()
        }

        guard !workbook.sheets.isEmpty else { throw TabularError.empty }
        var result: [SheetData] = []
        for sheet in workbook.sheets {
            guard let rel = workbookRels.first(where: { $0.id == sheet.relationshipID }) else {
                throw TabularError.malformed("sheet \"\(sheet.name)\" has no relationship in the workbook")
            }
            guard rel.type.hasSuffix("/worksheet") else { continue } // chart sheets, dialog sheets
            guard let sheetData = try package.extract(rel.target) else {
                throw TabularError.malformed("sheet \"\(sheet.name)\" is missing (\(rel.target))")
            }
            let parser = SheetParser(
                sharedStrings: sharedStrings, formats: formats, date1904: workbook.date1904, sheetName: sheet.name
            )
            try parser.run(sheetData, part: rel.target)
            result.append(SheetData(name: sheet.name, rows: parser.finishedRows(), merged: parser.merged,
                                    formulaCells: parser.formulaCells))
        }
        return result
    }

    /// The ZIP container with size limits enforced on headers and on actual inflated bytes.
    final class Package {
        let archive: Archive
        var entries: [String: Entry] = [:]
        var lowercased: [String: String] = [:]
        var extractedTotal = 0

        init(data: Data) throws {
            do {
                archive = try ZipData.archive(data) // not Archive(data:), which traps on bad offsets
            } catch {
                throw TabularError.notXlsx("the ZIP package cannot be opened")
            }
            var total: UInt64 = 0
            var count = 0
            for entry in archive where entry.type == .file {
                count += 1
                guard count <= XlsxReader.maxEntries else {
                    throw TabularError.tooLarge("more than \(XlsxReader.maxEntries) files inside the package")
                }
                guard entry.uncompressedSize <= UInt64(XlsxReader.maxEntryUncompressedBytes) else {
                    throw TabularError.tooLarge("\(entry.path) is over \(XlsxReader.maxEntryUncompressedBytes / 1_048_576) MB uncompressed")
                }
                total += entry.uncompressedSize
                guard total <= UInt64(XlsxReader.maxTotalUncompressedBytes) else {
                    throw TabularError.tooLarge("the package is over \(XlsxReader.maxTotalUncompressedBytes / 1_048_576) MB uncompressed")
                }
                let path = Self.normalize(entry.path)
                entries[path] = entry
                lowercased[path.lowercased()] = path
            }
        }

        static func normalize(_ path: String) -> String {
            var path = path.replacingOccurrences(of: "\\", with: "/")
            while path.hasPrefix("/") { path.removeFirst() }
            return path
        }

        func entry(_ path: String) -> Entry? {
            let path = Self.normalize(path)
            if let entry = entries[path] { return entry }
            if let actual = lowercased[path.lowercased()] { return entries[actual] }
            return nil
        }

        func contains(_ path: String) -> Bool { entry(path) != nil }

        /// Inflates one entry, stopping as soon as the real size passes a limit (headers can lie).
        func extract(_ path: String) throws -> Data? {
            guard let entry = entry(path) else { return nil }
            var out = Data()
            var seen = 0
            let already = extractedTotal
            do {
                _ = try archive.extract(entry, skipCRC32: false) { chunk in
                    seen += chunk.count
                    if seen > XlsxReader.maxEntryUncompressedBytes || already + seen > XlsxReader.maxTotalUncompressedBytes {
                        throw TabularError.tooLarge("\(path) inflates beyond the size limit")
                    }
                    out.append(chunk)
                }
            } catch let error as TabularError {
                throw error
            } catch {
                throw TabularError.malformed("\(path) cannot be decompressed")
            }
            extractedTotal += seen
            return out
        }

        /// Relationships of a part ("" for the package root), with targets resolved to package paths.
        func relationships(of part: String) throws -> [Relationship] {
            let directory = Self.directory(of: part)
            let name = part.split(separator: "/").last.map(String.init) ?? ""
            let relsPath = (directory.isEmpty ? "" : directory + "/") + "_rels/" + name + ".rels"
            guard let data = try extract(relsPath) else { return [] }
            let parser = RelationshipsParser()
            try parser.run(data, part: relsPath)
            return parser.relationships.map { rel in
                var rel = rel
                rel.target = Self.resolve(rel.target, from: directory)
                return rel
            }
        }

        static func directory(of part: String) -> String {
            guard let slash = part.lastIndex(of: "/") else { return "" }
            return String(part[..<slash])
        }

        static func resolve(_ target: String, from directory: String) -> String {
            if target.hasPrefix("/") { return normalize(target) }
            var components = directory.split(separator: "/").map(String.init)
            for piece in target.split(separator: "/") {
                if piece == ".." { if !components.isEmpty { components.removeLast() } }
                else if piece != "." { components.append(String(piece)) }
            }
            return components.joined(separator: "/")
        }
    }

    struct Relationship {
        var id: String
        var type: String
        var target: String
    }

    // MARK: - Number formats

    enum NumberFormatKind: Equatable {
        case date, dateTime, time
    }

    /// Kind of a number format, or nil for plain numbers.
    static func kind(ofFormat id: Int, code: String?) -> NumberFormatKind? {
        if let code { return kind(ofCode: code) }
        switch id {
        case 14...17, 27...36, 50...58: return .date
        case 22: return .dateTime
        case 18...21, 45...47: return .time
        default: return nil
        }
    }

    /// Classifies a custom format code by its date/time tokens, ignoring quoted text, [..] sections
    /// and escaped characters.
    static func kind(ofCode code: String) -> NumberFormatKind? {
        var cleaned = ""
        var iterator = code.lowercased().makeIterator()
        var inQuote = false
        var inBracket = false
        while let character = iterator.next() {
            if inQuote { if character == "\"" { inQuote = false }; continue }
            if inBracket {
                if character == "]" { inBracket = false }
                // Elapsed-time tokens [h], [mm], [ss] still mark a time format.
                else if "hms".contains(character) { cleaned.append(character == "m" ? "n" : character) }
                continue
            }
            switch character {
            case "\"": inQuote = true
            case "[": inBracket = true
            case "\\", "_", "*": _ = iterator.next()
            default: cleaned.append(character)
            }
        }
        // Only the first section (positive numbers) matters.
        if let semicolon = cleaned.firstIndex(of: ";") { cleaned = String(cleaned[..<semicolon]) }
        if cleaned.contains("general") { return nil }
        let hasDate = cleaned.contains("d") || cleaned.contains("y")
        let hasHour = cleaned.contains("h")
        let hasSecond = cleaned.contains("s")
        let hasMinuteOrMonth = cleaned.contains("m")
        if hasDate || (hasMinuteOrMonth && !hasHour && !hasSecond && !cleaned.contains("n")) {
            return hasHour ? .dateTime : .date
        }
        if hasHour || hasSecond || cleaned.contains("n") { return .time }
        return nil
    }

    // MARK: - Rendering

    static func render(number raw: String, kind: NumberFormatKind?, date1904: Bool) -> String {
        let trimmed = raw.trimmingCharacters(in: .whitespaces)
        guard let value = Double(trimmed), value.isFinite else { return trimmed }
        if let kind, value >= 0, value < 2_958_466 {
            return render(serial: value, kind: kind, date1904: date1904)
        }
        return render(number: value)
    }

    static func render(number value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    static func render(serial: Double, kind: NumberFormatKind, date1904: Bool) -> String {
        let wholeDays = serial.rounded(.down)
        let seconds = Int(((serial - wholeDays) * 86_400).rounded())
        let days = Int(wholeDays) + (seconds >= 86_400 ? 1 : 0)
        let secondsOfDay = seconds % 86_400
        let time: String = {
            let hours = secondsOfDay / 3600, minutes = secondsOfDay / 60 % 60, secs = secondsOfDay % 60
            let base = pad(hours) + ":" + pad(minutes)
            return secs == 0 ? base : base + ":" + pad(secs)
        }()
        switch kind {
        case .time:
            return time
        case .date, .dateTime:
            let (year, month, day) = civil(daysSince1970: days - (date1904 ? 24_107 : 25_569))
            let date = pad(day) + "/" + pad(month) + "/" + String(year)
            return kind == .dateTime && secondsOfDay != 0 ? date + " " + time : date
        }
    }

    static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// Proleptic Gregorian date from a day count (H. Hinnant's algorithm).
    static func civil(daysSince1970: Int) -> (year: Int, month: Int, day: Int) {
        let z = daysSince1970 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// "2026-01-05T08:30:00" (cells of type "d") → "05/01/2026 08:30".
    static func render(isoDate raw: String) -> String {
        let parts = raw.split(separator: "T", maxSplits: 1)
        let date = parts.first.map { $0.split(separator: "-") } ?? []
        guard date.count == 3 else { return raw }
        var text = "\(date[2].prefix(2))/\(date[1])/\(date[0])"
        if parts.count == 2 {
            let time = parts[1].prefix(5)
            if time != "00:00" { text += " " + time }
        }
        return text
    }

    /// Zero-based column and one-based row of a reference like "AB12" (either may be missing).
    static func parse(reference: String) -> (column: Int?, row: Int?) {
        var column = 0
        var hasColumn = false
        var row = 0
        var hasRow = false
        for unit in reference.utf8 {
            switch unit {
            case 65...90, 97...122:
                guard !hasRow else { return (nil, nil) }
                column = column * 26 + Int((unit & 0xDF) - 64)
                hasColumn = true
                if column > 20_000 { return (nil, nil) }
            case 48...57:
                row = row * 10 + Int(unit - 48)
                hasRow = true
                if row > 10_000_000 { return (hasColumn ? column - 1 : nil, nil) }
            case 36: continue // "$"
            default: return (nil, nil)
            }
        }
        return (hasColumn ? column - 1 : nil, hasRow ? row : nil)
    }
}

// MARK: - XML parts

/// Base of the part parsers: local names, text, abort with a `TabularError`. Driven by our own
/// `XMLPullReader`, not Foundation's XMLParser: libxml2 behind it crashed on fuzzed workbook parts (a SEGV in
/// xmlParseChunk, docs/FUZZING.md), and ours does no DTD processing at all.
class PartParser {
    var failure: TabularError?

    func run(_ data: Data, part: String) throws {
        var limits = ScanLimits()
        limits.maxTokenBytes = 32 << 20
        let reader = XMLPullReader(data: data, limits: limits)
        do {
            while failure == nil, let event = try reader.next() {
                switch event {
                case .startElement(let name, let attributes):
                    var dict: [String: String] = [:]
                    for attribute in attributes { dict[attribute.name] = attribute.value }
                    start(Self.local(name), Self.localAttributes(dict))
                case .endElement(let name):
                    end(Self.local(name))
                case .text(let string):
                    text(string)
                }
            }
        } catch let error as ScanParseError {
            throw TabularError.malformed("\(part), \(error.location ?? "?"): not well-formed XML (\(error.message))")
        }
        if let failure { throw failure }
    }

    func fail(_ error: TabularError) {
        if failure == nil { failure = error }
    }

    static func local(_ name: String) -> String {
        guard let colon = name.lastIndex(of: ":") else { return name }
        return String(name[name.index(after: colon)...])
    }

    static func localAttributes(_ attributes: [String: String]) -> [String: String] {
        var result: [String: String] = [:]
        for (key, value) in attributes {
            // Keep "r:id" distinguishable from a plain "id".
            if key.hasSuffix(":id") { result["r:id"] = value } else { result[local(key)] = value }
        }
        return result
    }

    func start(_ name: String, _ attributes: [String: String]) {}
    func end(_ name: String) {}
    func text(_ string: String) {}
}

final class RelationshipsParser: PartParser {
    var relationships: [XlsxReader.Relationship] = []

    override func start(_ name: String, _ attributes: [String: String]) {
        guard name == "Relationship", let id = attributes["Id"], let target = attributes["Target"] else { return }
        if attributes["TargetMode"] == "External" { return }
        relationships.append(.init(id: id, type: attributes["Type"] ?? "", target: target))
    }
}

final class WorkbookParser: PartParser {
    struct SheetEntry { var name: String; var relationshipID: String }
    var sheets: [SheetEntry] = []
    var date1904 = false

    override func start(_ name: String, _ attributes: [String: String]) {
        switch name {
        case "sheet":
            sheets.append(SheetEntry(name: attributes["name"] ?? "Sheet\(sheets.count + 1)",
                                     relationshipID: attributes["r:id"] ?? ""))
        case "workbookPr":
            let value = attributes["date1904"]?.lowercased()
            date1904 = value == "1" || value == "true"
        default: break
        }
    }
}

/// Shared strings: every <si>, joining the <t> of plain and rich-text runs, skipping phonetic runs.
final class SharedStringsParser: PartParser {
    var strings: [String] = []
    private var current = ""
    private var inItem = false
    private var inText = false
    private var phoneticDepth = 0

    override func start(_ name: String, _ attributes: [String: String]) {
        switch name {
        case "si": inItem = true; current = ""
        case "rPh": phoneticDepth += 1
        case "t": inText = inItem && phoneticDepth == 0
        default: break
        }
    }

    override func end(_ name: String) {
        switch name {
        case "si": strings.append(current); inItem = false
        case "rPh": phoneticDepth -= 1
        case "t": inText = false
        default: break
        }
    }

    override func text(_ string: String) {
        if inText { current += string }
    }
}

final class StylesParser: PartParser {
    private var customFormats: [Int: String] = [:]
    private var cellFormatIDs: [Int] = []
    private var inCellXfs = false

    override func start(_ name: String, _ attributes: [String: String]) {
        switch name {
        case "numFmt":
            if let id = attributes["numFmtId"].flatMap(Int.init) { customFormats[id] = attributes["formatCode"] ?? "" }
        case "cellXfs": inCellXfs = true
        case "xf" where inCellXfs:
            cellFormatIDs.append(attributes["numFmtId"].flatMap(Int.init) ?? 0)
        default: break
        }
    }

    override func end(_ name: String) {
        if name == "cellXfs" { inCellXfs = false }
    }

    /// Style index (the `s` attribute of a cell) → date/time kind, for date-like styles only.
    func styleKinds() -> [Int: XlsxReader.NumberFormatKind] {
        var result: [Int: XlsxReader.NumberFormatKind] = [:]
        for (index, formatID) in cellFormatIDs.enumerated() {
            if let kind = XlsxReader.kind(ofFormat: formatID, code: customFormats[formatID]) { result[index] = kind }
        }
        return result
    }
}

final class SheetParser: PartParser {
    private let sharedStrings: [String]
    private let formats: [Int: XlsxReader.NumberFormatKind]
    private let date1904: Bool
    private let sheetName: String

    private(set) var rows: [[String]] = []
    private(set) var merged: [String] = []
    private(set) var formulaCells: [String] = []
    private var cellCount = 0

    private var rowIndex = 0 // one-based, of the current or last row
    private var row: [String] = []
    private var column = -1

    private var cellRef = ""
    private var cellType = ""
    private var cellStyle: Int?
    private var value = ""
    private var inlineText = ""
    private var collecting: Collecting = .none
    private var inInline = false
    private var phoneticDepth = 0

    private enum Collecting { case none, value, inline }

    init(sharedStrings: [String], formats: [Int: XlsxReader.NumberFormatKind], date1904: Bool, sheetName: String) {
        self.sharedStrings = sharedStrings
        self.formats = formats
        self.date1904 = date1904
        self.sheetName = sheetName
    }

    func finishedRows() -> [[String]] {
        var rows = rows
        while let last = rows.last, last.isEmpty { rows.removeLast() }
        return rows
    }

    override func start(_ name: String, _ attributes: [String: String]) {
        switch name {
        case "row":
            let next = attributes["r"].flatMap(Int.init) ?? rowIndex + 1
            guard next >= 1 else { return fail(.malformed("sheet \"\(sheetName)\": invalid row number")) }
            guard next <= XlsxReader.maxRows else {
                return fail(.tooLarge("sheet \"\(sheetName)\" has more than \(XlsxReader.maxRows) rows"))
            }
            rowIndex = next
            row = []
            column = -1
        case "c":
            cellRef = attributes["r"] ?? ""
            cellType = attributes["t"] ?? "n"
            cellStyle = attributes["s"].flatMap(Int.init)
            value = ""
            inlineText = ""
            if cellRef.isEmpty {
                column += 1
                cellRef = XlsxWriter.columnLetters(column) + String(rowIndex)
            } else {
                let parsed = XlsxReader.parse(reference: cellRef)
                guard let col = parsed.column, col < XlsxReader.maxColumns else {
                    return fail(.malformed("sheet \"\(sheetName)\": invalid cell reference \"\(cellRef)\""))
                }
                column = col
            }
        case "v":
            collecting = .value
        case "f":
            formulaCells.append(cellRef)
        case "is":
            inInline = true
        case "rPh":
            phoneticDepth += 1
        case "t":
            if inInline && phoneticDepth == 0 { collecting = .inline }
        case "mergeCell":
            if let ref = attributes["ref"] { merged.append(ref) }
        default:
            break
        }
    }

    override func end(_ name: String) {
        switch name {
        case "v", "t":
            collecting = .none
        case "is":
            inInline = false
        case "rPh":
            phoneticDepth -= 1
        case "c":
            finishCell()
        case "row":
            finishRow()
        default:
            break
        }
    }

    override func text(_ string: String) {
        switch collecting {
        case .none: break
        case .value: value += string
        case .inline: inlineText += string
        }
    }

    private func finishCell() {
        let text: String
        switch cellType {
        case "s":
            guard let index = Int(value.trimmingCharacters(in: .whitespaces)), index >= 0, index < sharedStrings.count else {
                return fail(.malformed("sheet \"\(sheetName)\", cell \(cellRef): unknown shared string \"\(value)\""))
            }
            text = sharedStrings[index]
        case "inlineStr":
            text = inlineText
        case "str", "e":
            text = value
        case "b":
            let trimmed = value.trimmingCharacters(in: .whitespaces)
            text = trimmed.isEmpty ? "" : (trimmed == "1" || trimmed.lowercased() == "true" ? "TRUE" : "FALSE")
        case "d":
            text = XlsxReader.render(isoDate: value.trimmingCharacters(in: .whitespaces))
        default:
            text = value.isEmpty ? "" : XlsxReader.render(number: value, kind: cellStyle.flatMap { formats[$0] },
                                                          date1904: date1904)
        }
        guard !text.isEmpty, column >= 0 else { return }
        if column >= row.count {
            let added = column + 1 - row.count
            cellCount += added
            guard cellCount <= XlsxReader.maxCells else {
                return fail(.tooLarge("sheet \"\(sheetName)\" has more than \(XlsxReader.maxCells) cells"))
            }
            row.append(contentsOf: repeatElement("", count: added))
        }
        row[column] = text
    }

    private func finishRow() {
        while let last = row.last, last.isEmpty { row.removeLast() }
        let index = rowIndex - 1
        if index >= rows.count {
            // Empty rows only materialise when a later row has content.
            guard !row.isEmpty else { return }
            rows.append(contentsOf: repeatElement([], count: index - rows.count))
            rows.append(row)
        } else if !row.isEmpty {
            // Out-of-order or repeated row element: merge cells into the existing row.
            var existing = rows[index]
            if existing.count < row.count { existing.append(contentsOf: repeatElement("", count: row.count - existing.count)) }
            for (offset, cell) in row.enumerated() where !cell.isEmpty { existing[offset] = cell }
            rows[index] = existing
        }
        row = []
    }
}
