import Foundation

/// Checks for the inventory fields of a system: network addresses, domains, URLs, CPE names.
public enum InventoryValidators {
    /// An IPv4 or IPv6 address, optionally with a CIDR prefix length.
    public static func isNetworkAddress(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let address = parts.first else { return false }
        let isV4 = isIPv4(String(address))
        let isV6 = !isV4 && isIPv6(String(address))
        guard isV4 || isV6 else { return false }
        if parts.count == 2 {
            guard let prefix = Int(parts[1]), parts[1].allSatisfy(\.isASCII) else { return false }
            return isV4 ? (0...32).contains(prefix) : (0...128).contains(prefix)
        }
        return true
    }

    public static func isIPv4(_ text: String) -> Bool {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return false }
        return octets.allSatisfy { o in
            !o.isEmpty && o.count <= 3 && o.allSatisfy { $0.isASCII && $0.isNumber } && Int(o)! <= 255
                && !(o.count > 1 && o.first == "0")
        }
    }

    public static func isIPv6(_ text: String) -> Bool {
        guard text.contains(":"), text.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { return false }
        let doubleColons = text.components(separatedBy: "::").count - 1
        guard doubleColons <= 1 else { return false }
        var groups = text.split(separator: ":", omittingEmptySubsequences: true).map(String.init)
        var needed = 8
        if let last = groups.last, last.contains(".") {
            guard isIPv4(last) else { return false }
            groups.removeLast()
            needed = 6
        }
        guard groups.allSatisfy({ (1...4).contains($0.count) && !$0.contains(".") }) else { return false }
        return doubleColons == 1 ? groups.count < needed : groups.count == needed
    }

    /// A DNS host name such as `dichvucong.langson.gov.vn` (ASCII or punycode labels).
    public static func isDomain(_ text: String) -> Bool {
        let name = text.hasSuffix(".") ? String(text.dropLast()) : text
        guard !name.isEmpty, name.count <= 253 else { return false }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return false }
        return labels.allSatisfy { label in
            (1...63).contains(label.count) && label.first != "-" && label.last != "-"
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        }
    }

    /// An absolute http or https URL with a host.
    public static func isWebURL(_ text: String) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = url.host, !host.isEmpty else { return false }
        return isDomain(host) || isIPv4(host) || isIPv6(host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")))
    }

    /// A CPE 2.3 formatted string: `cpe:2.3:part:vendor:product:version:update:edition:language:sw_edition:target_sw:target_hw:other`.
    public static func isCPE23(_ text: String) -> Bool {
        guard text.hasPrefix("cpe:2.3:") else { return false }
        var fields: [String] = []
        var current = ""
        var escaped = false
        for ch in text {
            if escaped { current.append(ch); escaped = false; continue }
            if ch == "\\" { escaped = true; current.append(ch); continue }
            if ch == ":" { fields.append(current); current = ""; continue }
            current.append(ch)
        }
        fields.append(current)
        guard fields.count == 13, ["a", "o", "h", "*", "-"].contains(fields[2]) else { return false }
        return fields.dropFirst(2).allSatisfy { !$0.isEmpty && !$0.contains(where: { $0.isWhitespace }) }
    }

    /// Splits a multi-line field into trimmed, non-empty lines.
    public static func lines(_ text: String?) -> [String] {
        (text ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
