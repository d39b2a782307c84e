import Foundation

// Everything that is not a tag or character data: the byte-order mark and XML declaration, comments,
// processing instructions, CDATA sections, the DOCTYPE and references.
extension XMLPullReader {
    func readPrologStart() throws {
        started = true
        _ = try fill(4)
        if hasPrefix([0xFE, 0xFF]) || hasPrefix([0xFF, 0xFE]) {
            throw error("UTF-16 documents are not supported; save the report as UTF-8")
        }
        if hasPrefix([0xEF, 0xBB, 0xBF]) { pos += 3 }
        _ = try fill(6)
        if hasPrefix(Self.xmlDeclaration), pos + 5 < end, Self.isSpace(buffer[pos + 5]) {
            try readXMLDeclaration()
        }
    }

    /// Only the encoding matters; the declaration is otherwise skipped.
    private func readXMLDeclaration() throws {
        _ = try fill(1024)
        let stop = min(end, pos + 1024)
        var close = pos + 5
        while close + 1 < stop, !(buffer[close] == 0x3F && buffer[close + 1] == 0x3E) { close += 1 }
        guard close + 1 < stop else { throw error("unterminated XML declaration") }
        let declaration = makeString(pos, close)
        pos = close + 2
        guard let encoding = Self.declaredEncoding(declaration) else { return }
        switch encoding.lowercased() {
        case "utf-8", "utf8", "us-ascii", "ascii":
            break
        case "iso-8859-1", "latin1", "latin-1", "iso8859-1":
            useSingleByteEncoding(.isoLatin1)
        case "windows-1252", "cp1252":
            useSingleByteEncoding(.windowsCP1252)
        default:
            throw error("unsupported encoding \(encoding); UTF-8, ISO-8859-1 and windows-1252 are read")
        }
    }

    private static func declaredEncoding(_ declaration: String) -> String? {
        guard let key = declaration.range(of: "encoding") else { return nil }
        let rest = declaration[key.upperBound...].drop { $0 == " " || $0 == "=" || $0 == "\t" }
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return nil }
        return String(rest.dropFirst().prefix { $0 != quote })
    }

    /// `<!--`, `<![CDATA[`, `<!DOCTYPE`; anything else (`<!ENTITY`, `<!ELEMENT` …) is refused.
    func readMarkupDeclaration() throws {
        if hasPrefix(Self.commentStart) {
            pos += 4
            try skip(past: Self.commentEnd, what: "a comment")
        } else if hasPrefix(Self.cdataStart) {
            guard !path.isEmpty else { throw error(sawRoot ? "content after the root element" : "text before the root element") }
            pos += 9
            try skip(past: Self.cdataEnd, what: "a CDATA section", keepingText: true)
        } else if hasPrefix(Self.doctypeStart) {
            guard !sawRoot else { throw error("a DOCTYPE is only allowed before the root element") }
            try skipDoctype()
        } else if hasPrefix(Self.entityStart) {
            throw error("entity declarations are not allowed")
        } else {
            throw error("markup declarations are not allowed outside a DOCTYPE, and DTDs are not processed")
        }
    }

    func readProcessingInstruction() throws {
        pos += 2
        try skip(past: Self.instructionEnd, what: "a processing instruction")
    }

    /// Skips up to and including `terminator`, appending the skipped bytes to `text` for CDATA.
    private func skip(past terminator: [UInt8], what: String, keepingText: Bool = false) throws {
        let first = terminator[0], length = terminator.count
        while true {
            guard try fill(length) else {
                throw error("unexpected end of file inside \(what)" + (path.last.map { " in <\($0)>" } ?? ""), at: end)
            }
            let bytes = buffer, stop = end, start = pos
            var i = start
            var found = false
            while i + length <= stop {
                if bytes[i] == first, memcmp(bytes + i, terminator, length) == 0 { found = true; break }
                i += 1
            }
            if keepingText {
                text.append(contentsOf: UnsafeBufferPointer(start: bytes + start, count: i - start))
                try checkTextLength()
            }
            if found {
                pos = i + length
                return
            }
            pos = i // the last length-1 bytes may begin the terminator
            guard try fill(end - pos + 1) else {
                throw error("unexpected end of file inside \(what)" + (path.last.map { " in <\($0)>" } ?? ""), at: end)
            }
        }
    }

    /// `<!DOCTYPE name SYSTEM "…">` is skipped (the external DTD is never fetched); an internal subset
    /// `[ … ]` is where entities are declared, so it is refused before anything in it is read.
    private func skipDoctype() throws {
        pos += 9
        var quote: UInt8 = 0
        while try pos < end || fill(1) {
            let b = buffer[pos]
            pos += 1
            if quote != 0 {
                if b == quote { quote = 0 }
            } else if b == 0x22 || b == 0x27 {
                quote = b
            } else if b == 0x5B {
                throw error("a DOCTYPE with an internal subset is refused: entity declarations are not allowed", at: pos - 1)
            } else if b == 0x3E {
                return
            }
        }
        throw error("unexpected end of file inside the DOCTYPE", at: end)
    }

    /// Decodes the reference at `start` (the '&') into `out`; returns the index after its ';'.
    /// Only the five predefined entities and character references exist: there is no DTD to declare more.
    func decodeReference(at start: Int, limit: Int, into out: inout [UInt8]) throws -> Int {
        let bytes = buffer, searchEnd = min(limit, start + 34)
        var semicolon = start + 1
        while semicolon < searchEnd, bytes[semicolon] != 0x3B { semicolon += 1 }
        guard semicolon < searchEnd, semicolon > start + 1 else {
            throw error("'&' must begin a reference such as &amp; (a bare '&' is not allowed)", at: start)
        }
        let bodyStart = start + 1
        if bytes[bodyStart] == 0x23 {
            try appendCharacterReference(bodyStart + 1, semicolon, into: &out, at: start)
            return semicolon + 1
        }
        switch makeString(bodyStart, semicolon) {
        case "lt": out.append(0x3C)
        case "gt": out.append(0x3E)
        case "amp": out.append(0x26)
        case "quot": out.append(0x22)
        case "apos": out.append(0x27)
        case let name:
            throw error("reference to the undefined entity &\(name); (entity declarations are not allowed)", at: start)
        }
        return semicolon + 1
    }

    /// `&#N;` / `&#xH;`. Control characters XML 1.0 leaves out are accepted (nmap writes `&#x1b;` for
    /// banners); NUL, surrogates and values beyond U+10FFFF are refused.
    private func appendCharacterReference(_ start: Int, _ stop: Int, into out: inout [UInt8], at reference: Int) throws {
        let bytes = buffer
        var i = start
        var radix: UInt32 = 10
        if i < stop, bytes[i] | 0x20 == UInt8(ascii: "x") { radix = 16; i += 1 }
        var value: UInt32 = 0
        var digits = 0
        while i < stop {
            let b = bytes[i]
            let digit: UInt32
            switch b {
            case 0x30...0x39: digit = UInt32(b - 0x30)
            case 0x61...0x66 where radix == 16: digit = UInt32(b - 0x61 + 10)
            case 0x41...0x46 where radix == 16: digit = UInt32(b - 0x41 + 10)
            default: throw error("invalid character reference &#\(makeString(start, stop));", at: reference)
            }
            value = value * radix + digit
            digits += 1
            if value > 0x10FFFF { break }
            i += 1
        }
        guard digits > 0, value != 0, value <= 0x10FFFF, let scalar = Unicode.Scalar(value) else {
            throw error("invalid character reference &#\(makeString(start, stop));", at: reference)
        }
        out.append(contentsOf: UTF8.encode(scalar)!)
    }

    static let xmlDeclaration = Array("<?xml".utf8), commentStart = Array("<!--".utf8), commentEnd = Array("-->".utf8)
    static let cdataStart = Array("<![CDATA[".utf8), cdataEnd = Array("]]>".utf8), instructionEnd = Array("?>".utf8)
    static let doctypeStart = Array("<!DOCTYPE".utf8), entityStart = Array("<!ENTITY".utf8)

    func hasPrefix(_ bytes: [UInt8]) -> Bool {
        guard end - pos >= bytes.count else { return false }
        return memcmp(buffer + pos, bytes, bytes.count) == 0
    }
}
