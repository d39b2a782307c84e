import Foundation

/// One worksheet to write: a header row from `columns`, then `rows`.
public struct Sheet: Sendable, Equatable {
    /// Sheet tab name; sanitised on write (max 31 characters, none of []:*?/\, unique).
    public var name: String
    public var columns: [SheetColumn]
    public var rows: [[CellValue]]

    public init(name: String, columns: [SheetColumn], rows: [[CellValue]]) {
        self.name = name
        self.columns = columns
        self.rows = rows
    }
}

public struct SheetColumn: Sendable, Equatable {
    public var title: String
    /// Column width in Excel character units.
    public var width: Double

    public init(_ title: String, width: Double = 15) {
        self.title = title
        self.width = width
    }

    public init(title: String, width: Double = 15) {
        self.init(title, width: width)
    }
}

public enum CellValue: Sendable, Equatable {
    /// Always stored as a string cell, even when it looks like a formula ("=1+1", "+84…", "-", "@x").
    case text(String)
    case number(Double)
    case integer(Int)
    /// Stored as a whole-day serial (the calendar day in Asia/Ho_Chi_Minh) shown as dd/mm/yyyy.
    case date(Date)
    case bool(Bool)
    case empty
}

/// Writes SpreadsheetML (.xlsx) workbooks: bold header row with an autofilter, first row frozen,
/// shared strings, no formulas ever. Output is deterministic.
public enum XlsxWriter {
    /// Excel's limit on characters in a cell.
    public static let maxCellCharacters = 32_767

    public static func write(_ sheets: [Sheet]) throws -> Data {
        let sheets = sheets.isEmpty ? [Sheet(name: "Sheet1", columns: [], rows: [])] : sheets
        let names = sanitizedNames(sheets.map(\.name))
        var strings = SharedStrings()
        var package = PackageBuilder()
        package.add("[Content_Types].xml", contentTypes(sheetCount: sheets.count))
        package.add("_rels/.rels", rootRelationships)
        package.add("docProps/app.xml", appProperties)
        package.add("docProps/core.xml", coreProperties)
        package.add("xl/workbook.xml", workbookXML(sheets: sheets, names: names))
        package.add("xl/_rels/workbook.xml.rels", workbookRelationships(sheetCount: sheets.count))
        package.add("xl/styles.xml", stylesXML)
        for (index, sheet) in sheets.enumerated() {
            package.add("xl/worksheets/sheet\(index + 1).xml", worksheetXML(sheet, strings: &strings))
        }
        package.add("xl/sharedStrings.xml", strings.xml)
        return try package.build()
    }

    // MARK: - Sheet names

    /// Excel rules: 1–31 characters, none of `[]:*?/\`, not starting or ending with an apostrophe,
    /// unique (case-insensitively), and not "History".
    public static func sanitizedNames(_ names: [String]) -> [String] {
        var used = Set<String>()
        var result: [String] = []
        for (index, raw) in names.enumerated() {
            var name = String(raw.unicodeScalars.map { scalar -> Character in
                if "[]:*?/\\".unicodeScalars.contains(scalar) || !XMLText.isLegal(scalar) || scalar.value < 0x20 {
                    return "-"
                }
                return Character(scalar)
            })
            name = name.trimmingCharacters(in: .whitespacesAndNewlines)
            while name.hasPrefix("'") { name.removeFirst() }
            while name.hasSuffix("'") { name.removeLast() }
            name = truncated(name, to: 31).trimmingCharacters(in: .whitespaces)
            if name.isEmpty { name = "Sheet\(index + 1)" }
            if name.lowercased() == "history" { name += " 1" }
            var candidate = name
            var counter = 2
            while used.contains(candidate.lowercased()) {
                let suffix = " (\(counter))"
                candidate = truncated(name, to: 31 - suffix.utf16.count) + suffix
                counter += 1
            }
            used.insert(candidate.lowercased())
            result.append(candidate)
        }
        return result
    }

    /// Cuts at a character boundary so the UTF-16 length (what Excel counts) is at most `limit`.
    static func truncated(_ text: String, to limit: Int) -> String {
        guard text.utf16.count > limit else { return text }
        var out = ""
        var count = 0
        for character in text {
            let length = character.utf16.count
            if count + length > limit { break }
            out.append(character)
            count += length
        }
        return out
    }

    // MARK: - Cell references

    /// "A", "B", … "Z", "AA", … for a zero-based column index.
    public static func columnLetters(_ index: Int) -> String {
        var index = index + 1
        var letters: [Character] = []
        while index > 0 {
            let remainder = (index - 1) % 26
            letters.append(Character(Unicode.Scalar(UInt8(65 + remainder))))
            index = (index - 1) / 26
        }
        return String(letters.reversed())
    }

    /// Whole-day serial in the 1900 date system for the calendar day of `date` in Asia/Ho_Chi_Minh.
    public static func dateSerial(_ date: Date) -> Int {
        let parts = Decree30.dateParts(date)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        let day = calendar.date(from: DateComponents(year: parts.year, month: parts.month, day: parts.day))!
        let epoch = calendar.date(from: DateComponents(year: 1899, month: 12, day: 30))!
        return Int((day.timeIntervalSince(epoch) / 86_400).rounded())
    }

    // MARK: - Parts

    /// Style indexes in `cellXfs`.
    enum Style: Int {
        case normal = 0, header = 1, date = 2, quotedText = 3
    }

    static func worksheetXML(_ sheet: Sheet, strings: inout SharedStrings) -> String {
        let columnCount = max(sheet.columns.count, sheet.rows.map(\.count).max() ?? 0)
        let letters = (0..<max(columnCount, 1)).map(columnLetters)
        let hasHeader = !sheet.columns.isEmpty
        let lastRow = sheet.rows.count + (hasHeader ? 1 : 0)

        var xml = XMLText.declaration
        xml.reserveCapacity(sheet.rows.count * max(columnCount, 1) * 40 + 1024)
        xml += "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
        xml += " xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
        if lastRow > 0 && columnCount > 0 {
            xml += "<dimension ref=\"A1:\(letters[columnCount - 1])\(lastRow)\"/>"
        }
        xml += "<sheetViews><sheetView workbookViewId=\"0\">"
        if hasHeader {
            xml += "<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"
            xml += "<selection pane=\"bottomLeft\" activeCell=\"A2\" sqref=\"A2\"/>"
        }
        xml += "</sheetView></sheetViews>"
        xml += "<sheetFormatPr defaultRowHeight=\"15\"/>"
        if !sheet.columns.isEmpty {
            xml += "<cols>"
            for (index, column) in sheet.columns.enumerated() {
                let width = column.width.isFinite ? min(max(column.width, 1), 255) : 15
                xml += "<col min=\"\(index + 1)\" max=\"\(index + 1)\" width=\"\(number(width))\" customWidth=\"1\"/>"
            }
            xml += "</cols>"
        }
        xml += "<sheetData>"
        var rowNumber = 0
        if hasHeader {
            rowNumber = 1
            xml += "<row r=\"1\">"
            for (index, column) in sheet.columns.enumerated() {
                appendText(column.title, ref: "\(letters[index])1", style: .header, into: &xml, strings: &strings)
            }
            xml += "</row>"
        }
        for row in sheet.rows {
            rowNumber += 1
            xml += "<row r=\"\(rowNumber)\">"
            for (index, value) in row.enumerated() {
                let ref = "\(letters[index])\(rowNumber)"
                switch value {
                case .text(let text):
                    appendText(text, ref: ref, style: nil, into: &xml, strings: &strings)
                case .number(let double):
                    if double.isFinite {
                        xml += "<c r=\"\(ref)\"><v>\(number(double))</v></c>"
                    }
                case .integer(let int):
                    xml += "<c r=\"\(ref)\"><v>\(int)</v></c>"
                case .date(let date):
                    xml += "<c r=\"\(ref)\" s=\"\(Style.date.rawValue)\"><v>\(dateSerial(date))</v></c>"
                case .bool(let bool):
                    xml += "<c r=\"\(ref)\" t=\"b\"><v>\(bool ? 1 : 0)</v></c>"
                case .empty:
                    break
                }
            }
            xml += "</row>"
        }
        xml += "</sheetData>"
        if hasHeader {
            xml += "<autoFilter ref=\"A1:\(letters[sheet.columns.count - 1])\(max(lastRow, 1))\"/>"
        }
        xml += "<pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/>"
        xml += "</worksheet>"
        return xml
    }

    /// Text is always a shared-string cell; text that a spreadsheet would read as a formula when
    /// edited gets the quote-prefix style as well.
    static func appendText(_ text: String, ref: String, style: Style?, into xml: inout String, strings: inout SharedStrings) {
        let clean = truncated(XMLText.sanitized(text), to: maxCellCharacters)
        if clean.isEmpty && style == nil { return }
        var style = style
        if style == nil, let first = clean.unicodeScalars.first, "=+-@".unicodeScalars.contains(first) {
            style = .quotedText
        }
        let index = strings.index(of: clean)
        xml += "<c r=\"\(ref)\""
        if let style { xml += " s=\"\(style.rawValue)\"" }
        xml += " t=\"s\"><v>\(index)</v></c>"
    }

    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    struct SharedStrings {
        private var indexes: [String: Int] = [:]
        private var ordered: [String] = []
        private(set) var count = 0

        mutating func index(of text: String) -> Int {
            count += 1
            if let index = indexes[text] { return index }
            let index = ordered.count
            indexes[text] = index
            ordered.append(text)
            return index
        }

        var xml: String {
            var xml = XMLText.declaration
            xml += "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"\(count)\" uniqueCount=\"\(ordered.count)\">"
            for text in ordered {
                xml += "<si><t xml:space=\"preserve\">"
                XMLText.escape(text, into: &xml)
                xml += "</t></si>"
            }
            xml += "</sst>"
            return xml
        }
    }

    static func workbookXML(sheets: [Sheet], names: [String]) -> String {
        var xml = XMLText.declaration
        xml += "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
        xml += " xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
        xml += "<workbookPr/><bookViews><workbookView activeTab=\"0\"/></bookViews><sheets>"
        for (index, name) in names.enumerated() {
            xml += "<sheet name=\"\(XMLText.escape(name))\" sheetId=\"\(index + 1)\" r:id=\"rId\(index + 1)\"/>"
        }
        xml += "</sheets>"
        var defined = ""
        for (index, sheet) in sheets.enumerated() where !sheet.columns.isEmpty {
            let quoted = "'" + names[index].replacingOccurrences(of: "'", with: "''") + "'"
            let last = "$\(columnLetters(sheet.columns.count - 1))$\(sheet.rows.count + 1)"
            defined += "<definedName name=\"_xlnm._FilterDatabase\" localSheetId=\"\(index)\" hidden=\"1\">"
            defined += XMLText.escape("\(quoted)!$A$1:\(last)") + "</definedName>"
        }
        if !defined.isEmpty { xml += "<definedNames>\(defined)</definedNames>" }
        xml += "</workbook>"
        return xml
    }

    static func workbookRelationships(sheetCount: Int) -> String {
        var xml = XMLText.declaration
        xml += "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        let base = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        for index in 1...sheetCount {
            xml += "<Relationship Id=\"rId\(index)\" Type=\"\(base)/worksheet\" Target=\"worksheets/sheet\(index).xml\"/>"
        }
        xml += "<Relationship Id=\"rId\(sheetCount + 1)\" Type=\"\(base)/styles\" Target=\"styles.xml\"/>"
        xml += "<Relationship Id=\"rId\(sheetCount + 2)\" Type=\"\(base)/sharedStrings\" Target=\"sharedStrings.xml\"/>"
        xml += "</Relationships>"
        return xml
    }

    static func contentTypes(sheetCount: Int) -> String {
        var xml = XMLText.declaration
        xml += "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
        xml += "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
        xml += "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
        xml += "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
        for index in 1...sheetCount {
            xml += "<Override PartName=\"/xl/worksheets/sheet\(index).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        }
        xml += "<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>"
        xml += "<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/>"
        xml += "<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
        xml += "<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>"
        xml += "</Types>"
        return xml
    }

    static let rootRelationships = XMLText.declaration + """
    <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
    <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
    <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>\
    <Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>\
    </Relationships>
    """

    static let appProperties = XMLText.declaration + """
    <Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" \
    xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">\
    <Application>UngCuu</Application><DocSecurity>0</DocSecurity></Properties>
    """

    static let coreProperties = XMLText.declaration + """
    <cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" \
    xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" \
    xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\
    <dc:creator>UngCuu</dc:creator><dc:language>vi-VN</dc:language></cp:coreProperties>
    """

    /// Fonts: 0 normal, 1 bold. Cell formats: 0 normal, 1 header (bold, wrapped, centred vertically),
    /// 2 date dd/mm/yyyy, 3 text with quote prefix (never evaluated as a formula).
    static let stylesXML = XMLText.declaration + """
    <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
    <numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>\
    <fonts count="2">\
    <font><sz val="12"/><color rgb="FF000000"/><name val="Times New Roman"/><family val="1"/></font>\
    <font><b/><sz val="12"/><color rgb="FF000000"/><name val="Times New Roman"/><family val="1"/></font>\
    </fonts>\
    <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
    <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
    <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
    <cellXfs count="4">\
    <xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
    <xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment vertical="center" wrapText="1"/></xf>\
    <xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
    <xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" quotePrefix="1"/>\
    </cellXfs>\
    <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
    </styleSheet>
    """
}
