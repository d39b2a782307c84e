import Domain
import Foundation
import Testing
@testable import Formats

/// The NVD records next to the repository (`<repo>/../shared/corpora/nvd/vunnel`), when present.
enum VunnelCorpus {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/corpora/nvd/vunnel")
    static var present: Bool { FileManager.default.fileExists(atPath: root.appendingPathComponent("full-page.json").path) }
    static func data(_ path: String) throws -> Data { try Data(contentsOf: root.appendingPathComponent(path)) }
}

@Suite(.enabled(if: VunnelCorpus.present, "the NVD corpus is next to the repository"))
struct NVDCVEReaderCorpusTests {
    @Test func readsASingleRecordFile() throws {
        let records = try NVDCVEReader.records(VunnelCorpus.data("single-entry.json"))
        #expect(records.count == 1)
        let r = try #require(records.first)
        #expect(r.id == "CVE-2022-1576" && r.advisory.id == "CVE-2022-1576" && r.advisory.cves == ["CVE-2022-1576"])
        #expect(r.sourceIdentifier == "contact@wpscan.com" && r.vulnStatus == "Modified")
        let utc = Calendar(identifier: .gregorian)
        let published = DateComponents(calendar: utc, timeZone: TimeZone(identifier: "UTC"), year: 2022, month: 7, day: 11, hour: 13, minute: 15, second: 8).date!
        #expect(abs(r.published!.timeIntervalSince(published) - 0.503) < 0.001)
        #expect(r.lastModified! > r.published!)
        #expect(r.description?.hasPrefix("The WP Maintenance Mode & Coming Soon WordPress plugin before 2.4.5") == true)
        #expect(r.advisory.title.count == 160 && r.advisory.title.hasSuffix("could allow attackers to mak…"))
        #expect(r.scores.map(\.version) == ["3.1", "2.0"])
        #expect(r.score == CVSSScore(version: "3.1", baseScore: 6.5, vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:H/A:N",
                                     severity: "MEDIUM", source: "nvd@nist.gov", primary: true))
        #expect(r.score?.findingSeverity == .medium)
        #expect(r.scores[1].severity == "MEDIUM" && r.scores[1].vector == "AV:N/AC:M/Au:N/C:N/I:P/A:N")
        #expect(r.weaknesses == ["CWE-352"])
        #expect(r.references.count == 2 && r.references[0].tags == ["Exploit", "Third Party Advisory"])
        let configuration = try #require(r.advisory.configurations.first)
        #expect(configuration.operator == .or && configuration.nodes.count == 1)
        let criterion = configuration.nodes[0].criteria[0]
        #expect(criterion.cpe.product.text?.literal == "wp_maintenance_mode_&_coming_soon")
        #expect(criterion.cpe[.targetSW] == .literal("wordpress"))
        #expect(criterion.range == VersionRange(endExcluding: "2.4.5") && criterion.vulnerable)
        #expect(criterion.matchCriteriaId == "696C1A2A-E47E-4E47-AB2D-F551F136B5D1")

        let matcher = VulnerabilityMatcher(components: [
            InventoryComponent(systemKey: "portal", componentKey: "plugin", name: "WP Maintenance Mode", vendor: "ThemeIsle",
                               product: "WP Maintenance Mode & Coming Soon", version: "2.4.4"),
            InventoryComponent(systemKey: "patched", componentKey: "plugin-2", name: "WP Maintenance Mode", vendor: "themeisle",
                               product: "wp maintenance mode & coming soon", version: "2.4.5"),
        ])
        let matches = matcher.matches(r.advisory)
        #expect(matches.map(\.systemKey) == ["portal"])
        #expect(matches[0].reason.en == #"WP Maintenance Mode 2.4.4 (CPE derived from its vendor, product and version: cpe:2.3:a:themeisle:wp_maintenance_mode_\&_coming_soon:2.4.4:*:*:*:*:*:*:*) is within versions up to (excluding) 2.4.5"#)
    }

    @Test func readsAFullPage() throws {
        let records = try NVDCVEReader.records(VunnelCorpus.data("full-page.json"))
        #expect(records.count == 38)
        #expect(Set(records.map(\.id)).count == 38)
        #expect(records.filter { $0.score != nil }.count >= 35)
        let and = records.filter { $0.advisory.configurations.contains { $0.operator == .and } }
        #expect(and.count >= 5)
        let ibm = try #require(records.first { $0.id == "CVE-2022-22377" })
        #expect(ibm.weaknesses == ["CWE-311"])
        let configuration = try #require(ibm.advisory.configurations.first)
        #expect(configuration.operator == .and && configuration.nodes.count == 2)
        #expect(configuration.nodes[1].criteria.map(\.vulnerable) == [false, false])
        #expect(configuration.nodes[1].criteria.map(\.criteria) == ["cpe:2.3:o:apple:macos:-:*:*:*:*:*:*:*", "cpe:2.3:o:microsoft:windows:-:*:*:*:*:*:*:*"])

        let whitepage = try #require(records.first { $0.id == "CVE-2023-45109" })
        #expect(whitepage.scores.count == 2 && whitepage.score?.baseScore == 8.8 && whitepage.score?.primary == true)

        let matcher = VulnerabilityMatcher(components: [
            InventoryComponent(systemKey: "pam-windows", componentKey: "vp", name: "IBM Security Verify Privilege On-Premises",
                               vendor: "IBM", product: "Security Verify Privilege On-Premises", version: "11.4.1"),
            InventoryComponent(systemKey: "pam-windows", componentKey: "os", name: "Windows Server 2019",
                               cpe: "cpe:2.3:o:microsoft:windows:-:*:*:*:*:*:*:*"),
            InventoryComponent(systemKey: "pam-linux", componentKey: "vp2", name: "IBM Security Verify Privilege On-Premises",
                               cpe: "cpe:/a:ibm:security_verify_privilege_on-premises:11.4"),
            InventoryComponent(systemKey: "pam-linux", componentKey: "os2", name: "RHEL", cpe: "cpe:/o:redhat:enterprise_linux:9"),
        ])
        var affected: [String: [String]] = [:]
        for r in records {
            for m in matcher.matches(r.advisory) { affected[r.id, default: []].append(m.systemKey) }
        }
        #expect(affected["CVE-2022-22377"] == ["pam-windows"])
        let m = try #require(matcher.matches(ibm.advisory).first)
        #expect(m.componentKeys == ["vp"] && m.platforms.map(\.componentKey) == ["os"])
        #expect(m.platforms[0].reason.kind == .platform)
    }

    /// vunnel's snapshots wrap a record as `{"identifier": …, "item": {"cve": …}}`.
    @Test func readsVunnelSnapshots() throws {
        let dir = VunnelCorpus.root.appendingPathComponent("snapshots")
        let files = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil)!.compactMap { $0 as? URL }
            .filter { $0.pathExtension == "json" }
        #expect(files.count >= 30)
        for file in files {
            let records = try NVDCVEReader.records(Data(contentsOf: file))
            #expect(records.count == 1)
            #expect(records[0].id.lowercased() + ".json" == file.lastPathComponent)
        }
    }
}

@Suite struct NVDCVEReaderTests {
    static func page(_ cve: [String: Any]) -> Data {
        try! JSONSerialization.data(withJSONObject: ["format": "NVD_CVE", "version": "2.0", "vulnerabilities": [["cve": cve]]])
    }

    static var minimal: [String: Any] { [
        "id": "CVE-2024-0001",
        "descriptions": [["lang": "es", "value": "Descripción."], ["lang": "en", "value": "An example flaw. More words."]],
        "metrics": [
            "cvssMetricV40": [["source": "cna@example.com", "type": "Secondary",
                               "cvssData": ["version": "4.0", "baseScore": 9.3, "baseSeverity": "CRITICAL", "vectorString": "CVSS:4.0/AV:N"]]],
            "cvssMetricV31": [["source": "nvd@nist.gov", "type": "Primary",
                               "cvssData": ["version": "3.1", "baseScore": 9.8, "baseSeverity": "CRITICAL", "vectorString": "CVSS:3.1/AV:N"]]],
        ],
        "weaknesses": [["description": [["lang": "en", "value": "NVD-CWE-noinfo"], ["lang": "en", "value": "CWE-79"]]]],
        "cisaExploitAdd": "2024-01-10",
        "cisaVulnerabilityName": "Example Product Remote Code Execution",
        "configurations": [[
            "operator": "AND",
            "nodes": [
                ["operator": "OR", "negate": false, "cpeMatch": [
                    ["vulnerable": true, "criteria": "cpe:2.3:a:example:product:*:*:*:*:*:*:*:*",
                     "versionStartIncluding": "2.0", "versionEndExcluding": "2.5"],
                ]],
                ["operator": "OR", "negate": true, "cpeMatch": [
                    ["vulnerable": false, "criteria": "cpe:2.3:o:linux:linux_kernel:*:*:*:*:*:*:*:*"],
                ]],
            ],
        ]],
    ] }

    @Test func decodesFoundationValuesAsAStreamCapturesThem() throws {
        let element: [String: Any] = ["cve": Self.minimal]
        let r = try NVDCVEReader.record(element)
        #expect(r.description == "An example flaw. More words.")
        #expect(r.advisory.title == "Example Product Remote Code Execution")
        #expect(r.score?.version == "4.0" && r.score?.baseScore == 9.3)
        #expect(r.weaknesses == ["CWE-79"])
        #expect(r.knownExploitedSince != nil)
        let configuration = r.advisory.configurations[0]
        #expect(configuration.operator == .and)
        #expect(configuration.nodes[1].negate && !configuration.nodes[1].criteria[0].vulnerable)
        #expect(try NVDCVEReader.record(Self.minimal) == r)
        #expect(try NVDCVEReader.records(Self.page(Self.minimal)) == [r])

        let matcher = VulnerabilityMatcher(components: [
            InventoryComponent(systemKey: "a", componentKey: "1", name: "Example", vendor: "Example", product: "Product", version: "2.4"),
            InventoryComponent(systemKey: "b", componentKey: "2", name: "Example", vendor: "Example", product: "Product", version: "2.4"),
            InventoryComponent(systemKey: "b", componentKey: "3", name: "Linux", vendor: "Linux", product: "Linux Kernel", version: "6.1"),
        ])
        #expect(matcher.matches(r.advisory).map(\.systemKey) == ["a"])
    }

    @Test func titlesFallBackToTheFirstSentence() throws {
        var cve = Self.minimal
        cve["cisaVulnerabilityName"] = nil
        #expect(try NVDCVEReader.record(cve).advisory.title == "An example flaw")
        cve["descriptions"] = nil
        #expect(try NVDCVEReader.record(cve).advisory.title == "CVE-2024-0001")
    }

    @Test func errorsNameTheJSONPath() throws {
        var bad = Self.minimal
        bad["configurations"] = [["nodes": [["operator": "OR", "cpeMatch": [["vulnerable": true, "criteria": "cpe:2.3:a:example:product"]]]]]]
        #expect(throws: AdvisoryReadError(path: "$.vulnerabilities[0].cve.configurations[0].nodes[0].cpeMatch[0].criteria",
                                          #"Invalid CPE name "cpe:2.3:a:example:product" at character 26: a CPE 2.3 formatted string has 11 values after "cpe:2.3:", found 3."#)) {
            try NVDCVEReader.records(Self.page(bad))
        }
        var noID = Self.minimal
        noID["id"] = nil
        #expect(throws: AdvisoryReadError(path: "$.vulnerabilities[0].cve.id", "is required")) { try NVDCVEReader.records(Self.page(noID)) }
        var op = Self.minimal
        op["configurations"] = [["operator": "XOR", "nodes": []]]
        #expect(throws: AdvisoryReadError(path: "$.cve.configurations[0].operator", #"expected "AND" or "OR""#)) {
            try NVDCVEReader.record(["cve": op])
        }
        var score = Self.minimal
        score["metrics"] = ["cvssMetricV31": [["cvssData": ["baseScore": "high"]]]]
        #expect(throws: AdvisoryReadError(path: "$.cve.metrics.cvssMetricV31[0].cvssData.baseScore", "expected a number, found a string")) {
            try NVDCVEReader.record(["cve": score])
        }
        #expect(throws: AdvisoryReadError(path: "$", "expected an object, found an array")) { try NVDCVEReader.record([1, 2]) }
        #expect(throws: AdvisoryReadError.self) { try NVDCVEReader.records(Data("{".utf8)) }
    }

    @Test(arguments: [
        ("2022-07-11T13:15:08.503", 1_657_545_308.503),
        ("2022-07-11T13:15:08", 1_657_545_308.0),
        ("2022-07-11T13:15:08.503Z", 1_657_545_308.503),
        ("2022-07-11T15:15:08+02:00", 1_657_545_308.0),
        ("2022-07-11T13:15:08.000+00:00", 1_657_545_308.0),
        ("2022-07-11", 1_657_497_600.0),
    ])
    func readsAdvisoryDates(text: String, seconds: Double) throws {
        let date = try #require(AdvisoryDates.parse(text))
        #expect(abs(date.timeIntervalSince1970 - seconds) < 0.001)
    }
}
