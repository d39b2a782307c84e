import Foundation
import Testing
@testable import Formats
#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite("DOCX writer (Decree 30 layout)")
struct DocxWriterTests {
    static func sample(date: Date = vietnamDate(2026, 1, 5)) -> OfficeDocument {
        OfficeDocument(
            header: OfficialHeader(
                parentBody: "UBND tỉnh Lạng Sơn",
                issuingBody: "Sở Y tế",
                number: "Số: ……/TM-SYT",
                place: "Lạng Sơn",
                date: date
            ),
            title: "Thuyết minh",
            subject: "Đề xuất cấp độ an toàn hệ thống thông tin Cổng thông tin điện tử Sở Y tế",
            body: [
                .heading("I. CĂN CỨ PHÁP LÝ", level: 1),
                .paragraph([Run("Căn cứ Nghị định số 85/2016/NĐ-CP; "), .bold("A & B <c>"), .italic(" \"trích\" 'dẫn'")]),
                .bullet([Run("Hệ thống xử lý dữ liệu cá nhân\u{0B}\u{1}.")]),
                .table(Table(
                    columns: [TableColumn("STT", widthPercent: 10, alignment: .center),
                              TableColumn("Tiêu chí", widthPercent: 60),
                              TableColumn("Kết quả", widthPercent: 30, alignment: .center)],
                    rows: [["1", "Phạm vi người dùng", "Cấp độ 2"], ["2", "Dữ liệu <bí mật>"]]
                )),
                .pageBreak,
                .paragraph([Run("Trang hai")], alignment: .left, indentFirstLine: false),
            ],
            signer: Signer(authority: "KT. Giám đốc", title: "Phó Giám đốc", name: "Nguyễn Văn A"),
            recipients: ["Như trên;", "- Lưu: VT, PA05."]
        )
    }

    @Test func formalDatesUseLeadingZerosForDaysBelowTenAndJanuaryFebruary() {
        #expect(Decree30.formalDate(vietnamDate(2026, 1, 5), place: "Lạng Sơn") == "Lạng Sơn, ngày 05 tháng 01 năm 2026")
        #expect(Decree30.formalDate(vietnamDate(2026, 11, 25), place: "Thái Nguyên") == "Thái Nguyên, ngày 25 tháng 11 năm 2026")
        #expect(Decree30.formalDate(vietnamDate(2026, 2, 9)) == "ngày 09 tháng 02 năm 2026")
        #expect(Decree30.formalDate(vietnamDate(2026, 3, 10)) == "ngày 10 tháng 3 năm 2026")
    }

    @Test func formalDateIsComputedInVietnamTime() throws {
        // 2026-01-04T18:30Z is already 5 January in Hà Nội.
        let date = try #require(ISO8601DateFormatter().date(from: "2026-01-04T18:30:00Z"))
        #expect(Decree30.formalDate(date, place: "Lạng Sơn") == "Lạng Sơn, ngày 05 tháng 01 năm 2026")
    }

    @Test func packageHasAllParts() throws {
        let data = try DocxWriter.write(Self.sample())
        let entries = try unzipEntries(data)
        for part in ["[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/_rels/document.xml.rels",
                     "word/styles.xml", "word/settings.xml", "word/header1.xml", "word/header2.xml",
                     "docProps/core.xml", "docProps/app.xml"] {
            #expect(entries[part] != nil, "missing \(part)")
        }
        for (path, bytes) in entries {
            #expect(xmlError(String(decoding: bytes, as: UTF8.self)) == nil, "\(path) is not well-formed")
        }
    }

    @Test func documentHasTheDecree30Header() throws {
        let xml = try unzipText(DocxWriter.write(Self.sample()), "word/document.xml")
        #expect(xml.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"))
        #expect(xml.contains("Độc lập - Tự do - Hạnh phúc"))
        #expect(xml.contains("Lạng Sơn, ngày 05 tháng 01 năm 2026"))
        #expect(xml.contains("UBND TỈNH LẠNG SƠN"))
        #expect(xml.contains("SỞ Y TẾ"))
        #expect(xml.contains("Số: ……/TM-SYT"))
        #expect(xml.contains("THUYẾT MINH"))
        #expect(xml.contains("KT. GIÁM ĐỐC"))
        #expect(xml.contains("PHÓ GIÁM ĐỐC"))
        #expect(xml.contains("Nguyễn Văn A"))
        #expect(xml.contains("Nơi nhận:"))
        #expect(xml.contains("- Như trên;"))
        #expect(xml.contains(">- Lưu: VT, PA05.<"))
        // Issuing body is bold, parent body is not.
        #expect(xml.contains("<w:b/><w:bCs/><w:sz w:val=\"26\"/><w:szCs w:val=\"26\"/></w:rPr><w:t xml:space=\"preserve\">SỞ Y TẾ"))
        #expect(xml.contains("<w:rPr><w:sz w:val=\"26\"/><w:szCs w:val=\"26\"/></w:rPr><w:t xml:space=\"preserve\">UBND TỈNH LẠNG SƠN"))
    }

    @Test func lateInTheYearDate() throws {
        let xml = try unzipText(DocxWriter.write(Self.sample(date: vietnamDate(2026, 11, 25))), "word/document.xml")
        #expect(xml.contains("ngày 25 tháng 11 năm 2026"))
    }

    @Test func blankNumberWhenNoneGiven() throws {
        var doc = Self.sample()
        doc.header.number = nil
        doc.header.urgency = "Khẩn"
        let xml = DocxWriter.documentXML(doc)
        #expect(xml.contains(">Số:      /<"))
        #expect(xml.contains(">KHẨN<"))
    }

    @Test func pageIsA4WithDecreeMargins() throws {
        let xml = try unzipText(DocxWriter.write(Self.sample()), "word/document.xml")
        #expect(xml.contains("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"))
        #expect(xml.contains("w:top=\"1134\""))
        #expect(xml.contains("w:bottom=\"1134\""))
        #expect(xml.contains("w:left=\"1701\""))
        #expect(xml.contains("w:right=\"850\""))
        #expect(xml.contains("<w:titlePg/>"))
    }

    @Test func stylesUseTimesNewRomanAndVietnamese() throws {
        let xml = try unzipText(DocxWriter.write(Self.sample()), "word/styles.xml")
        #expect(xml.contains("w:ascii=\"Times New Roman\""))
        #expect(xml.contains("w:eastAsia=\"Times New Roman\""))
        #expect(xml.contains("w:cs=\"Times New Roman\""))
        #expect(xml.contains("<w:lang w:val=\"vi-VN\""))
        #expect(xml.contains("<w:sz w:val=\"28\"/>"))
    }

    @Test func pageNumberHeaderSkipsFirstPage() throws {
        let data = try DocxWriter.write(Self.sample())
        let header = try unzipText(data, "word/header1.xml")
        #expect(header.contains("PAGE"))
        #expect(header.contains("w:fldCharType=\"begin\""))
        #expect(header.contains("<w:jc w:val=\"center\"/>"))
        let first = try unzipText(data, "word/header2.xml")
        #expect(!first.contains("PAGE"))
        let document = try unzipText(data, "word/document.xml")
        #expect(document.contains("<w:headerReference w:type=\"default\" r:id=\"rId3\"/>"))
        #expect(document.contains("<w:headerReference w:type=\"first\" r:id=\"rId4\"/>"))
        let rels = try unzipText(data, "word/_rels/document.xml.rels")
        #expect(rels.contains("Id=\"rId3\"") && rels.contains("Target=\"header1.xml\""))
        #expect(rels.contains("Id=\"rId4\"") && rels.contains("Target=\"header2.xml\""))
    }

    @Test func specialCharactersAreEscapedAndControlCharactersDropped() throws {
        let xml = try unzipText(DocxWriter.write(Self.sample()), "word/document.xml")
        #expect(xml.contains("A &amp; B &lt;c&gt;"))
        #expect(xml.contains("&quot;trích&quot; &apos;dẫn&apos;"))
        #expect(xml.contains("Dữ liệu &lt;bí mật&gt;"))
        #expect(!xml.contains("\u{0B}"))
        #expect(!xml.contains("\u{1}"))
        #expect(xmlError(xml) == nil)
        // The escaped text reads back as the original.
        let texts = WordText.extract(xml)
        #expect(texts.contains { $0.contains("A & B <c> \"trích\" 'dẫn'") })
    }

    @Test func bodyParagraphsAreJustifiedWithFirstLineIndent() {
        let xml = DocxWriter.documentXML(Self.sample())
        #expect(xml.contains("<w:ind w:left=\"0\" w:right=\"0\" w:firstLine=\"720\"/><w:jc w:val=\"both\"/>"))
        #expect(xml.contains("w:after=\"120\""))
        #expect(xml.contains("<w:br w:type=\"page\"/>"))
        #expect(xml.contains("<w:tblHeader/>"))
        #expect(xml.contains("<w:insideV w:val=\"single\""))
    }

    @Test func outputIsDeterministic() throws {
        let first = try DocxWriter.write(Self.sample())
        let second = try DocxWriter.write(Self.sample())
        #expect(first == second)
    }

    @Test func rendersToPDFWithLibreOffice() throws {
        let candidates = ["/usr/bin/soffice", "/usr/bin/libreoffice", "/usr/local/bin/soffice"]
        guard let office = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            print("Skipping the LibreOffice rendering check: soffice is not installed")
            return
        }
        let pdftotext = ["/usr/bin/pdftotext", "/usr/local/bin/pdftotext"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("docx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("thuyet-minh.docx")
        try DocxWriter.write(Self.sample()).write(to: input)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: office)
        process.arguments = ["--headless", "--norestore", "--convert-to", "pdf", "--outdir", directory.path, input.path]
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = directory.path
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let pdf = directory.appendingPathComponent("thuyet-minh.pdf")
        #expect(FileManager.default.fileExists(atPath: pdf.path), "LibreOffice produced no PDF")

        guard let pdftotext, FileManager.default.fileExists(atPath: pdf.path) else { return }
        let text = Process()
        text.executableURL = URL(fileURLWithPath: pdftotext)
        text.arguments = [pdf.path, "-"]
        let pipe = Pipe()
        text.standardOutput = pipe
        try text.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        text.waitUntilExit()
        let rendered = String(decoding: output, as: UTF8.self)
        #expect(rendered.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"))
        #expect(rendered.contains("Độc lập - Tự do - Hạnh phúc"))
        #expect(rendered.contains("ngày 05 tháng 01 năm 2026"))
        #expect(rendered.contains("A & B <c>"))
    }
}

/// Collects the text of <w:t> elements, paragraph by paragraph.
final class WordText: NSObject, XMLParserDelegate {
    private var paragraphs: [String] = []
    private var current = ""
    private var inText = false

    static func extract(_ xml: String) -> [String] {
        let delegate = WordText()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = delegate
        _ = parser.parse()
        return delegate.paragraphs
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        if elementName == "w:t" { inText = true }
        if elementName == "w:p" { current = "" }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        if elementName == "w:t" { inText = false }
        if elementName == "w:p" { paragraphs.append(current) }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inText { current += string }
    }
}
