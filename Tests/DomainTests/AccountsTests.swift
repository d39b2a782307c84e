import Foundation
import Testing
@testable import Domain

@Suite struct TOTPTests {
    /// RFC 6238 Appendix B, SHA-1, 8 digits, secret "12345678901234567890".
    static let vectors: [(TimeInterval, String)] = [
        (59, "94287082"), (1_111_111_109, "07081804"), (1_111_111_111, "14050471"),
        (1_234_567_890, "89005924"), (2_000_000_000, "69279037"), (20_000_000_000, "65353130"),
    ]

    @Test(arguments: vectors)
    func matchesRFC6238TestVectors(time: TimeInterval, code: String) {
        let totp = TOTP(secret: Array("12345678901234567890".utf8), digits: 8)
        #expect(totp.code(at: Date(timeIntervalSince1970: time)) == code)
    }

    @Test func acceptsTheNeighbouringStepOnlyWithinTheWindow() {
        let totp = TOTP(secret: TOTP.generateSecret())
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let previous = totp.code(at: now.addingTimeInterval(-30))
        #expect(totp.matchingCounter(for: previous, at: now) == totp.counter(at: now) - 1)
        let old = totp.code(at: now.addingTimeInterval(-120))
        #expect(totp.matchingCounter(for: old, at: now) == nil || old == totp.code(at: now))
        #expect(totp.matchingCounter(for: "12345", at: now) == nil)
    }

    @Test func provisioningURICarriesTheBase32Secret() {
        let totp = TOTP(secret: Array("12345678901234567890".utf8))
        let uri = totp.provisioningURI(issuer: "UngCuu", account: "a@b.vn")
        #expect(uri.hasPrefix("otpauth://totp/UngCuu:a@b.vn?"))
        #expect(uri.contains("secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"))
    }
}

@Suite struct Base32Tests {
    @Test(arguments: [("", ""), ("f", "MY"), ("fo", "MZXQ"), ("foo", "MZXW6"), ("foob", "MZXW6YQ"), ("fooba", "MZXW6YTB"), ("foobar", "MZXW6YTBOI")])
    func encodesRFC4648Vectors(plain: String, encoded: String) {
        #expect(Base32.encode(Array(plain.utf8)) == encoded)
        #expect(Base32.decode(encoded) == Array(plain.utf8))
    }

    @Test func refusesCharactersOutsideTheAlphabet() {
        #expect(Base32.decode("MZ1W") == nil)
    }
}

@Suite struct PasswordPolicyTests {
    let policy = PasswordPolicy.shipped

    @Test func refusesShortPasswords() {
        #expect(policy.problem(with: "Short-1") == .tooShort)
        #expect(policy.problem(with: String(repeating: "x", count: 11) + "!") != nil)
    }

    @Test(arguments: ["password1234", "Password123456", "qwertyuiop123", "matkhau@123456", "123456789012", "aaaaaaaaaaaaaaaa"])
    func refusesCommonPasswordsAndTheirVariants(password: String) {
        #expect(policy.problem(with: password) == .common)
    }

    @Test func refusesPasswordsContainingTheEmail() {
        #expect(policy.problem(with: "nguyenvana-2026-xyz", email: "nguyenvana@langson.gov.vn") == .personal)
    }

    @Test func acceptsALongUncommonPhrase() {
        #expect(policy.problem(with: "ngựa-ô-phi-qua-đèo-Mẫu-Sơn") == nil)
    }
}

@Suite struct SignInThrottleTests {
    let policy = SignInThrottlePolicy()
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func locksAnAccountAfterFiveFailuresForFifteenMinutes() {
        var state: SignInThrottlePolicy.State?
        for i in 0..<4 {
            state = policy.failing(state, kind: .account, at: t0.addingTimeInterval(Double(i)))
            #expect(!policy.isLocked(state, at: t0.addingTimeInterval(Double(i))))
        }
        state = policy.failing(state, kind: .account, at: t0.addingTimeInterval(5))
        #expect(policy.isLocked(state, at: t0.addingTimeInterval(6)))
        #expect(!policy.isLocked(state, at: t0.addingTimeInterval(5 + 15 * 60 + 1)))
    }

    @Test func failuresOutsideTheWindowAreForgotten() {
        var state: SignInThrottlePolicy.State?
        for i in 0..<4 { state = policy.failing(state, kind: .account, at: t0.addingTimeInterval(Double(i))) }
        state = policy.failing(state, kind: .account, at: t0.addingTimeInterval(16 * 60))
        #expect(state?.failures == 1)
        #expect(!policy.isLocked(state, at: t0.addingTimeInterval(16 * 60)))
    }

    @Test func addressesTolerateMoreFailuresThanAccounts() {
        var state: SignInThrottlePolicy.State?
        for i in 0..<19 { state = policy.failing(state, kind: .address, at: t0.addingTimeInterval(Double(i))) }
        #expect(!policy.isLocked(state, at: t0.addingTimeInterval(20)))
        state = policy.failing(state, kind: .address, at: t0.addingTimeInterval(20))
        #expect(policy.isLocked(state, at: t0.addingTimeInterval(21)))
    }
}

@Suite struct RecoveryCodeTests {
    @Test func generatesTenDistinctCodesThatNormaliseToThemselves() {
        let codes = RecoveryCodes.generate()
        #expect(codes.count == 10)
        #expect(Set(codes).count == 10)
        for code in codes {
            #expect(code.count == 14)
            #expect(RecoveryCodes.normalise(code.uppercased().replacingOccurrences(of: "-", with: " ")) == code)
        }
    }
}
