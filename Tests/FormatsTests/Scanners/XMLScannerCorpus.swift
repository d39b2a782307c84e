import Foundation
@testable import Formats

/// The shared scanner corpus (`<repo>/../shared/corpora/scanners`) and helpers to read whole reports.
enum XMLScannerCorpus {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent() // Scanners
        .deletingLastPathComponent() // FormatsTests
        .deletingLastPathComponent() // Tests
        .deletingLastPathComponent() // repository
        .appendingPathComponent("../shared/corpora/scanners").standardizedFileURL

    static var available: Bool { FileManager.default.fileExists(atPath: root.path) }

    static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    static func source(_ relative: String, chunkSize: Int = 1 << 16) throws -> ByteSource {
        try ByteSource(url: url(relative), chunkSize: chunkSize)
    }
}

/// Every event of a report, sorted by kind.
struct XMLReportEvents {
    var events: [ScanReportEvent] = []

    var infos: [ScanReportInfo] { events.compactMap { if case .info(let i) = $0 { i } else { nil } } }
    var hosts: [ScanHost] { events.compactMap { if case .host(let h) = $0 { h } else { nil } } }
    var findings: [ScanFinding] { events.compactMap { if case .finding(let f) = $0 { f } else { nil } } }
    /// The last info: the readers repeat it at the end with everything they learnt.
    var info: ScanReportInfo? { infos.last }

    init(_ reader: some ScanReportReader) throws {
        var reader = reader
        while let event = try reader.next() { events.append(event) }
    }
}

extension XMLScannerCorpus {
    /// Reads all events of an XML text, for the tokenizer tests.
    static func events(_ text: String, limits: ScanLimits = ScanLimits(), skipsWhitespace: Bool = false) throws -> [XMLEvent] {
        try events(Data(text.utf8), limits: limits, skipsWhitespace: skipsWhitespace)
    }

    static func events(_ data: Data, limits: ScanLimits = ScanLimits(), skipsWhitespace: Bool = false) throws -> [XMLEvent] {
        let reader = XMLPullReader(data: data, limits: limits, skipsWhitespaceText: skipsWhitespace)
        var events: [XMLEvent] = []
        while let event = try reader.next() { events.append(event) }
        return events
    }

    /// The ScanParseError `body` throws (nil when it throws none or another error).
    static func parseError(_ body: () throws -> Void) -> ScanParseError? {
        do {
            try body()
            return nil
        } catch let error as ScanParseError {
            return error
        } catch {
            return nil
        }
    }
}
