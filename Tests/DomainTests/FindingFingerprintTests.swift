import Foundation
import Testing
@testable import Domain

@Suite struct FindingFingerprintTests {
    static func fp(host: String? = "10.0.0.5", port: Int? = 443, proto: String? = "tcp", cves: [String] = [], family: String? = "nessus",
                   id: String? = nil, title: String = "Title", location: String? = nil) -> String {
        FindingFingerprint.compute(host: host, port: port, proto: proto, cves: cves, scannerFamily: family, scannerId: id,
                                   title: title, location: location)
    }

    @Test func isLowerCaseSHA256Hex() {
        let value = Self.fp()
        #expect(value.count == 64)
        #expect(value.allSatisfy { ("0"..."9").contains($0) || ("a"..."f").contains($0) })
    }

    @Test func nessusAndOpenVASReportsOfTheSameCVEOnTheSameHostAndPortDedupe() {
        let nessus = Self.fp(host: "10.0.0.5", port: 443, proto: "tcp", cves: ["CVE-2021-44228", "CVE-2021-45046"], family: "nessus",
                             id: "156032", title: "Apache Log4j < 2.15.0 Remote Code Execution")
        let openvas = Self.fp(host: " 10.0.0.5 ", port: 443, proto: "TCP", cves: ["cve-2021-45046", "CVE-2021-44228", "CVE-2021-44228"],
                              family: "openvas", id: "1.3.6.1.4.1.25623.1.0.117842", title: "Apache Log4j RCE (Log4Shell)")
        #expect(nessus == openvas)
        // Another port or host is another finding.
        #expect(nessus != Self.fp(host: "10.0.0.5", port: 8443, cves: ["CVE-2021-44228", "CVE-2021-45046"]))
        #expect(nessus != Self.fp(host: "10.0.0.6", port: 443, cves: ["CVE-2021-44228", "CVE-2021-45046"]))
    }

    @Test func reImportingTheSameFindingGivesTheSameFingerprintWhateverChangesBetweenRuns() {
        let a = Self.fp(cves: [], family: "nessus", id: "51192", title: "SSL Certificate Cannot Be Trusted")
        let b = Self.fp(cves: [], family: "Nessus", id: " 51192 ", title: "SSL certificate cannot be trusted (renamed by plugin update)")
        #expect(a == b)
        // Without CVEs a check id is per scanner.
        #expect(a != Self.fp(cves: [], family: "openvas", id: "51192", title: "SSL Certificate Cannot Be Trusted"))
    }

    @Test func withoutCVEsOrCheckIdTheNormalisedTitleDecides() {
        let a = Self.fp(family: "manual", id: nil, title: "  Mật khẩu   mặc định\ttrên trang quản trị ")
        let b = Self.fp(family: "other", id: "", title: "mật khẩu mặc định trên trang QUẢN TRỊ")
        #expect(a == b)
        #expect(a != Self.fp(family: "manual", id: nil, title: "Mật khẩu yếu trên trang quản trị"))
        #expect(FindingFingerprint.identity(host: nil, port: nil, proto: nil, cves: [], scannerFamily: nil, scannerId: nil,
                                            title: "A  B", location: nil).hasSuffix("title:a b"))
    }

    @Test func hostsAreCanonical() {
        #expect(FindingFingerprint.normalisedHost("2001:DB8:0:0:0:0:0:1") == "2001:db8::1")
        #expect(FindingFingerprint.normalisedHost("[2001:db8::1]") == "2001:db8::1")
        #expect(FindingFingerprint.normalisedHost("::ffff:192.0.2.7") == "192.0.2.7")
        #expect(FindingFingerprint.normalisedHost("Portal.LangSon.gov.vn.") == "portal.langson.gov.vn")
        #expect(FindingFingerprint.normalisedHost(nil) == "")
        #expect(Self.fp(host: "2001:DB8::0:1", cves: ["CVE-2024-1234"]) == Self.fp(host: "2001:db8::1", cves: ["CVE-2024-1234"]))
    }

    @Test func aPortWithoutProtocolIsTCPAndPortlessFindingsIgnoreTheProtocol() {
        #expect(Self.fp(port: 22, proto: nil, cves: ["CVE-2024-6387"]) == Self.fp(port: 22, proto: "tcp", cves: ["CVE-2024-6387"]))
        #expect(Self.fp(port: 161, proto: "udp", cves: ["CVE-2024-6387"]) != Self.fp(port: 161, proto: "tcp", cves: ["CVE-2024-6387"]))
        #expect(Self.fp(port: nil, proto: "tcp", cves: ["CVE-2024-6387"]) == Self.fp(port: nil, proto: nil, cves: ["CVE-2024-6387"]))
    }

    @Test func locationSeparatesFindingsInsideAnArtefact() {
        let a = Self.fp(host: "registry.local/app:1.2", port: nil, proto: nil, cves: ["CVE-2023-4863"], family: "trivy", location: "libwebp7")
        let b = Self.fp(host: "registry.local/app:1.2", port: nil, proto: nil, cves: ["CVE-2023-4863"], family: "trivy", location: "chromium")
        #expect(a != b)
    }

    @Test func cveIdsAreValidatedAndSortedNumerically() {
        #expect(FindingFingerprint.normalisedCVEs(["CVE-2021-10000", "cve-2021-9999", "CVE-2020-1234", "not-a-cve", "CVE-21-1", " CVE-2021-9999 "])
                == ["CVE-2020-1234", "CVE-2021-9999", "CVE-2021-10000"])
        // Junk in the CVE list falls back to the check id.
        #expect(Self.fp(cves: ["n/a"], id: "1") == Self.fp(cves: [], id: "1"))
    }

    @Test func perCVEKeysMatchFindingsWhoseCVESetsOverlap() {
        let nessus = FindingFingerprint.cveFingerprints(host: "10.0.0.5", port: 443, proto: "tcp",
                                                        cves: ["CVE-2021-44228", "CVE-2021-45046"], location: nil)
        let openvas = FindingFingerprint.cveFingerprints(host: "10.0.0.5", port: 443, proto: nil, cves: ["CVE-2021-44228"], location: nil)
        #expect(nessus.count == 2)
        #expect(!Set(nessus).isDisjoint(with: openvas))
        #expect(Self.fp(cves: ["CVE-2021-44228"]) == FindingFingerprint.cveFingerprints(host: "10.0.0.5", port: 443, proto: "tcp",
                                                                                          cves: ["CVE-2021-44228"], location: nil)[0])
    }

    @Test func theIdentityIsVersionedAndGoldenSoItNeverDriftsSilently() {
        let identity = FindingFingerprint.identity(host: "10.0.0.5", port: 443, proto: "tcp", cves: ["CVE-2021-44228"], scannerFamily: "nessus",
                                                   scannerId: "156032", title: "Log4Shell", location: nil)
        #expect(identity == "v1\u{1F}10.0.0.5\u{1F}443\u{1F}tcp\u{1F}\u{1F}cve:CVE-2021-44228")
        // Changing the identity text breaks every stored fingerprint: bump `version` and migrate instead.
        #expect(Self.fp(cves: ["CVE-2021-44228"]) == "cc3d4591c8a14f7b3ec84c64157d6f447f72eaabf2cb061576fd94968f7d1d2d")
    }
}
