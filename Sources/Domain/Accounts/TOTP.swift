import Crypto
import Foundation

/// Time-based one-time passwords, RFC 6238 (HMAC-SHA1, 30-second steps, 6 digits:
/// the parameters every authenticator app supports).
public struct TOTP: Sendable {
    public let secret: [UInt8]
    public let digits: Int
    public let period: TimeInterval

    public init(secret: [UInt8], digits: Int = 6, period: TimeInterval = 30) {
        self.secret = secret
        self.digits = digits
        self.period = period
    }

    public static func generateSecret() -> [UInt8] { Secrets.randomBytes(20) }

    public func counter(at date: Date) -> UInt64 {
        UInt64(floor(date.timeIntervalSince1970 / period))
    }

    /// RFC 4226 HOTP value for a counter.
    public func code(counter: UInt64) -> String {
        var big = counter.bigEndian
        let message = withUnsafeBytes(of: &big) { Data($0) }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: secret)))
        let offset = Int(mac[mac.count - 1] & 0x0F)
        let binary = (UInt32(mac[offset] & 0x7F) << 24) | (UInt32(mac[offset + 1]) << 16)
            | (UInt32(mac[offset + 2]) << 8) | UInt32(mac[offset + 3])
        var modulus: UInt32 = 1
        for _ in 0..<digits { modulus *= 10 }
        let value = String(binary % modulus)
        return String(repeating: "0", count: digits - value.count) + value
    }

    public func code(at date: Date) -> String { code(counter: counter(at: date)) }

    /// The counter that matches `code` within ±`window` steps of `date`, or nil.
    /// Callers store the last accepted counter and refuse counters not greater than it (no replay).
    public func matchingCounter(for code: String, at date: Date, window: Int = 1) -> UInt64? {
        let cleaned = code.filter(\.isNumber)
        guard cleaned.count == digits else { return nil }
        let now = counter(at: date)
        for delta in -window...window {
            let candidate = Int64(now) + Int64(delta)
            guard candidate >= 0 else { continue }
            if Secrets.constantTimeEquals(self.code(counter: UInt64(candidate)), cleaned) { return UInt64(candidate) }
        }
        return nil
    }

    /// The otpauth:// URI authenticator apps read from the QR code.
    public func provisioningURI(issuer: String, account: String) -> String {
        var components = URLComponents()
        components.scheme = "otpauth"
        components.host = "totp"
        components.path = "/" + issuer + ":" + account
        components.queryItems = [
            URLQueryItem(name: "secret", value: Base32.encode(secret)),
            URLQueryItem(name: "issuer", value: issuer),
            URLQueryItem(name: "algorithm", value: "SHA1"),
            URLQueryItem(name: "digits", value: String(digits)),
            URLQueryItem(name: "period", value: String(Int(period))),
        ]
        return components.string ?? ""
    }
}
