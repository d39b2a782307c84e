import Domain
import Foundation

/// Small text rules the scanner readers share.
enum ScanText {
    /// Caps for short text repeated in every finding of a host or port (titles, host names, addresses).
    static let maxTitleBytes = 512
    static let maxHostBytes = 255

    /// `text` cut to at most `maxBytes` UTF-8 bytes (on a character boundary), ending with "…" when cut.
    static func capped(_ text: String, maxBytes: Int) -> String {
        guard text.utf8.count > maxBytes else { return text }
        let ellipsis = "…"
        var budget = max(0, maxBytes - ellipsis.utf8.count)
        var end = text.startIndex
        for character in text {
            let size = character.utf8.count
            if size > budget { break }
            budget -= size
            end = text.index(after: end)
        }
        return String(text[..<end]) + ellipsis
    }

    /// "cve-2021-44228 " → "CVE-2021-44228"; nil when it is not a CVE id.
    static func normalizedCVE(_ raw: String) -> String? {
        let id = trimmed(raw).uppercased()
        let parts = id.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "CVE", parts[1].count == 4, parts[2].count >= 4,
              isDigits(parts[1]), isDigits(parts[2]) else { return nil }
        return id
    }

    /// "79", "CWE-79", "cwe:79" → "CWE-79"; nil otherwise.
    static func normalizedCWE(_ raw: String) -> String? {
        var id = trimmed(raw).uppercased()
        if id.hasPrefix("CWE-") || id.hasPrefix("CWE:") { id.removeFirst(4) }
        guard !id.isEmpty, isDigits(Substring(id)) else { return nil }
        return "CWE-" + id
    }

    static func isDigits(_ text: Substring) -> Bool {
        text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    static func appendUnique(_ value: String, to list: inout [String]) {
        if !list.contains(value) { list.append(value) }
    }

    /// Trimmed, or nil when nothing is left.
    static func nonEmpty(_ text: String?) -> String? {
        guard let text else { return nil }
        let trimmed = trimmed(text)
        return trimmed.isEmpty ? nil : trimmed
    }

    /// Removes the indentation a pretty-printer added to every line after the first (the first line follows
    /// the tag, so it has none), keeping indentation relative to the least indented line. Works on bytes:
    /// Character-wise checks cost more than the whole XML tokenizing.
    static func dedented(_ text: String) -> String {
        guard text.utf8.contains(0x0A) else { return text }
        let bytes = Array(text.utf8)
        var lines: [Range<Int>] = []
        var start = 0
        for (i, b) in bytes.enumerated() where b == 0x0A {
            lines.append(start..<i)
            start = i + 1
        }
        lines.append(start..<bytes.count)
        var common = Int.max
        for line in lines.dropFirst() {
            guard let content = bytes[line].firstIndex(where: { !isSpace($0) }) else { continue }
            common = min(common, content - line.lowerBound)
        }
        guard common > 0, common < Int.max else { return text }
        var out = [UInt8](bytes[lines[0]])
        out.reserveCapacity(bytes.count)
        for line in lines.dropFirst() {
            out.append(0x0A)
            if bytes[line].contains(where: { !isSpace($0) }) { out += bytes[(line.lowerBound + common)..<line.upperBound] }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `text` without leading and trailing ASCII whitespace (byte-level, unlike Foundation's trimming).
    static func trimmed(_ text: String) -> String { trimmed(text[...]) }

    static func trimmed(_ text: Substring) -> String {
        let utf8 = text.utf8
        guard let first = utf8.firstIndex(where: { !isSpace($0) }), let last = utf8.lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(text[first..<utf8.index(after: last)])
    }

    @inline(__always) static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D
    }

    /// "443/tcp", "https (443/tcp)", "general/tcp" → port and protocol (nil port for "general").
    static func portAndProtocol(_ raw: String) -> (port: Int?, proto: String?) {
        var text = trimmed(raw)
        if let open = text.lastIndex(of: "("), let close = text.lastIndex(of: ")"), open < close {
            text = String(text[text.index(after: open)..<close])
        }
        let parts = text.split(separator: "/", maxSplits: 1)
        guard parts.count == 2 else { return (nil, nil) }
        guard let port = Int(parts[0]), port > 0, port <= 65535 else { return (nil, nil) }
        return (port, parts[1].lowercased())
    }

    /// A CPE as a 2.3 formatted string: nmap and Nessus write the 2.2 URI form (`cpe:/a:openbsd:openssh:7.4`);
    /// what does not parse as a CPE is kept as written.
    static func cpe23(_ raw: String) -> String {
        let text = trimmed(raw)
        return (try? CPEName(text))?.formattedString ?? text
    }

    /// A score such as "7.5"; nil when absent or not a number in 0…10.
    static func score(_ raw: String?) -> Double? {
        guard let raw = nonEmpty(raw), let value = Double(raw), value >= 0, value <= 10 else { return nil }
        return value
    }
}
