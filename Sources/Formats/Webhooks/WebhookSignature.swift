import Foundation
import Crypto

/// Signatures of outgoing webhook requests, in the widely used `t=…,v1=…` form:
/// `X-UngCuu-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>." + raw body)>`.
/// Receivers recompute the HMAC over the timestamp and the raw body, compare in constant time and
/// refuse timestamps outside their tolerance (replays). Several `v1` values may be sent during a
/// secret rotation; one match suffices.
public enum WebhookSignature {
    public static let headerName = "X-UngCuu-Signature"
    /// Default accepted clock difference, in seconds.
    public static let defaultTolerance = 300

    /// "t=1795591800,v1=969bde5e…".
    public static func sign(body: Data, secret: Data, timestamp: Int) -> String {
        "t=\(timestamp),v1=" + hex(mac(body: body, secret: secret, timestamp: timestamp))
    }

    /// True when `header` carries a `v1` signature of `body` under `secret` whose timestamp is within
    /// `tolerance` seconds of `now` (unix seconds).
    public static func verify(header: String, body: Data, secret: Data, now: Int, tolerance: Int = defaultTolerance) -> Bool {
        (try? check(header: header, body: body, secret: secret, now: now, tolerance: tolerance)) != nil
    }

    /// Like `verify`, but says why a signature is refused.
    public static func check(header: String, body: Data, secret: Data, now: Int, tolerance: Int = defaultTolerance) throws(WebhookSignatureError) {
        var timestamp: Int?
        var signatures: [[UInt8]] = []
        for part in header.split(separator: ",") {
            let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { continue }
            switch pair[0] {
            case "t": timestamp = Int(pair[1])
            case "v1": if let bytes = bytes(fromHex: pair[1]), bytes.count == 32 { signatures.append(bytes) }
            default: continue
            }
        }
        guard let timestamp, !signatures.isEmpty else { throw .malformedHeader }
        let (difference, overflow) = now.subtractingReportingOverflow(timestamp)
        guard !overflow, difference.magnitude <= UInt(max(tolerance, 0)) else { throw .timestampOutsideTolerance }
        let expected = mac(body: body, secret: secret, timestamp: timestamp)
        guard signatures.contains(where: { constantTimeEquals($0, expected) }) else { throw .signatureMismatch }
    }

    static func mac(body: Data, secret: Data, timestamp: Int) -> [UInt8] {
        var hmac = HMAC<SHA256>(key: SymmetricKey(data: secret))
        hmac.update(data: Data("\(timestamp).".utf8))
        hmac.update(data: body)
        return Array(hmac.finalize())
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func bytes(fromHex text: String) -> [UInt8]? {
        let scalars = Array(text.utf8)
        guard scalars.count % 2 == 0 else { return nil }
        func value(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: return c - 48
            case 97...102: return c - 87
            case 65...70: return c - 55
            default: return nil
            }
        }
        var out = [UInt8]()
        out.reserveCapacity(scalars.count / 2)
        var index = 0
        while index < scalars.count {
            guard let high = value(scalars[index]), let low = value(scalars[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }

    static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}

public enum WebhookSignatureError: Error, Sendable, Equatable {
    /// No `t=` timestamp or no well-formed `v1=` signature.
    case malformedHeader
    /// The timestamp is further from now than the tolerance (a replay, or clocks far apart).
    case timestampOutsideTolerance
    /// No signature matches the body and secret.
    case signatureMismatch
}
