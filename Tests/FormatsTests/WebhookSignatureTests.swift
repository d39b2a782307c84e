import Foundation
import Testing
@testable import Formats

@Suite("Webhook signatures")
struct WebhookSignatureTests {
    static let body = Data(#"{"event":"incident.created","id":"8d3f"}"#.utf8)
    static let secret = Data("whsec_test_secret".utf8)
    static let timestamp = 1_795_591_800 // 2026-11-25T07:30:00Z

    @Test func knownVector() {
        // python3: hmac.new(b"whsec_test_secret", b"1795591800." + body, hashlib.sha256).hexdigest()
        #expect(WebhookSignature.sign(body: Self.body, secret: Self.secret, timestamp: Self.timestamp)
            == "t=1795591800,v1=969bde5eb5cec92fa1c744fc6ef1b23996fd2be5a732ec6b27c45d06aa93cb22")
    }

    @Test func emptyBodyAndUnicodeSecretVector() {
        // python3: hmac.new("khóa bí mật".encode(), b"0.", hashlib.sha256).hexdigest()
        #expect(WebhookSignature.sign(body: Data(), secret: Data("khóa bí mật".utf8), timestamp: 0)
            == "t=0,v1=9788448fa3bf18a29f74878d8cfd1342c018ba17123621ec6d32f7b5a63a0c14")
    }

    @Test func verifiesWithinToleranceOnly() {
        let header = WebhookSignature.sign(body: Self.body, secret: Self.secret, timestamp: Self.timestamp)
        #expect(WebhookSignature.verify(header: header, body: Self.body, secret: Self.secret, now: Self.timestamp + 299))
        #expect(WebhookSignature.verify(header: header, body: Self.body, secret: Self.secret, now: Self.timestamp - 300))
        #expect(!WebhookSignature.verify(header: header, body: Self.body, secret: Self.secret, now: Self.timestamp + 301))
        #expect(WebhookSignature.verify(header: header, body: Self.body, secret: Self.secret, now: Self.timestamp + 3_000, tolerance: 3_600))
        #expect(throws: WebhookSignatureError.timestampOutsideTolerance) {
            try WebhookSignature.check(header: header, body: Self.body, secret: Self.secret, now: Self.timestamp + 301)
        }
    }

    @Test func refusesAnotherBodySecretOrTimestamp() {
        let header = WebhookSignature.sign(body: Self.body, secret: Self.secret, timestamp: Self.timestamp)
        var tampered = Self.body
        tampered.append(0x20)
        #expect(throws: WebhookSignatureError.signatureMismatch) {
            try WebhookSignature.check(header: header, body: tampered, secret: Self.secret, now: Self.timestamp)
        }
        #expect(!WebhookSignature.verify(header: header, body: Self.body, secret: Data("other".utf8), now: Self.timestamp))
        // Moving the timestamp invalidates the signature, since it is signed too.
        let moved = header.replacingOccurrences(of: "t=1795591800", with: "t=1795591900")
        #expect(!WebhookSignature.verify(header: moved, body: Self.body, secret: Self.secret, now: Self.timestamp + 100))
    }

    @Test func acceptsAnyOfSeveralSignaturesAndIgnoresUnknownSchemes() {
        let good = WebhookSignature.sign(body: Self.body, secret: Self.secret, timestamp: Self.timestamp)
        let v1 = String(good.split(separator: ",")[1])
        let header = "t=\(Self.timestamp),v0=abc,v1=\(String(repeating: "0", count: 64)), \(v1)"
        #expect(WebhookSignature.verify(header: header, body: Self.body, secret: Self.secret, now: Self.timestamp))
    }

    @Test func malformedHeadersAreRefused() {
        for header in ["", "t=1795591800", "v1=abcd", "t=x,v1=" + String(repeating: "0", count: 64),
                       "t=1795591800,v1=zz", "t=1795591800,v1=" + String(repeating: "0", count: 63)] {
            #expect(throws: WebhookSignatureError.malformedHeader, "\(header)") {
                try WebhookSignature.check(header: header, body: Self.body, secret: Self.secret, now: Self.timestamp)
            }
        }
        // An absurd timestamp does not overflow.
        #expect(!WebhookSignature.verify(header: "t=\(Int.min),v1=" + String(repeating: "0", count: 64), body: Self.body,
                                         secret: Self.secret, now: Int.max))
    }
}
