import Foundation
import Testing
@testable import Domain

@Suite struct DeclaredAddressesTests {
    let declared = DeclaredAddresses(networkAddresses: "10.1.2.0/24\n192.0.2.7\n2001:db8::/120\n172.16.0.0/16\nnot an address",
                                     domains: "Portal.Example.gov.vn.\nintranet", urls: "https://dichvucong.example.gov.vn/login")

    @Test func scannedHostsAreCoveredByDeclaredAddressesRangesAndNames() {
        for host in ["10.1.2.0", "10.1.2.255", "192.0.2.7", "2001:db8::ff", "2001:DB8:0:0:0:0:0:1", "::ffff:10.1.2.9", "portal.example.gov.vn",
                     "PORTAL.example.gov.vn.", "intranet", "dichvucong.example.gov.vn", "[2001:db8::5]"] {
            #expect(declared.covers(host), "\(host)")
        }
        for host in ["10.1.3.1", "192.0.2.8", "2001:db8::1:0", "www.portal.example.gov.vn", "example.gov.vn", "8.8.8.8", "", "10.1.2"] {
            #expect(!declared.covers(host), "\(host)")
        }
    }

    @Test func scanTargetsMustBeDeclaredExactlyAndNoLargerThanSlash22() {
        #expect(declared.scanTarget("10.1.2.0/24") == .success("10.1.2.0/24"))
        #expect(declared.scanTarget(" 10.1.2.77/24 ") == .success("10.1.2.0/24"))
        #expect(declared.scanTarget("portal.example.gov.vn.") == .success("portal.example.gov.vn"))
        #expect(declared.scanTarget("2001:db8::/120") == .success("2001:db8::/120"))
        // Inside a declared range is still not a declared target.
        #expect(declared.scanTarget("10.1.2.5") == .failure(.notDeclared("10.1.2.5")))
        #expect(declared.scanTarget("172.16.0.0/16") == .failure(.tooLarge("172.16.0.0/16", addresses: 65_536)))
        #expect(declared.scanTarget("-sL 10.1.2.0/24") == .failure(.invalid("-sL 10.1.2.0/24")))
        #expect(declared.scanTarget("10.1.2.0/24;rm") == .failure(.invalid("10.1.2.0/24;rm")))
        #expect(declared.scanTarget("999.1.1.1").isFailure)
    }

    @Test func addressRangesDisguisedAsDomainNamesAreNeverTargets() {
        let tricky = DeclaredAddresses(networkAddresses: "", domains: "0-255.0-255.0-255.0-255\n10.0-255.0-255.1\n10.0.0.1-254\n0x7f.1\n0x7f\nok.gov.vn",
                                       urls: "")
        for name in ["0-255.0-255.0-255.0-255", "10.0-255.0-255.1", "10.0.0.1-254", "0x7f.1", "0x7f"] {
            #expect(tricky.scanTarget(name).isFailure, "\(name)")
            #expect(!tricky.covers(name), "\(name)")
        }
        #expect(tricky.scanTarget("ok.gov.vn") == .success("ok.gov.vn"))
    }

    @Test func entriesAreCanonical() {
        #expect(DeclaredAddresses.entry("10.1.2.99/24")?.text == "10.1.2.0/24")
        #expect(DeclaredAddresses.entry("2001:0DB8::0001")?.text == "2001:db8::1")
        #expect(DeclaredAddresses.entry("::ffff:192.0.2.1")?.text == "192.0.2.1")
        #expect(DeclaredAddresses.entry("10.0.0.0/33") == nil)
        #expect(DeclaredAddresses.entry("--script=x") == nil)
        #expect(DeclaredAddresses.entry("1.2.3") == nil)
        #expect(DeclaredAddresses.entry("10.1.2.0/22")?.addressCount == 1024)
    }
}

private extension Result {
    var isFailure: Bool { if case .failure = self { true } else { false } }
}
