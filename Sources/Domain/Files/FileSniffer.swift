import Foundation

/// Decides what an uploaded file is from its bytes, never from the name or the declared type alone.
/// Executables, scripts and anything unrecognised are refused.
public enum FileSniffer {
    public struct Kind: Sendable, Equatable {
        public let id: String
        public let contentType: String
        public let extensions: [String]
    }

    public enum Refusal: Error, Equatable, Sendable {
        case empty
        case executable
        case unknown
        /// The bytes are fine but the name claims another type (e.g. `report.pdf` that is a PNG).
        case nameMismatch(expected: String)

        public var code: String {
            switch self {
            case .empty: "file.empty"
            case .executable: "file.executable"
            case .unknown: "file.unknownType"
            case .nameMismatch: "file.nameMismatch"
            }
        }
    }

    public static let pdf = Kind(id: "pdf", contentType: "application/pdf", extensions: ["pdf"])
    public static let docx = Kind(id: "docx", contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", extensions: ["docx"])
    public static let xlsx = Kind(id: "xlsx", contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", extensions: ["xlsx"])
    public static let odt = Kind(id: "odt", contentType: "application/vnd.oasis.opendocument.text", extensions: ["odt"])
    public static let ods = Kind(id: "ods", contentType: "application/vnd.oasis.opendocument.spreadsheet", extensions: ["ods"])
    public static let msOffice = Kind(id: "ms-office", contentType: "application/octet-stream", extensions: ["doc", "xls", "ppt"])
    public static let png = Kind(id: "png", contentType: "image/png", extensions: ["png"])
    public static let jpeg = Kind(id: "jpeg", contentType: "image/jpeg", extensions: ["jpg", "jpeg"])
    public static let zip = Kind(id: "zip", contentType: "application/zip", extensions: ["zip"])
    /// Incident evidence of any other type (mail messages, packet captures, event logs, malware samples): kept
    /// as opaque bytes and only ever downloaded as an attachment.
    public static let binary = Kind(id: "binary", contentType: "application/octet-stream", extensions: [])
    public static let text = Kind(id: "text", contentType: "text/plain; charset=utf-8", extensions: ["txt", "csv", "log", "md", "json", "xml", "nessus"])

    static let executableExtensions: Set<String> = [
        "exe", "dll", "com", "bat", "cmd", "scr", "msi", "ps1", "vbs", "js", "jse", "wsf", "hta", "sh", "bash", "jar",
        "apk", "elf", "bin", "so", "dylib", "app", "lnk", "reg", "py", "pl", "php", "cpl", "html", "htm", "svg",
    ]

    /// Programs that must not travel inside an archive (office files legitimately hold `.bin` printer settings).
    static let programsInArchives: Set<String> = [
        "exe", "dll", "com", "bat", "cmd", "scr", "msi", "ps1", "vbs", "js", "jse", "wsf", "hta", "sh", "jar", "apk", "lnk", "reg", "cpl",
    ]

    /// `head` is the first bytes of the file (4 KiB is plenty); `zipEntries` the names inside when it is a zip.
    public static func sniff(head: [UInt8], fileName: String, zipEntries: [String]? = nil) -> Result<Kind, Refusal> {
        guard !head.isEmpty else { return .failure(.empty) }
        let ext = (fileName as NSString).pathExtension.lowercased()
        if executableExtensions.contains(ext) || isExecutable(head) { return .failure(.executable) }
        let kind: Kind
        if head.starts(with: Array("%PDF-".utf8)) {
            kind = pdf
        } else if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            kind = png
        } else if head.starts(with: [0xFF, 0xD8, 0xFF]) {
            kind = jpeg
        } else if head.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            kind = msOffice
        } else if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            let entries = zipEntries ?? []
            // An office file is a zip too: look for programs inside before trusting what kind it claims to be.
            if entries.contains(where: { programsInArchives.contains(($0 as NSString).pathExtension.lowercased()) }) {
                return .failure(.executable)
            }
            if entries.contains(where: { $0.hasPrefix("word/") }) { kind = docx }
            else if entries.contains(where: { $0.hasPrefix("xl/") }) { kind = xlsx }
            else if String(decoding: head.prefix(200), as: UTF8.self).contains("opendocument.text") { kind = odt }
            else if String(decoding: head.prefix(200), as: UTF8.self).contains("opendocument.spreadsheet") { kind = ods }
            else { kind = zip }
        } else if isPlainText(head) {
            kind = text
        } else {
            return .failure(.unknown)
        }
        if !ext.isEmpty, !kind.extensions.contains(ext) { return .failure(.nameMismatch(expected: kind.extensions[0])) }
        return .success(kind)
    }

    static func isExecutable(_ head: [UInt8]) -> Bool {
        if head.starts(with: [0x4D, 0x5A]) { return true }  // MZ: Windows PE
        if head.starts(with: [0x7F, 0x45, 0x4C, 0x46]) { return true }  // ELF
        if head.starts(with: [0x23, 0x21]) { return true }  // #! script
        let machO: [[UInt8]] = [[0xFE, 0xED, 0xFA, 0xCE], [0xFE, 0xED, 0xFA, 0xCF], [0xCE, 0xFA, 0xED, 0xFE], [0xCF, 0xFA, 0xED, 0xFE], [0xCA, 0xFE, 0xBA, 0xBE]]
        return machO.contains { head.starts(with: $0) }
    }

    /// UTF-8 text without NUL bytes or other binary control characters.
    static func isPlainText(_ head: [UInt8]) -> Bool {
        var bytes = head
        // A cut in the middle of a multi-byte character at the end of the sample is not an error.
        while let last = bytes.last, last & 0xC0 == 0x80 || last >= 0xC0 { bytes.removeLast(); if bytes.count < head.count - 4 { break } }
        guard String(bytes: bytes, encoding: .utf8) != nil else { return false }
        return !bytes.contains { $0 < 0x09 || ($0 > 0x0D && $0 < 0x20 && $0 != 0x1B) }
    }
}
