import Domain
import Foundation

/// Why an advisory document could not be read, naming the JSON path
/// (`$.product_tree.branches[0].branches[2].product.product_id`).
public struct AdvisoryReadError: Error, Sendable, Equatable, CustomStringConvertible {
    public let path: String
    public let message: String

    public init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}

/// A CVSS score of an advisory.
public struct CVSSScore: Sendable, Hashable, Codable {
    /// "2.0", "3.0", "3.1", "4.0".
    public var version: String
    public var baseScore: Double
    public var vector: String?
    /// As the source writes it ("CRITICAL", "HIGH", …); for CVSS 2 without one, derived from the score.
    public var severity: String?
    /// Who scored it (`nvd@nist.gov`, a CNA).
    public var source: String?
    /// NVD's "Primary" score (else "Secondary").
    public var primary: Bool

    public init(version: String, baseScore: Double, vector: String? = nil, severity: String? = nil, source: String? = nil, primary: Bool = true) {
        self.version = version
        self.baseScore = baseScore
        self.vector = vector
        self.severity = severity
        self.source = source
        self.primary = primary
    }

    /// The severity band: the source's word when it has one, else the CVSS v3 rating of the score.
    public var findingSeverity: FindingSeverity {
        severity.flatMap(FindingSeverity.fromWord) ?? FindingSeverity.fromCVSS(baseScore)
    }

    /// The preferred of several scores: the newest CVSS version, a primary score first, then the highest.
    public static func best(_ scores: [CVSSScore]) -> CVSSScore? {
        scores.max { a, b in
            let va = Double(a.version) ?? 0, vb = Double(b.version) ?? 0
            if va != vb { return va < vb }
            if a.primary != b.primary { return !a.primary }
            return a.baseScore < b.baseScore
        }
    }
}

/// A reference link of an advisory.
public struct AdvisoryReference: Sendable, Hashable, Codable {
    public var url: String
    public var source: String?
    public var tags: [String]

    public init(url: String, source: String? = nil, tags: [String] = []) {
        self.url = url
        self.source = source
        self.tags = tags
    }
}

/// A JSON value read from Foundation (`JSONSerialization`, `JSONStreamReader.captureValue`) with its path,
/// so every error names where it is.
struct JSONNode {
    let value: Any
    let path: String

    init(_ value: Any, path: String = "$") {
        self.value = value
        self.path = path
    }

    func fail(_ message: String) -> AdvisoryReadError { AdvisoryReadError(path: path, message) }

    static func kind(_ v: Any) -> String {
        switch v {
        case is NSNull: "null"
        case is String: "a string"
        case is [String: Any]: "an object"
        case is [Any]: "an array"
        case is Bool: "a boolean"
        default: "a number"
        }
    }

    func object() throws(AdvisoryReadError) -> [String: Any] {
        guard let o = value as? [String: Any] else { throw fail("expected an object, found \(Self.kind(value))") }
        return o
    }

    /// The member, nil when missing or null.
    func member(_ key: String) throws(AdvisoryReadError) -> JSONNode? {
        let o = try object()
        guard let v = o[key], !(v is NSNull) else { return nil }
        return JSONNode(v, path: "\(path).\(key)")
    }

    func required(_ key: String) throws(AdvisoryReadError) -> JSONNode {
        guard let m = try member(key) else { throw AdvisoryReadError(path: "\(path).\(key)", "is required") }
        return m
    }

    func string() throws(AdvisoryReadError) -> String {
        guard let s = value as? String else { throw fail("expected a string, found \(Self.kind(value))") }
        return s
    }

    func string(_ key: String) throws(AdvisoryReadError) -> String? { try member(key)?.string() }

    func requiredString(_ key: String) throws(AdvisoryReadError) -> String {
        let s = try required(key).string()
        guard !s.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw AdvisoryReadError(path: "\(path).\(key)", "is empty") }
        return s
    }

    func number() throws(AdvisoryReadError) -> Double {
        switch value {
        case let d as Double: return d
        case let i as Int: return Double(i)
        case let n as NSNumber where !(value is Bool): return n.doubleValue
        case let s as String:
            if let d = Double(s) { return d }
        default: break
        }
        throw fail("expected a number, found \(Self.kind(value))")
    }

    func number(_ key: String) throws(AdvisoryReadError) -> Double? { try member(key)?.number() }

    func bool(_ key: String) throws(AdvisoryReadError) -> Bool? {
        guard let m = try member(key) else { return nil }
        guard let b = m.value as? Bool else { throw m.fail("expected true or false, found \(Self.kind(m.value))") }
        return b
    }

    /// The elements of an array member (empty when missing or null).
    func array(_ key: String) throws(AdvisoryReadError) -> [JSONNode] {
        guard let m = try member(key) else { return [] }
        guard let a = m.value as? [Any] else { throw m.fail("expected an array, found \(Self.kind(m.value))") }
        return a.enumerated().map { JSONNode($1, path: "\(m.path)[\($0)]") }
    }

    func strings(_ key: String) throws(AdvisoryReadError) -> [String] {
        var out: [String] = []
        for node in try array(key) { out.append(try node.string()) }
        return out
    }

    func date(_ key: String) throws(AdvisoryReadError) -> Date? {
        guard let m = try member(key) else { return nil }
        let s = try m.string()
        guard let d = AdvisoryDates.parse(s) else { throw m.fail("expected an ISO 8601 date-time, found \"\(s)\"") }
        return d
    }

    static func parse(_ data: Data) throws(AdvisoryReadError) -> Any {
        do {
            return try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw AdvisoryReadError(path: "$", "not valid JSON (\(error.localizedDescription))")
        }
    }
}

/// ISO 8601 date-times as advisories write them: `2022-07-11T13:15:08.503` (NVD, UTC without zone),
/// `2024-03-05T10:00:00.000Z`, `2024-03-05T10:00:00+01:00`, or a date alone.
enum AdvisoryDates {
    static func parse(_ text: String) -> Date? {
        let b = Array(text.trimmingCharacters(in: .whitespaces).utf8)
        func digits(_ at: Int, _ n: Int) -> Int? {
            guard at + n <= b.count else { return nil }
            var v = 0
            for i in at..<(at + n) {
                guard b[i] >= 0x30 && b[i] <= 0x39 else { return nil }
                v = v * 10 + Int(b[i] - 0x30)
            }
            return v
        }
        guard let year = digits(0, 4), b.count >= 10, b[4] == 0x2D, let month = digits(5, 2), b[7] == 0x2D,
              let day = digits(8, 2) else { return nil }
        var c = DateComponents(calendar: Calendar(identifier: .gregorian), timeZone: TimeZone(identifier: "UTC"),
                               year: year, month: month, day: day, hour: 0, minute: 0, second: 0)
        var i = 10
        var nanos = 0
        var offset = 0
        if i < b.count {
            guard b[i] == UInt8(ascii: "T") || b[i] == UInt8(ascii: "t") || b[i] == 0x20,
                  let h = digits(i + 1, 2), b.count > i + 3, b[i + 3] == 0x3A, let m = digits(i + 4, 2) else { return nil }
            c.hour = h
            c.minute = m
            i += 6
            if i < b.count && b[i] == 0x3A {
                guard let s = digits(i + 1, 2) else { return nil }
                c.second = s
                i += 3
            }
            if i < b.count && (b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: ",")) {
                i += 1
                var scale = 100_000_000
                while i < b.count, b[i] >= 0x30 && b[i] <= 0x39 {
                    nanos += Int(b[i] - 0x30) * scale
                    scale /= 10
                    i += 1
                }
            }
            if i < b.count {
                if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
                    i += 1
                } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
                    let sign = b[i] == UInt8(ascii: "-") ? -1 : 1
                    guard let oh = digits(i + 1, 2) else { return nil }
                    var om = 0
                    var j = i + 3
                    if j < b.count && b[j] == 0x3A { j += 1 }
                    if let mm = digits(j, 2) { om = mm; j += 2 }
                    offset = sign * (oh * 3600 + om * 60)
                    i = j
                }
                guard i == b.count else { return nil }
            }
        }
        guard let date = c.date else { return nil }
        return date.addingTimeInterval(Double(nanos) / 1e9 - Double(offset))
    }
}
