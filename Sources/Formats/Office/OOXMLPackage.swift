import Foundation
import ZIPFoundation

/// XML text helpers shared by the DOCX and XLSX writers.
enum XMLText {
    /// True for scalars allowed in XML 1.0 documents.
    @inline(__always)
    static func isLegal(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        switch value {
        case 0x9, 0xA, 0xD: return true
        case 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: return true
        default: return false
        }
    }

    /// `text` without characters illegal in XML 1.0 (control characters, U+FFFE/U+FFFF).
    static func sanitized(_ text: String) -> String {
        if text.unicodeScalars.allSatisfy(isLegal) { return text }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars where isLegal(scalar) { scalars.append(scalar) }
        return String(scalars)
    }

    /// Escapes &, <, >, " and ' and drops illegal characters; safe in both text and attribute values.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        escape(text, into: &out)
        return out
    }

    static func escape(_ text: String, into out: inout String) {
        var needsWork = false
        for unit in text.utf8 where unit < 0x20 || unit == 0x26 || unit == 0x3C || unit == 0x3E || unit == 0x22 || unit == 0x27 || unit == 0xEF {
            needsWork = true
            break
        }
        if !needsWork {
            out += text
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                if isLegal(scalar) { out.unicodeScalars.append(scalar) }
            }
        }
    }

    /// Formats a point size as OOXML half-points ("14" → "28", "13.5" → "27").
    static func halfPoints(_ points: Double) -> String {
        String(Int((points * 2).rounded()))
    }

    static let declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
}

/// Builds a ZIP package (OOXML container) in memory with deterministic entry dates.
struct PackageBuilder {
    /// Fixed modification date for every entry, so equal input gives byte-equal output.
    static let fixedDate = Date(timeIntervalSince1970: 1_577_836_800) // 2020-01-01T00:00:00Z

    private var parts: [(path: String, data: Data)] = []

    mutating func add(_ path: String, _ xml: String) {
        parts.append((path, Data(xml.utf8)))
    }

    func build() throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        for part in parts {
            let data = part.data
            try archive.addEntry(
                with: part.path,
                type: .file,
                uncompressedSize: Int64(data.count),
                modificationDate: Self.fixedDate,
                compressionMethod: .deflate,
                provider: { position, size -> Data in
                    let start = data.startIndex + Int(position)
                    let end = min(start + size, data.endIndex)
                    return data.subdata(in: start..<end)
                }
            )
        }
        guard let data = archive.data else { throw OfficeWriteError.archive("the in-memory archive has no data") }
        return data
    }
}

/// Errors from the DOCX/XLSX writers (only the ZIP container can fail).
public enum OfficeWriteError: Error, Equatable, CustomStringConvertible {
    case archive(String)

    public var description: String {
        switch self {
        case .archive(let detail): return "Could not build the document package: \(detail)"
        }
    }
}
