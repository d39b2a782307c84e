import Domain
import Foundation
import Testing
@testable import Formats

@Suite struct CSAFAdvisoryReaderTests {
    /// Shaped like a BSI WID-SEC advisory (CSAF 2.0 `csaf_base`): vendor → product_name →
    /// product_version_range branches, legacy CPE URIs in the helpers, affected distributions.
    static let bsi = #"""
    {
      "document": {
        "aggregate_severity": {"text": "mittel"},
        "category": "csaf_base",
        "csaf_version": "2.0",
        "distribution": {"tlp": {"label": "WHITE", "url": "https://www.first.org/tlp/"}},
        "lang": "de-DE",
        "notes": [
          {"category": "legal_disclaimer", "text": "Das BSI ist als Anbieter für die eigenen, zur Nutzung bereitgestellten Inhalte nach den allgemeinen Gesetzen verantwortlich."},
          {"category": "description", "text": "Der Apache HTTP Server ist ein Web-Server.", "title": "Produktbeschreibung"},
          {"category": "summary", "text": "Ein entfernter, anonymer Angreifer kann mehrere Schwachstellen im Apache HTTP Server ausnutzen, um einen Denial of Service Angriff durchzuführen.", "title": "Angriff"}
        ],
        "publisher": {"category": "other", "contact_details": "csaf-provider@cert-bund.de", "name": "Bundesamt für Sicherheit in der Informationstechnik", "namespace": "https://www.bsi.bund.de"},
        "references": [
          {"category": "self", "summary": "WID-SEC-W-2023-2631 - CSAF Version", "url": "https://wid.cert-bund.de/.well-known/csaf/white/2023/wid-sec-w-2023-2631.json"},
          {"category": "external", "summary": "Apache HTTP Server 2.4 vulnerabilities", "url": "https://httpd.apache.org/security/vulnerabilities_24.html"}
        ],
        "source_lang": "en-US",
        "title": "Apache HTTP Server: Mehrere Schwachstellen ermöglichen Denial of Service",
        "tracking": {
          "current_release_date": "2023-11-02T23:00:00.000+00:00",
          "generator": {"date": "2024-08-15T17:59:17.384+00:00", "engine": {"name": "BSI-WID", "version": "1.3.5"}},
          "id": "WID-SEC-W-2023-2631",
          "initial_release_date": "2023-10-19T22:00:00.000+00:00",
          "revision_history": [
            {"date": "2023-10-19T22:00:00.000+00:00", "number": "1", "summary": "Initiale Fassung"},
            {"date": "2023-11-02T23:00:00.000+00:00", "number": "2", "summary": "Neue Updates von Debian aufgenommen"}
          ],
          "status": "final",
          "version": "2"
        }
      },
      "product_tree": {
        "branches": [
          {"branches": [
            {"branches": [
              {"category": "product_version_range", "name": "<2.4.58",
               "product": {"name": "Apache HTTP Server <2.4.58", "product_id": "T030776",
                           "product_identification_helper": {"cpe": "cpe:/a:apache:http_server:2.4.58"}}}
            ], "category": "product_name", "name": "HTTP Server"}
          ], "category": "vendor", "name": "Apache"},
          {"branches": [
            {"category": "product_name", "name": "Linux",
             "product": {"name": "Debian Linux", "product_id": "2951",
                         "product_identification_helper": {"cpe": "cpe:/o:debian:debian_linux:-"}}}
          ], "category": "vendor", "name": "Debian"},
          {"branches": [
            {"category": "product_name", "name": "Enterprise Linux",
             "product": {"name": "Red Hat Enterprise Linux", "product_id": "67646",
                         "product_identification_helper": {"cpe": "cpe:/o:redhat:enterprise_linux:-"}}}
          ], "category": "vendor", "name": "Red Hat"}
        ]
      },
      "vulnerabilities": [
        {"cve": "CVE-2023-31122",
         "notes": [{"category": "description", "text": "Es existiert eine Schwachstelle im Modul mod_macro. Ein Out-of-bounds Read führt zu einem Denial of Service."}],
         "product_status": {"known_affected": ["T030776", "2951"]},
         "release_date": "2023-10-19T22:00:00.000+00:00", "title": "CVE-2023-31122"},
        {"cve": "CVE-2023-43622",
         "notes": [{"category": "description", "text": "HTTP/2-Verbindungen mit einem initialen Fenster von 0 blockieren die Verbindung."}],
         "product_status": {"known_affected": ["T030776", "2951", "67646"]},
         "release_date": "2023-10-19T22:00:00.000+00:00", "title": "CVE-2023-43622"},
        {"cve": "CVE-2023-45802",
         "notes": [{"category": "description", "text": "Speicher für HTTP/2-Streams wird bei einem RST nicht sofort freigegeben."}],
         "product_status": {"known_affected": ["T030776"]},
         "release_date": "2023-10-19T22:00:00.000+00:00", "title": "CVE-2023-45802"}
      ]
    }
    """#

    /// Shaped like a Red Hat RHSA (CSAF 2.0 `csaf_security_advisory`): packages under vendor → architecture
    /// branches with purls, relationships onto the product stream, only `fixed` statuses, a vendor fix.
    static let redHat = #"""
    {
      "document": {
        "aggregate_severity": {"namespace": "https://access.redhat.com/security/updates/classification/", "text": "Moderate"},
        "category": "csaf_security_advisory",
        "csaf_version": "2.0",
        "distribution": {"text": "Copyright © Red Hat, Inc. All rights reserved.", "tlp": {"label": "WHITE", "url": "https://www.first.org/tlp/"}},
        "lang": "en",
        "notes": [
          {"category": "summary", "text": "An update for httpd is now available for Red Hat Enterprise Linux 9.", "title": "Topic"},
          {"category": "general", "text": "The httpd packages provide the Apache HTTP Server, a powerful, efficient, and extensible web server.", "title": "Details"}
        ],
        "publisher": {"category": "vendor", "contact_details": "https://access.redhat.com/security/team/contact/", "name": "Red Hat Product Security", "namespace": "https://www.redhat.com"},
        "references": [{"category": "self", "summary": "https://access.redhat.com/errata/RHSA-2024:2368", "url": "https://access.redhat.com/errata/RHSA-2024:2368"}],
        "title": "Red Hat Security Advisory: httpd security update",
        "tracking": {
          "current_release_date": "2024-11-06T05:31:02+00:00",
          "id": "RHSA-2024:2368",
          "initial_release_date": "2024-04-30T09:51:34+00:00",
          "revision_history": [{"date": "2024-04-30T09:51:34+00:00", "number": "1", "summary": "Initial version"}],
          "status": "final",
          "version": "3"
        }
      },
      "product_tree": {
        "branches": [
          {"branches": [
            {"branches": [
              {"category": "product_name", "name": "Red Hat Enterprise Linux AppStream (v. 9)",
               "product": {"name": "Red Hat Enterprise Linux AppStream (v. 9)", "product_id": "AppStream-9.4.0.GA",
                           "product_identification_helper": {"cpe": "cpe:/a:redhat:enterprise_linux:9::appstream"}}}
            ], "category": "product_family", "name": "Red Hat Enterprise Linux"},
            {"branches": [
              {"category": "product_version", "name": "httpd-0:2.4.57-8.el9.x86_64",
               "product": {"name": "httpd-0:2.4.57-8.el9.x86_64", "product_id": "httpd-0:2.4.57-8.el9.x86_64",
                           "product_identification_helper": {"purl": "pkg:rpm/redhat/httpd@2.4.57-8.el9?arch=x86_64"}}},
              {"category": "product_version", "name": "mod_ssl-1:2.4.57-8.el9.x86_64",
               "product": {"name": "mod_ssl-1:2.4.57-8.el9.x86_64", "product_id": "mod_ssl-1:2.4.57-8.el9.x86_64",
                           "product_identification_helper": {"purl": "pkg:rpm/redhat/mod_ssl@2.4.57-8.el9?arch=x86_64&epoch=1"}}}
            ], "category": "architecture", "name": "x86_64"},
            {"branches": [
              {"category": "product_version", "name": "httpd-0:2.4.57-8.el9.aarch64",
               "product": {"name": "httpd-0:2.4.57-8.el9.aarch64", "product_id": "httpd-0:2.4.57-8.el9.aarch64",
                           "product_identification_helper": {"purl": "pkg:rpm/redhat/httpd@2.4.57-8.el9?arch=aarch64"}}}
            ], "category": "architecture", "name": "aarch64"}
          ], "category": "vendor", "name": "Red Hat"}
        ],
        "relationships": [
          {"category": "default_component_of",
           "full_product_name": {"name": "httpd-0:2.4.57-8.el9.x86_64 as a component of Red Hat Enterprise Linux AppStream (v. 9)",
                                 "product_id": "AppStream-9.4.0.GA:httpd-0:2.4.57-8.el9.x86_64"},
           "product_reference": "httpd-0:2.4.57-8.el9.x86_64", "relates_to_product_reference": "AppStream-9.4.0.GA"},
          {"category": "default_component_of",
           "full_product_name": {"name": "httpd-0:2.4.57-8.el9.aarch64 as a component of Red Hat Enterprise Linux AppStream (v. 9)",
                                 "product_id": "AppStream-9.4.0.GA:httpd-0:2.4.57-8.el9.aarch64"},
           "product_reference": "httpd-0:2.4.57-8.el9.aarch64", "relates_to_product_reference": "AppStream-9.4.0.GA"},
          {"category": "default_component_of",
           "full_product_name": {"name": "mod_ssl-1:2.4.57-8.el9.x86_64 as a component of Red Hat Enterprise Linux AppStream (v. 9)",
                                 "product_id": "AppStream-9.4.0.GA:mod_ssl-1:2.4.57-8.el9.x86_64"},
           "product_reference": "mod_ssl-1:2.4.57-8.el9.x86_64", "relates_to_product_reference": "AppStream-9.4.0.GA"}
        ]
      },
      "vulnerabilities": [
        {"cve": "CVE-2023-38709",
         "cwe": {"id": "CWE-113", "name": "Improper Neutralization of CRLF Sequences in HTTP Headers ('HTTP Request/Response Splitting')"},
         "discovery_date": "2024-04-04T00:00:00+00:00",
         "notes": [
           {"category": "description", "text": "A flaw was found in httpd. The response headers are not sanitized when an untrusted backend sends them.", "title": "Vulnerability description"},
           {"category": "summary", "text": "httpd: CWE-113: HTTP response splitting", "title": "Vulnerability summary"}
         ],
         "product_status": {"fixed": ["AppStream-9.4.0.GA:httpd-0:2.4.57-8.el9.x86_64", "AppStream-9.4.0.GA:httpd-0:2.4.57-8.el9.aarch64", "AppStream-9.4.0.GA:mod_ssl-1:2.4.57-8.el9.x86_64"]},
         "references": [{"category": "self", "summary": "Canonical URL", "url": "https://access.redhat.com/security/cve/CVE-2023-38709"}],
         "release_date": "2024-04-04T00:00:00+00:00",
         "remediations": [
           {"category": "vendor_fix",
            "details": "For details on how to apply this update, which includes the changes described in this advisory, refer to:\n\nhttps://access.redhat.com/articles/11258",
            "product_ids": ["AppStream-9.4.0.GA:httpd-0:2.4.57-8.el9.x86_64", "AppStream-9.4.0.GA:httpd-0:2.4.57-8.el9.aarch64"],
            "url": "https://access.redhat.com/errata/RHSA-2024:2368"}
         ],
         "scores": [
           {"cvss_v3": {"attackComplexity": "LOW", "attackVector": "NETWORK", "availabilityImpact": "LOW", "baseScore": 7.3, "baseSeverity": "HIGH",
                        "confidentialityImpact": "LOW", "integrityImpact": "LOW", "privilegesRequired": "NONE", "scope": "UNCHANGED",
                        "userInteraction": "NONE", "vectorString": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:L", "version": "3.1"},
            "products": ["AppStream-9.4.0.GA:httpd-0:2.4.57-8.el9.x86_64"]}
         ],
         "threats": [{"category": "impact", "details": "Moderate"}],
         "title": "httpd: CWE-113: HTTP response splitting"},
        {"cve": "CVE-2024-24795",
         "notes": [{"category": "description", "text": "A flaw was found in httpd. HTTP response splitting in multiple modules.", "title": "Vulnerability description"}],
         "product_status": {"fixed": ["AppStream-9.4.0.GA:httpd-0:2.4.57-8.el9.x86_64"]},
         "remediations": [
           {"category": "vendor_fix",
            "details": "For details on how to apply this update, which includes the changes described in this advisory, refer to:\n\nhttps://access.redhat.com/articles/11258",
            "product_ids": ["AppStream-9.4.0.GA:httpd-0:2.4.57-8.el9.x86_64"],
            "url": "https://access.redhat.com/errata/RHSA-2024:2368"},
           {"category": "workaround", "details": "Disable mod_proxy if it is not needed."}
         ],
         "scores": [{"cvss_v3": {"baseScore": 6.3, "baseSeverity": "MEDIUM", "vectorString": "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:L/I:L/A:L", "version": "3.1"}, "products": []}],
         "title": "httpd: HTTP response splitting in multiple modules"}
      ]
    }
    """#

    static func read(_ text: String) throws -> CSAFDocument { try CSAFAdvisoryReader.read(Data(text.utf8)) }

    static func json(_ text: String) -> [String: Any] {
        try! JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
    }

    @Test func readsABSIAdvisory() throws {
        let doc = try Self.read(Self.bsi)
        #expect(doc.advisory.id == "WID-SEC-W-2023-2631")
        #expect(doc.advisory.title == "Apache HTTP Server: Mehrere Schwachstellen ermöglichen Denial of Service")
        #expect(doc.advisory.cves == ["CVE-2023-31122", "CVE-2023-43622", "CVE-2023-45802"])
        #expect(doc.category == "csaf_base" && doc.status == "final" && doc.version == "2")
        #expect(doc.publisher == "Bundesamt für Sicherheit in der Informationstechnik" && doc.publisherNamespace == "https://www.bsi.bund.de")
        #expect(doc.aggregateSeverity == "mittel")
        #expect(doc.summary?.hasPrefix("Ein entfernter, anonymer Angreifer") == true)
        #expect(doc.currentReleaseDate == AdvisoryDates.parse("2023-11-02T23:00:00Z"))
        #expect(doc.initialReleaseDate == AdvisoryDates.parse("2023-10-19T22:00:00Z"))
        #expect(doc.references.map(\.url).last == "https://httpd.apache.org/security/vulnerabilities_24.html")
        #expect(doc.vulnerabilities.map(\.affectedProductIds) == [["T030776", "2951"], ["T030776", "2951", "67646"], ["T030776"]])
        #expect(doc.vulnerabilities[0].description?.contains("mod_macro") == true)
        #expect(doc.score == nil && doc.remediation.isEmpty && doc.warnings.isEmpty)

        let products = doc.advisory.products
        #expect(products.map(\.productId) == ["T030776", "2951", "67646"])
        #expect(products[0].vendor == "apache" && products[0].product == "http_server")
        #expect(products[0].ranges == [VersionRange(endExcluding: "2.4.58")] && products[0].name == "Apache HTTP Server <2.4.58")
        #expect(products[1].vendor == "debian" && products[1].product == "debian_linux" && products[1].ranges.isEmpty)

        let matcher = VulnerabilityMatcher(components: [
            InventoryComponent(systemKey: "cong-dich-vu-cong", componentKey: "web", name: "Apache HTTP Server", vendor: "Apache",
                               product: "HTTP Server", version: "2.4.57"),
            InventoryComponent(systemKey: "cong-dich-vu-cong", componentKey: "os", name: "Debian 12", cpe: "cpe:/o:debian:debian_linux:12"),
            InventoryComponent(systemKey: "mail", componentKey: "web2", name: "Apache HTTP Server", cpe: "cpe:2.3:a:apache:http_server:2.4.58:*:*:*:*:*:*:*"),
        ])
        let matches = matcher.matches(doc.advisory)
        #expect(matches.map(\.systemKey) == ["cong-dich-vu-cong"])
        #expect(matches[0].componentKeys == ["web", "os"])
        #expect(matches[0].components[0].reason.text.en == "Apache HTTP Server 2.4.57 (CPE derived from its vendor, product and version: cpe:2.3:a:apache:http_server:2.4.57:*:*:*:*:*:*:*) is within versions up to (excluding) 2.4.58 of Apache HTTP Server <2.4.58")
        #expect(matches[0].components[1].reason.text.vi == "Debian 12 (cpe:2.3:o:debian:debian_linux:12:*:*:*:*:*:*:*) là Debian Linux, bị ảnh hưởng ở mọi phiên bản")
    }

    @Test func readsARedHatAdvisoryFromItsFixedPackages() throws {
        let doc = try CSAFAdvisoryReader.read(Self.json(Self.redHat))
        #expect(doc.advisory.id == "RHSA-2024:2368" && doc.advisory.cves == ["CVE-2023-38709", "CVE-2024-24795"])
        #expect(doc.publisher == "Red Hat Product Security" && doc.aggregateSeverity == "Moderate")
        #expect(doc.summary == "An update for httpd is now available for Red Hat Enterprise Linux 9.")
        #expect(doc.vulnerabilities[0].cwes == ["CWE-113"])
        #expect(doc.vulnerabilities[0].affectedProductIds.isEmpty && doc.vulnerabilities[0].fixedProductIds.count == 3)
        #expect(doc.score == CVSSScore(version: "3.1", baseScore: 7.3, vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:L", severity: "HIGH"))
        #expect(doc.score?.findingSeverity == .high)
        #expect(doc.remediation == """
            CVE-2023-38709, CVE-2024-24795: For details on how to apply this update, which includes the changes described in this advisory, refer to:

            https://access.redhat.com/articles/11258 (https://access.redhat.com/errata/RHSA-2024:2368)
            CVE-2024-24795: Disable mod_proxy if it is not needed.
            """)
        let products = doc.advisory.products
        #expect(products.map(\.product) == ["httpd", "mod_ssl"])
        #expect(products.allSatisfy { $0.vendor == "Red Hat" })
        #expect(products[0].ranges == [VersionRange(endExcluding: "2.4.57-8.el9")])
        #expect(products[1].ranges == [VersionRange(endExcluding: "1:2.4.57-8.el9")])
        #expect(products[0].name == "httpd-0:2.4.57-8.el9.x86_64 as a component of Red Hat Enterprise Linux AppStream (v. 9)")

        let matcher = VulnerabilityMatcher(components: [
            InventoryComponent(systemKey: "old", componentKey: "h1", name: "httpd", vendor: "Red Hat", product: "httpd", version: "2.4.57-5.el9"),
            InventoryComponent(systemKey: "old", componentKey: "s1", name: "mod_ssl", vendor: "Red Hat", product: "mod_ssl", version: "1:2.4.57-5.el9"),
            InventoryComponent(systemKey: "patched", componentKey: "h2", name: "httpd", vendor: "Red Hat", product: "httpd", version: "2.4.57-8.el9"),
        ])
        let matches = matcher.matches(doc.advisory)
        #expect(matches.map(\.systemKey) == ["old"] && matches[0].componentKeys == ["h1", "s1"])
    }

    @Test func readsVersRangesAndWarnsAboutWhatCannotMatch() throws {
        var doc = Self.json(Self.bsi)
        var tree = doc["product_tree"] as! [String: Any]
        tree["branches"] = [
            ["category": "vendor", "name": "Cisco", "branches": [
                ["category": "product_name", "name": "IOS XE Software", "branches": [
                    ["category": "product_version_range", "name": "vers:generic/>=17.9.0|<17.9.4|!=17.9.2",
                     "product": ["name": "Cisco IOS XE Software 17.9", "product_id": "CSAFPID-0001"]],
                    ["category": "product_version_range", "name": "all versions before the fix",
                     "product": ["name": "Cisco IOS XE Software (other)", "product_id": "CSAFPID-0002"]],
                ]],
            ]],
        ]
        tree["full_product_names"] = [["name": "Some appliance", "product_id": "CSAFPID-0003"]]
        doc["product_tree"] = tree
        doc["vulnerabilities"] = [["cve": "cve-2023-20198", "product_status": ["known_affected": ["CSAFPID-0001", "CSAFPID-0002", "CSAFPID-0003"]],
                                   "scores": [["cvss_v3": ["baseScore": 10.0, "baseSeverity": "CRITICAL", "version": "3.1"], "products": ["CSAFPID-0001"]]]]]
        let read = try CSAFAdvisoryReader.read(doc)
        #expect(read.advisory.cves == ["CVE-2023-20198"])
        #expect(read.advisory.products.count == 2)
        let ios = read.advisory.products[0]
        #expect(ios.ranges == [VersionRange(startIncluding: "17.9.0", endExcluding: "17.9.4")] && ios.excludedVersions == ["17.9.2"])
        #expect(ios.contains(ComparableVersion("17.9.3")) && !ios.contains(ComparableVersion("17.9.2")) && !ios.contains(ComparableVersion("17.9.4")))
        #expect(read.advisory.products[1].ranges.isEmpty)
        #expect(read.warnings == [
            #"$.product_tree.branches[0].branches[0].branches[1].name: version range "all versions before the fix" of "Cisco IOS XE Software (other)" is not a vers or simple range; every version is taken as affected."#,
            #"$.product_tree.full_product_names[0]: product "Some appliance" (CSAFPID-0003) names no vendor and product, nor a CPE or purl; it cannot be matched."#,
        ])
    }

    @Test func errorsNameTheJSONPath() throws {
        var doc = Self.json(Self.bsi)
        var tree = doc["product_tree"] as! [String: Any]
        var branches = tree["branches"] as! [[String: Any]]
        branches[0]["branches"] = [["category": "product_name", "name": "HTTP Server", "branches": [
            ["category": "product_version", "name": "2.4.55", "product": ["name": "a", "product_id": "A"]],
            ["category": "product_version", "name": "2.4.56", "product": ["name": "b", "product_id": "B"]],
            ["category": "product_version", "name": "2.4.57", "product": ["name": "Apache HTTP Server 2.4.57"]],
        ]]]
        tree["branches"] = branches
        doc["product_tree"] = tree
        #expect(throws: AdvisoryReadError(path: "$.product_tree.branches[0].branches[0].branches[2].product.product_id", "is required")) {
            try CSAFAdvisoryReader.read(doc)
        }

        var unknown = Self.json(Self.bsi)
        unknown["vulnerabilities"] = [["cve": "CVE-1", "product_status": ["known_affected": ["T030776", "T999"]]]]
        #expect(throws: AdvisoryReadError(path: "$.vulnerabilities[0].product_status.known_affected[1]",
                                          #"names product "T999", which the product tree does not define"#)) {
            try CSAFAdvisoryReader.read(unknown)
        }

        var badVers = Self.json(Self.bsi)
        var badTree = badVers["product_tree"] as! [String: Any]
        var badBranches = badTree["branches"] as! [[String: Any]]
        badBranches[0]["branches"] = [["category": "product_name", "name": "HTTP Server", "branches": [
            ["category": "product_version_range", "name": "vers:generic/>=2.4.0|>=2.4.1", "product": ["name": "a", "product_id": "T030776"]],
        ]]]
        badTree["branches"] = badBranches
        badVers["product_tree"] = badTree
        #expect(throws: AdvisoryReadError(path: "$.product_tree.branches[0].branches[0].branches[0].name",
                                          #"Invalid version range "vers:generic/>=2.4.0|>=2.4.1": two lower bounds in a row"#)) {
            try CSAFAdvisoryReader.read(badVers)
        }

        let badCPE = Self.bsi.replacingOccurrences(of: "cpe:/o:debian:debian_linux:-", with: "cpe:2.3:o:debian")
        #expect(throws: AdvisoryReadError(path: "$.product_tree.branches[1].branches[0].product.product_identification_helper.cpe",
                                          #"Invalid CPE name "cpe:2.3:o:debian" at character 17: a CPE 2.3 formatted string has 11 values after "cpe:2.3:", found 2."#)) {
            try Self.read(badCPE)
        }

        let noID = Self.bsi.replacingOccurrences(of: #""id": "WID-SEC-W-2023-2631","#, with: "")
        #expect(throws: AdvisoryReadError(path: "$.document.tracking.id", "is required")) { try Self.read(noID) }
        let duplicate = Self.bsi.replacingOccurrences(of: #""product_id": "67646""#, with: #""product_id": "2951""#)
        #expect(throws: AdvisoryReadError(path: "$.product_tree.branches[2].branches[0].product.product_id", #"product id "2951" is defined twice"#)) {
            try Self.read(duplicate)
        }
        #expect(throws: AdvisoryReadError(path: "$.document", "is required")) { try Self.read("{}") }
    }
}
