import Foundation
import Testing
@testable import Domain

/// The NVD corpora next to the repository (`<repo>/../shared/corpora/nvd`), when present.
enum NVDCorpus {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/corpora/nvd")
    static func url(_ path: String) -> URL { root.appendingPathComponent(path) }
    static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: url(path).path) }
    static let dictionary = "syft/official-cpe-dictionary_v2.3.xml"
    static let cpeIndex = "syft/expected-cpe-index.json"

    static func unescapeXML(_ s: String) -> String {
        s.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}

@Suite struct CPENameTests {
    func cpe(_ s: String) throws -> CPEName { try CPEName(s) }

    @Test func readsTheFormattedString() throws {
        let name = try cpe("cpe:2.3:a:apache:http_server:2.4.57:*:*:*:*:*:*:*")
        #expect(name.part == .literal("a"))
        #expect(name.vendor == .literal("apache"))
        #expect(name.product == .literal("http_server"))
        #expect(name.version == .literal("2.4.57"))
        #expect(name[.update] == .any && name[.other] == .any)
        #expect(name.formattedString == "cpe:2.3:a:apache:http_server:2.4.57:*:*:*:*:*:*:*")
        #expect(name.uri == "cpe:/a:apache:http_server:2.4.57")
    }

    @Test func unquotesEscapesAndQuotesThemBack() throws {
        let name = try cpe(#"cpe:2.3:a:themeisle:wp_maintenance_mode_\&_coming_soon:*:*:*:*:*:wordpress:*:*"#)
        #expect(name.product.text?.literal == "wp_maintenance_mode_&_coming_soon")
        #expect(name[.targetSW] == .literal("wordpress"))
        #expect(name.formattedString == #"cpe:2.3:a:themeisle:wp_maintenance_mode_\&_coming_soon:*:*:*:*:*:wordpress:*:*"#)

        let odd = try cpe(#"cpe:2.3:a:foo\\bar:big\$money:2\:0\*:\?:*:*:*:*:*:*"#)
        #expect(odd.vendor.text?.literal == #"foo\bar"#)
        #expect(odd.product.text?.literal == "big$money")
        #expect(odd.version.text?.literal == "2:0*")
        #expect(odd.version.text?.hasWildcards == false)
        #expect(odd.update.text?.literal == "?")
        #expect(odd.formattedString == #"cpe:2.3:a:foo\\bar:big\$money:2\:0\*:\?:*:*:*:*:*:*"#)
        #expect(odd.uri == "cpe:/a:foo%5cbar:big%24money:2%3a0%2a:%3f")
        #expect(try CPEName(odd.uri) == odd)
    }

    @Test func tellsANYAndNAFromLiterals() throws {
        let name = try cpe(#"cpe:2.3:o:microsoft:windows:-:*:*:*:*:*:*:\-"#)
        #expect(name.version == .na)
        #expect(name.update == .any)
        #expect(name[.other] == .literal("-"))
        #expect(name.formattedString == #"cpe:2.3:o:microsoft:windows:-:*:*:*:*:*:*:\-"#)
        #expect(name.uri == "cpe:/o:microsoft:windows:-::~~~~~%2d")
        #expect(try CPEName(name.uri) == name)
        let dashes = try cpe("cpe:2.3:a:vendor:product:1.0-beta:-pre:*:*:*:*:*:*")
        #expect(dashes.version == .literal("1.0-beta") && dashes.update == .literal("-pre"))
    }

    @Test func readsWildcardsAtEitherEnd() throws {
        let name = try cpe("cpe:2.3:a:microsoft:internet_explorer:8.*:sp?:*:*:*:*:*:*")
        #expect(name.version == .text(CPEText(literal: "8.", trailing: .star)))
        #expect(name.update == .text(CPEText(literal: "sp", trailing: .questionMarks(1))))
        let leading = try cpe("cpe:2.3:a:*soft:??office*:*:*:*:*:*:*:*:*")
        #expect(leading.vendor == .text(CPEText(literal: "soft", leading: .star)))
        #expect(leading.product == .text(CPEText(literal: "office", leading: .questionMarks(2), trailing: .star)))
        #expect(leading.formattedString == "cpe:2.3:a:*soft:??office*:*:*:*:*:*:*:*:*")
        #expect(leading.uri == "cpe:/a:%02soft:%01%01office%02")
        #expect(try CPEName(leading.uri) == leading)
    }

    @Test func comparesCaseInsensitively() throws {
        let upper = try cpe("cpe:2.3:A:Apache:HTTP_Server:2.4.57:*:*:*:*:*:*:*")
        let lower = try cpe("cpe:2.3:a:apache:http_server:2.4.57:*:*:*:*:*:*:*")
        #expect(upper == lower)
        #expect(upper.hashValue == lower.hashValue)
        #expect(upper.isEqual(to: lower))
        #expect(upper.formattedString == "cpe:2.3:A:Apache:HTTP_Server:2.4.57:*:*:*:*:*:*:*")
        #expect(try cpe("cpe:2.3:a:*:HTTP*:*:*:*:*:*:*:*:*").isSuperset(of: lower))
    }

    /// NISTIR 7696 Table 6-2.
    @Test(arguments: [
        (CPEValue.any, CPEValue.any, CPERelation.equal),
        (.any, .na, .superset),
        (.any, .literal("i"), .superset),
        (.na, .any, .subset),
        (.na, .na, .equal),
        (.na, .literal("i"), .disjoint),
        (.literal("i"), .any, .subset),
        (.literal("i"), .na, .disjoint),
        (.literal("i"), .literal("i"), .equal),
        (.literal("i"), .literal("I"), .equal),
        (.literal("i"), .literal("k"), .disjoint),
        (.text(CPEText(literal: "sp", trailing: .star)), .literal("sp2"), .superset),
        (.text(CPEText(literal: "sp", trailing: .star)), .literal("up2"), .disjoint),
        (.literal("sp2"), .text(CPEText(literal: "sp", trailing: .star)), .undefined),
        (.any, .text(CPEText(literal: "sp", trailing: .star)), .undefined),
    ])
    func attributeRelations(source: CPEValue, target: CPEValue, relation: CPERelation) {
        #expect(CPERelation.of(source: source, target: target) == relation)
    }

    @Test func questionMarksMatchUpToThatManyCharacters() throws {
        let sp = CPEText(literal: "sp", trailing: .questionMarks(1))
        #expect(sp.matches(CPEText(literal: "sp1")))
        #expect(sp.matches(CPEText(literal: "SP")))
        #expect(!sp.matches(CPEText(literal: "sp10")))
        let two = CPEText(literal: "8.0", leading: .questionMarks(2))
        #expect(two.matches(CPEText(literal: "18.0")) && two.matches(CPEText(literal: "118.0")) && two.matches(CPEText(literal: "8.0")))
        #expect(!two.matches(CPEText(literal: "1118.0")))
        let star = CPEText(literal: "office", leading: .star, trailing: .star)
        #expect(star.matches(CPEText(literal: "microsoft_office_2016")) && !star.matches(CPEText(literal: "offic")))
    }

    @Test func namesMatchWhenTheSourceIsASupersetOnEveryAttribute() throws {
        let criterion = try cpe("cpe:2.3:a:microsoft:internet_explorer:8.*:sp?:*:*:*:*:*:*")
        let sp1 = try cpe("cpe:2.3:a:microsoft:internet_explorer:8.0.6001:sp1:*:*:en-us:*:*:*")
        let beta = try cpe("cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*")
        #expect(criterion.isSuperset(of: sp1))
        #expect(!criterion.isSuperset(of: beta))
        #expect(criterion.isDisjoint(with: beta))
        #expect(sp1.isSubset(of: criterion) == false) // the target side has wildcards: undefined
        #expect(criterion.relations(to: sp1)[CPEName.Attribute.update.rawValue] == .superset)
        #expect(criterion.relations(to: sp1)[CPEName.Attribute.swEdition.rawValue] == .superset)
        let anyUpdate = try cpe("cpe:2.3:a:microsoft:internet_explorer:8.0.6001:*:*:*:*:*:*:*")
        #expect(anyUpdate.isSuperset(of: sp1))
        let needsSP2 = try cpe("cpe:2.3:a:microsoft:internet_explorer:8.0.6001:sp2:*:*:*:*:*:*")
        #expect(!needsSP2.isSuperset(of: sp1))
        #expect(!needsSP2.isSuperset(of: anyUpdate)) // sp2 is a subset of ANY, not a superset
    }

    @Test(arguments: [
        ("cpe:2.2:a:apache:http_server", CPEParseError.Kind.missingPrefix, 1, nil as CPEName.Attribute?),
        ("cpe:2.3:a:apache:http_server:2.4.57", .tooFewValues(4), 36, nil),
        ("cpe:2.3:a:apache:http_server:2.4.57:*:*:*:*:*:*:*:*", .tooManyValues, 50, nil),
        ("cpe:2.3:a:apache::2.4.57:*:*:*:*:*:*:*", .emptyValue, 18, .product),
        ("cpe:2.3:a:apache:http server:2.4.57:*:*:*:*:*:*:*", .unescapedCharacter(" "), 22, .product),
        ("cpe:2.3:a:apache:http_server:2.4.57!:*:*:*:*:*:*:*", .unescapedCharacter("!"), 36, .version),
        (#"cpe:2.3:a:apache:http_server:2.4.57:*:*:*:*:*:*:x\"#, .danglingEscape, 50, .other),
        ("cpe:2.3:a:apache:http*server:2.4.57:*:*:*:*:*:*:*", .misplacedWildcard, 22, .product),
        ("cpe:2.3:a:apache:http_server:2.4.57:**:*:*:*:*:*:*", .misplacedWildcard, 38, .update),
        ("cpe:2.3:x:apache:http_server:2.4.57:*:*:*:*:*:*:*", .invalidPart("x"), 9, .part),
        ("cpe:/x:apache", .invalidPart("x"), 6, .part),
        ("cpe:/a:apache:http_server:2.4%zz", .invalidPercentEncoding, 30, .version),
        ("cpe:/a:apache:http_server:2.4%01.57", .misplacedWildcard, 30, .version),
        ("cpe:/a:apache:http_server:2.4.57::~a~b", .invalidPackedEdition, 35, .edition),
        ("cpe:/a:a:b:c:d:e:f:g", .tooManyValues, 19, nil),
    ])
    func parseErrorsNameThePosition(input: String, kind: CPEParseError.Kind, position: Int, attribute: CPEName.Attribute?) {
        #expect(throws: CPEParseError(kind: kind, position: position, attribute: attribute, input: input)) { try CPEName(input) }
    }

    @Test func errorMessagesAreReadable() {
        do {
            _ = try CPEName("cpe:2.3:a:apache:http server:2.4.57:*:*:*:*:*:*:*")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == #"Invalid CPE name "cpe:2.3:a:apache:http server:2.4.57:*:*:*:*:*:*:*" at character 22 (product): " " must be quoted with a backslash (\ )."#)
        }
    }

    @Test func readsTheURIBindingNmapEmits() throws {
        #expect(try cpe("cpe:/a:openbsd:openssh:7.4").formattedString == "cpe:2.3:a:openbsd:openssh:7.4:*:*:*:*:*:*:*")
        let windows = try cpe("cpe:/o:microsoft:windows_server_2008:r2:sp1")
        #expect(windows.version == .literal("r2") && windows.update == .literal("sp1"))
        #expect(try cpe("cpe:/h:cisco").formattedString == "cpe:2.3:h:cisco:*:*:*:*:*:*:*:*:*")
        #expect(try cpe("CPE:/a:Igor_Sysoev:NGINX:1.14.0") == cpe("cpe:2.3:a:igor_sysoev:nginx:1.14.0:*:*:*:*:*:*:*"))
        let packed = try cpe("cpe:/a:ruby-lang:openssl:-::~~~ruby~~")
        #expect(packed.formattedString == "cpe:2.3:a:ruby-lang:openssl:-:*:*:*:*:ruby:*:*")
        #expect(packed.uri == "cpe:/a:ruby-lang:openssl:-::~~~ruby~~")
        let legacyEdition = try cpe("cpe:/a:hp:insight_diagnostics:7.4.0.1570::online:en")
        #expect(legacyEdition.edition == .literal("online") && legacyEdition[.language] == .literal("en"))
        let encoded = try cpe("cpe:/o:zyxel:vpn50_firmware:4.35%28abhl.3%29c0")
        #expect(encoded.version == .literal("4.35(abhl.3)c0"))
        #expect(encoded.formattedString == #"cpe:2.3:o:zyxel:vpn50_firmware:4.35\(abhl.3\)c0:*:*:*:*:*:*:*"#)
        #expect(encoded.uri == "cpe:/o:zyxel:vpn50_firmware:4.35%28abhl.3%29c0")
    }

    @Test func isCodableAsTheFormattedString() throws {
        let name = try cpe("cpe:/a:openbsd:openssh:7.4p1")
        let data = try JSONEncoder().encode(name)
        #expect(String(decoding: data, as: UTF8.self) == #""cpe:2.3:a:openbsd:openssh:7.4p1:*:*:*:*:*:*:*""#)
        #expect(try JSONDecoder().decode(CPEName.self, from: data) == name)
    }

    /// Every name of NVD's official dictionary extract: the 2.3 name parses and binds back to the same
    /// string, and the item's 2.2 URI reads as the same name and binds back to itself.
    @Test(.enabled(if: NVDCorpus.exists(NVDCorpus.dictionary), "the NVD corpus is next to the repository"))
    func everyDictionaryNameRoundTrips() throws {
        let xml = try String(contentsOf: NVDCorpus.url(NVDCorpus.dictionary), encoding: .utf8)
        let item = try NSRegularExpression(pattern: #"<cpe-item name="([^"]*)"[\s\S]*?<cpe-23:cpe23-item name="([^"]*)""#)
        var count = 0
        for m in item.matches(in: xml, range: NSRange(xml.startIndex..., in: xml)) {
            let uri = NVDCorpus.unescapeXML(String(xml[Range(m.range(at: 1), in: xml)!]))
            let fs = NVDCorpus.unescapeXML(String(xml[Range(m.range(at: 2), in: xml)!]))
            let name = try CPEName(formattedString: fs)
            #expect(name.formattedString == fs)
            let fromURI = try CPEName(uri: uri)
            #expect(fromURI == name, "\(uri) vs \(fs)")
            #expect(fromURI.uri == uri)
            #expect(name.isSuperset(of: fromURI) && name.isEqual(to: fromURI))
            count += 1
        }
        #expect(count > 3000)
        let all23 = xml.components(separatedBy: "cpe23-item name=\"").count - 1
        #expect(count == all23)
    }

    @Test(.enabled(if: NVDCorpus.exists(NVDCorpus.cpeIndex), "the NVD corpus is next to the repository"))
    func everyExpectedIndexNameRoundTrips() throws {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: NVDCorpus.url(NVDCorpus.cpeIndex))) as? [String: Any]
        let ecosystems = try #require(json?["ecosystems"] as? [String: [String: [String]]])
        let names = ecosystems.values.flatMap { $0.values.flatMap { $0 } }
        #expect(names.count > 20)
        for text in names {
            let name = try CPEName(text)
            #expect(name.formattedString == text)
            #expect(name.version == .any)
            var versioned = name
            versioned[.version] = .literal("1.0")
            #expect(name.isSuperset(of: versioned) && !versioned.isSuperset(of: name))
        }
    }
}
