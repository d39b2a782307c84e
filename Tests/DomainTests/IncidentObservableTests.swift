import Foundation
import Testing
@testable import Domain

@Suite struct IncidentObservableTests {
    @Test(arguments: [
        (ObservableType.ipv4, "192.168.1.10", "192.168.1.10"),
        (.ipv4, " 8.8.8.8 \n", "8.8.8.8"),
        (.ipv6, "2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
        (.ipv6, "2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
        (.ipv6, "2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),
        (.ipv6, "1:0:0:2:0:0:0:3", "1:0:0:2::3"),
        (.ipv6, "1:0:0:2:0:0:3:4", "1::2:0:0:3:4"),
        (.ipv6, "::", "::"),
        (.ipv6, "0:0:0:0:0:0:0:1", "::1"),
        (.ipv6, "FE80::", "fe80::"),
        (.ipv6, "::FFFF:c000:0280", "::ffff:192.0.2.128"),
        (.ipv6, "::ffff:192.0.2.128", "::ffff:192.0.2.128"),
        (.ipv6, "64:ff9b::192.0.2.33", "64:ff9b::c000:221"),
        (.cidr, "10.0.0.0/8", "10.0.0.0/8"),
        (.cidr, "0.0.0.0/0", "0.0.0.0/0"),
        (.cidr, "192.168.1.7/32", "192.168.1.7/32"),
        (.cidr, "2001:DB8::/32", "2001:db8::/32"),
        (.cidr, "2001:db8:0:0:8000::/65", "2001:db8:0:0:8000::/65"),
        (.domain, "Example.COM.", "example.com"),
        (.domain, "xn--bcher-kva.example", "xn--bcher-kva.example"),
        (.domain, "Bộ-Công-An.vn", "bộ-công-an.vn"),
        (.domain, "be\u{0301}.vn", "bé.vn"),
        (.domain, "a-1.b2.gov.vn", "a-1.b2.gov.vn"),
        (.url, "HTTPS://Example.COM/Path?Q=1#Frag", "https://example.com/Path?Q=1#Frag"),
        (.url, "ftp://files.example.org:21/x", "ftp://files.example.org:21/x"),
        (.url, "http://[2001:DB8::1]:8080/a", "http://[2001:db8::1]:8080/a"),
        (.url, "http://user:Pass@10.0.0.1/login", "http://user:Pass@10.0.0.1/login"),
        (.url, "https://dichvucong.gov.vn", "https://dichvucong.gov.vn"),
        (.email, "Phishing@Example.VN", "phishing@example.vn"),
        (.email, "first.last+tag@mail.so-y-te.gov.vn", "first.last+tag@mail.so-y-te.gov.vn"),
        (.md5, "D41D8CD98F00B204E9800998ECF8427E", "d41d8cd98f00b204e9800998ecf8427e"),
        (.sha1, "DA39A3EE5E6B4B0D3255BFEF95601890AFD80709", "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
        (.sha256, String(repeating: "Ab", count: 32), String(repeating: "ab", count: 32)),
        (.sha512, String(repeating: "0F", count: 64), String(repeating: "0f", count: 64)),
        (.fileName, "invoice.pdf.exe", "invoice.pdf.exe"),
        (.fileName, "báo cáo quý 3.docx", "báo cáo quý 3.docx"),
        (.fileName, "invoice\u{202E}fdp.exe", "invoice\u{202E}fdp.exe"),
        (.filePath, "C:\\Users\\Public\\evil.exe", "C:\\Users\\Public\\evil.exe"),
        (.filePath, "/tmp/.x/payload", "/tmp/.x/payload"),
        (.filePath, "%APPDATA%\\Microsoft\\a.dll", "%APPDATA%\\Microsoft\\a.dll"),
        (.registryKey, "HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run", "HKEY_LOCAL_MACHINE\\Software\\Microsoft\\Windows\\CurrentVersion\\Run"),
        (.registryKey, "hkcu\\Software\\X\\", "HKEY_CURRENT_USER\\Software\\X"),
        (.registryKey, "HKEY_USERS\\S-1-5-21", "HKEY_USERS\\S-1-5-21"),
        (.registryKey, "HKCR\\.exe", "HKEY_CLASSES_ROOT\\.exe"),
        (.registryKey, "HKCC", "HKEY_CURRENT_CONFIG"),
        (.mutex, "Global\\MsWinZonesCacheCounterMutexA", "Global\\MsWinZonesCacheCounterMutexA"),
        (.userAgent, "Mozilla/5.0 (Windows NT 10.0; Win64; x64)", "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"),
        (.asn, "AS13335", "AS13335"),
        (.asn, "as15169", "AS15169"),
        (.asn, "7552", "AS7552"),
        (.asn, "AS4294967295", "AS4294967295"),
        (.other, " anything at all ", "anything at all"),
    ])
    func valid(type: ObservableType, value: String, canonical: String) throws {
        #expect(try ObservableValidator.normalise(type: type, value: value) == canonical)
        // Canonical forms are fixed points.
        #expect(try ObservableValidator.normalise(type: type, value: canonical) == canonical)
    }

    @Test(arguments: [
        (ObservableType.ipv4, "   ", ObservableError.Code.empty),
        (.other, "a\u{0}b", .controlCharacter),
        (.userAgent, "Mozilla/5.0\u{7}", .controlCharacter),
        (.fileName, String(repeating: "a", count: 256), .tooLong),
        (.fileName, String(repeating: "ộ", count: 100), .tooLong),
        (.ipv4, "256.1.1.1", .invalidIPv4),
        (.ipv4, "1.2.3", .invalidIPv4),
        (.ipv4, "01.2.3.4", .invalidIPv4),
        (.ipv4, "1.2.3.4/24", .invalidIPv4),
        (.ipv4, "::1", .invalidIPv4),
        (.ipv6, "2001:db8::1::1", .invalidIPv6),
        (.ipv6, "12345::", .invalidIPv6),
        (.ipv6, "fe80::1%eth0", .invalidIPv6),
        (.ipv6, "[::1]", .invalidIPv6),
        (.ipv6, ":1:2:3:4:5:6:7", .invalidIPv6),
        (.ipv6, "1:2:3:4:5:6:7:8:", .invalidIPv6),
        (.ipv6, "1:::2", .invalidIPv6),
        (.ipv6, "1:2:3:4:5:6:7:8:9", .invalidIPv6),
        (.ipv6, "1:2:3:4:5:6:7::8", .invalidIPv6),
        (.ipv6, "g::1", .invalidIPv6),
        (.ipv6, "1.2.3.4", .invalidIPv6),
        (.ipv6, "::1.2.3.4:5", .invalidIPv6),
        (.cidr, "10.0.0.0", .cidrPrefixMissing),
        (.cidr, "10.0.0.0/33", .cidrPrefixInvalid),
        (.cidr, "10.0.0.0/08", .cidrPrefixInvalid),
        (.cidr, "10.0.0.0/", .cidrPrefixInvalid),
        (.cidr, "10.0.0.0/8/9", .cidrPrefixInvalid),
        (.cidr, "2001:db8::/129", .cidrPrefixInvalid),
        (.cidr, "10.0.0/8", .cidrAddressInvalid),
        (.cidr, "10.0.0.1/24", .cidrHostBitsSet),
        (.cidr, "2001:db8::1/32", .cidrHostBitsSet),
        (.domain, "localhost", .domainInvalid),
        (.domain, "1.2.3.4", .domainInvalid),
        (.domain, ".", .domainInvalid),
        (.domain, "a..b.com", .domainLabelInvalid),
        (.domain, ".example.com", .domainLabelInvalid),
        (.domain, "-a.com", .domainLabelInvalid),
        (.domain, "a-.com", .domainLabelInvalid),
        (.domain, "a_b.com", .domainLabelInvalid),
        (.domain, "*.example.com", .domainLabelInvalid),
        (.domain, "exa mple.com", .domainLabelInvalid),
        (.domain, String(repeating: "a", count: 64) + ".com", .domainLabelInvalid),
        (.domain, String(repeating: "abcdefghi.", count: 26) + "vn", .tooLong),
        (.url, "hxxp://evil.com", .urlSchemeNotAllowed),
        (.url, "evil.com/path", .urlSchemeNotAllowed),
        (.url, "javascript://alert(1)", .urlSchemeNotAllowed),
        (.url, "file:///etc/passwd", .urlSchemeNotAllowed),
        (.url, "http:///path", .urlHostInvalid),
        (.url, "http://bad_host.com/", .urlHostInvalid),
        (.url, "http://[::1/", .urlHostInvalid),
        (.url, "http://exa mple.com", .urlInvalid),
        (.url, "http://example.com:99999/", .urlPortInvalid),
        (.url, "http://example.com:/", .urlPortInvalid),
        (.url, "http://example.com:8o/", .urlPortInvalid),
        (.email, "user.example.com", .emailInvalid),
        (.email, "a@b@c.com", .emailInvalid),
        (.email, ".user@example.com", .emailInvalid),
        (.email, "us..er@example.com", .emailInvalid),
        (.email, "us er@example.com", .emailInvalid),
        (.email, "@example.com", .emailInvalid),
        (.email, "user@localhost", .emailDomainInvalid),
        (.email, "user@exa_mple.com", .emailDomainInvalid),
        (.md5, String(repeating: "a", count: 31), .hashLength),
        (.md5, String(repeating: "z", count: 32), .hashNotHex),
        (.sha1, "0x" + String(repeating: "a", count: 38), .hashNotHex),
        (.sha256, String(repeating: "a", count: 63), .hashLength),
        (.sha256, String(repeating: "a", count: 64) + " " + "b", .hashNotHex),
        (.sha512, String(repeating: "a", count: 64), .hashLength),
        (.fileName, "a/b.exe", .fileNameSeparator),
        (.fileName, "dir\\x.dll", .fileNameSeparator),
        (.fileName, "..", .fileNameReserved),
        (.filePath, "evil.exe", .filePathNoSeparator),
        (.registryKey, "HKXX\\Software", .registryHiveUnknown),
        (.registryKey, "Software\\Microsoft", .registryHiveUnknown),
        (.registryKey, "HKLMSoftware", .registryHiveUnknown),
        (.registryKey, "HKEY_LOCAL_MACHIN\\Software", .registryHiveUnknown),
        (.registryKey, "HKLM/Software/Run", .registryPathInvalid),
        (.registryKey, "HKLM\\\\Software", .registryPathInvalid),
        (.asn, "AS0", .asnInvalid),
        (.asn, "AS4294967296", .asnInvalid),
        (.asn, "ASN13335", .asnInvalid),
        (.asn, "AS-1", .asnInvalid),
        (.asn, "AS013335", .asnInvalid),
    ])
    func invalid(type: ObservableType, value: String, code: ObservableError.Code) {
        do {
            let result = try ObservableValidator.normalise(type: type, value: value)
            Issue.record("\(type.rawValue) \(value.debugDescription) was accepted as \(result.debugDescription)")
        } catch {
            #expect(error.code == code, "\(type.rawValue) \(value.debugDescription): \(error.reason.en)")
            #expect(error.type == type)
            #expect(!error.reason.vi.isEmpty && !error.reason.en.isEmpty)
        }
    }

    @Test func reasonsNameWhatIsWrong() {
        func reason(_ type: ObservableType, _ value: String) -> LocalizedText {
            do { _ = try ObservableValidator.normalise(type: type, value: value); return LocalizedText(vi: "", en: "") } catch { return error.reason }
        }
        #expect(reason(.sha256, String(repeating: "a", count: 63)).en == "SHA-256 has 64 hexadecimal digits; this value has 63.")
        #expect(reason(.md5, "g" + String(repeating: "a", count: 31)).vi.contains("ký tự “g” ở vị trí 1"))
        #expect(reason(.cidr, "10.0.0.1/24").en == "10.0.0.1 has host bits set for /24; the network is 10.0.0.0/24.")
        #expect(reason(.cidr, "2001:db8::1/32").en.hasSuffix("the network is 2001:db8::/32."))
        #expect(reason(.domain, "a_b.com").en.contains("“a_b” contains “_”"))
        #expect(reason(.url, "hxxp://evil.com").vi.contains("“hxxp”"))
        #expect(reason(.url, "http://bad_host.com/").en.hasPrefix("The URL's host is not valid: The label “bad_host”"))
        #expect(reason(.other, "a\u{0}b").en == "Control character U+0000 at position 2.")
        #expect(reason(.registryKey, "HKXX\\Software").en.contains("not “HKXX”"))
        #expect(reason(.fileName, String(repeating: "a", count: 256)).en == "Longer than 255 bytes (256 bytes).")
    }

    @Test func codesAreStable() {
        #expect(ObservableError.Code.cidrHostBitsSet.rawValue == "cidr_host_bits_set")
        #expect(ObservableType.allCases.map(\.rawValue) == [
            "ipv4", "ipv6", "cidr", "domain", "url", "email", "md5", "sha1", "sha256", "sha512", "file_name", "file_path",
            "registry_key", "mutex", "user_agent", "asn", "other",
        ])
    }

    @Test(arguments: [
        ("8.8.8.8", ObservableType.ipv4),
        ("2001:db8::1", .ipv6),
        ("::ffff:10.0.0.1", .ipv6),
        ("10.0.0.0/8", .cidr),
        ("10.0.0.1/24", .cidr),
        ("2001:db8::/32", .cidr),
        ("d41d8cd98f00b204e9800998ecf8427e", .md5),
        ("da39a3ee5e6b4b0d3255bfef95601890afd80709", .sha1),
        (String(repeating: "e3", count: 32), .sha256),
        (String(repeating: "CF", count: 64), .sha512),
        ("https://evil.example/x?id=1", .url),
        ("a.b@so-tt.gov.vn", .email),
        ("HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run", .registryKey),
        ("HKEY_CURRENT_USER\\Software", .registryKey),
        ("AS13335", .asn),
        ("evil.example.com", .domain),
        ("Bộ-Công-An.vn", .domain),
        ("invoice.pdf.exe", .fileName),
        ("update.zip", .fileName),
        ("C:\\Windows\\Temp\\a.exe", .filePath),
        ("/tmp/x", .filePath),
        ("Global\\MsWinZonesCacheCounterMutexA", .mutex),
        ("Mozilla/5.0 (X11; Linux x86_64)", .userAgent),
        ("random words here", .other),
        ("hxxp://evil[.]com", .other),
        ("", .other),
        ("12345", .other),
    ])
    func guess(value: String, type: ObservableType) {
        #expect(ObservableType.guess(value) == type)
    }
}
