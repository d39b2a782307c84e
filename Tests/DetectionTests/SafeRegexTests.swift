import Foundation
import Testing
@testable import Detection

/// Expected results come from Python's `re.search` (the reference the pySigma SQLite conversion runs),
/// via a differential harness that compared thousands of generated patterns × texts; the interesting
/// cases are kept here.
@Suite("Safe regular expressions")
struct SafeRegexTests {
    private func search(_ pattern: String, _ text: String, _ options: SafeRegex.Options = []) throws -> Bool {
        try SafeRegex(pattern, options: options).matches(text)
    }

    private func refusal(_ pattern: String, maxStates: Int = 100_000) -> SafeRegexError? {
        do {
            _ = try SafeRegex(pattern, maxStates: maxStates)
            return nil
        } catch {
            return error
        }
    }

    // MARK: Semantics (agree with Python's re.search)

    @Test func searchesAnywhereLikePythonSearch() throws {
        let table: [(String, String, Bool)] = [
            ("net\\s+user", "cmd /c net  user admin", true),
            ("net\\s+user", "cmd /c netuser", false),
            ("abc", "xxabcxx", true),
            ("a|b|c", "zzc", true),
            ("", "", true),
            ("", "anything", true),
            ("x*", "", true),
            ("[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}", "ping 10.0.0.1 -n 1", true),
            ("[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}", "ping 10.0.0 -n 1", false),
            ("\\s[a-fA-F0-9]{64}\\s[a-fA-F0-9]{16}", " " + String(repeating: "a", count: 64) + " " + String(repeating: "F", count: 16), true),
            ("\\s[a-fA-F0-9]{64}\\s[a-fA-F0-9]{16}", " " + String(repeating: "a", count: 63) + " " + String(repeating: "F", count: 16), false),
            ("ping\\s+-n.{6,64}echo EEEE\\s?>\\s?", "ping -n 1 127.0.0.1 & echo EEEE > x", true),
            ("(?:[Pp]rogram[Dd]ata|%(?:[Ll]ocal)?[Aa]pp[Dd]ata%|\\\\[Aa]pp[Dd]ata\\\\(?:[Ll]ocal(?:[Ll]ow)?|[Rr]oaming))\\\\[^\\\\]{1,256}$",
             "C:\\Users\\x\\AppData\\Roaming\\evil.exe", true),
            ("(?:[Pp]rogram[Dd]ata|%(?:[Ll]ocal)?[Aa]pp[Dd]ata%|\\\\[Aa]pp[Dd]ata\\\\(?:[Ll]ocal(?:[Ll]ow)?|[Rr]oaming))\\\\[^\\\\]{1,256}$",
             "C:\\Users\\x\\AppData\\Roaming\\dir\\", false),
            // Lazy quantifiers find the same yes/no answer as greedy ones.
            ("a.*?b", "a---b", true),
            ("a{2,3}?c", "aac", true),
            ("a??b", "b", true),
            // Counted repetition: exact bounds.
            ("^a{3}$", "aaa", true),
            ("^a{3}$", "aaaa", false),
            ("^a{2,}$", "a", false),
            ("^a{,2}$", "aa", true),
            ("^a{,2}$", "aaa", false),
            ("^x{,}$", "xxxx", true),
            ("^(ab){2}$", "abab", true),
            ("a{0}b", "b", true),
        ]
        for (p, t, want) in table {
            #expect(try search(p, t) == want, "\(p.debugDescription) on \(t.debugDescription)")
        }
    }

    @Test func anchorsFollowPython() throws {
        let table: [(String, String, SafeRegex.Options, Bool)] = [
            ("^b", "a\nb", [], false),
            ("^b", "a\nb", .multiline, true),
            ("(?m)^b", "a\nb", [], true),
            ("a$", "a\n", [], true),            // $ also before a final newline
            ("a$", "a\n\n", [], false),         // … only the final one
            ("a$", "a\nb", [], false),
            ("a$", "a\nb", .multiline, true),
            ("a\\Z", "a\n", [], false),         // \Z and \z: the very end
            ("a\\z", "a\n", [], false),
            ("a\\Z", "ba", [], true),
            ("\\Aa", "ba", [], false),
            ("\\Aa", "ab", .multiline, true),
            ("\\A\\Z", "", [], true),
            ("^$", "", [], true),
            ("^$", "\n", [], true),
            ("(?m)^$", "a\n\nb", [], true),
            ("^a|b$", "xb", [], true),
            ("^C:\\\\Users\\\\[^\\\\]+\\\\NTUSER\\.DAT$", "C:\\Users\\bob\\NTUSER.DAT", [], true),
            ("^C:\\\\Users\\\\[^\\\\]+\\\\NTUSER\\.DAT$", "D:\\C:\\Users\\bob\\NTUSER.DAT", [], false),
        ]
        for (p, t, o, want) in table {
            #expect(try search(p, t, o) == want, "\(p.debugDescription) on \(t.debugDescription)")
        }
    }

    @Test func wordBoundariesUseUnicodeWordCharactersLikePython() throws {
        let table: [(String, String, Bool)] = [
            ("\\bnet\\b", "c:\\net.exe", true),
            ("\\bnet\\b", "dotnet", false),
            ("\\bnet\\b", "netsh", false),
            ("\\bnet\\b", "énet", false),       // é is a word character in Python's default mode
            ("(?a)\\bnet\\b", "énet", true),    // … and not with (?a)
            ("\\b", "", false),
            ("\\B", "", false),                 // Python (before 3.14) finds no \B in the empty text
            ("\\B", "  ", true),
            ("\\B", "a", false),
            ("a\\B", "ab", true),
            ("x\\b", "x", true),
        ]
        for (p, t, want) in table {
            #expect(try search(p, t) == want, "\(p.debugDescription) on \(t.debugDescription)")
        }
    }

    @Test func characterClassesAndEscapes() throws {
        let table: [(String, String, Bool)] = [
            ("\\d", "٣", true),                 // Unicode decimal digits, as Python's str patterns
            ("(?a)\\d", "٣", false),
            ("\\w", "ễ", true),
            ("\\s", "\u{A0}", true),
            ("\\s", "\u{1C}", true),
            ("(?a)\\s", "\u{A0}", false),
            ("[]a]", "]", true),
            ("[^]a]", "]", false),
            ("[a-]", "-", true),
            ("[\\w-]", "-", true),
            ("[\\b]", "\u{08}", true),
            ("[^\\s]", " ", false),
            ("\\x41\\u00e9\\U0001F600", "Aé😀", true),
            ("\\101", "A", true),
            ("\\0", "\u{0}", true),
            ("\\N{LATIN SMALL LETTER E WITH ACUTE}", "é", true),
            ("\\N{latin small letter e with acute}", "é", true),
            ("\\N{CJK UNIFIED IDEOGRAPH-4E00}", "一", true),
            ("\\N{HANGUL SYLLABLE GA}", "가", true),
            ("\\.", "a", false),
            ("\\\\", "\\", true),
            ("\\$\\{", "${", true),
            ("\\'\\\"", "'\"", true),
            ("x{", "x{", true),                 // not a quantifier: literal
            ("x{}", "x{}", true),
            ("x{2,1", "x{2,1", true),
            ("\\*mdr\\*\\W\\s*\\)\\.Name", "*mdr*' ).Name", true),
            ("\\w+`(?:\\w+|-|.)`[\\w+|\\s]", "I`n`v", true),
        ]
        for (p, t, want) in table {
            #expect(try search(p, t) == want, "\(p.debugDescription) on \(t.debugDescription)")
        }
    }

    @Test func dotAndNegatedClassesConsumeWholeScalars() throws {
        let table: [(String, String, SafeRegex.Options, Bool)] = [
            ("^.$", "é", [], true),
            ("^.$", "😀", [], true),
            ("^..$", "😀", [], false),
            ("^[^a]$", "ễ", [], true),
            ("^[^a]{2}$", "ễ", [], false),
            ("^\\W$", "😀", [], true),
            (".", "\n", [], false),
            (".", "\n", .dotAll, true),
            ("(?s)a.b", "a\nb", [], true),
            ("a.b", "a\rb", [], true),          // only \n is a line break
            ("^.{3}$", "Hà ", [], true),
            ("^.{3}$", "Hà", [], false),
        ]
        for (p, t, o, want) in table {
            #expect(try search(p, t, o) == want, "\(p.debugDescription) on \(t.debugDescription)")
        }
    }

    @Test func caseInsensitiveMatchingFoldsLikePython() throws {
        let table: [(String, String, Bool)] = [
            ("(?i)invoke", "INVOKE-Expression", true),
            ("(?i)[a-z]+\\.exe", "CMD.EXE", true),
            ("(?i)[^a-z]", "Q", false),
            ("(?i)k", "\u{212A}", true),        // KELVIN SIGN folds to k
            ("(?i)s", "ſ", true),               // LATIN SMALL LETTER LONG S
            ("(?i)[a-z]", "ſ", true),
            ("(?i)i", "İ", true),               // simple lowercase of İ is i
            ("(?i)ı", "I", true),
            ("(?i)é", "É", true),
            ("(?i)nguyễn", "NGUYỄN", true),
            ("(?i)ß", "ẞ", true),
            ("(?i)ß", "SS", false),             // simple folding only
            ("(?ai)k", "\u{212A}", false),      // ASCII-only folding with (?a)
            ("(?i)σ", "ς", true),
            // The literal prefilter must not miss non-ASCII spellings of ASCII letters.
            ("(?i)invoke", "ınvoke", true),
            ("(?i)kill", "\u{212A}ILL", true),
            ("(?i)mimikatz", "MIMI\u{212A}ATZ.exe", true),
            ("(?i)mimikatz", "mimi-katz", false),
            ("(?i:a)b", "AB", false),           // scoped flags
            ("(?i:a)b", "Ab", true),
            ("(?i)a(?-i:b)", "AB", false),
            ("(?i)a(?-i:b)", "Ab", true),
        ]
        for (p, t, want) in table {
            #expect(try search(p, t) == want, "\(p.debugDescription) on \(t.debugDescription)")
        }
        #expect(try search("invoke", "INVOKE", .caseInsensitive))
        #expect(try !search("invoke", "INVOKE"))
    }

    @Test func groupsCommentsAndVerboseMode() throws {
        let table: [(String, String, Bool)] = [
            ("(?P<name>ab)+c", "ababc", true),
            ("(?<name>ab)c", "abc", true),      // accepted as grouping (Python 3.11 refuses the syntax)
            ("(?:)*a", "a", true),
            ("()*a", "a", true),
            ("(?#a comment)x", "x", true),
            ("a(?#x)*", "aaa", true),           // the quantifier still applies to `a`
            ("(?x) a b # comment\n c", "abc", true),
            ("(?x) a\\ b", "a b", true),
            ("(?x)[ ]", " ", true),             // spaces inside a class stay
            ("(?i)(?m)^A", "x\na", true),
            ("((((a))))", "a", true),
            ("(a|)+b", "b", true),
        ]
        for (p, t, want) in table {
            #expect(try search(p, t) == want, "\(p.debugDescription) on \(t.debugDescription)")
        }
    }

    // MARK: Errors

    @Test func unsupportedConstructsAreRefusedByName() {
        let table: [(String, Int, String)] = [
            ("(a)\\1", 3, "backreferences"),
            ("(?P<n>a)(?P=n)", 8, "backreferences"),
            ("a(?=b)", 1, "look-ahead"),
            ("a(?!b)", 1, "look-ahead"),
            ("(?<=a)b", 0, "look-behind"),
            ("(?<!a)b", 0, "look-behind"),
            ("(?>a)", 0, "atomic"),
            ("a++", 2, "possessive"),
            ("(a)(?(1)b|c)", 3, "conditional"),
            ("(?L)a", 3, "'L' flag"),
        ]
        for (p, offset, words) in table {
            let e = refusal(p)
            #expect(e?.offset == offset, "\(p)")
            #expect(e?.message.contains(words) == true, "\(p): \(e?.message ?? "accepted")")
            #expect(e?.pattern == p)
        }
    }

    @Test func syntaxErrorsNameTheOffsetAndProblemLikePython() {
        let table: [(String, Int, String)] = [
            ("\\q", 0, "bad escape \\q"),
            ("[z-a]", 1, "bad character range z-a"),
            ("[\\w-z]", 1, "bad character range"),
            ("(ab", 0, "missing ), unterminated subpattern"),
            ("ab)", 2, "unbalanced parenthesis"),
            ("[ab", 0, "unterminated character set"),
            ("*a", 0, "nothing to repeat"),
            ("^*", 1, "nothing to repeat"),
            ("a**", 2, "multiple repeat"),
            ("a{1000}{1000}", 7, "multiple repeat"),
            ("a{5,2}", 2, "min repeat greater than max repeat"),
            ("a(?i)b", 1, "global flags not at the start"),
            ("\\x4", 0, "incomplete escape \\x4"),
            ("\\8", 1, "invalid group reference 8"),
            ("(?P<1>a)", 4, "bad character in group name"),
            ("(?P<n>a)(?P<n>b)", 12, "redefinition of group name"),
            ("(?z)", 1, "unknown extension"),
            ("\\N{NO SUCH CHARACTER}", 0, "undefined character name"),
            ("a{4294967296}", 2, "the repetition number is too large"),
        ]
        for (p, offset, words) in table {
            let e = refusal(p)
            #expect(e?.offset == offset, "\(p): \(e.map(String.init(describing:)) ?? "accepted")")
            #expect(e?.message.contains(words) == true, "\(p): \(e?.message ?? "accepted")")
        }
        #expect(refusal("(ab")?.description == "regular expression \"(ab\" at 0: missing ), unterminated subpattern")
    }

    // MARK: Bounded cost

    @Test func countedRepetitionIsBoundedByMaxStates() {
        let e = refusal("(?:a{1000}){1000}")
        #expect(e?.message.contains("maxStates") == true)
        #expect(e?.offset == 11)
        #expect(refusal("a{1000}") == nil)
        #expect(refusal("a{1000}", maxStates: 500)?.message.contains("states") == true)
        #expect(refusal("(?:(?:(?:a{100}){100}){100}){100}")?.message.contains("states") == true)
        #expect(refusal("x{0,4294967294}")?.message.contains("states") == true)
    }

    @Test func deepNestingIsAnErrorNotAStackOverflow() throws {
        let deep = String(repeating: "(", count: 100_000) + "a" + String(repeating: ")", count: 100_000)
        let e = refusal(deep)
        #expect(e?.message.contains("nested") == true)
        let deepNonCapturing = String(repeating: "(?:", count: 100_000)
        #expect(refusal(deepNonCapturing)?.message.contains("nested") == true)
        let unbalanced = String(repeating: ")", count: 100_000)
        #expect(refusal(unbalanced)?.offset == 0)
        let ok = String(repeating: "(", count: 90) + "a" + String(repeating: ")", count: 90)
        #expect(try search(ok, "xa"))
        // Long flat patterns are fine.
        let long = String(repeating: "(?:ab|cd)", count: 500)
        #expect(try search(long, "x" + String(repeating: "cd", count: 500)))
        #expect(try !search(long, String(repeating: "cd", count: 499)))
    }

    @Test func hostilePatternsFinishQuickly() throws {
        let aaa = String(repeating: "a", count: 100_000)
        let cases: [(String, String, Bool)] = [
            ("(a+)+$", aaa + "!", false),
            ("(a|a)*b", aaa, false),
            ("(.*a){20}", aaa, true),
            ("(.*a){20}b", aaa, false),
            ("(x+x+)+y", String(repeating: "x", count: 100_000), false),
            ("(a|aa)+$", aaa + "b", false),
            ("(\\w+\\s?)*$", String(repeating: "word ", count: 20_000) + "!", true),
            (".{1000,}", aaa, true),
            ("^(a?){200}a{200}$", String(repeating: "a", count: 200), true),
        ]
        let clock = ContinuousClock()
        for (p, t, want) in cases {
            let re = try SafeRegex(p)
            var result = false
            let elapsed = clock.measure { result = re.matches(t) }
            #expect(result == want, "\(p)")
            // Milliseconds in a release build; generous for a debug build on a busy machine.
            #expect(elapsed < .seconds(3), "\(p) took \(elapsed)")
        }
    }

    @Test func answersStayRightWhenTheDFACacheOverflows() throws {
        // `a[ab]{20}$` needs about 2^21 DFA states: with a small cache it fills, clears, and the search
        // finishes with the plain NFA simulation.
        let re = try SafeRegex("a[ab]{20}$")
        let dfa = RegexDFA(program: re.engine.program, memoryBudget: 16_384)
        var rng = SplitMix(seed: 7)
        for round in 0..<12 {
            var bytes = (0..<2_000).map { _ in rng.next() & 1 == 0 ? UInt8(ascii: "a") : UInt8(ascii: "b") }
            bytes[bytes.count - 21] = round % 2 == 0 ? UInt8(ascii: "a") : UInt8(ascii: "b")
            let want = round % 2 == 0
            #expect(bytes.withUnsafeBufferPointer { dfa.search($0) } == want)
            #expect(re.matches(String(decoding: bytes, as: UTF8.self)) == want)
        }
        #expect(dfa.clears >= 3)
    }

    @Test func randomPatternsAndTextsNeverCrash() {
        // A small fuzz run: pieces of regex syntax glued at random, matched against random texts.
        let pieces = ["(", ")", "(?:", "(?i)", "(?P<n", ">", "[", "]", "^", "$", "\\", "\\b", "\\B", "\\d", "\\w", "\\s", "\\W",
                      "\\x4", "\\u00e9", "\\N{", "}", "{", "{2}", "{1,3}", "{,}", "*", "+", "?", "|", ".", "-", "a", "k", "é", "😀",
                      "\\1", "(?=", "(?#", "#", " ", "\n", "(?x)", "(?a)", "(?s:", "(?-i:", "[^", "a-z", "\\Z", "\\A", "\\0"]
        let textPieces = ["a", "k", "K", "é", "É", "😀", " ", "\n", "-", "1", "_", "ſ", "İ"]
        var rng = SplitMix(seed: 42)
        var compiled = 0
        for _ in 0..<3_000 {
            let pattern = (0..<Int(rng.next() % 12)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
            guard let re = try? SafeRegex(pattern, options: SafeRegex.Options(rawValue: Int(rng.next() % 8))) else { continue }
            compiled += 1
            for _ in 0..<4 {
                let text = (0..<Int(rng.next() % 20)).map { _ in textPieces[Int(rng.next() % UInt64(textPieces.count))] }.joined()
                _ = re.matches(text)
                let bytes = (0..<Int(rng.next() % 20)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                _ = bytes.withUnsafeBufferPointer { re.matches(utf8: $0) }
            }
        }
        #expect(compiled > 300)
    }

    @Test func overlongPatternsAreRefused() {
        let e = refusal(String(repeating: "a", count: 1_000_001))
        #expect(e?.message.contains("longer than") == true)
    }

    // MARK: Bytes, threads, identity

    @Test func byteSearchReadsMalformedUTF8AsReplacementCharacters() throws {
        let re = try SafeRegex("^a.b$")
        let bytes: [UInt8] = [0x61, 0xFF, 0x62]
        #expect(bytes.withUnsafeBufferPointer { re.matches(utf8: $0) })
        let truncated: [UInt8] = [0x61, 0xE1, 0xBB, 0x62]  // a, cut-off 3-byte scalar, b
        #expect(!truncated.withUnsafeBufferPointer { re.matches(utf8: $0) })
        let two = try SafeRegex("^a..b$")
        #expect(truncated.withUnsafeBufferPointer { two.matches(utf8: $0) })
        let empty: [UInt8] = []
        #expect(try SafeRegex("^$").matches(utf8: empty.withUnsafeBufferPointer { $0 }))
    }

    @Test func concurrentSearchesAgree() async throws {
        let re = try SafeRegex("[-/–][Ee^]{1,2}[ncodema^]*\\s[A-Za-z0-9+/=]{15,}")
        let texts = (0..<200).map { i in i % 3 == 0 ? "powershell -enc SQBFAFgAIAAoAE4AZQB3AC\(i)" : "powershell -File x\(i).ps1" }
        let expected = texts.map { re.matches($0) }
        let counts = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var agree = 0
                    for _ in 0..<20 { for (t, e) in zip(texts, expected) where re.matches(t) == e { agree += 1 } }
                    return agree
                }
            }
            return await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(counts == Array(repeating: 200 * 20, count: 8))
        #expect(expected.filter { $0 }.count == 67)
    }

    @Test func equalityIsPatternAndOptions() throws {
        #expect(try SafeRegex("a+") == SafeRegex("a+"))
        #expect(try SafeRegex("a+") != SafeRegex("a+", options: .caseInsensitive))
        #expect(try Set([SafeRegex("a"), SafeRegex("a"), SafeRegex("b")]).count == 2)
    }

    // MARK: The Sigma corpus

    @Test func everyRegexInTheSigmaCorpusCompiles() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/corpora/sigma")
        let alternatives = [root.path, "/work/shared/corpora/sigma"]
        guard let base = alternatives.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            print("SafeRegexTests: the Sigma corpus is absent; skipping")
            return
        }
        var values: [(file: String, pattern: String, options: SafeRegex.Options)] = []
        let enumerator = FileManager.default.enumerator(atPath: base)
        while let rel = enumerator?.nextObject() as? String {
            guard rel.hasPrefix("rules"), rel.hasSuffix(".yml"),
                  let text = try? String(contentsOfFile: base + "/" + rel, encoding: .utf8) else { continue }
            for (pattern, options) in SigmaRegexValues.extract(text) { values.append((rel, pattern, options)) }
        }
        #expect(values.count >= 200, "found \(values.count) re values")
        print("SafeRegexTests: \(values.count) re values in the Sigma corpus")
        var refused: [String] = []
        for v in values {
            do { _ = try SafeRegex(v.pattern, options: v.options) } catch { refused.append("\(v.file): \(error)") }
        }
        #expect(refused.isEmpty, "\(refused)")
    }
}

/// `|re` values of Sigma YAML files, read line by line (single values and lists, quoted or plain):
/// enough for the corpus test without a YAML dependency in the tests.
enum SigmaRegexValues {
    static func extract(_ yaml: String) -> [(String, SafeRegex.Options)] {
        var out: [(String, SafeRegex.Options)] = []
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var k = 0
        while k < lines.count {
            let line = lines[k]
            k += 1
            if line.trimmingCharacters(in: .whitespaces).hasPrefix("#") { continue }
            guard let bar = line.range(of: "|re"), let colon = line.range(of: ":", range: bar.upperBound..<line.endIndex) else { continue }
            let mods = line[bar.lowerBound..<colon.lowerBound].split(separator: "|").map(String.init)
            guard mods.first == "re", mods.allSatisfy({ ["re", "i", "m", "s", "ignorecase", "multiline", "dotall"].contains($0) }) else { continue }
            var options: SafeRegex.Options = []
            if mods.contains("i") || mods.contains("ignorecase") { options.insert(.caseInsensitive) }
            if mods.contains("m") || mods.contains("multiline") { options.insert(.multiline) }
            if mods.contains("s") || mods.contains("dotall") { options.insert(.dotAll) }
            let rest = line[colon.upperBound...].trimmingCharacters(in: .whitespaces)
            if !rest.isEmpty {
                out.append((scalar(rest), options))
                continue
            }
            // List items sit deeper than the key (which may itself follow a "- ").
            let keyColumn = line.prefix { $0 == " " || $0 == "-" }.count
            while k < lines.count {
                let indent = lines[k].prefix { $0 == " " }.count
                let item = lines[k].trimmingCharacters(in: .whitespaces)
                if item.hasPrefix("#") { k += 1; continue }
                guard indent >= keyColumn, item.hasPrefix("- ") else { break }
                out.append((scalar(String(item.dropFirst(2)).trimmingCharacters(in: .whitespaces)), options))
                k += 1
            }
        }
        return out
    }

    private static func scalar(_ raw: String) -> String {
        let chars = Array(raw)
        guard let quote = chars.first, quote == "'" || quote == "\"" else {
            if let hash = raw.range(of: " #") { return String(raw[..<hash.lowerBound]).trimmingCharacters(in: .whitespaces) }
            return raw
        }
        var out = ""
        var k = 1
        while k < chars.count {
            let c = chars[k]
            if quote == "'" && c == "'" {
                if k + 1 < chars.count && chars[k + 1] == "'" { out.append("'"); k += 2; continue }
                break
            }
            if quote == "\"" && c == "\"" { break }
            if quote == "\"" && c == "\\" && k + 1 < chars.count && (chars[k + 1] == "\\" || chars[k + 1] == "\"") {
                out.append(chars[k + 1]); k += 2; continue
            }
            out.append(c)
            k += 1
        }
        return out
    }
}

private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49EB_133B_111F
        return z ^ (z >> 31)
    }
}
