import Foundation
import Testing
@testable import Formats

@Suite("XLSX writer")
struct XlsxWriterTests {
    static let systems = Sheet(
        name: "Hệ thống",
        columns: [SheetColumn("Tên hệ thống", width: 40), SheetColumn("Cấp độ", width: 10),
                  SheetColumn("Ngày", width: 14), SheetColumn("Điểm"), SheetColumn("Đã duyệt")],
        rows: [
            [.text("Cổng thông tin điện tử"), .integer(2), .date(vietnamDate(2026, 1, 5)), .number(7.5), .bool(true)],
            [.text("=HYPERLINK(\"http://x\")"), .text("+84 912"), .text("-1"), .text("@SUM(A1)"), .bool(false)],
            [.text("A & B <c> \"q\""), .empty, .empty, .number(-0.25)],
        ]
    )

    @Test func packageHasWorkbookParts() throws {
        let entries = try unzipEntries(XlsxWriter.write([Self.systems]))
        for part in ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                     "xl/styles.xml", "xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"] {
            #expect(entries[part] != nil, "missing \(part)")
        }
        for (path, bytes) in entries {
            #expect(xmlError(String(decoding: bytes, as: UTF8.self)) == nil, "\(path) is not well-formed")
        }
    }

    @Test func headerIsBoldFrozenAndFiltered() throws {
        let xml = try unzipText(XlsxWriter.write([Self.systems]), "xl/worksheets/sheet1.xml")
        #expect(xml.contains("<c r=\"A1\" s=\"1\" t=\"s\">"))
        #expect(xml.contains("state=\"frozen\""))
        #expect(xml.contains("ySplit=\"1\""))
        #expect(xml.contains("<autoFilter ref=\"A1:E4\"/>"))
        #expect(xml.contains("<col min=\"1\" max=\"1\" width=\"40\" customWidth=\"1\"/>"))
        let workbook = try unzipText(XlsxWriter.write([Self.systems]), "xl/workbook.xml")
        #expect(workbook.contains("_xlnm._FilterDatabase"))
    }

    @Test func formulaLookingTextIsNeverAFormula() throws {
        let xml = try unzipText(XlsxWriter.write([Self.systems]), "xl/worksheets/sheet1.xml")
        #expect(!xml.contains("<f>"))
        #expect(!xml.contains("<f "))
        #expect(xml.contains("<c r=\"A3\" s=\"3\" t=\"s\">"))
        let strings = try unzipText(XlsxWriter.write([Self.systems]), "xl/sharedStrings.xml")
        #expect(strings.contains("=HYPERLINK(&quot;http://x&quot;)"))
        #expect(strings.contains("A &amp; B &lt;c&gt; &quot;q&quot;"))
    }

    @Test func datesAreSerialsWithADayMonthYearFormat() throws {
        #expect(XlsxWriter.dateSerial(vietnamDate(2026, 1, 5)) == 46027)
        #expect(XlsxWriter.dateSerial(vietnamDate(1900, 3, 1)) == 61)
        // 23:30 on 5 January in Hà Nội is still 5 January.
        #expect(XlsxWriter.dateSerial(vietnamDate(2026, 1, 5, hour: 23)) == 46027)
        let data = try XlsxWriter.write([Self.systems])
        #expect(try unzipText(data, "xl/worksheets/sheet1.xml").contains("<c r=\"C2\" s=\"2\"><v>46027</v></c>"))
        #expect(try unzipText(data, "xl/styles.xml").contains("formatCode=\"dd/mm/yyyy\""))
    }

    @Test func sheetNamesAreSanitised() {
        let names = XlsxWriter.sanitizedNames([
            "Báo cáo [quý]: 1/2026*?", String(repeating: "Hệ thống thông tin ", count: 3), "", "báo cáo -quý-- 1-2026--",
            "'Trích'", "History",
        ])
        #expect(names[0] == "Báo cáo -quý-- 1-2026--")
        #expect(names[1].utf16.count <= 31)
        #expect(names[1].hasPrefix("Hệ thống thông tin Hệ thống"))
        #expect(names[2] == "Sheet3")
        #expect(names[3] == "báo cáo -quý-- 1-2026-- (2)")
        #expect(names[4] == "Trích")
        #expect(names[5] != "History")
        for name in names {
            #expect(name.utf16.count <= 31)
            #expect(!name.contains { "[]:*?/\\".contains($0) })
        }
    }

    @Test func columnLetters() {
        #expect(XlsxWriter.columnLetters(0) == "A")
        #expect(XlsxWriter.columnLetters(25) == "Z")
        #expect(XlsxWriter.columnLetters(26) == "AA")
        #expect(XlsxWriter.columnLetters(27) == "AB")
        #expect(XlsxWriter.columnLetters(701) == "ZZ")
        #expect(XlsxWriter.columnLetters(702) == "AAA")
        #expect(XlsxWriter.columnLetters(16383) == "XFD")
    }

    @Test func outputIsDeterministic() throws {
        #expect(try XlsxWriter.write([Self.systems]) == XlsxWriter.write([Self.systems]))
    }

    @Test func opensInLibreOffice() throws {
        // Calc is a separate package (libreoffice-calc); Writer alone cannot load spreadsheets.
        let calc = ["/usr/lib/libreoffice/program/libsclo.so", "/opt/libreoffice/program/libsclo.so"]
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/soffice"),
              calc.contains(where: { FileManager.default.fileExists(atPath: $0) }) else {
            print("Skipping the LibreOffice check: soffice with Calc is not installed")
            return
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("xlsx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("systems.xlsx")
        try XlsxWriter.write([Self.systems]).write(to: input)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/soffice")
        process.arguments = ["--headless", "--norestore", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76",
                             "--outdir", directory.path, input.path]
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = directory.path
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let csv = try String(contentsOf: directory.appendingPathComponent("systems.csv"), encoding: .utf8)
        let rows = try CSVReader.read(Data(csv.utf8))
        #expect(rows.first == ["Tên hệ thống", "Cấp độ", "Ngày", "Điểm", "Đã duyệt"])
        #expect(rows[1][0] == "Cổng thông tin điện tử")
        #expect(rows[1][2] == "05/01/2026")
        #expect(rows[2][0] == "=HYPERLINK(\"http://x\")")
        #expect(rows[2][2] == "-1")
    }
}
