import Foundation
import Testing
@testable import Formats

@Suite("XLSX reader")
struct XlsxReaderTests {
    @Test func roundTripsTheWriter() throws {
        let sheets = try XlsxReader.read(XlsxWriter.write([XlsxWriterTests.systems, Sheet(name: "Trống", columns: [], rows: [])]))
        #expect(sheets.map(\.name) == ["Hệ thống", "Trống"])
        let rows = sheets[0].rows
        #expect(rows[0] == ["Tên hệ thống", "Cấp độ", "Ngày", "Điểm", "Đã duyệt"])
        #expect(rows[1] == ["Cổng thông tin điện tử", "2", "05/01/2026", "7.5", "TRUE"])
        #expect(rows[2] == ["=HYPERLINK(\"http://x\")", "+84 912", "-1", "@SUM(A1)", "FALSE"])
        #expect(rows[3] == ["A & B <c> \"q\"", "", "", "-0.25"])
        #expect(sheets[0].formulaCells.isEmpty)
        #expect(sheets[1].rows.isEmpty)
    }

    @Test func roundTripsFiveThousandRowsQuickly() throws {
        let rows: [[CellValue]] = (1...5_000).map { index in
            [.integer(index), .text("Hệ thống số \(index)"), .date(vietnamDate(2026, 1 + index % 12, 1 + index % 28)),
             .number(Double(index) / 4), .text(index % 7 == 0 ? "=A\(index)" : "ghi chú")]
        }
        let sheet = Sheet(name: "Danh sách", columns: ["STT", "Tên", "Ngày", "Điểm", "Ghi chú"].map { SheetColumn($0) }, rows: rows)
        let clock = ContinuousClock()
        var data = Data()
        let writeTime = try clock.measure { data = try XlsxWriter.write([sheet]) }
        var read: [SheetData] = []
        let readTime = try clock.measure { read = try XlsxReader.read(data) }
        #expect(read[0].rows.count == 5_001)
        #expect(read[0].rows[5_000] == ["5000", "Hệ thống số 5000", "17/09/2026", "1250", "ghi chú"])
        #expect(read[0].rows[7] == ["7", "Hệ thống số 7", "08/08/2026", "1.75", "=A7"])
        #expect(read[0].formulaCells.isEmpty)
        #expect(writeTime < .seconds(10), "writing took \(writeTime)")
        #expect(readTime < .seconds(10), "reading took \(readTime)")
    }

    // MARK: Hand-built workbook

    static let workbookParts: [(String, String)] = [
        ("[Content_Types].xml", """
        <?xml version="1.0" encoding="UTF-8"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
        <Default Extension="xml" ContentType="application/xml"/>
        </Types>
        """),
        ("_rels/.rels", """
        <?xml version="1.0" encoding="UTF-8"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
        </Relationships>
        """),
        ("xl/workbook.xml", """
        <?xml version="1.0" encoding="UTF-8"?>
        <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
        <sheets>
        <sheet name="Danh mục" sheetId="2" r:id="rId7"/>
        <sheet name="Sự cố &amp; cảnh báo" sheetId="1" r:id="rId3"/>
        </sheets>
        </workbook>
        """),
        ("xl/_rels/workbook.xml.rels", """
        <?xml version="1.0" encoding="UTF-8"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
        <Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
        <Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet2.xml"/>
        <Relationship Id="rId8" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>
        <Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
        </Relationships>
        """),
        ("xl/sharedStrings.xml", """
        <?xml version="1.0" encoding="UTF-8"?>
        <sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="5" uniqueCount="5">
        <si><t>Tên hệ thống</t></si>
        <si><r><rPr><b/></rPr><t>Cấp </t></r><r><t xml:space="preserve">độ</t></r></si>
        <si><t>Cổng &amp; &lt;dịch vụ&gt;</t><rPh sb="0" eb="1"><t>PHONETIC</t></rPh></si>
        <si><t>Gộp ô</t></si>
        <si><t/></si>
        </sst>
        """),
        ("xl/styles.xml", """
        <?xml version="1.0" encoding="UTF-8"?>
        <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
        <numFmts count="2"><numFmt numFmtId="165" formatCode="[$-42A]dd/mm/yyyy;@"/><numFmt numFmtId="166" formatCode="#,##0.00\\ &quot;đ&quot;"/></numFmts>
        <cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>
        <cellXfs count="6"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="165"/><xf numFmtId="166"/><xf numFmtId="22"/><xf numFmtId="20"/></cellXfs>
        </styleSheet>
        """),
        ("xl/worksheets/sheet1.xml", """
        <?xml version="1.0" encoding="UTF-8"?>
        <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
        <sheetData>
        <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>
        <row r="2"><c r="A2" t="s"><v>3</v></c></row>
        <row r="4" spans="1:30">
          <c r="A4" t="s"><v>2</v></c>
          <c r="C4"><v>3</v></c>
          <c r="D4" s="1"><v>46027</v></c>
          <c r="E4" s="2"><v>46351</v></c>
          <c r="F4" s="3"><v>1234.5</v></c>
          <c r="G4"><f>C4*2</f><v>6</v></c>
          <c r="H4" t="b"><v>1</v></c>
          <c r="I4" t="inlineStr"><is><t>Nội tuyến</t></is></c>
          <c r="J4" t="str"><f>"a"&amp;"b"</f><v>ab</v></c>
          <c r="K4" t="e"><v>#N/A</v></c>
          <c r="AB4"><v>2.0</v></c>
          <c r="AC4" s="4"><v>46027.5</v></c>
          <c r="AD4" s="5"><v>0.75</v></c>
          <c r="AE4" t="s"><v>4</v></c>
          <c r="AF4" s="1"/>
        </row>
        <row r="5"><c r="A5" t="n"><v>1E-3</v></c><c r="B5"><v>100000000000</v></c></row>
        <row r="6"><c r="B6" s="1"/></row>
        </sheetData>
        <mergeCells count="2"><mergeCell ref="A2:C2"/><mergeCell ref="D1:E1"/></mergeCells>
        </worksheet>
        """),
        ("xl/worksheets/sheet2.xml", """
        <?xml version="1.0" encoding="UTF-8"?>
        <x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
        <x:sheetData><x:row><x:c t="inlineStr"><x:is><x:t>một</x:t></x:is></x:c><x:c><x:v>2</x:v></x:c></x:row></x:sheetData>
        </x:worksheet>
        """),
    ]

    @Test func readsAHandBuiltWorkbook() throws {
        let sheets = try XlsxReader.read(makeZip(Self.workbookParts))
        #expect(sheets.map(\.name) == ["Danh mục", "Sự cố & cảnh báo"])

        #expect(sheets[0].rows == [["một", "2"]])

        let sheet = sheets[1]
        #expect(sheet.rows.count == 5)
        #expect(sheet.rows[0] == ["Tên hệ thống", "Cấp độ"])
        #expect(sheet.rows[1] == ["Gộp ô"])
        #expect(sheet.rows[2] == [])
        var row4 = Array(repeating: "", count: 30)
        row4[0] = "Cổng & <dịch vụ>"
        row4[2] = "3"
        row4[3] = "05/01/2026"
        row4[4] = "25/11/2026"
        row4[5] = "1234.5"
        row4[6] = "6"
        row4[7] = "TRUE"
        row4[8] = "Nội tuyến"
        row4[9] = "ab"
        row4[10] = "#N/A"
        row4[27] = "2"
        row4[28] = "05/01/2026 12:00"
        row4[29] = "18:00"
        #expect(sheet.rows[3] == row4)
        #expect(sheet.rows[4] == ["0.001", "100000000000"])
        #expect(sheet.merged == ["A2:C2", "D1:E1"])
        #expect(sheet.formulaCells == ["G4", "J4"])
    }

    @Test func numberFormatClassification() {
        #expect(XlsxReader.kind(ofFormat: 14, code: nil) == .date)
        #expect(XlsxReader.kind(ofFormat: 22, code: nil) == .dateTime)
        #expect(XlsxReader.kind(ofFormat: 20, code: nil) == .time)
        #expect(XlsxReader.kind(ofFormat: 0, code: nil) == nil)
        #expect(XlsxReader.kind(ofFormat: 4, code: nil) == nil)
        #expect(XlsxReader.kind(ofCode: "dd/mm/yyyy") == .date)
        #expect(XlsxReader.kind(ofCode: "[$-409]mmm-yy;@") == .date)
        #expect(XlsxReader.kind(ofCode: "d/m/yyyy h:mm") == .dateTime)
        #expect(XlsxReader.kind(ofCode: "mm:ss") == .time)
        #expect(XlsxReader.kind(ofCode: "[h]:mm") == .time)
        #expect(XlsxReader.kind(ofCode: "#,##0 \"ngày\"") == nil)
        #expect(XlsxReader.kind(ofCode: "0.00E+00") == nil)
        #expect(XlsxReader.kind(ofCode: "[Red]0.0") == nil)
        #expect(XlsxReader.kind(ofCode: "General") == nil)
    }

    @Test func references() {
        #expect(XlsxReader.parse(reference: "A1") == (0, 1))
        #expect(XlsxReader.parse(reference: "AB12") == (27, 12))
        #expect(XlsxReader.parse(reference: "$XFD$1048576") == (16383, 1_048_576))
        #expect(XlsxReader.parse(reference: "1A") == (nil, nil))
    }

    @Test func refusesNonZipData() {
        #expect(throws: TabularError.notXlsx("the file is not a ZIP package")) {
            try XlsxReader.read(Data("Tên,Cấp độ\n".utf8))
        }
        #expect(throws: TabularError.empty) { try XlsxReader.read(Data()) }
    }

    @Test func refusesAZipWithoutAWorkbook() throws {
        let data = try makeZip([("word/document.xml", "<w:document/>")])
        #expect {
            try XlsxReader.read(data)
        } throws: { error in
            (error as? TabularError)?.code == "tabular.notXlsx"
        }
    }

    @Test func refusesMalformedXML() throws {
        var parts = Self.workbookParts
        parts[6].1 = "<worksheet><sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></row></sheetData></worksheet>"
        #expect {
            try XlsxReader.read(makeZip(parts))
        } throws: { error in
            guard case .malformed(let detail) = error as? TabularError else { return false }
            return detail.contains("xl/worksheets/sheet1.xml")
        }
    }

    @Test func refusesAZipBomb() throws {
        // 31 MB of zeros deflates to ~30 kB.
        let zeros = String(repeating: "0", count: 31 * 1024 * 1024)
        var parts = Self.workbookParts
        parts.append(("xl/media/bomb.xml", zeros))
        let data = try makeZip(parts)
        #expect(data.count < 1_000_000)
        #expect {
            try XlsxReader.read(data)
        } throws: { error in
            (error as? TabularError)?.code == "tabular.tooLarge"
        }
    }

    @Test func refusesTooManyRows() throws {
        var parts = Self.workbookParts
        parts[6].1 = "<worksheet><sheetData><row r=\"100001\"><c r=\"A100001\"><v>1</v></c></row></sheetData></worksheet>"
        #expect(throws: TabularError.tooLarge("sheet \"Sự cố & cảnh báo\" has more than 100000 rows")) {
            try XlsxReader.read(makeZip(parts))
        }
    }

    @Test func unknownSharedStringIsMalformed() throws {
        var parts = Self.workbookParts
        parts[6].1 = "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>99</v></c></row></sheetData></worksheet>"
        #expect {
            try XlsxReader.read(makeZip(parts))
        } throws: { error in
            (error as? TabularError)?.code == "tabular.malformed"
        }
    }

    /// Found by fuzzing (Fuzz/, target xlsx): ZIPFoundation's in-memory archive trapped, ending the process,
    /// when an offset in the central directory pointed past the end of the data.
    @Test func anOffsetPastTheEndIsAnErrorNotATrap() throws {
        var data = try makeZip(Self.workbookParts)
        let bytes = [UInt8](data)
        let eocd = try #require((0...(bytes.count - 22)).reversed().first { bytes[$0..<$0 + 4].elementsEqual([0x50, 0x4B, 0x05, 0x06]) })
        let directory = (16..<20).reduce(0) { $0 | Int(bytes[eocd + $1]) << (8 * ($1 - 16)) }
        // The first entry's local header offset (bytes 42–45 of its central directory record), far past the end.
        data.replaceSubrange(data.startIndex + directory + 42..<data.startIndex + directory + 46, with: [0x00, 0x00, 0x00, 0x7F])
        #expect(throws: TabularError.self) { try XlsxReader.read(data) }
    }

    @Test func errorCodesAndDescriptions() {
        #expect(TabularError.notXlsx("x").code == "tabular.notXlsx")
        #expect(TabularError.missingHeaders(["Tên", "Cấp độ"]).description == "Required columns are missing: Tên, Cấp độ")
        #expect(TabularError.empty.code == "tabular.empty")
        #expect(TabularError.encoding("line 3").description.contains("line 3"))
    }
}
