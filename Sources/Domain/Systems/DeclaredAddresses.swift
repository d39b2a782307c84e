import Foundation

/// The network places a system declares as its own (its `network_addresses` lines — IP addresses and CIDR
/// ranges — its `domains` and the hosts of its `urls`), and the two questions asked of them:
/// is a scanned host one of them (imports keep only confirmed hosts), and may a built-in scan target this text
/// (only what is declared, never anything else, never a range larger than ``maxIPv4Prefix``).
public struct DeclaredAddresses: Sendable, Equatable {
    /// One declared place.
    public enum Entry: Sendable, Equatable, Hashable {
        /// An address or range: the network bytes (4 for IPv4, 16 for IPv6) and the prefix length.
        case network(bytes: [UInt8], prefix: Int)
        /// A host name, lower-cased, without a trailing dot.
        case name(String)

        /// The canonical text (`10.0.0.0/24`, `2001:db8::/64`, `192.0.2.7`, `portal.example.gov.vn`).
        public var text: String {
            switch self {
            case .network(let bytes, let prefix):
                let address = bytes.count == 4 ? bytes.map(String.init).joined(separator: ".")
                    : IPAddressText.formatIPv6(stride(from: 0, to: 16, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) })
                return prefix == bytes.count * 8 ? address : "\(address)/\(prefix)"
            case .name(let name):
                return name
            }
        }

        /// How many addresses it spans (host names: 1); saturates at `Int.max`.
        public var addressCount: Int {
            guard case .network(let bytes, let prefix) = self else { return 1 }
            let hostBits = bytes.count * 8 - prefix
            return hostBits >= 62 ? Int.max : 1 << hostBits
        }
    }

    /// Largest IPv4 range a built-in scan accepts (/22: 1,024 addresses); IPv6 ranges are held to the same count.
    public static let maxIPv4Prefix = 22
    public static let maxScanAddresses = 1 << (32 - maxIPv4Prefix)

    public let entries: [Entry]

    public init(entries: [Entry]) { self.entries = entries }

    /// Reads the inventory fields (one value per line); lines that are not addresses, ranges or names are skipped
    /// (the system form refuses them in the first place).
    public init(networkAddresses: String?, domains: String?, urls: String? = nil) {
        var seen = Set<Entry>()
        var entries: [Entry] = []
        func add(_ entry: Entry?) {
            guard let entry, seen.insert(entry).inserted else { return }
            entries.append(entry)
        }
        for line in InventoryValidators.lines(networkAddresses) { add(Self.entry(line)) }
        for line in InventoryValidators.lines(domains) { add(Self.entry(line)) }
        for line in InventoryValidators.lines(urls) {
            if let host = URL(string: line)?.host { add(Self.entry(host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")))) }
        }
        self.entries = entries
    }

    public var isEmpty: Bool { entries.isEmpty }

    /// Whether a scanned host (an address or a name) is one of the declared places: an address inside a declared
    /// address or range, or a name equal to a declared name (case and a trailing dot ignored).
    public func covers(_ host: String) -> Bool {
        let text = host.trimmingCharacters(in: .whitespaces)
        if let bytes = Self.addressBytes(text) {
            return entries.contains { entry in
                guard case .network(let network, let prefix) = entry, network.count == bytes.count else { return false }
                return Self.samePrefix(network, bytes, bits: prefix)
            }
        }
        guard let name = Self.normalisedName(text) else { return false }
        return entries.contains(.name(name))
    }

    /// Why a scan target is refused.
    public enum TargetProblem: Error, Sendable, Equatable {
        /// Not an address, a range or a host name.
        case invalid(String)
        /// Well-formed but not one of the system's declared places.
        case notDeclared(String)
        /// A range larger than ``DeclaredAddresses/maxIPv4Prefix`` (the text and its number of addresses).
        case tooLarge(String, addresses: Int)
    }

    /// The declared entry a built-in scan may target for `text`: the text must name a declared entry exactly
    /// (after normalisation: `10.0.0.0/24`, `portal.example.gov.vn.` → `portal.example.gov.vn`), and a range may
    /// span at most ``maxScanAddresses`` addresses. Returns the canonical text passed to the scanner.
    public func scanTarget(_ text: String) -> Result<String, TargetProblem> {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let entry = Self.entry(trimmed) else { return .failure(.invalid(String(trimmed.prefix(100)))) }
        guard entries.contains(entry) else { return .failure(.notDeclared(entry.text)) }
        if entry.addressCount > Self.maxScanAddresses { return .failure(.tooLarge(entry.text, addresses: entry.addressCount)) }
        return .success(entry.text)
    }

    // MARK: parsing

    /// An address, a CIDR range (host bits cleared) or a host name; nil for anything else. Never returns text that
    /// could be read as a command-line option.
    public static func entry(_ raw: String) -> Entry? {
        let text = raw.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty, !text.hasPrefix("-"), text.count <= 300 else { return nil }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count <= 2, let bytes = addressBytes(String(parts[0])) {
            var prefix = bytes.count * 8
            if parts.count == 2 {
                guard let value = Int(parts[1]), parts[1].allSatisfy({ $0.isASCII && $0.isNumber }), (0...bytes.count * 8).contains(value) else {
                    return nil
                }
                prefix = value
            }
            return .network(bytes: masked(bytes, prefix: prefix), prefix: prefix)
        }
        guard parts.count == 1, let name = normalisedName(text) else { return nil }
        return .name(name)
    }

    /// 4 bytes for IPv4 (an IPv4-mapped IPv6 address counts as IPv4), 16 for IPv6; nil otherwise.
    static func addressBytes(_ raw: String) -> [UInt8]? {
        var text = raw
        if text.hasPrefix("["), text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        if let v4 = IPAddressText.parseIPv4(text) { return v4 }
        guard let groups = IPAddressText.parseIPv6(text.lowercased()) else { return nil }
        if groups[0..<5].allSatisfy({ $0 == 0 }), groups[5] == 0xffff { return Array(IPAddressText.bytes(groups)[12...]) }
        return IPAddressText.bytes(groups)
    }

    static func normalisedName(_ raw: String) -> String? {
        var name = raw.lowercased()
        while name.hasSuffix(".") { name.removeLast() }
        // A single-label name (an intranet host) is allowed for scanning by name, as is a full DNS name.
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        guard !name.isEmpty, name.count <= 253, labels.allSatisfy({ label in
            (1...63).contains(label.count) && label.first != "-" && label.last != "-"
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        }) else { return nil }
        // A name's last label (the top-level domain, or the one label of an intranet name) has a letter: otherwise the
        // text is an address in disguise that resolvers and nmap read as one ("10.0.0.1-254" and "0-255.0-255.0-255.0-255"
        // are octet ranges to nmap, "0x7f.1" is 127.0.0.1 to inet_aton). Hex-looking labels ("0x7f") are refused too.
        guard let last = labels.last, last.contains(where: \.isLetter) else { return nil }
        if labels.contains(where: { $0.hasPrefix("0x") && $0.dropFirst(2).allSatisfy(\.isHexDigit) }) { return nil }
        return name
    }

    static func masked(_ bytes: [UInt8], prefix: Int) -> [UInt8] {
        bytes.enumerated().map { index, byte in
            let bits = max(0, min(8, prefix - index * 8))
            return bits == 8 ? byte : byte & ~(0xff >> bits)
        }
    }

    static func samePrefix(_ a: [UInt8], _ b: [UInt8], bits: Int) -> Bool {
        masked(a, prefix: bits) == masked(b, prefix: bits)
    }
}
