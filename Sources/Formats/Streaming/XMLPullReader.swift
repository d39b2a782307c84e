import Foundation

/// A pull XML tokenizer for untrusted reports: reads a ``ByteSource`` a chunk at a time and yields
/// ``XMLEvent``s, keeping only the current tag or text node in memory.
///
/// Security: no DTD processing at all. `<!DOCTYPE name>` (optionally with an external id, which is never
/// fetched) is skipped; a DOCTYPE with an internal subset, any `<!ENTITY …>` and any reference to an
/// entity other than the five predefined ones is refused. ``ScanLimits`` bounds nesting, the size of a
/// tag (all its attributes together), of a text node and the number of attributes.
///
/// Encoding: UTF-8 (BOM optional); a declared ISO-8859-1 or windows-1252 document is transcoded to UTF-8
/// as it is read; UTF-16 and other declared encodings are refused. Malformed UTF-8 is tolerated and
/// becomes U+FFFD in names, values and text: scanners copy banners and plugin output from the network
/// byte for byte, and refusing a whole report over one bad byte would lose every finding in it.
///
/// Errors are ``ScanParseError``s located as "line L, column C" (columns count characters).
public final class XMLPullReader {
    public let limits: ScanLimits
    /// Named in errors.
    public let format: ScannerFormat?
    /// Drop text events that are only whitespace (indentation between elements).
    public var skipsWhitespaceText: Bool
    /// Names of the open elements, outermost first; after a start event it ends with that element.
    public internal(set) var path: [String] = []
    public var depth: Int { path.count }

    let source: ByteSource
    /// Bytes taken from the source but not yet copied into the window (the source may hand over a lot).
    var pendingChunk: ArraySlice<UInt8> = []
    static let windowChunk = 1 << 16

    // The window holds the bytes not yet consumed: `buffer[pos..<end]`. Refilling moves them to the
    // front, so indices into the window are only valid until the next `fill`.
    var buffer: UnsafeMutablePointer<UInt8>
    var capacity: Int
    var pos = 0
    var end = 0
    /// Offset in the (transcoded) input of `buffer[0]`.
    var bufferOffset = 0
    var sourceEnded = false
    var singleByteEncoding: String.Encoding?

    // Line and column of `countedTo`, advanced lazily (when bytes leave the window, or for an error).
    var countedTo = 0
    var line = 1
    var column = 1

    var text: [UInt8] = []
    var scratch: [UInt8] = []
    var pendingEnd: String?
    /// Input offset of the last tag read.
    var tagStart = 0
    var started = false
    var sawRoot = false
    var finished = false

    public init(source: ByteSource, limits: ScanLimits = ScanLimits(), format: ScannerFormat? = nil,
                skipsWhitespaceText: Bool = false) {
        self.source = source
        self.limits = limits
        self.format = format
        self.skipsWhitespaceText = skipsWhitespaceText
        capacity = Self.windowChunk * 2
        buffer = .allocate(capacity: capacity)
    }

    public convenience init(data: Data, limits: ScanLimits = ScanLimits(), format: ScannerFormat? = nil,
                            skipsWhitespaceText: Bool = false) {
        self.init(source: ByteSource(data: data), limits: limits, format: format,
                  skipsWhitespaceText: skipsWhitespaceText)
    }

    deinit { buffer.deallocate() }

    /// The next event; nil after the root element has ended and only comments or whitespace followed.
    public func next() throws -> XMLEvent? {
        if let name = pendingEnd {
            pendingEnd = nil
            path.removeLast()
            return .endElement(name: name)
        }
        if finished { return nil }
        if !started { try readPrologStart() }
        text.removeAll(keepingCapacity: true)
        while true {
            if pos == end, try !fill(1) { return try endOfInput() }
            let byte = buffer[pos]
            if byte == UInt8(ascii: "<") {
                _ = try fill(9)
                let second = pos + 1 < end ? buffer[pos + 1] : 0
                if second == UInt8(ascii: "!") {
                    try readMarkupDeclaration()
                } else if second == UInt8(ascii: "?") {
                    try readProcessingInstruction()
                } else if let event = takeText() {
                    return event
                } else if second == UInt8(ascii: "/") {
                    return try readEndTag()
                } else {
                    return try readStartTag()
                }
            } else if path.isEmpty {
                try skipWhitespaceOutsideRoot()
            } else if byte == UInt8(ascii: "&") {
                _ = try fill(40)
                pos = try decodeReference(at: pos, limit: end, into: &text)
                try checkTextLength()
            } else {
                try readCharacterData()
            }
        }
    }

    // MARK: - Text

    /// Copies character data up to the next `<` or `&` into `text`, turning "\r\n" and "\r" into "\n".
    func readCharacterData() throws {
        while true {
            if pos == end, try !fill(1) { return }
            let bytes = buffer, stop = end, start = pos
            var i = start
            while i < stop {
                let b = bytes[i]
                if b == 0x3C || b == 0x26 || b == 0x0D { break }
                i += 1
            }
            if i > start {
                text.append(contentsOf: UnsafeBufferPointer(start: bytes + start, count: i - start))
                try checkTextLength()
            }
            pos = i
            guard i < stop else { continue }
            guard bytes[i] == 0x0D else { return }
            pos += 1
            text.append(0x0A)
            if try fill(1), buffer[pos] == 0x0A { pos += 1 }
        }
    }

    func checkTextLength() throws {
        if text.count > limits.maxTokenBytes {
            throw error("text inside <\(path.last ?? "")> is longer than the limit of \(limits.maxTokenBytes) bytes")
        }
    }

    /// The pending text as an event, unless there is none (or only whitespace, when that is skipped).
    func takeText() -> XMLEvent? {
        guard !text.isEmpty else { return nil }
        defer { text.removeAll(keepingCapacity: true) }
        if skipsWhitespaceText, text.allSatisfy(Self.isSpace) { return nil }
        return .text(String(decoding: text, as: UTF8.self))
    }

    func skipWhitespaceOutsideRoot() throws {
        while try pos < end || fill(1) {
            let b = buffer[pos]
            if b == UInt8(ascii: "<") { return }
            guard Self.isSpace(b) else {
                throw error(sawRoot ? "content after the root element" : "text before the root element")
            }
            pos += 1
        }
    }

    func endOfInput() throws -> XMLEvent? {
        if let open = path.last {
            throw error("unexpected end of file inside <\(open)>", at: end)
        }
        guard sawRoot else { throw error("the document has no root element", at: end) }
        finished = true
        return nil
    }

    // MARK: - Window

    /// Makes at least `count` unread bytes available; false when the input ends first.
    @inline(__always) func fill(_ count: Int) throws -> Bool {
        if end - pos >= count { return true }
        return try refill(count)
    }

    private func refill(_ count: Int) throws -> Bool {
        while end - pos < count {
            if pendingChunk.isEmpty {
                if sourceEnded { return false }
                do { pendingChunk = try source.readAvailable() } catch {
                    throw ScanParseError(format: format, location: "byte \(source.offset)",
                                         message: "the report could not be read: \(error.localizedDescription)")
                }
                if pendingChunk.isEmpty { sourceEnded = true; return false }
            }
            let take = min(pendingChunk.count, Self.windowChunk)
            var chunk = pendingChunk.prefix(take)
            pendingChunk = pendingChunk.dropFirst(take)
            if let encoding = singleByteEncoding { chunk = Self.transcode(chunk, from: encoding) }
            append(chunk)
        }
        return true
    }

    /// Drops the consumed bytes and appends `chunk`, growing the window only for a construct (a tag)
    /// longer than it, which the callers bound by `limits.maxTokenBytes`.
    private func append(_ chunk: ArraySlice<UInt8>) {
        if pos > 0 {
            advanceLocation(to: bufferOffset + pos)
            buffer.update(from: buffer + pos, count: end - pos)
            bufferOffset += pos
            end -= pos
            pos = 0
        }
        if end + chunk.count > capacity {
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: max(capacity * 2, end + chunk.count))
            grown.update(from: buffer, count: end)
            buffer.deallocate()
            buffer = grown
            capacity = max(capacity * 2, end + chunk.count)
        }
        chunk.withUnsafeBufferPointer { (buffer + end).update(from: $0.baseAddress!, count: $0.count) }
        end += chunk.count
    }

    static func transcode(_ chunk: ArraySlice<UInt8>, from encoding: String.Encoding) -> ArraySlice<UInt8> {
        let decoded = String(bytes: chunk, encoding: encoding) ?? String(decoding: chunk, as: UTF8.self)
        return ArraySlice(decoded.utf8)
    }

    /// Switches to a single-byte encoding after the XML declaration: the rest of the window is converted.
    func useSingleByteEncoding(_ encoding: String.Encoding) {
        singleByteEncoding = encoding
        let rest = Self.transcode(ArraySlice(UnsafeBufferPointer(start: buffer + pos, count: end - pos)), from: encoding)
        end = pos
        append(rest)
    }

    // MARK: - Locations and errors

    private func advanceLocation(to offset: Int) {
        guard offset > countedTo else { return }
        let bytes = buffer + (countedTo - bufferOffset), count = offset - countedTo
        var newlines = 0
        for i in 0..<count { newlines &+= bytes[i] == 0x0A ? 1 : 0 } // branch-free, so it vectorises
        var columnStart = 0
        if newlines > 0 {
            line += newlines
            column = 1
            columnStart = count
            while bytes[columnStart - 1] != 0x0A { columnStart -= 1 }
        }
        for i in columnStart..<count where bytes[i] & 0xC0 != 0x80 { column += 1 }
        countedTo = offset
    }

    /// "line L, column C" just after the last event.
    public var location: String { location(at: pos) }

    /// "line L, column C" of the '<' of the last start or end tag (read right after that event).
    public var tagLocation: String { location(at: max(tagStart - bufferOffset, 0)) }

    /// "line L, column C" of the window index `index`.
    func location(at index: Int) -> String {
        advanceLocation(to: bufferOffset + index)
        return "line \(line), column \(column)"
    }

    func error(_ message: String, at index: Int? = nil) -> ScanParseError {
        ScanParseError(format: format, location: location(at: index ?? pos), message: message)
    }

    @inline(__always) static func isSpace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D
    }
}
