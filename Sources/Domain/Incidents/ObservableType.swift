import Foundation

/// Kinds of observables / indicators of compromise on a case. Raw values are stored and used in the API.
public enum ObservableType: String, CaseIterable, Codable, Sendable {
    case ipv4, ipv6, cidr, domain, url, email
    case md5, sha1, sha256, sha512
    case fileName = "file_name"
    case filePath = "file_path"
    case registryKey = "registry_key"
    case mutex
    case userAgent = "user_agent"
    case asn
    case other

    /// Hexadecimal digits of a hash type; nil for other types.
    public var hashLength: Int? {
        switch self {
        case .md5: 32
        case .sha1: 40
        case .sha256: 64
        case .sha512: 128
        default: nil
        }
    }

    /// Largest accepted value in UTF-8 bytes.
    public var maxBytes: Int {
        switch self {
        case .ipv4, .ipv6, .cidr, .asn, .md5, .sha1, .sha256, .sha512: 256
        case .domain: 253
        case .email: 254
        case .fileName: 255
        case .mutex: 1024
        case .userAgent: 2048
        case .url, .filePath, .registryKey, .other: 4096
        }
    }

    /// Extensions that make `name.ext` a file name rather than a domain when guessing.
    static let fileExtensions: Set<String> = [
        "exe", "dll", "sys", "scr", "bat", "cmd", "ps1", "psm1", "vbs", "vbe", "js", "jse", "wsf", "hta", "lnk", "msi",
        "jar", "py", "sh", "elf", "bin", "dat", "tmp", "log", "txt", "doc", "docx", "docm", "xls", "xlsx", "xlsm", "ppt",
        "pptx", "pdf", "rtf", "zip", "rar", "7z", "gz", "tar", "iso", "img", "apk", "dmg", "one", "html", "htm", "php",
        "asp", "aspx", "jsp", "png", "jpg", "jpeg", "gif",
    ]

    /// The most likely type of an imported value; `other` when nothing fits. A guess: the person importing
    /// can change it, and the value is then checked by ``ObservableValidator/normalise(type:value:)``.
    /// `name.exe`-like values are taken for file names even when the extension is also a top-level domain.
    public static func guess(_ value: String) -> ObservableType {
        let v = value.trimmingCharacters(in: .whitespacesAndNewlines)
        func valid(_ type: ObservableType) -> Bool { (try? ObservableValidator.normalise(type: type, value: v)) != nil }
        if v.isEmpty { return .other }
        if InventoryValidators.isIPv4(v) { return .ipv4 }
        if IPAddressText.parseIPv6(v) != nil { return .ipv6 }
        if v.contains("/"), let slash = v.firstIndex(of: "/"),
           InventoryValidators.isIPv4(String(v[..<slash])) || IPAddressText.parseIPv6(String(v[..<slash])) != nil {
            return .cidr
        }
        if v.allSatisfy(\.isHexDigit) {
            switch v.count {
            case 32: return .md5
            case 40: return .sha1
            case 64: return .sha256
            case 128: return .sha512
            default: break
            }
        }
        if v.contains("://") { return valid(.url) ? .url : .other }
        if v.contains("@"), !v.contains(" "), valid(.email) { return .email }
        if ObservableValidator.registryHive(of: v) != nil { return .registryKey }
        if v.uppercased().hasPrefix("AS"), v.count > 2, v.dropFirst(2).allSatisfy(\.isASCII), v.dropFirst(2).allSatisfy(\.isNumber) { return .asn }
        if ["Global\\", "Local\\", "Session\\"].contains(where: { v.hasPrefix($0) }) { return .mutex }
        if v.hasPrefix("Mozilla/") || v.hasPrefix("curl/") || v.hasPrefix("Wget/") || v.hasPrefix("python-requests/") { return .userAgent }
        let last = v.split(separator: ".").last.map { String($0).lowercased() }
        let looksLikeFile = v.contains(".") && last.map { fileExtensions.contains($0) } == true
        if !looksLikeFile, !v.contains("/"), !v.contains("\\"), valid(.domain) { return .domain }
        if (v.contains("/") || v.contains("\\")), valid(.filePath) { return .filePath }
        if looksLikeFile, valid(.fileName) { return .fileName }
        return .other
    }
}

/// Why a value is not an observable of its type: a stable `code` for programs and a reason for people.
public struct ObservableError: Error, Sendable, Equatable, Codable {
    public enum Code: String, Codable, Sendable, CaseIterable {
        case empty
        case tooLong = "too_long"
        case controlCharacter = "control_character"
        case invalidIPv4 = "invalid_ipv4"
        case invalidIPv6 = "invalid_ipv6"
        case cidrPrefixMissing = "cidr_prefix_missing"
        case cidrPrefixInvalid = "cidr_prefix_invalid"
        case cidrAddressInvalid = "cidr_address_invalid"
        case cidrHostBitsSet = "cidr_host_bits_set"
        case domainInvalid = "domain_invalid"
        case domainLabelInvalid = "domain_label_invalid"
        case urlInvalid = "url_invalid"
        case urlSchemeNotAllowed = "url_scheme_not_allowed"
        case urlHostInvalid = "url_host_invalid"
        case urlPortInvalid = "url_port_invalid"
        case emailInvalid = "email_invalid"
        case emailDomainInvalid = "email_domain_invalid"
        case hashNotHex = "hash_not_hex"
        case hashLength = "hash_length"
        case fileNameSeparator = "file_name_separator"
        case fileNameReserved = "file_name_reserved"
        case filePathNoSeparator = "file_path_no_separator"
        case registryHiveUnknown = "registry_hive_unknown"
        case registryPathInvalid = "registry_path_invalid"
        case asnInvalid = "asn_invalid"
    }

    public var type: ObservableType
    public var code: Code
    public var reason: LocalizedText

    public init(type: ObservableType, code: Code, reason: LocalizedText) {
        self.type = type
        self.code = code
        self.reason = reason
    }
}
