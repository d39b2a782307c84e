import Foundation

/// Which scanner wrote a report, from the first bytes of its content (never the file name).
///
/// - XML: the root element (after the declaration, comments, DOCTYPE and processing instructions):
///   `nmaprun` → nmap; `NessusClientData_v2` → Nessus; `report` or `get_reports_response` with an OpenVAS/GVM
///   marker (`format_id=`, `<nvt`, `<scan_run_status>`, "OpenVAS", "Greenbone", …) → OpenVAS.
/// - JSON (the top-level keys met in the prefix): `runs` with a SARIF `$schema` or `version` 2.x, or a `$schema`
///   naming SARIF → SARIF; `SchemaVersion`, `ArtifactName`, `ClusterName` → Trivy; `template-id`/`templateID`
///   (or `template` with `info`) → Nuclei. A top-level array is judged by its first element: `Target` with
///   `Vulnerabilities`/`Class`/`Type` → Trivy (legacy), a Nuclei result → Nuclei. JSON lines are judged by the first.
public enum ScanFormatDetector {
    /// How much of the content ``detect(prefix:)`` looks at.
    public static let prefixLength = 64 << 10

    public static func detect(prefix: Data) -> ScannerFormat? {
        let bytes = normalized(prefix)
        guard let first = bytes.firstIndex(where: { !isSpace($0) }) else { return nil }
        switch bytes[first] {
        case UInt8(ascii: "<"): return xml(bytes, from: first)
        case UInt8(ascii: "{"), UInt8(ascii: "["): return json(bytes)
        default: return nil
        }
    }

    /// "XML" or "JSON" by the first significant character, for messages about unrecognised content; nil when
    /// empty or neither.
    public static func syntax(of prefix: Data) -> String? {
        let bytes = normalized(prefix)
        switch bytes.first(where: { !isSpace($0) }) {
        case UInt8(ascii: "<"): return "XML"
        case UInt8(ascii: "{"), UInt8(ascii: "["): return "JSON"
        default: return nil
        }
    }

    /// UTF-8 without a byte order mark (UTF-16 with a BOM is converted).
    private static func normalized(_ data: Data) -> [UInt8] {
        let head = [UInt8](data.prefix(prefixLength))
        if head.starts(with: [0xEF, 0xBB, 0xBF]) { return Array(head.dropFirst(3)) }
        if head.starts(with: [0xFF, 0xFE]) || head.starts(with: [0xFE, 0xFF]) {
            let even = Data(head.prefix(head.count & ~1))
            let text = String(data: even, encoding: .utf16) ?? ""
            return Array(text.utf8)
        }
        return head
    }

    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

    // MARK: XML

    private static func xml(_ b: [UInt8], from start: Int) -> ScannerFormat? {
        guard let name = rootElement(b, from: start) else { return nil }
        let local = name.split(separator: ":").last.map(String.init) ?? name
        switch local {
        case "nmaprun": return .nmap
        case "NessusClientData_v2", "NessusClientData": return .nessus
        case "report", "get_reports_response":
            let text = String(decoding: b, as: UTF8.self).lowercased()
            let markers = ["format_id=", "<nvt", "<scan_run_status>", "openvas", "greenbone", "<gmp", "<omp",
                           "<report_format", "<task id="]
            return markers.contains { text.contains($0) } ? .openvas : nil
        default: return nil
        }
    }

    /// The name of the first element, skipping `<?…?>`, `<!--…-->` and `<!DOCTYPE …>` (with an internal subset).
    private static func rootElement(_ b: [UInt8], from start: Int) -> String? {
        var i = start
        func find(_ needle: [UInt8], from: Int) -> Int? {
            guard needle.count <= b.count else { return nil }
            var j = from
            while j + needle.count <= b.count {
                if b[j] == needle[0], Array(b[j..<(j + needle.count)]) == needle { return j + needle.count }
                j += 1
            }
            return nil
        }
        while i < b.count {
            guard b[i] == UInt8(ascii: "<") else {
                if isSpace(b[i]) { i += 1; continue }
                return nil
            }
            let rest = b[(i + 1)...]
            if rest.starts(with: Array("?".utf8)) {
                guard let end = find(Array("?>".utf8), from: i + 2) else { return nil }
                i = end
            } else if rest.starts(with: Array("!--".utf8)) {
                guard let end = find(Array("-->".utf8), from: i + 4) else { return nil }
                i = end
            } else if rest.starts(with: Array("!".utf8)) {
                let close = find(Array(">".utf8), from: i + 2)
                if let bracket = find(Array("[".utf8), from: i + 2), bracket < (close ?? .max) {
                    guard let end = find(Array("]".utf8), from: bracket), let gt = find(Array(">".utf8), from: end) else { return nil }
                    i = gt
                } else {
                    guard let close else { return nil }
                    i = close
                }
            } else {
                let name = rest.prefix { !isSpace($0) && $0 != UInt8(ascii: ">") && $0 != UInt8(ascii: "/") }
                return name.isEmpty ? nil : String(decoding: name, as: UTF8.self)
            }
        }
        return nil
    }

    // MARK: JSON

    private static func json(_ b: [UInt8]) -> ScannerFormat? {
        let reader = JSONStreamReader(data: Data(b), allowsMultipleValues: true)
        switch try? reader.peekKind() {
        case .object:
            return classify(members(reader), topLevel: true)
        case .array:
            guard (try? reader.enterArray()) == true, (try? reader.nextElement()) == true,
                  (try? reader.peekKind()) == .object else { return nil }
            return classify(members(reader), topLevel: false)
        default:
            return nil
        }
    }

    /// Keys of the object that comes next, with the string values of `$schema` and `version`, as far as the
    /// prefix goes (a cut-off prefix simply ends the list).
    private static func members(_ reader: JSONStreamReader) -> [String: String] {
        var found: [String: String] = [:]
        guard (try? reader.enterObject()) == true else { return found }
        while let key = try? reader.nextKey() {
            if key == "$schema" || key == "version" {
                guard let value = try? reader.readString() else { break }
                found[key] = value
            } else {
                found[key] = ""
                guard (try? reader.skipValue()) != nil else { break }
            }
        }
        return found
    }

    private static func classify(_ keys: [String: String], topLevel: Bool) -> ScannerFormat? {
        func has(_ key: String) -> Bool { keys[key] != nil }
        if topLevel {
            let schema = keys["$schema"]?.lowercased() ?? ""
            if schema.contains("sarif") { return .sarif }
            if has("runs"), has("$schema") || keys["version"]?.hasPrefix("2.") == true { return .sarif }
            if has("SchemaVersion") || has("ArtifactName") || has("ClusterName") || (has("Results") && has("ArtifactType")) {
                return .trivy
            }
        } else if has("Target"), has("Vulnerabilities") || has("Class") || has("Type") || has("Misconfigurations") {
            return .trivy
        }
        if has("template-id") || has("templateID") || (has("template") && has("info")) { return .nuclei }
        if has("info"), has("matched-at") || has("matched") { return .nuclei }
        return nil
    }
}
