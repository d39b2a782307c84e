import Foundation

// Start and end tags. A tag is scanned to its closing '>' first, with `pos` left on its '<', so the
// whole tag stays in the window while its name and attributes are read.
extension XMLPullReader {
    func readStartTag() throws -> XMLEvent {
        tagStart = bufferOffset + pos
        let close = try findTagEnd(quoted: true)
        let nameStart = pos + 1
        let nameEnd = scanName(from: nameStart, limit: close)
        guard nameEnd > nameStart else { throw error("expected an element name after '<'") }
        let name = makeString(nameStart, nameEnd)
        var attributes: [XMLAttribute] = []
        var selfClosing = false
        var i = nameEnd
        while true {
            let spaced = skipSpaces(&i, limit: close)
            if i == close { break }
            if buffer[i] == UInt8(ascii: "/") {
                guard i + 1 == close else { throw error("expected '>' after '/' in the tag <\(name)>", at: i) }
                selfClosing = true
                break
            }
            guard spaced else { throw error("expected whitespace before an attribute in the tag <\(name)>", at: i) }
            attributes.append(try readAttribute(&i, limit: close, element: name, count: attributes.count))
            let new = attributes[attributes.count - 1].name
            if attributes.dropLast().contains(where: { $0.name == new }) {
                throw error("duplicate attribute \(new) in the tag <\(name)>", at: i)
            }
        }
        if path.isEmpty {
            if sawRoot { throw error("content after the root element: <\(name)>") }
            sawRoot = true
        }
        if path.count >= limits.maxDepth {
            throw error("elements are nested deeper than the limit of \(limits.maxDepth)")
        }
        pos = close + 1
        path.append(name)
        if selfClosing { pendingEnd = name }
        return .startElement(name: name, attributes: attributes)
    }

    private func readAttribute(_ i: inout Int, limit close: Int, element: String, count: Int) throws -> XMLAttribute {
        let nameStart = i
        i = scanName(from: i, limit: close)
        guard i > nameStart else {
            throw error("unexpected character '\(Self.printable(buffer[nameStart]))' in the tag <\(element)>", at: nameStart)
        }
        guard count < limits.maxAttributes else {
            throw error("the tag <\(element)> has more than \(limits.maxAttributes) attributes", at: nameStart)
        }
        let name = makeString(nameStart, i)
        skipSpaces(&i, limit: close)
        guard i < close, buffer[i] == UInt8(ascii: "=") else {
            throw error("expected '=' after the attribute \(name) in the tag <\(element)>", at: i)
        }
        i += 1
        skipSpaces(&i, limit: close)
        guard i < close, buffer[i] == 0x22 || buffer[i] == 0x27 else {
            throw error("expected a quoted value for the attribute \(name) in the tag <\(element)>", at: i)
        }
        let quote = buffer[i]
        let valueStart = i + 1
        i = valueStart
        let bytes = buffer
        while bytes[i] != quote { i += 1 } // findTagEnd saw the closing quote before `close`
        let value = try decodeAttributeValue(valueStart, i, attribute: name)
        i += 1
        return XMLAttribute(name: name, value: value)
    }

    /// Literal tabs and line ends become spaces (as XML requires); references are decoded; '<' is refused.
    private func decodeAttributeValue(_ start: Int, _ stop: Int, attribute: String) throws -> String {
        let bytes = buffer
        var i = start
        while i < stop, !Self.isSpecialInAttribute(bytes[i]) { i += 1 }
        if i == stop { return makeString(start, stop) }
        // A local buffer (the reusable one, moved out) avoids an exclusivity check per byte.
        var out: [UInt8] = []
        swap(&out, &scratch)
        defer { swap(&out, &scratch) }
        out.removeAll(keepingCapacity: true)
        var run = start
        while i < stop {
            let b = bytes[i]
            guard Self.isSpecialInAttribute(b) else { i += 1; continue }
            out.append(contentsOf: UnsafeBufferPointer(start: bytes + run, count: i - run))
            switch b {
            case 0x26:
                i = try decodeReference(at: i, limit: stop, into: &out)
                run = i
                continue
            case 0x3C:
                throw error("'<' is not allowed in the value of the attribute \(attribute)", at: i)
            case 0x0D:
                out.append(0x20)
                if i + 1 < stop, bytes[i + 1] == 0x0A { i += 1 }
            default:
                out.append(0x20)
            }
            i += 1
            run = i
        }
        out.append(contentsOf: UnsafeBufferPointer(start: bytes + run, count: stop - run))
        return String(decoding: out, as: UTF8.self)
    }

    @inline(__always) private static func isSpecialInAttribute(_ b: UInt8) -> Bool {
        b == 0x26 || b == 0x3C || b == 0x09 || b == 0x0A || b == 0x0D
    }

    func readEndTag() throws -> XMLEvent {
        tagStart = bufferOffset + pos
        let close = try findTagEnd(quoted: false)
        let nameStart = pos + 2
        let nameEnd = scanName(from: nameStart, limit: close)
        var i = nameEnd
        skipSpaces(&i, limit: close)
        guard nameEnd > nameStart, i == close else { throw error("malformed end tag") }
        guard let open = path.last else {
            throw error("end tag </\(makeString(nameStart, nameEnd))> without a start tag")
        }
        guard matches(open, nameStart, nameEnd) else {
            throw error("mismatched end tag: expected </\(open)>, found </\(makeString(nameStart, nameEnd))>")
        }
        pos = close + 1
        path.removeLast()
        return .endElement(name: open)
    }

    /// The window index of the '>' ending the tag at `pos`, reading more input as needed.
    private func findTagEnd(quoted: Bool) throws -> Int {
        var offset = 1
        var quote: UInt8 = 0
        while true {
            if pos + offset >= end {
                guard try fill(offset + 1) else {
                    throw error("unexpected end of file inside " + (path.last.map { "<\($0)>" } ?? "a tag")
                                + " (unterminated tag)", at: end)
                }
            }
            let bytes = buffer, stop = end
            var i = pos + offset
            while i < stop {
                let b = bytes[i]
                if quote != 0 {
                    if b == quote { quote = 0 }
                } else if b == 0x3E {
                    return i
                } else if quoted, b == 0x22 || b == 0x27 {
                    quote = b
                } else if b == 0x3C {
                    throw error("unexpected '<' inside a tag", at: i)
                }
                i += 1
            }
            offset = i - pos
            if offset > limits.maxTokenBytes {
                throw error(quote != 0
                    ? "an attribute value is longer than the limit of \(limits.maxTokenBytes) bytes"
                    : "a tag is longer than the limit of \(limits.maxTokenBytes) bytes")
            }
        }
    }

    // MARK: - Names and bytes

    /// End of the XML name starting at `start` (== start when there is none). Bytes ≥ 0x80 are accepted
    /// as name characters without checking the Unicode classes XML lists.
    func scanName(from start: Int, limit: Int) -> Int {
        let bytes = buffer
        guard start < limit, Self.isNameStart(bytes[start]) else { return start }
        var i = start + 1
        while i < limit, Self.isNameByte(bytes[i]) { i += 1 }
        return i
    }

    @discardableResult
    func skipSpaces(_ i: inout Int, limit: Int) -> Bool {
        let bytes = buffer, start = i
        while i < limit, Self.isSpace(bytes[i]) { i += 1 }
        return i > start
    }

    func makeString(_ start: Int, _ stop: Int) -> String {
        String(decoding: UnsafeBufferPointer(start: buffer + start, count: stop - start), as: UTF8.self)
    }

    private func matches(_ name: String, _ start: Int, _ stop: Int) -> Bool {
        var name = name
        return name.withUTF8 { utf8 in
            utf8.count == stop - start && memcmp(utf8.baseAddress!, buffer + start, utf8.count) == 0
        }
    }

    @inline(__always) static func isNameStart(_ b: UInt8) -> Bool {
        (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A || b == 0x5F || b == 0x3A || b >= 0x80
    }

    @inline(__always) static func isNameByte(_ b: UInt8) -> Bool {
        isNameStart(b) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x2E
    }

    static func printable(_ b: UInt8) -> String {
        b >= 0x21 && b < 0x7F ? String(UnicodeScalar(b)) : String(format: "\\x%02X", b)
    }
}
