import Foundation

/// Checks an observable's value against its type and returns its canonical form, so that the same
/// indicator written two ways is one indicator (sightings are counted on the canonical value).
///
/// Every type: surrounding white space is removed; empty values, control characters and values longer than
/// ``ObservableType/maxBytes`` are refused. Then:
/// - ipv4: dotted quad, no leading zeros; ipv6: RFC 5952 canonical text; cidr: either with a prefix
///   length and no host bits set (`10.0.0.0/8`, `2001:db8::/32`);
/// - domain: lower case, no trailing dot, at least two labels of letters (IDN labels kept in Unicode,
///   NFC), digits and inner hyphens, a last label that is not a number;
/// - url: scheme http, https or ftp and a valid host, both lower-cased; the rest kept as given;
/// - email: lower case, a plain local part and a valid domain;
/// - hashes: hexadecimal of the exact length, lower case;
/// - file_name: no `/` or `\`, not `.` or `..`, at most 255 bytes; file_path: has a separator;
/// - registry_key: starts with a hive (HKLM, HKCU, HKCR, HKU, HKCC or its HKEY_ name), written as the full
///   HKEY_ name (as STIX requires), backslash separators, no empty key names;
/// - asn: `AS` and a number 1–4294967295, as `AS13335`;
/// - mutex, user_agent, other: kept as given.
public enum ObservableValidator {
    public static func normalise(type: ObservableType, value: String) throws(ObservableError) -> String {
        let v = value.trimmingCharacters(in: .whitespacesAndNewlines)
        func fail(_ code: ObservableError.Code, _ vi: String, _ en: String) -> ObservableError {
            ObservableError(type: type, code: code, reason: LocalizedText(vi: vi, en: en))
        }
        if v.isEmpty { throw fail(.empty, "Giá trị trống.", "The value is empty.") }
        if let (offset, scalar) = v.unicodeScalars.enumerated().first(where: { $0.element.properties.generalCategory == .control }) {
            let code = String(format: "U+%04X", scalar.value)
            throw fail(.controlCharacter, "Có ký tự điều khiển \(code) ở vị trí \(offset + 1).", "Control character \(code) at position \(offset + 1).")
        }
        if v.utf8.count > type.maxBytes {
            throw fail(.tooLong, "Dài quá \(type.maxBytes) byte (\(v.utf8.count) byte).", "Longer than \(type.maxBytes) bytes (\(v.utf8.count) bytes).")
        }
        switch type {
        case .ipv4:
            guard InventoryValidators.isIPv4(v) else {
                throw fail(.invalidIPv4, "Không phải địa chỉ IPv4: cần bốn số 0–255 cách nhau bởi dấu chấm, không có số 0 ở đầu (\(quoted(v))).",
                           "Not an IPv4 address: four numbers 0–255 separated by dots, without leading zeros (\(quoted(v))).")
            }
            return v
        case .ipv6:
            guard let groups = IPAddressText.parseIPv6(v) else {
                throw fail(.invalidIPv6, "Không phải địa chỉ IPv6 (\(quoted(v))); không ghi kèm độ dài tiền tố, vùng (%) hay dấu ngoặc vuông.",
                           "Not an IPv6 address (\(quoted(v))); without prefix length, zone (%) or brackets.")
            }
            return IPAddressText.formatIPv6(groups)
        case .cidr:
            return try cidr(v, fail)
        case .domain:
            return try domain(v, type: type, code: nil)
        case .url:
            return try url(v, fail)
        case .email:
            return try email(v, fail)
        case .md5, .sha1, .sha256, .sha512:
            let expected = type.hashLength!
            let name = type.rawValue.uppercased().replacingOccurrences(of: "SHA", with: "SHA-")
            if let (offset, bad) = v.enumerated().first(where: { !($0.element.isASCII && $0.element.isHexDigit) }) {
                throw fail(.hashNotHex, "\(name) chỉ gồm chữ số thập lục phân 0–9, a–f; ký tự \(quoted(String(bad))) ở vị trí \(offset + 1) không hợp lệ.",
                           "\(name) is hexadecimal digits 0–9, a–f only; \(quoted(String(bad))) at position \(offset + 1) is not.")
            }
            guard v.count == expected else {
                throw fail(.hashLength, "\(name) gồm \(expected) chữ số thập lục phân, giá trị này có \(v.count).",
                           "\(name) has \(expected) hexadecimal digits; this value has \(v.count).")
            }
            return v.lowercased()
        case .fileName:
            if v.contains("/") || v.contains("\\") {
                throw fail(.fileNameSeparator, "Tên tệp không được chứa dấu / hoặc \\ (hãy dùng loại đường dẫn tệp).",
                           "A file name must not contain / or \\ (use the file path type).")
            }
            if v == "." || v == ".." { throw fail(.fileNameReserved, "\(quoted(v)) không phải tên tệp.", "\(quoted(v)) is not a file name.") }
            return v
        case .filePath:
            guard v.contains("/") || v.contains("\\") else {
                throw fail(.filePathNoSeparator, "Đường dẫn tệp phải có dấu / hoặc \\ (tên tệp đơn lẻ dùng loại tên tệp).",
                           "A file path must contain / or \\ (a bare file name has the file name type).")
            }
            return v
        case .registryKey:
            return try registryKey(v, fail)
        case .asn:
            var digits = Substring(v)
            if digits.uppercased().hasPrefix("AS") { digits = digits.dropFirst(2) }
            guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), digits.first != "0" || digits.count == 1,
                  let number = UInt64(digits), (1...4_294_967_295).contains(number) else {
                throw fail(.asnInvalid, "Số hiệu mạng (ASN) phải có dạng AS13335 hoặc 13335, từ 1 đến 4294967295 (\(quoted(v))).",
                           "An AS number is written AS13335 or 13335, 1–4294967295 (\(quoted(v))).")
            }
            return "AS\(number)"
        case .mutex, .userAgent, .other:
            return v
        }
    }

    // MARK: Types with structure

    private static func cidr(_ v: String, _ fail: (ObservableError.Code, String, String) -> ObservableError) throws(ObservableError) -> String {
        let parts = v.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            throw parts.count == 1
                ? fail(.cidrPrefixMissing, "Dải địa chỉ cần độ dài tiền tố, ví dụ 10.0.0.0/8.", "A network range needs a prefix length, e.g. 10.0.0.0/8.")
                : fail(.cidrPrefixInvalid, "Chỉ được có một dấu /.", "Only one / is allowed.")
        }
        let address = String(parts[0]), prefixText = parts[1]
        let v4 = IPAddressText.parseIPv4(address)
        let v6 = v4 == nil ? IPAddressText.parseIPv6(address) : nil
        guard v4 != nil || v6 != nil else {
            throw fail(.cidrAddressInvalid, "\(quoted(address)) không phải địa chỉ IPv4 hay IPv6.", "\(quoted(address)) is not an IPv4 or IPv6 address.")
        }
        let maxPrefix = v4 != nil ? 32 : 128
        guard !prefixText.isEmpty, prefixText.count <= 3, prefixText.allSatisfy({ $0.isASCII && $0.isNumber }),
              prefixText.first != "0" || prefixText.count == 1, let prefix = Int(prefixText), prefix <= maxPrefix else {
            throw fail(.cidrPrefixInvalid, "Độ dài tiền tố phải là số từ 0 đến \(maxPrefix) (\(quoted(String(prefixText)))).",
                       "The prefix length must be a number 0–\(maxPrefix) (\(quoted(String(prefixText)))).")
        }
        let bytes = v4 ?? IPAddressText.bytes(v6!)
        let text = v4 != nil ? address : IPAddressText.formatIPv6(v6!)
        if IPAddressText.hasHostBits(bytes, prefix: prefix) {
            let network = masked(bytes, prefix: prefix)
            let suggestion = v4 != nil ? network.map(String.init).joined(separator: ".") : IPAddressText.formatIPv6(
                stride(from: 0, to: 16, by: 2).map { UInt16(network[$0]) << 8 | UInt16(network[$0 + 1]) })
            throw fail(.cidrHostBitsSet, "Địa chỉ \(text) có bit máy chủ khác 0 với tiền tố /\(prefix); dải mạng là \(suggestion)/\(prefix).",
                       "\(text) has host bits set for /\(prefix); the network is \(suggestion)/\(prefix).")
        }
        return "\(text)/\(prefix)"
    }

    private static func masked(_ bytes: [UInt8], prefix: Int) -> [UInt8] {
        bytes.enumerated().map { index, byte in
            let bits = max(0, min(8, prefix - index * 8))
            return bits == 0 ? 0 : byte & ~(0xff >> bits)
        }
    }

    /// A host name; `code` replaces the error code when the domain is part of a URL or e-mail address.
    static func domain(_ raw: String, type: ObservableType, code: ObservableError.Code?) throws(ObservableError) -> String {
        func fail(_ own: ObservableError.Code, _ vi: String, _ en: String) -> ObservableError {
            ObservableError(type: type, code: code ?? own, reason: LocalizedText(vi: vi, en: en))
        }
        var name = raw.precomposedStringWithCanonicalMapping.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        guard !name.isEmpty else { throw fail(.domainInvalid, "Tên miền trống.", "The domain name is empty.") }
        guard name.utf8.count <= 253 else { throw fail(.domainInvalid, "Tên miền dài quá 253 byte.", "The domain name is longer than 253 bytes.") }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else {
            throw fail(.domainInvalid, "Tên miền \(quoted(name)) cần ít nhất hai nhãn, ví dụ example.vn.",
                       "The domain \(quoted(name)) needs at least two labels, e.g. example.vn.")
        }
        for label in labels {
            if label.isEmpty {
                throw fail(.domainLabelInvalid, "Tên miền \(quoted(name)) có nhãn rỗng (hai dấu chấm liền nhau hoặc dấu chấm ở đầu).",
                           "The domain \(quoted(name)) has an empty label (two dots in a row or a leading dot).")
            }
            if label.unicodeScalars.count > 63 {
                throw fail(.domainLabelInvalid, "Nhãn \(quoted(String(label))) dài quá 63 ký tự.", "The label \(quoted(String(label))) is longer than 63 characters.")
            }
            if label.hasPrefix("-") || label.hasSuffix("-") {
                throw fail(.domainLabelInvalid, "Nhãn \(quoted(String(label))) không được bắt đầu hoặc kết thúc bằng dấu gạch ngang.",
                           "The label \(quoted(String(label))) must not start or end with a hyphen.")
            }
            if let bad = label.first(where: { !($0.isLetter || ($0.isASCII && $0.isNumber) || $0 == "-") }) {
                throw fail(.domainLabelInvalid, "Nhãn \(quoted(String(label))) có ký tự không hợp lệ \(quoted(String(bad))); chỉ dùng chữ, số và dấu gạch ngang.",
                           "The label \(quoted(String(label))) contains \(quoted(String(bad))); only letters, digits and hyphens are allowed.")
            }
        }
        if labels.last!.allSatisfy({ $0.isASCII && $0.isNumber }) {
            throw fail(.domainInvalid, "Nhãn cuối của \(quoted(name)) là số: đây không phải tên miền (địa chỉ IP?).",
                       "The last label of \(quoted(name)) is a number: not a domain name (an IP address?).")
        }
        return name
    }

    private static func url(_ v: String, _ fail: (ObservableError.Code, String, String) -> ObservableError) throws(ObservableError) -> String {
        if v.contains(where: \.isWhitespace) {
            throw fail(.urlInvalid, "URL không được chứa khoảng trắng (hãy mã hóa thành %20).", "A URL must not contain white space (encode it as %20).")
        }
        guard let separator = v.range(of: "://") else {
            throw fail(.urlSchemeNotAllowed, "URL phải bắt đầu bằng http://, https:// hoặc ftp://.", "A URL must start with http://, https:// or ftp://.")
        }
        let scheme = v[..<separator.lowerBound].lowercased()
        guard ["http", "https", "ftp"].contains(scheme) else {
            throw fail(.urlSchemeNotAllowed, "Giao thức \(quoted(scheme)) không được chấp nhận; chỉ http, https hoặc ftp.",
                       "The scheme \(quoted(scheme)) is not accepted; only http, https or ftp.")
        }
        let afterScheme = v[separator.upperBound...]
        let authorityEnd = afterScheme.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? afterScheme.endIndex
        let authority = afterScheme[..<authorityEnd]
        let rest = afterScheme[authorityEnd...]
        var userInfo = "", hostPort = authority
        if let at = authority.lastIndex(of: "@") {
            userInfo = String(authority[...at])
            hostPort = authority[authority.index(after: at)...]
        }
        var host: String, port: Substring?
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]"), let groups = IPAddressText.parseIPv6(String(hostPort[hostPort.index(after: hostPort.startIndex)..<close])) else {
                throw fail(.urlHostInvalid, "Địa chỉ IPv6 trong URL không hợp lệ.", "The IPv6 address in the URL is not valid.")
            }
            host = "[" + IPAddressText.formatIPv6(groups) + "]"
            let after = hostPort[hostPort.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw fail(.urlHostInvalid, "Sau địa chỉ IPv6 chỉ được có :cổng.", "Only :port may follow the IPv6 address.") }
                port = after.dropFirst()
            }
        } else {
            if let colon = hostPort.lastIndex(of: ":") {
                port = hostPort[hostPort.index(after: colon)...]
                hostPort = hostPort[..<colon]
            }
            guard !hostPort.isEmpty else { throw fail(.urlHostInvalid, "URL không có tên máy chủ.", "The URL has no host.") }
            if InventoryValidators.isIPv4(String(hostPort)) {
                host = String(hostPort)
            } else {
                do {
                    host = try domain(String(hostPort), type: .url, code: .urlHostInvalid)
                } catch {
                    throw ObservableError(type: .url, code: .urlHostInvalid, reason: LocalizedText(
                        vi: "Máy chủ của URL không hợp lệ: \(error.reason.vi)", en: "The URL's host is not valid: \(error.reason.en)"))
                }
            }
        }
        if let port {
            guard !port.isEmpty, port.count <= 5, port.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(port), (1...65_535).contains(n) else {
                throw fail(.urlPortInvalid, "Cổng \(quoted(String(port))) phải là số từ 1 đến 65535.", "The port \(quoted(String(port))) must be a number 1–65535.")
            }
        }
        return scheme + "://" + userInfo + host + (port.map { ":" + $0 } ?? "") + rest
    }

    private static let localPartCharacters = Set("abcdefghijklmnopqrstuvwxyz0123456789!#$%&'*+-/=?^_`{|}~.")

    private static func email(_ v: String, _ fail: (ObservableError.Code, String, String) -> ObservableError) throws(ObservableError) -> String {
        let parts = v.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            throw fail(.emailInvalid, "Địa chỉ thư điện tử phải có đúng một dấu @.", "An e-mail address has exactly one @.")
        }
        let local = parts[0].lowercased()
        guard (1...64).contains(local.utf8.count) else {
            throw fail(.emailInvalid, "Phần trước dấu @ phải dài 1–64 ký tự.", "The part before @ must be 1–64 characters long.")
        }
        if let bad = local.first(where: { !localPartCharacters.contains($0) }) {
            throw fail(.emailInvalid, "Phần trước dấu @ có ký tự không hợp lệ \(quoted(String(bad))).", "The part before @ contains \(quoted(String(bad))).")
        }
        if local.hasPrefix(".") || local.hasSuffix(".") || local.contains("..") {
            throw fail(.emailInvalid, "Phần trước dấu @ không được bắt đầu, kết thúc bằng dấu chấm hay có hai dấu chấm liền nhau.",
                       "The part before @ must not start or end with a dot or contain two dots in a row.")
        }
        let domainPart: String
        do {
            domainPart = try domain(String(parts[1]), type: .email, code: .emailDomainInvalid)
        } catch {
            throw ObservableError(type: .email, code: .emailDomainInvalid, reason: LocalizedText(
                vi: "Tên miền của địa chỉ thư không hợp lệ: \(error.reason.vi)", en: "The address's domain is not valid: \(error.reason.en)"))
        }
        return local + "@" + domainPart
    }

    static let hives: [(short: String, full: String)] = [
        ("HKLM", "HKEY_LOCAL_MACHINE"), ("HKCU", "HKEY_CURRENT_USER"), ("HKCR", "HKEY_CLASSES_ROOT"),
        ("HKU", "HKEY_USERS"), ("HKCC", "HKEY_CURRENT_CONFIG"),
    ]

    /// The full hive name and the rest of the key when `v` starts with a known hive followed by `\` or the end.
    static func registryHive(of v: String) -> (full: String, rest: Substring)? {
        let first = v.prefix { $0 != "\\" }
        let upper = first.uppercased()
        guard let hive = hives.first(where: { $0.short == upper || $0.full == upper }) else { return nil }
        return (hive.full, v[first.endIndex...])
    }

    private static func registryKey(_ v: String, _ fail: (ObservableError.Code, String, String) -> ObservableError) throws(ObservableError) -> String {
        guard let (hive, rest) = registryHive(of: v) else {
            if registryHive(of: v.replacingOccurrences(of: "/", with: "\\")) != nil {
                throw fail(.registryPathInvalid, "Khóa registry phân cách bằng dấu \\, không phải dấu /.", "Registry keys are separated by \\, not /.")
            }
            let first = v.prefix { $0 != "\\" && $0 != "/" }
            throw fail(.registryHiveUnknown, "Khóa registry phải bắt đầu bằng một nhánh gốc HKLM, HKCU, HKCR, HKU, HKCC hoặc tên HKEY_ đầy đủ, không phải \(quoted(String(first))).",
                       "A registry key must start with a hive: HKLM, HKCU, HKCR, HKU, HKCC or its full HKEY_ name, not \(quoted(String(first))).")
        }
        var path = rest
        if path.hasSuffix("\\") { path = path.dropLast() }
        if path.isEmpty { return hive }
        let names = path.dropFirst().split(separator: "\\", omittingEmptySubsequences: false)
        if names.contains(where: \.isEmpty) {
            throw fail(.registryPathInvalid, "Khóa registry có tên rỗng (hai dấu \\ liền nhau).", "The registry key has an empty name (two backslashes in a row).")
        }
        return hive + path
    }

    /// A value in quotation marks for a message, shortened when long.
    static func quoted(_ value: String) -> String {
        "\u{201C}" + (value.count > 80 ? value.prefix(77) + "…" : value) + "\u{201D}"
    }
}
