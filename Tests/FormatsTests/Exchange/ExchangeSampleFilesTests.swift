import Foundation
import Testing
@testable import Formats

/// Writes a sample STIX bundle and MISP event into `$UNGCUU_EXCHANGE_OUT` for
/// `Tests/exchange/validate_exchange.py` (stix2-validator and pymisp) to check.
@Suite("Exchange sample files")
struct ExchangeSampleFilesTests {
    @Test func writesSampleFilesWhenAsked() throws {
        guard let directory = ProcessInfo.processInfo.environment["UNGCUU_EXCHANGE_OUT"], !directory.isEmpty else {
            print("UNGCUU_EXCHANGE_OUT is not set: no sample exchange files written")
            return
        }
        let folder = URL(fileURLWithPath: directory, isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let stix = try STIXBundleWriter.write(case: ExchangeSamples.exchangeCase, observables: ExchangeSamples.observables,
                                              producer: ExchangeSamples.producer)
        try stix.write(to: folder.appendingPathComponent("sample-case.stix.json"))
        var empty = ExchangeSamples.exchangeCase
        empty.description = nil
        empty.severity = nil
        let emptyBundle = try STIXBundleWriter.write(case: empty, observables: [], producer: ExchangeSamples.producer)
        try emptyBundle.write(to: folder.appendingPathComponent("empty-case.stix.json"))
        let misp = try MISPEventWriter.write(case: ExchangeSamples.exchangeCase, observables: ExchangeSamples.observables,
                                             producer: ExchangeSamples.producer)
        try misp.write(to: folder.appendingPathComponent("sample-case.misp.json"))
        var closed = ExchangeSamples.exchangeCase
        closed.closed = true
        closed.tlp = .red
        let closedEvent = try MISPEventWriter.write(case: closed, observables: [], producer: ExchangeSamples.producer)
        try closedEvent.write(to: folder.appendingPathComponent("empty-case.misp.json"))
    }
}
