import Foundation

/// Renders an `OfficeDocument` as a WordprocessingML (.docx) package laid out per Decree 30/2020.
///
/// Output is deterministic: equal documents give byte-equal files.
public enum DocxWriter {
    public static func write(_ doc: OfficeDocument) throws -> Data {
        var package = PackageBuilder()
        package.add("[Content_Types].xml", contentTypes)
        package.add("_rels/.rels", rootRelationships)
        package.add("word/document.xml", documentXML(doc))
        package.add("word/_rels/document.xml.rels", documentRelationships)
        package.add("word/styles.xml", stylesXML)
        package.add("word/settings.xml", settingsXML)
        package.add("word/header1.xml", pageNumberHeaderXML)
        package.add("word/header2.xml", emptyHeaderXML)
        package.add("docProps/core.xml", corePropertiesXML(doc))
        package.add("docProps/app.xml", appPropertiesXML)
        return try package.build()
    }

    /// The `word/document.xml` part alone (useful for tests and previews).
    public static func documentXML(_ doc: OfficeDocument) -> String {
        var xml = XMLText.declaration
        xml += "<w:document xmlns:w=\"\(wordNamespace)\" xmlns:r=\"\(relationshipNamespace)\"><w:body>"
        xml += headerTable(doc.header)
        xml += titleBlock(doc)
        for block in doc.body { xml += render(block) }
        xml += closingTable(signer: doc.signer, recipients: doc.recipients)
        xml += paragraph([], Para(alignment: .left, markSize: 1))
        xml += sectionProperties
        xml += "</w:body></w:document>"
        return xml
    }

    // MARK: - Namespaces and fixed parts

    static let wordNamespace = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    static let relationshipNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    private static let officeRelationshipType = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    private static let contentTypes = XMLText.declaration + """
    <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
    <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
    <Default Extension="xml" ContentType="application/xml"/>\
    <Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>\
    <Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>\
    <Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>\
    <Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>\
    <Override PartName="/word/header2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>\
    <Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>\
    <Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>\
    </Types>
    """

    private static let rootRelationships = XMLText.declaration + """
    <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
    <Relationship Id="rId1" Type="\(officeRelationshipType)/officeDocument" Target="word/document.xml"/>\
    <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>\
    <Relationship Id="rId3" Type="\(officeRelationshipType)/extended-properties" Target="docProps/app.xml"/>\
    </Relationships>
    """

    private static let documentRelationships = XMLText.declaration + """
    <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
    <Relationship Id="rId1" Type="\(officeRelationshipType)/styles" Target="styles.xml"/>\
    <Relationship Id="rId2" Type="\(officeRelationshipType)/settings" Target="settings.xml"/>\
    <Relationship Id="rId3" Type="\(officeRelationshipType)/header" Target="header1.xml"/>\
    <Relationship Id="rId4" Type="\(officeRelationshipType)/header" Target="header2.xml"/>\
    </Relationships>
    """

    private static var sectionProperties: String {
        "<w:sectPr>"
            + "<w:headerReference w:type=\"default\" r:id=\"rId3\"/>"
            + "<w:headerReference w:type=\"first\" r:id=\"rId4\"/>"
            + "<w:pgSz w:w=\"\(Decree30.pageWidthTwips)\" w:h=\"\(Decree30.pageHeightTwips)\"/>"
            + "<w:pgMar w:top=\"\(Decree30.marginTopTwips)\" w:right=\"\(Decree30.marginRightTwips)\""
            + " w:bottom=\"\(Decree30.marginBottomTwips)\" w:left=\"\(Decree30.marginLeftTwips)\""
            + " w:header=\"\(Decree30.headerDistanceTwips)\" w:footer=\"\(Decree30.headerDistanceTwips)\" w:gutter=\"0\"/>"
            + "<w:pgNumType w:start=\"1\"/>"
            + "<w:cols w:space=\"720\"/>"
            + "<w:titlePg/>"
            + "<w:docGrid w:linePitch=\"360\"/>"
            + "</w:sectPr>"
    }

    private static var fontsXML: String {
        let font = Decree30.fontName
        return "<w:rFonts w:ascii=\"\(font)\" w:eastAsia=\"\(font)\" w:hAnsi=\"\(font)\" w:cs=\"\(font)\"/>"
    }

    private static var stylesXML: String {
        let body = XMLText.halfPoints(Decree30.bodySize)
        let pageNumber = XMLText.halfPoints(Decree30.pageNumberSize)
        func heading(_ level: Int, italic: Bool) -> String {
            "<w:style w:type=\"paragraph\" w:styleId=\"Heading\(level)\"><w:name w:val=\"heading \(level)\"/>"
                + "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:uiPriority w:val=\"9\"/><w:qFormat/>"
                + "<w:pPr><w:keepNext/><w:outlineLvl w:val=\"\(level - 1)\"/></w:pPr>"
                + "<w:rPr><w:b/><w:bCs/>\(italic ? "<w:i/><w:iCs/>" : "")</w:rPr></w:style>"
        }
        return XMLText.declaration
            + "<w:styles xmlns:w=\"\(wordNamespace)\">"
            + "<w:docDefaults><w:rPrDefault><w:rPr>\(fontsXML)"
            + "<w:sz w:val=\"\(body)\"/><w:szCs w:val=\"\(body)\"/>"
            + "<w:lang w:val=\"\(Decree30.language)\" w:eastAsia=\"\(Decree30.language)\" w:bidi=\"ar-SA\"/>"
            + "</w:rPr></w:rPrDefault>"
            + "<w:pPrDefault><w:pPr><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault>"
            + "</w:docDefaults>"
            + "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/>"
            + "<w:rPr>\(fontsXML)<w:color w:val=\"000000\"/><w:sz w:val=\"\(body)\"/><w:szCs w:val=\"\(body)\"/></w:rPr></w:style>"
            + "<w:style w:type=\"character\" w:default=\"1\" w:styleId=\"DefaultParagraphFont\">"
            + "<w:name w:val=\"Default Paragraph Font\"/><w:uiPriority w:val=\"1\"/><w:semiHidden/><w:unhideWhenUsed/></w:style>"
            + heading(1, italic: false) + heading(2, italic: false) + heading(3, italic: true)
            + "<w:style w:type=\"paragraph\" w:styleId=\"Header\"><w:name w:val=\"header\"/><w:basedOn w:val=\"Normal\"/>"
            + "<w:pPr><w:jc w:val=\"center\"/></w:pPr>"
            + "<w:rPr><w:sz w:val=\"\(pageNumber)\"/><w:szCs w:val=\"\(pageNumber)\"/></w:rPr></w:style>"
            + "<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/>"
            + "<w:uiPriority w:val=\"99\"/><w:semiHidden/><w:unhideWhenUsed/>"
            + "<w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/>"
            + "<w:left w:w=\"108\" w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/>"
            + "</w:tblCellMar></w:tblPr></w:style>"
            + "</w:styles>"
    }

    private static var settingsXML: String {
        XMLText.declaration
            + "<w:settings xmlns:w=\"\(wordNamespace)\">"
            + "<w:zoom w:percent=\"100\"/>"
            + "<w:defaultTabStop w:val=\"720\"/>"
            + "<w:characterSpacingControl w:val=\"doNotCompress\"/>"
            + "<w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>"
            + "<w:themeFontLang w:val=\"\(Decree30.language)\"/>"
            + "</w:settings>"
    }

    /// Page number centred in the top margin (pages 2+; the first page uses `emptyHeaderXML`).
    private static var pageNumberHeaderXML: String {
        let size = XMLText.halfPoints(Decree30.pageNumberSize)
        let rPr = "<w:rPr><w:sz w:val=\"\(size)\"/><w:szCs w:val=\"\(size)\"/></w:rPr>"
        return XMLText.declaration
            + "<w:hdr xmlns:w=\"\(wordNamespace)\" xmlns:r=\"\(relationshipNamespace)\">"
            + "<w:p><w:pPr><w:pStyle w:val=\"Header\"/><w:jc w:val=\"center\"/></w:pPr>"
            + "<w:r>\(rPr)<w:fldChar w:fldCharType=\"begin\"/></w:r>"
            + "<w:r>\(rPr)<w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>"
            + "<w:r>\(rPr)<w:fldChar w:fldCharType=\"separate\"/></w:r>"
            + "<w:r>\(rPr)<w:t>2</w:t></w:r>"
            + "<w:r>\(rPr)<w:fldChar w:fldCharType=\"end\"/></w:r>"
            + "</w:p></w:hdr>"
    }

    private static var emptyHeaderXML: String {
        XMLText.declaration
            + "<w:hdr xmlns:w=\"\(wordNamespace)\" xmlns:r=\"\(relationshipNamespace)\">"
            + "<w:p><w:pPr><w:pStyle w:val=\"Header\"/></w:pPr></w:p></w:hdr>"
    }

    private static func corePropertiesXML(_ doc: OfficeDocument) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(secondsFromGMT: 0)
        let stamp = formatter.string(from: doc.header.date)
        let title = [doc.title, doc.subject].filter { !$0.isEmpty }.joined(separator: " ")
        return XMLText.declaration
            + "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\""
            + " xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\""
            + " xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
            + "<dc:title>\(XMLText.escape(title))</dc:title>"
            + "<dc:subject>\(XMLText.escape(doc.subject))</dc:subject>"
            + "<dc:creator>\(XMLText.escape(doc.header.issuingBody))</dc:creator>"
            + "<dc:language>\(Decree30.language)</dc:language>"
            + "<dcterms:created xsi:type=\"dcterms:W3CDTF\">\(stamp)</dcterms:created>"
            + "<dcterms:modified xsi:type=\"dcterms:W3CDTF\">\(stamp)</dcterms:modified>"
            + "</cp:coreProperties>"
    }

    private static let appPropertiesXML = XMLText.declaration + """
    <Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" \
    xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">\
    <Application>UngCuu</Application><DocSecurity>0</DocSecurity></Properties>
    """

    // MARK: - Paragraphs and runs

    /// Paragraph properties used by the writer.
    struct Para {
        var alignment: Alignment = .justified
        var firstLine = 0
        var left = 0
        var right = 0
        var before = 0
        var after = 0
        /// Line spacing in 240ths; nil = single.
        var line: Int?
        var keepNext = false
        var keepLines = false
        var style: String?
        var bottomBorder = false
        var box = false
        /// Size of the paragraph mark (affects the height of empty paragraphs).
        var markSize: Double?
        /// Size of runs without their own size.
        var size: Double = Decree30.bodySize
    }

    static func paragraph(_ runs: [Run], _ para: Para) -> String {
        var xml = "<w:p><w:pPr>"
        if let style = para.style { xml += "<w:pStyle w:val=\"\(style)\"/>" }
        if para.keepNext { xml += "<w:keepNext/>" }
        if para.keepLines { xml += "<w:keepLines/>" }
        if para.bottomBorder || para.box {
            let line = "w:val=\"single\" w:sz=\"6\" w:space=\"1\" w:color=\"000000\""
            xml += "<w:pBdr>"
            if para.box { xml += "<w:top \(line)/><w:left \(line)/>" }
            xml += "<w:bottom \(line)/>"
            if para.box { xml += "<w:right \(line)/>" }
            xml += "</w:pBdr>"
        }
        xml += "<w:spacing w:before=\"\(para.before)\" w:after=\"\(para.after)\""
        xml += " w:line=\"\(para.line ?? 240)\" w:lineRule=\"auto\"/>"
        if para.firstLine != 0 || para.left != 0 || para.right != 0 {
            xml += "<w:ind w:left=\"\(para.left)\" w:right=\"\(para.right)\""
            xml += para.firstLine >= 0 ? " w:firstLine=\"\(para.firstLine)\"/>" : " w:hanging=\"\(-para.firstLine)\"/>"
        }
        xml += "<w:jc w:val=\"\(justification(para.alignment))\"/>"
        let mark = XMLText.halfPoints(para.markSize ?? runs.first?.size ?? para.size)
        xml += "<w:rPr><w:sz w:val=\"\(mark)\"/><w:szCs w:val=\"\(mark)\"/></w:rPr>"
        xml += "</w:pPr>"
        for run in runs { xml += render(run, defaultSize: para.size) }
        xml += "</w:p>"
        return xml
    }

    static func justification(_ alignment: Alignment) -> String {
        switch alignment {
        case .left: return "left"
        case .center: return "center"
        case .right: return "right"
        case .justified: return "both"
        }
    }

    static func render(_ run: Run, defaultSize: Double) -> String {
        let size = XMLText.halfPoints(run.size ?? defaultSize)
        var rPr = "<w:rPr>"
        if run.bold { rPr += "<w:b/><w:bCs/>" }
        if run.italic { rPr += "<w:i/><w:iCs/>" }
        rPr += "<w:sz w:val=\"\(size)\"/><w:szCs w:val=\"\(size)\"/></w:rPr>"

        var xml = "<w:r>" + rPr
        var pending = ""
        func flush() {
            if !pending.isEmpty {
                xml += "<w:t xml:space=\"preserve\">"
                XMLText.escape(pending, into: &xml)
                xml += "</w:t>"
                pending = ""
            }
        }
        var previousWasCR = false
        for scalar in run.text.unicodeScalars {
            switch scalar {
            case "\r":
                flush(); xml += "<w:br/>"; previousWasCR = true
                continue
            case "\n":
                if !previousWasCR { flush(); xml += "<w:br/>" }
            case "\t":
                flush(); xml += "<w:tab/>"
            default:
                pending.unicodeScalars.append(scalar)
            }
            previousWasCR = false
        }
        flush()
        xml += "</w:r>"
        return xml
    }

    // MARK: - Header (boxes 1–4)

    /// Width of the left (issuing body) column of the header table, and how far the table reaches
    /// into the left margin so the national title fits on one line.
    static let headerLeftWidth = 3969
    static let headerOutdent = 284
    static var headerRightWidth: Int { Decree30.textWidthTwips + headerOutdent - headerLeftWidth }
    static let cellMargin = 108

    /// An empty, tiny paragraph whose bottom border draws a centred line `length` twips long.
    static func shortLine(length: Int, within width: Int, before: Int = 0, after: Int = 0) -> String {
        let indent = max(0, (width - 2 * cellMargin - length) / 2)
        return paragraph([], Para(alignment: .center, left: indent, right: indent, before: before, after: after,
                                  bottomBorder: true, markSize: 1))
    }

    static func headerTable(_ header: OfficialHeader) -> String {
        let center = Para(alignment: .center, before: 0, after: 0)
        var left = ""
        if let parent = header.parentBody?.trimmingCharacters(in: .whitespacesAndNewlines), !parent.isEmpty {
            left += paragraph([Run(upper(parent), size: Decree30.parentBodySize)], center)
        }
        left += paragraph([.bold(upper(header.issuingBody), size: Decree30.issuingBodySize)], center)
        left += shortLine(length: 1200, within: headerLeftWidth)
        var numberPara = center
        numberPara.before = 120
        let number = header.number?.trimmingCharacters(in: .whitespacesAndNewlines)
        let numberText = (number?.isEmpty ?? true) ? Decree30.blankNumber : number!
        left += paragraph([Run(numberText, size: Decree30.numberSize)], numberPara)
        if let urgency = header.urgency?.trimmingCharacters(in: .whitespacesAndNewlines), !urgency.isEmpty {
            let text = upper(urgency)
            let estimated = Int(Double(text.count) * Decree30.urgencySize * 0.75 * 20) + 240
            let indent = max(0, (headerLeftWidth - 2 * cellMargin - estimated) / 2)
            var box = Para(alignment: .center, left: indent, right: indent, before: 240, after: 0, box: true)
            box.size = Decree30.urgencySize
            left += paragraph([.bold(text, size: Decree30.urgencySize)], box)
        }

        var right = ""
        right += paragraph([.bold(Decree30.nationalTitle, size: Decree30.nationalTitleSize)], center)
        right += paragraph([.bold(Decree30.motto, size: Decree30.mottoSize)], center)
        // The line under the motto is as long as the motto (≈ 0.52 em per character, bold).
        let mottoLength = Int(Double(Decree30.motto.count) * Decree30.mottoSize * 0.52 * 20)
        right += shortLine(length: mottoLength, within: headerRightWidth)
        var datePara = center
        datePara.before = 240
        right += paragraph([.italic(Decree30.formalDate(header.date, place: header.place), size: Decree30.placeDateSize)],
                           datePara)

        return borderlessTable(
            widths: [headerLeftWidth, headerRightWidth],
            cells: [left, right],
            indent: -headerOutdent
        )
    }

    static func borderlessTable(widths: [Int], cells: [String], indent: Int = 0) -> String {
        let total = widths.reduce(0, +)
        var xml = "<w:tbl><w:tblPr><w:tblW w:w=\"\(total)\" w:type=\"dxa\"/>"
        xml += "<w:tblInd w:w=\"\(indent)\" w:type=\"dxa\"/>"
        xml += "<w:tblBorders>"
        for edge in ["top", "left", "bottom", "right", "insideH", "insideV"] {
            xml += "<w:\(edge) w:val=\"nil\"/>"
        }
        xml += "</w:tblBorders><w:tblLayout w:type=\"fixed\"/>"
        xml += "<w:tblLook w:val=\"0000\" w:firstRow=\"0\" w:lastRow=\"0\" w:firstColumn=\"0\" w:lastColumn=\"0\" w:noHBand=\"1\" w:noVBand=\"1\"/>"
        xml += "</w:tblPr><w:tblGrid>"
        for width in widths { xml += "<w:gridCol w:w=\"\(width)\"/>" }
        xml += "</w:tblGrid><w:tr><w:trPr><w:cantSplit/></w:trPr>"
        for (width, content) in zip(widths, cells) {
            xml += "<w:tc><w:tcPr><w:tcW w:w=\"\(width)\" w:type=\"dxa\"/></w:tcPr>"
            xml += content.isEmpty ? paragraph([], Para(alignment: .left)) : content
            xml += "</w:tc>"
        }
        xml += "</w:tr></w:tbl>"
        return xml
    }

    // MARK: - Type and subject (box 5a)

    static func titleBlock(_ doc: OfficeDocument) -> String {
        var xml = ""
        let title = doc.title.trimmingCharacters(in: .whitespacesAndNewlines)
        let subject = doc.subject.trimmingCharacters(in: .whitespacesAndNewlines)
        if !title.isEmpty {
            xml += paragraph([.bold(upper(title), size: Decree30.documentTypeSize)],
                             Para(alignment: .center, before: 480, after: 0, keepNext: true))
        }
        if !subject.isEmpty {
            xml += paragraph([.bold(subject, size: Decree30.subjectSize)],
                             Para(alignment: .center, before: title.isEmpty ? 480 : 0, after: 0, keepNext: true))
        }
        if !title.isEmpty || !subject.isEmpty {
            xml += shortLine(length: 2000, within: Decree30.textWidthTwips + 2 * cellMargin, before: 0, after: 360)
        }
        return xml
    }

    // MARK: - Body (box 6)

    static var bodyPara: Para {
        Para(alignment: .justified, firstLine: Decree30.firstLineIndentTwips, before: 0,
             after: Decree30.paragraphSpacingAfter, line: Decree30.bodyLineSpacing)
    }

    static func render(_ block: Block) -> String {
        switch block {
        case .heading(let text, let level):
            let level = min(max(level, 1), 3)
            var para = bodyPara
            para.style = "Heading\(level)"
            para.keepNext = true
            para.before = level == 1 ? 120 : 60
            return paragraph([Run(text, bold: true, italic: level == 3)], para)
        case .paragraph(let runs, let alignment, let indentFirstLine):
            var para = bodyPara
            para.alignment = alignment
            para.firstLine = indentFirstLine ? Decree30.firstLineIndentTwips : 0
            return paragraph(runs, para)
        case .bullet(let runs):
            var items = runs
            let startsWithDash = runs.first.map { $0.text.hasPrefix("-") || $0.text.hasPrefix("–") } ?? false
            if !startsWithDash {
                items.insert(Run("- ", bold: runs.first?.bold ?? false, italic: runs.first?.italic ?? false,
                                 size: runs.first?.size), at: 0)
            }
            return paragraph(items, bodyPara)
        case .table(let table):
            return render(table)
        case .pageBreak:
            return "<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>"
        }
    }

    static func render(_ table: Table) -> String {
        guard !table.columns.isEmpty else { return "" }
        let total = Decree30.textWidthTwips
        let shares = table.columns.map { max($0.widthPercent, 0) }
        let sum = shares.reduce(0, +)
        var widths = shares.map { sum > 0 ? Int(Double(total) * $0 / sum) : total / table.columns.count }
        widths[widths.count - 1] += total - widths.reduce(0, +)

        var xml = "<w:tbl><w:tblPr><w:tblW w:w=\"\(total)\" w:type=\"dxa\"/><w:jc w:val=\"center\"/>"
        xml += "<w:tblBorders>"
        for edge in ["top", "left", "bottom", "right", "insideH", "insideV"] {
            xml += "<w:\(edge) w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
        }
        xml += "</w:tblBorders><w:tblLayout w:type=\"fixed\"/>"
        xml += "<w:tblCellMar><w:left w:w=\"85\" w:type=\"dxa\"/><w:right w:w=\"85\" w:type=\"dxa\"/></w:tblCellMar>"
        xml += "<w:tblLook w:val=\"0000\" w:firstRow=\"0\" w:lastRow=\"0\" w:firstColumn=\"0\" w:lastColumn=\"0\" w:noHBand=\"1\" w:noVBand=\"1\"/>"
        xml += "</w:tblPr><w:tblGrid>"
        for width in widths { xml += "<w:gridCol w:w=\"\(width)\"/>" }
        xml += "</w:tblGrid>"

        func row(_ texts: [String], header: Bool) -> String {
            var xml = "<w:tr><w:trPr><w:cantSplit/>\(header ? "<w:tblHeader/>" : "")</w:trPr>"
            for (index, column) in table.columns.enumerated() {
                let text = index < texts.count ? texts[index] : ""
                xml += "<w:tc><w:tcPr><w:tcW w:w=\"\(widths[index])\" w:type=\"dxa\"/><w:vAlign w:val=\"center\"/></w:tcPr>"
                var para = Para(alignment: header ? .center : column.alignment, before: 40, after: 40)
                para.size = Decree30.tableSize
                xml += paragraph(text.isEmpty ? [] : [Run(text, bold: header && table.headerBold)], para)
                xml += "</w:tc>"
            }
            xml += "</w:tr>"
            return xml
        }
        xml += row(table.columns.map(\.title), header: true)
        for cells in table.rows { xml += row(cells, header: false) }
        xml += "</w:tbl>"
        // Keeps the next block from sticking to the table border.
        xml += paragraph([], Para(alignment: .left, after: 0, markSize: 6))
        return xml
    }

    // MARK: - Signature and recipients (boxes 7 and 9a)

    static func closingTable(signer: Signer?, recipients: [String]) -> String {
        let items = recipients.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        guard signer != nil || !items.isEmpty else { return "" }
        let leftWidth = Decree30.textWidthTwips * 45 / 100
        let rightWidth = Decree30.textWidthTwips - leftWidth

        var left = ""
        if !items.isEmpty {
            var heading = Para(alignment: .left, before: 0, after: 0)
            heading.size = Decree30.recipientsHeadingSize
            left += paragraph([.boldItalic(Decree30.recipientsHeading, size: Decree30.recipientsHeadingSize)], heading)
            var itemPara = Para(alignment: .left, before: 0, after: 0)
            itemPara.size = Decree30.recipientsItemSize
            for item in items {
                let text = item.hasPrefix("-") ? item : "- " + item
                left += paragraph([Run(text, size: Decree30.recipientsItemSize)], itemPara)
            }
        }

        var right = ""
        if let signer {
            var para = Para(alignment: .center, before: 0, after: 0)
            para.size = Decree30.signerSize
            if let authority = signer.authority?.trimmingCharacters(in: .whitespacesAndNewlines), !authority.isEmpty {
                right += paragraph([.bold(upper(authority))], para)
            }
            right += paragraph([.bold(upper(signer.title))], para)
            for _ in 0..<4 { right += paragraph([], para) }
            right += paragraph([.bold(signer.name.trimmingCharacters(in: .whitespacesAndNewlines))], para)
        }

        var spacer = Para(alignment: .left, before: 0, after: 0)
        spacer.keepNext = true
        return paragraph([], spacer) + borderlessTable(widths: [leftWidth, rightWidth], cells: [left, right])
    }

    static func upper(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespacesAndNewlines).uppercased(with: Locale(identifier: "vi_VN"))
    }
}
