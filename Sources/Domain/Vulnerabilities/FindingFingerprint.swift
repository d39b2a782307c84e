import Crypto
import Foundation

/// A stable identity of a finding within one system, so that re-importing a report, or importing another
/// scanner's report of the same weakness, updates the same finding instead of adding a duplicate
/// (`findings` is unique on system and fingerprint).
///
/// The identity is `(where, what)`, scanner-independent wherever the data allows:
/// - **where**: the host, normalised (IP addresses in canonical form — IPv4 dotted decimal, IPv6 RFC 5952, an
///   IPv4-mapped IPv6 address as its IPv4 form; host names lower-cased without a trailing dot; brackets and
///   surrounding space removed); the port; the transport protocol lower-cased (`tcp` when a port is given without
///   one, as Nessus, OpenVAS and nmap all mean TCP then); and the location inside an artefact (file, package,
///   image) for code and image scanners, as given (paths are case-sensitive).
/// - **what**, the first that exists:
///   1. the CVE ids, upper-cased, deduplicated and sorted (`cve:CVE-2021-44228,CVE-2021-45046`) — so a Nessus
///      plugin and an OpenVAS NVT reporting the same CVEs on the same host and port give the same fingerprint;
///   2. the scanner family and its own check id (`nessus:156032`, `openvas:1.3.6.1.4.1.25623.1.0.117842`) —
///      stable across re-imports of the same scanner but not across scanners;
///   3. the title, lower-cased with white space collapsed (`title:ssl certificate expired`).
///
/// Scanners that list different CVE sets for one weakness do not meet in (1); ``cveFingerprints(host:port:proto:cves:location:)``
/// gives one key per CVE so an importer can also match a stored finding sharing any CVE on the same host and port.
/// The scanner's severity, score, evidence and times are deliberately not part of the identity: they change between
/// runs of the same check. The system is not either: uniqueness is per system.
public enum FindingFingerprint {
    /// Bumped if the identity ever changes, so old and new fingerprints never collide silently.
    public static let version = "v1"

    /// SHA-256 (lower-case hex) of the normalised identity.
    /// - Parameters:
    ///   - scannerFamily: the report format / scanner (`nessus`, `openvas`, `nmap`, `nuclei`, `trivy`, `sarif`, `manual`).
    ///   - scannerId: the scanner's own check id (plugin id, NVT OID, template id, rule id).
    public static func compute(host: String?, port: Int?, proto: String?, cves: [String], scannerFamily: String?,
                               scannerId: String?, title: String, location: String?) -> String {
        hash(identity(host: host, port: port, proto: proto, cves: cves, scannerFamily: scannerFamily,
                      scannerId: scannerId, title: title, location: location))
    }

    /// One fingerprint per CVE (same place, `cve:<one id>`), for matching findings whose CVE sets overlap.
    public static func cveFingerprints(host: String?, port: Int?, proto: String?, cves: [String], location: String?) -> [String] {
        normalisedCVEs(cves).map { cve in
            hash(place(host: host, port: port, proto: proto, location: location) + [("cve:" + cve)])
        }
    }

    /// The text that is hashed (fields joined by U+001F), exposed for tests and for explaining a match.
    public static func identity(host: String?, port: Int?, proto: String?, cves: [String], scannerFamily: String?,
                                scannerId: String?, title: String, location: String?) -> String {
        (place(host: host, port: port, proto: proto, location: location)
            + [what(cves: cves, scannerFamily: scannerFamily, scannerId: scannerId, title: title)])
            .joined(separator: "\u{1F}")
    }

    static func hash(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    static func hash(_ fields: [String]) -> String { hash(fields.joined(separator: "\u{1F}")) }

    static func place(host: String?, port: Int?, proto: String?, location: String?) -> [String] {
        let portText = port.map(String.init) ?? ""
        var protocolText = clean(proto)?.lowercased() ?? ""
        if protocolText.isEmpty, port != nil { protocolText = "tcp" }
        if port == nil, protocolText == "tcp" || protocolText == "udp" || protocolText == "sctp" {
            // "general/tcp" findings (no port) of one scanner must meet another's port-less finding.
            protocolText = ""
        }
        return [version, normalisedHost(host), portText, protocolText, clean(location) ?? ""]
    }

    static func what(cves: [String], scannerFamily: String?, scannerId: String?, title: String) -> String {
        let ids = normalisedCVEs(cves)
        if !ids.isEmpty { return "cve:" + ids.joined(separator: ",") }
        if let id = clean(scannerId) {
            let family = clean(scannerFamily)?.lowercased() ?? "unknown"
            return "\(family):\(id)"
        }
        return "title:" + collapse(title).lowercased()
    }

    /// Upper-cased, deduplicated, sorted; anything not shaped like `CVE-YYYY-N…` is dropped.
    public static func normalisedCVEs(_ cves: [String]) -> [String] {
        var set = Set<String>()
        for raw in cves {
            let id = raw.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
            let parts = id.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 3, parts[0] == "CVE", parts[1].count == 4, parts[2].count >= 4,
                  parts[1].allSatisfy({ $0.isASCII && $0.isNumber }), parts[2].allSatisfy({ $0.isASCII && $0.isNumber }) else { continue }
            set.insert(id)
        }
        return set.sorted { a, b in
            // Numeric order within a year, so CVE-2021-9999 sorts before CVE-2021-10000.
            let pa = a.split(separator: "-"), pb = b.split(separator: "-")
            if pa[1] != pb[1] { return pa[1] < pb[1] }
            if pa[2].count != pb[2].count { return pa[2].count < pb[2].count }
            return pa[2] < pb[2]
        }
    }

    /// Canonical text of a host: IP addresses in canonical form, names lower-cased without a trailing dot.
    public static func normalisedHost(_ host: String?) -> String {
        guard var text = clean(host) else { return "" }
        if text.hasPrefix("["), text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        if let bytes = IPAddressText.parseIPv4(text) { return bytes.map(String.init).joined(separator: ".") }
        if let groups = IPAddressText.parseIPv6(text.lowercased()) {
            if groups[0..<5].allSatisfy({ $0 == 0 }), groups[5] == 0xffff {
                return "\(groups[6] >> 8).\(groups[6] & 0xff).\(groups[7] >> 8).\(groups[7] & 0xff)"
            }
            return IPAddressText.formatIPv6(groups)
        }
        text = text.lowercased()
        while text.hasSuffix(".") { text.removeLast() }
        return text
    }

    private static func clean(_ text: String?) -> String? {
        guard let trimmed = text?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else { return nil }
        return trimmed
    }

    private static func collapse(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
}
