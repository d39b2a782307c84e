import Foundation
@testable import Formats

/// A case with one observable of every type and every TLP, shared by the exchange tests.
enum ExchangeSamples {
    static let caseID = UUID(uuidString: "6F1C2B8E-3D4A-4F5B-9C6D-7E8F90A1B2C3")!

    static func date(_ text: String) -> Date {
        ExchangeIdentifiers.parseTimestamp(text)!
    }

    static let exchangeCase = ExchangeCase(
        id: caseID,
        title: "Mã độc tống tiền tại Cổng dịch vụ công tỉnh",
        description: "Máy chủ ứng dụng bị mã hóa dữ liệu; phát hiện lúc 07:30 ngày 25/11/2026.",
        created: date("2026-11-25T00:30:00.123Z"),
        modified: date("2026-11-25T03:45:10.500Z"),
        severity: "high",
        categoryCode: "ransomware"
    )

    static let producer = ExchangeProducer(name: "Sở Khoa học và Công nghệ tỉnh Lạng Sơn (UngCuu)",
                                           contactEmail: "ungcuu@langson.gov.vn")

    static let observables: [ExchangeObservable] = [
        ExchangeObservable(type: .ipv4, value: "203.0.113.45", tlp: .amber, comment: "Máy chủ điều khiển (C2)",
                           firstSeen: date("2026-11-24T22:10:00Z"), tags: ["c2", "ransomware"]),
        ExchangeObservable(type: .ipv6, value: "2001:db8::dead:beef", tlp: .green),
        ExchangeObservable(type: .cidr, value: "198.51.100.0/24", tlp: .clear, comment: "Dải quét"),
        ExchangeObservable(type: .cidr, value: "2001:db8:abcd::/48", tlp: .green),
        ExchangeObservable(type: .domain, value: "update-check.example.net", tlp: .amberStrict),
        ExchangeObservable(type: .url, value: "https://update-check.example.net/payload?id=1&x='a'", tlp: .red,
                           comment: "URL tải mã độc <script>"),
        ExchangeObservable(type: .email, value: "ke.tan.cong@example.org", tlp: .amber, comment: "Người gửi thư lừa đảo"),
        ExchangeObservable(type: .md5, value: "44D88612FEA8A8F36DE82E1278ABB02F", tlp: .amber),
        ExchangeObservable(type: .sha1, value: "3395856ce81f2b7382dee72602f798b642f14140", tlp: .amber),
        ExchangeObservable(type: .sha256, value: "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f", tlp: .red,
                           firstSeen: date("2026-11-25T00:05:00Z")),
        ExchangeObservable(type: .sha512, value: String(repeating: "ab", count: 64), tlp: .green),
        ExchangeObservable(type: .fileName, value: "hóa_đơn_tháng_11.pdf.exe", tlp: .amber),
        ExchangeObservable(type: .filePath, value: "C:\\Users\\Public\\Documents\\locker.exe", tlp: .amber),
        ExchangeObservable(type: .registryKey, value: "HKEY_LOCAL_MACHINE\\Software\\Microsoft\\Windows\\CurrentVersion\\Run",
                           tlp: .amber, firstSeen: date("2026-11-25T00:06:00Z")),
        ExchangeObservable(type: .mutex, value: "Global\\LockerMutex_2026", tlp: .amber),
        ExchangeObservable(type: .userAgent, value: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) LockerBot/1.0", tlp: .green),
        ExchangeObservable(type: .asn, value: "AS64500", tlp: .clear),
        ExchangeObservable(type: .other, value: "Ví Bitcoin đòi tiền chuộc: bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh",
                           tlp: .amber, comment: "Ghi trong thư tống tiền", tags: ["ransom-note"]),
    ]
}
