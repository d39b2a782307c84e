import Foundation
import Testing
@testable import Formats

/// Writes a sample STIX bundle and MISP event into `$UNGCUU_EXCHANGE_OUT` for
/// `Tests/exchange/validate_exchange.py` (stix2-validator and pymisp) to check.
@Suite("Exchange sample files")
struct ExchangeSampleFilesTests {
    @Test func samplesCoverEveryTypeAndMarking() {
        #expect(Set(ExchangeSamples.observables.map(\.type)) == Set(ExchangeObservableType.allCases.map(\.rawValue)))
        #expect(Set(ExchangeSamples.observables.map(\.tlp)) == Set(ExchangeTLP.allCases))
    }

    @Test func blankTitlesAndProducerNamesGetAFallback() throws {
        var blank = ExchangeSamples.exchangeCase
        blank.title = "  "
        let producer = ExchangeProducer(name: "")
        let stix = try STIXBundleReader.read(STIXBundleWriter.write(case: blank, observables: [], producer: producer))
        #expect(stix.title == "Sự cố 6f1c2b8e-3d4a-4f5b-9c6d-7e8f90a1b2c3")
        let misp = try MISPEventReader.read(MISPEventWriter.write(case: blank, observables: [], producer: producer))
        #expect(misp.title == "Sự cố 6f1c2b8e-3d4a-4f5b-9c6d-7e8f90a1b2c3")
    }

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
        closed.title = ""
        let closedEvent = try MISPEventWriter.write(case: closed, observables: [], producer: ExchangeProducer(name: ""))
        try closedEvent.write(to: folder.appendingPathComponent("empty-case.misp.json"))
    }
}
