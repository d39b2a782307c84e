import Domain
import Foundation
import Testing
@testable import Formats

@Suite("nmap report reader", .enabled(if: XMLScannerCorpus.available))
struct NmapReportReaderTests {
    func read(_ file: String) throws -> XMLReportEvents {
        try XMLReportEvents(NmapReportReader(source: XMLScannerCorpus.source("nmap/\(file)")))
    }

    @Test func vulnersScriptGivesOneFindingPerCVE() throws {
        let report = try read("nmap_script_vulners.xml")
        let info = try #require(report.info)
        #expect(info.scannerName == "nmap")
        #expect(info.scannerVersion == "7.60")
        #expect(info.arguments == "nmap -sV -p22 --script=vulners/vulners.nse -oX 192_168_0_1.xml 192.168.0.1")
        #expect(info.startedAt == Date(timeIntervalSince1970: 1_581_930_445))
        #expect(info.finishedAt == Date(timeIntervalSince1970: 1_581_930_455))
        #expect(report.infos.first?.finishedAt == nil) // the first info comes before the hosts
        #expect(report.hosts == [ScanHost(address: "192.168.0.1", state: "up")])
        // The host event precedes its findings.
        guard case .host = report.events[1] else { Issue.record("expected the host second"); return }

        #expect(report.findings.map(\.title) == [
            "Open port 5022/tcp: ssh (OpenSSH 7.4)",
            "CVE-2018-15919 on 5022/tcp (OpenSSH 7.4)",
            "CVE-2017-15906 on 5022/tcp (OpenSSH 7.4)",
        ])
        let port = report.findings[0]
        #expect(port.severity == .info)
        #expect(port.host == "192.168.0.1")
        #expect(port.port == 5022 && port.proto == "tcp")
        #expect(port.service == "ssh" && port.product == "OpenSSH" && port.version == "7.4")
        #expect(port.cpe == "cpe:2.3:a:openbsd:openssh:7.4:*:*:*:*:*:*:*")
        #expect(port.evidence?.hasPrefix("vulners:\n  cpe:/a:openbsd:openssh:7.4: \n    \tCVE-2018-15919\t5.0\t") == true)
        #expect(port.scannerId == "open-port")

        let cve = report.findings[1]
        #expect(cve.cves == ["CVE-2018-15919"])
        #expect(cve.cvssScore == 5.0)
        #expect(cve.severity == .medium)
        #expect(cve.scannerId == "vulners")
        #expect(cve.port == 5022)
        #expect(cve.references == ["https://vulners.com/cve/CVE-2018-15919"])
    }

    @Test func vulnersSkipsExploitEntriesAndKeepsScores() throws {
        let report = try read("issue4406.xml")
        #expect(report.hosts.map(\.address) == ["10.250.195.71"])
        let ports = report.findings.filter { $0.scannerId == "open-port" }
        #expect(ports.count == 25)
        #expect(ports.compactMap(\.port).prefix(4) == [22, 111, 179, 2379])
        let cves = report.findings.filter { $0.scannerId == "vulners" }
        #expect(cves.map { $0.cves[0] } == [
            "CVE-2019-6111", "CVE-2018-15919", "CVE-2018-15473", "CVE-2017-15906",
            "CVE-2020-14145", "CVE-2019-6110", "CVE-2019-6109", "CVE-2018-20685",
        ])
        #expect(cves.map(\.severity) == [.medium, .medium, .medium, .medium, .medium, .medium, .medium, .low])
        #expect(cves.last?.cvssScore == 2.6)
        let mysql = try #require(ports.first { $0.port == 30367 })
        #expect(mysql.title == "Open port 30367/tcp: mysql (MySQL 5.7.32)")
        #expect(mysql.cpe == "cpe:2.3:a:mysql:mysql:5.7.32:*:*:*:*:*:*:*")
        let rpc = try #require(ports.first { $0.port == 111 })
        #expect(rpc.evidence?.hasPrefix("rpcinfo:\n  program version    port/proto  service") == true)
        #expect(ports.first { $0.port == 30475 }?.title == "Open port 30475/tcp")
    }

    @Test func filteredPortsAreNotFindingsAndHostnamesAreKept() throws {
        let report = try read("issue12411.xml")
        #expect(report.hosts == [
            ScanHost(address: "172.217.18.238", hostname: "google.com", state: "up"),
            ScanHost(address: "54.239.28.85", hostname: "amazon.com", state: "up"),
        ])
        #expect(report.findings.map { "\($0.host ?? "") \($0.port ?? 0)" } == [
            "172.217.18.238 80", "172.217.18.238 443", "54.239.28.85 80", "54.239.28.85 443",
        ])
        #expect(report.findings.allSatisfy { $0.severity == .info && $0.cves.isEmpty })
        #expect(report.findings[3].hostname == "amazon.com")
    }

    @Test func smallReports() throws {
        let none = try read("nmap_0port.xml")
        #expect(none.hosts.map(\.address) == ["127.0.0.1"])
        #expect(none.findings.isEmpty)
        let one = try read("nmap_1port.xml")
        #expect(one.findings.map(\.title) == ["Open port 5432/tcp: postgresql"])
        #expect(one.findings[0].hostname == "localhost.localdomain")
        #expect(one.info?.scannerVersion == "6.40")
        let many = try read("nmap_multiple_port.xml")
        #expect(many.findings.compactMap(\.port) == [21, 25, 53, 80, 110, 143, 443, 465, 587, 993, 995, 2525, 3306])
    }

    @Test func hostsAddressesAndHostScripts() throws {
        let xml = """
        <?xml version="1.0"?>
        <nmaprun scanner="nmap" start="1700000000" version="7.94">
        <host><status state="up"/>
        <address addr="aa:bb:cc:dd:ee:ff" addrtype="mac"/><address addr="2001:db8::1" addrtype="ipv6"/>
        <ports>
        <port protocol="udp" portid="53"><state state="open|filtered"/><service name="domain"/></port>
        <port protocol="tcp" portid="443"><state state="open"/><service name="http" product="nginx" version="1.18.0" tunnel="ssl"><cpe>cpe:/a:igor_sysoev:nginx:1.18.0</cpe></service>
        <script id="http-title" output="Welcome &amp; hello"><elem key="title">Welcome</elem></script></port>
        <port protocol="tcp" portid="25"><state state="closed"/></port>
        </ports>
        <hostscript><script id="smb-os-discovery" output="OS: Windows"/></hostscript>
        </host>
        <host><status state="down"/><address addr="10.0.0.9" addrtype="ipv4"/></host>
        </nmaprun>
        """
        let report = try XMLReportEvents(NmapReportReader(source: ByteSource(data: Data(xml.utf8))))
        #expect(report.hosts == [ScanHost(address: "2001:db8::1", state: "up"), ScanHost(address: "10.0.0.9", state: "down")])
        #expect(report.findings.map(\.title) == ["Open port 443/tcp: http (nginx 1.18.0)", "nmap script smb-os-discovery"])
        #expect(report.findings[0].evidence == "http-title: Welcome & hello")
        #expect(report.findings[0].cpe == "cpe:2.3:a:igor_sysoev:nginx:1.18.0:*:*:*:*:*:*:*")
        #expect(report.findings[1].port == nil && report.findings[1].evidence == "OS: Windows")
    }

    @Test func cpeURIsBecomeFormattedStrings() {
        #expect(ScanText.cpe23("cpe:/o:linux:linux_kernel") == "cpe:2.3:o:linux:linux_kernel:*:*:*:*:*:*:*:*")
        #expect(ScanText.cpe23("cpe:/a:microsoft:iis:7.5") == "cpe:2.3:a:microsoft:iis:7.5:*:*:*:*:*:*:*")
        #expect(ScanText.cpe23("cpe:/a:php:php:5.6.40-38+ubuntu20.04.1")
            == "cpe:2.3:a:php:php:5.6.40-38\\+ubuntu20.04.1:*:*:*:*:*:*:*")
        #expect(ScanText.cpe23("cpe:/a:hp:insight:7.4.0.1570:-:~~online~win2003~x64~")
            == "cpe:2.3:a:hp:insight:7.4.0.1570:-:*:*:online:win2003:x64:*")
        #expect(ScanText.cpe23("cpe:/a:foo%21:bar") == "cpe:2.3:a:foo\\!:bar:*:*:*:*:*:*:*:*")
        #expect(ScanText.cpe23("cpe:2.3:a:x:y:1:*:*:*:*:*:*:*") == "cpe:2.3:a:x:y:1:*:*:*:*:*:*:*")
        #expect(ScanText.cpe23("not a cpe") == "not a cpe")
    }

    @Test func wrongRootAndTruncation() throws {
        let wrong = try #require(XMLScannerCorpus.parseError {
            _ = try XMLReportEvents(NmapReportReader(source: ByteSource(data: Data("<?xml version=\"1.0\"?>\n<NessusClientData_v2/>".utf8))))
        })
        #expect(wrong.format == .nmap)
        #expect(wrong.message == "expected an nmap XML report (root element <nmaprun>), found <NessusClientData_v2>")
        #expect(wrong.location == "line 2, column 1")
        #expect(wrong.description.hasPrefix("nmap XML: line 2, column 1: expected an nmap XML report"))

        let truncated = try Data(contentsOf: XMLScannerCorpus.url("nmap/issue12411.xml")).prefix(3000)
        let error = try #require(XMLScannerCorpus.parseError {
            _ = try XMLReportEvents(NmapReportReader(source: ByteSource(data: truncated)))
        })
        #expect(error.format == .nmap)
        #expect(error.message.hasPrefix("unexpected end of file inside <"))
    }
}

@Suite("nmap hostile input")
struct NmapHostileInputTests {
    @Test func hugeProductAndManyCVEsAreCapped() throws {
        let product = String(repeating: "p", count: 1 << 20)
        var xml = #"<?xml version="1.0"?><nmaprun scanner="nmap"><host><address addr="10.0.0.1" addrtype="ipv4"/>"#
        xml += #"<ports><port protocol="tcp" portid="22"><state state="open"/>"#
        xml += #"<service name="ssh" product="\#(product)" version="1.0"/><script id="vulners" output="x"><table key="cpe:/a:x">"#
        for i in 0..<5_000 {
            xml += #"<table><elem key="id">CVE-2020-\#(10_000 + i)</elem><elem key="type">cve</elem><elem key="cvss">5.0</elem></table>"#
        }
        xml += "</table></script></port></ports></host></nmaprun>"
        let start = Date()
        let report = try XMLReportEvents(NmapReportReader(source: ByteSource(data: Data(xml.utf8))))
        #expect(Date().timeIntervalSince(start) < 20)
        let findings = report.findings
        #expect(findings.count == 1 + NmapReportReader.maxVulnersFindingsPerPort)
        #expect(findings.allSatisfy { $0.title.utf8.count <= NmapReportReader.maxTitleBytes })
        #expect(findings.allSatisfy { ($0.product?.utf8.count ?? 0) <= NmapReportReader.maxServiceBytes })
        #expect(findings[1].title.hasPrefix("CVE-2020-10000 on 22/tcp (ppp"))
    }
}
