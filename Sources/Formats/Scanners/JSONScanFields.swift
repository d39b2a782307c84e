import Domain
import Foundation

/// Loosely typed members of captured JSON objects (see ``JSONStreamReader/captureValue()``) and the id
/// normalisation the JSON report readers share.
enum JSONScanFields {
    /// A non-empty trimmed string; numbers as written. Booleans, null and containers are nil.
    static func string(_ value: Any?) -> String? {
        guard let value else { return nil }
        let text: String
        switch value {
        case let s as String: text = s
        case _ as Bool where type(of: value) == Bool.self: return nil
        case let n as NSNumber: text = n.stringValue
        default: return nil
        }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    /// Strings of an array (skipping other elements), or a lone string; [] for null or absent.
    static func strings(_ value: Any?) -> [String] {
        if let array = value as? [Any] { return array.compactMap { string($0) } }
        return string(value).map { [$0] } ?? []
    }

    static func double(_ value: Any?) -> Double? {
        switch value {
        case let s as String: return Double(s.trimmingCharacters(in: .whitespaces))
        case _ as Bool where type(of: value!) == Bool.self: return nil
        case let n as NSNumber: return n.doubleValue
        default: return nil
        }
    }

    static func int(_ value: Any?) -> Int? {
        guard let d = double(value), d.rounded() == d, abs(d) < 1e15 else { return nil }
        return Int(d)
    }

    static func object(_ value: Any?) -> [String: Any]? { value as? [String: Any] }

    /// `text` cut to at most `maxBytes` of UTF-8 (ending with "…" when cut), on a character boundary.
    static func cap(_ text: String?, _ maxBytes: Int) -> String? {
        guard let text, !text.isEmpty else { return nil }
        guard text.utf8.count > maxBytes else { return text }
        let utf8 = text.utf8
        var end = utf8.index(utf8.startIndex, offsetBy: max(0, maxBytes - 3))
        while end > utf8.startIndex, String.Index(end, within: text) == nil { end = utf8.index(before: end) }
        return String(text[..<end]) + "…"
    }

    /// Upper-cased `CVE-YYYY-N…` ids found in `values`, deduplicated in order.
    static func cves(_ values: [String]) -> [String] {
        unique(values.compactMap { v -> String? in
            let s = v.trimmingCharacters(in: .whitespaces).uppercased()
            let parts = s.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 3, parts[0] == "CVE", parts[1].count == 4, parts[2].count >= 4,
                  digits(parts[1]), digits(parts[2]) else { return nil }
            return s
        })
    }

    /// `CWE-N` ids from "CWE-79", "cwe-79", "79" or tags like "external/cwe/cwe-079"; others (such as
    /// "NVD-CWE-Other") are dropped.
    static func cwes(_ values: [String]) -> [String] {
        unique(values.compactMap { v -> String? in
            var s = Substring(v.trimmingCharacters(in: .whitespaces).lowercased())
            if let slash = s.lastIndex(of: "/") { s = s[s.index(after: slash)...] }
            if s.hasPrefix("cwe-") { s = s.dropFirst(4) } else if s.hasPrefix("cwe") { s = s.dropFirst(3) }
            guard !s.isEmpty, s.count <= 6, digits(s), let n = Int(s) else { return nil }
            return "CWE-\(n)"
        })
    }

    static func digits(_ s: Substring) -> Bool {
        s.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    static func unique(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }

    /// URLs in a reference field: an array of strings, or one string holding a list ("- http…\n",
    /// "['https://…', …]").
    static func urls(_ value: Any?) -> [String] {
        var found: [String] = []
        for text in strings(value) {
            var rest = Substring(text)
            var any = false
            while let r = rest.range(of: "http", options: .caseInsensitive) {
                let tail = rest[r.lowerBound...]
                let end = tail.firstIndex(where: { $0.isWhitespace || "'\",]>".contains($0) }) ?? tail.endIndex
                let url = tail[..<end]
                let lower = url.lowercased()
                if lower.hasPrefix("http://") || lower.hasPrefix("https://") {
                    found.append(String(url))
                    any = true
                    rest = tail[end...]
                } else {
                    rest = tail.dropFirst(4)
                }
            }
            if !any { found.append(text) }
        }
        return unique(found)
    }

    static func date(_ value: Any?) -> Date? {
        string(value).flatMap { ExchangeIdentifiers.parseTimestamp($0) }
    }
}
