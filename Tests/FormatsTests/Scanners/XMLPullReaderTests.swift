import Foundation
import Testing
@testable import Formats

@Suite("XML pull reader")
struct XMLPullReaderTests {
    typealias Corpus = XMLScannerCorpus

    @Test func elementsAttributesTextAndReferences() throws {
        let xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <!-- generated -->
        <?xml-stylesheet href="x.xsl"?>
        <a x="1" y='&lt;2&gt; &quot;q&quot;'>t&amp;u&#65;&#x1F600;<b/><![CDATA[<raw> & ]]>Hà Nội</a>
        """
        #expect(try Corpus.events(xml) == [
            .startElement(name: "a", attributes: [XMLAttribute(name: "x", value: "1"),
                                                  XMLAttribute(name: "y", value: "<2> \"q\"")]),
            .text("t&uA😀"),
            .startElement(name: "b", attributes: []),
            .endElement(name: "b"),
            .text("<raw> & Hà Nội"),
            .endElement(name: "a"),
        ])
    }

    @Test func lineEndsAndAttributeWhitespaceAreNormalised() throws {
        let events = try Corpus.events("<a v=\"x\r\ny\tz&#xa;\">one\r\ntwo\rthree</a>")
        #expect(events[0] == .startElement(name: "a", attributes: [XMLAttribute(name: "v", value: "x y z\n")]))
        #expect(events[1] == .text("one\ntwo\nthree"))
    }

    @Test func whitespaceBetweenElementsCanBeSkipped() throws {
        let xml = "<r>\n  <a> x </a>\n  <b/>\n</r>\n"
        #expect(try Corpus.events(xml, skipsWhitespace: true) == [
            .startElement(name: "r", attributes: []), .startElement(name: "a", attributes: []), .text(" x "),
            .endElement(name: "a"), .startElement(name: "b", attributes: []), .endElement(name: "b"), .endElement(name: "r"),
        ])
        #expect(try Corpus.events(xml).count == 10)
    }

    @Test func doctypeWithoutInternalSubsetIsSkipped() throws {
        #expect(Corpus.parseError { _ = try Corpus.events("<r/><!DOCTYPE r>") }?.message
            == "a DOCTYPE is only allowed before the root element")
        #expect(try Corpus.events("<!DOCTYPE nmaprun>\n<nmaprun/>").count == 2)
        #expect(try Corpus.events("<!DOCTYPE r SYSTEM \"http://example.invalid/r.dtd\"><r/>").count == 2)
    }

    @Test func billionLaughsIsRefusedAtTheInternalSubset() throws {
        let xml = """
        <?xml version="1.0"?>
        <!DOCTYPE lolz [
         <!ENTITY lol "lol">
         <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
         <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
        ]>
        <lolz>&lol3;</lolz>
        """
        let error = try #require(Corpus.parseError { _ = try Corpus.events(xml) })
        #expect(error.message.contains("entity declarations are not allowed"))
        #expect(error.location == "line 2, column 16")
    }

    @Test func externalEntityIsRefused() throws {
        let xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<r>&x;</r>"
        let error = try #require(Corpus.parseError { _ = try Corpus.events(xml) })
        #expect(error.message.contains("entity declarations are not allowed"))
        #expect(error.location == "line 2, column 13")
    }

    @Test func undefinedEntitiesAndStrayDeclarationsAreRefused() throws {
        let undefined = try #require(Corpus.parseError { _ = try Corpus.events("<r>\n  a &xxe; b</r>") })
        #expect(undefined.message == "reference to the undefined entity &xxe; (entity declarations are not allowed)")
        #expect(undefined.location == "line 2, column 5")
        let declaration = try #require(Corpus.parseError { _ = try Corpus.events("<!ENTITY x \"y\"><r/>") })
        #expect(declaration.message.contains("entity declarations are not allowed"))
        let inAttribute = try #require(Corpus.parseError { _ = try Corpus.events("<r a=\"&x;\"/>") })
        #expect(inAttribute.message.contains("undefined entity &x;"))
        #expect(Corpus.parseError { _ = try Corpus.events("<r>AT&T</r>") }?.message.contains("bare '&'") == true)
        #expect(Corpus.parseError { _ = try Corpus.events("<r>&#0;</r>") }?.message.contains("invalid character reference") == true)
        #expect(Corpus.parseError { _ = try Corpus.events("<r>&#xD800;</r>") } != nil)
    }

    @Test func deepNestingStopsAtTheLimit() throws {
        let xml = String(repeating: "<a>", count: 10_000) + String(repeating: "</a>", count: 10_000)
        let error = try #require(Corpus.parseError { _ = try Corpus.events(xml) })
        #expect(error.message == "elements are nested deeper than the limit of 256")
        #expect(error.location == "line 1, column \(256 * 3 + 1)")
    }

    @Test func hugeAttributeIsRefusedWithoutReadingTheRest() throws {
        var data = Data("<r>\n<a v=\"".utf8)
        data.append(Data(repeating: UInt8(ascii: "x"), count: 20 << 20))
        data.append(Data("\"/></r>".utf8))
        let error = try #require(Corpus.parseError { _ = try Corpus.events(data) })
        #expect(error.message == "an attribute value is longer than the limit of \(16 << 20) bytes")
        #expect(error.location == "line 2, column 1")
    }

    @Test func limitsOnTextAndAttributes() throws {
        var limits = ScanLimits()
        limits.maxTokenBytes = 100
        limits.maxAttributes = 3
        let longText = "<r>" + String(repeating: "y", count: 101) + "</r>"
        #expect(Corpus.parseError { _ = try Corpus.events(longText, limits: limits) }?.message
            == "text inside <r> is longer than the limit of 100 bytes")
        #expect(Corpus.parseError { _ = try Corpus.events("<r a='1' b='2' c='3' d='4'/>", limits: limits) }?.message
            == "the tag <r> has more than 3 attributes")
        #expect(Corpus.parseError { _ = try Corpus.events("<r a='1' a='2'/>") }?.message == "duplicate attribute a in the tag <r>")
    }

    @Test func truncatedDocumentsNameTheOpenElement() throws {
        let lastLine = "<host><address addr=\"1.2.3.4\"/>partial"
        let inText = try #require(Corpus.parseError { _ = try Corpus.events("<nmaprun>\n" + lastLine) })
        #expect(inText.message == "unexpected end of file inside <host>")
        #expect(inText.location == "line 2, column \(lastLine.count + 1)")
        let inTag = try #require(Corpus.parseError { _ = try Corpus.events("<nmaprun><host addr=\"1.2") })
        #expect(inTag.message == "unexpected end of file inside <nmaprun> (unterminated tag)")
        let inComment = try #require(Corpus.parseError { _ = try Corpus.events("<r><!-- never closed") })
        #expect(inComment.message == "unexpected end of file inside a comment in <r>")
        #expect(Corpus.parseError { _ = try Corpus.events("<r><![CDATA[abc") }?.message
            == "unexpected end of file inside a CDATA section in <r>")
        #expect(Corpus.parseError { _ = try Corpus.events("") }?.message == "the document has no root element")
        #expect(Corpus.parseError { _ = try Corpus.events("<!-- only a comment -->") }?.message == "the document has no root element")
    }

    @Test func wellFormednessErrors() throws {
        let mismatched = try #require(Corpus.parseError { _ = try Corpus.events("<a><b></a></b>") })
        #expect(mismatched.message == "mismatched end tag: expected </b>, found </a>")
        #expect(mismatched.location == "line 1, column 7")
        #expect(Corpus.parseError { _ = try Corpus.events("<a/><b/>") }?.message == "content after the root element: <b>")
        #expect(Corpus.parseError { _ = try Corpus.events("<a/>trailing") }?.message == "content after the root element")
        #expect(Corpus.parseError { _ = try Corpus.events("text<a/>") }?.message == "text before the root element")
        #expect(Corpus.parseError { _ = try Corpus.events("<a></a></a>") }?.message == "end tag </a> without a start tag")
        #expect(Corpus.parseError { _ = try Corpus.events("<a b=1/>") }?.message == "expected a quoted value for the attribute b in the tag <a>")
        #expect(Corpus.parseError { _ = try Corpus.events("<a b='<'/>") }?.message == "'<' is not allowed in the value of the attribute b")
        #expect(Corpus.parseError { _ = try Corpus.events("<a b='1'c='2'/>") }?.message == "expected whitespace before an attribute in the tag <a>")
        #expect(Corpus.parseError { _ = try Corpus.events("<a><1/></a>") }?.message == "expected an element name after '<'")
        #expect(try Corpus.events("<a/>\n<!-- trailing comment -->\n<?pi?>\n").count == 2)
    }

    @Test func locationsCountCharactersNotBytes() throws {
        let error = try #require(Corpus.parseError { _ = try Corpus.events("<r>\nHà Nội <x></y></r>") })
        #expect(error.location == "line 2, column 11")
    }

    @Test func encodings() throws {
        // Malformed UTF-8 is kept as U+FFFD rather than refusing the report.
        var bad = Data("<r a=\"".utf8)
        bad.append(contentsOf: [0xC3, 0x28])
        bad.append(Data("\">x".utf8))
        bad.append(contentsOf: [0xFF])
        bad.append(Data("</r>".utf8))
        #expect(try Corpus.events(bad) == [
            .startElement(name: "r", attributes: [XMLAttribute(name: "a", value: "\u{FFFD}(")]),
            .text("x\u{FFFD}"), .endElement(name: "r"),
        ])
        // ISO-8859-1 declared: transcoded.
        var latin1 = Data("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><r v=\"caf".utf8)
        latin1.append(contentsOf: [0xE9])
        latin1.append(Data("\">".utf8))
        latin1.append(contentsOf: [0xC0])
        latin1.append(Data("</r>".utf8))
        #expect(try Corpus.events(latin1) == [
            .startElement(name: "r", attributes: [XMLAttribute(name: "v", value: "café")]), .text("À"), .endElement(name: "r"),
        ])
        // A byte-order mark is skipped; UTF-16 and unknown encodings are refused.
        #expect(try Corpus.events(Data([0xEF, 0xBB, 0xBF]) + Data("<r/>".utf8)).count == 2)
        #expect(Corpus.parseError { _ = try Corpus.events(Data([0xFF, 0xFE, 0x3C, 0x00])) }?.message.contains("UTF-16") == true)
        #expect(Corpus.parseError { _ = try Corpus.events("<?xml version=\"1.0\" encoding=\"Shift_JIS\"?><r/>") }?.message
            == "unsupported encoding Shift_JIS; UTF-8, ISO-8859-1 and windows-1252 are read")
    }

    @Test func subtreeHelpers() throws {
        let reader = XMLPullReader(data: Data("<r><a>one <i>two</i> three</a><b><c/><d>x</d></b><e/></r>".utf8))
        #expect(try reader.next() == .startElement(name: "r", attributes: []))
        #expect(try reader.next() == .startElement(name: "a", attributes: []))
        #expect(try reader.readText() == "one two three")
        #expect(try reader.next() == .startElement(name: "b", attributes: []))
        try reader.skipElement()
        #expect(try reader.next() == .startElement(name: "e", attributes: []))
        #expect(reader.path == ["r", "e"])
        #expect(try reader.readText() == "")
        #expect(try reader.next() == .endElement(name: "r"))
        #expect(try reader.next() == nil)
        let long = XMLPullReader(data: Data("<r>\(String(repeating: "é", count: 100))</r>".utf8))
        _ = try long.next()
        let capped = try long.readText(maxBytes: 11)
        #expect(capped == "éééé…")
    }

    /// Tiny file chunks put every construct across a chunk boundary: the events must not change.
    @Test(.enabled(if: XMLScannerCorpus.available), arguments: [
        "tenable/nessus/nessus_many_vuln.xml", "nmap/issue4406.xml", "openvas/report_detail_v2.xml",
    ])
    func chunkBoundariesDoNotChangeEvents(_ file: String) throws {
        func events(chunkSize: Int) throws -> [XMLEvent] {
            let reader = XMLPullReader(source: try Corpus.source(file, chunkSize: chunkSize))
            var events: [XMLEvent] = []
            while let event = try reader.next() { events.append(event) }
            return events
        }
        let whole = try events(chunkSize: 1 << 20)
        #expect(whole.count > 100)
        #expect(try events(chunkSize: 1) == whole)
        #expect(try events(chunkSize: 7) == whole)
    }

    @Test(.enabled(if: XMLScannerCorpus.available)) func readsEveryCorpusReport() throws {
        let folders = ["nmap", "openvas", "tenable/nessus", "tenable/nessus_was"]
        var files = 0
        for folder in folders {
            let names = try FileManager.default.contentsOfDirectory(atPath: Corpus.url(folder).path)
            for name in names where name.hasSuffix(".xml") || name.hasSuffix(".nessus") {
                let reader = XMLPullReader(source: try Corpus.source("\(folder)/\(name)"))
                var count = 0
                while try reader.next() != nil { count += 1 }
                #expect(count > 2, "\(folder)/\(name)")
                files += 1
            }
        }
        #expect(files == 18)
    }
}
