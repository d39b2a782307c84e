// The fuzz targets: one per parser of outside input (see main.swift and docs/FUZZING.md).

import Domain
import Foundation
@testable import Formats
import ZIPFoundation

struct FuzzTarget: Sendable {
    let name: String
    let parser: String
    let run: @Sendable (Data) -> Void
}

// MARK: - Consuming output

/// Keeps a value alive and opaque to the optimiser, so nothing a parser returns is dropped unread.
@inline(never) func consume<T>(_ value: T) {
    withExtendedLifetime(value) {}
}

/// Builds an error's message (locations, excerpts) and drops it; prints it when UNGCUU_FUZZ_VERBOSE is
/// set (to see why a seed is refused: `UNGCUU_FUZZ_VERBOSE=1 ungcuu-fuzz TARGET SEED`).
@inline(never) func consumeError(_ error: any Error) {
    let message = String(describing: error)
    if verbose { FileHandle.standardError.write(Data("error: \(message)\n".utf8)) }
    consume(message)
}

let verbose = ProcessInfo.processInfo.environment["UNGCUU_FUZZ_VERBOSE"] != nil

/// Hashes every field of a report event.
func consume(_ event: ScanReportEvent) {
    switch event {
    case .info(let info):
        consume(info.format.displayName)
        consume([info.scannerName, info.scannerVersion, info.arguments])
        consume([info.startedAt, info.finishedAt])
    case .host(let host):
        var hasher = Hasher()
        hasher.combine(host)
        consume(hasher.finalize())
    case .finding(let finding):
        consume(String(describing: finding))
    }
}

/// Reads a whole report with `reader`, consuming each event; stops at the first error.
func drain(_ reader: inout any ScanReportReader) {
    do {
        while let event = try reader.next() { consume(event) }
    } catch {
        consumeError(error)
    }
}

func text(_ data: Data) -> String { String(decoding: data, as: UTF8.self) }

// MARK: - A file-backed source with small chunks

/// The same bytes read back from a file a few bytes at a time (the app reads uploads with
/// `ByteSource(url:)`), so the tokenizers meet chunk boundaries in every token. The chunk size
/// (1…64) comes from the last byte so the fuzzer can vary it.
func chunkedSource(_ data: Data) -> ByteSource? {
    let url = chunkFileURL
    guard (try? data.write(to: url)) != nil else { return nil }
    return try? ByteSource(url: url, chunkSize: 1 + Int(data.last ?? 0) % 64)
}

let chunkFileURL: URL = {
    let dir = ProcessInfo.processInfo.environment["TMPDIR"].map { URL(fileURLWithPath: $0) }
        ?? URL(fileURLWithPath: FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : "/tmp")
    let url = dir.appendingPathComponent("ungcuu-fuzz-\(getpid()).chunks")
    atexit { unlink(chunkFileURL.path) }
    return url
}()

// MARK: - Targets

func fuzzXML(_ source: ByteSource, skipsWhitespace: Bool) {
    let reader = XMLPullReader(source: source, skipsWhitespaceText: skipsWhitespace)
    do {
        while let event = try reader.next() {
            switch event {
            case .startElement(let name, let attributes):
                consume(attributes.value("id"))
                consume(reader.path)
                // Let the input pick the subtree helpers readers call after a start tag.
                switch name.utf8.count % 5 {
                case 3: consume(try reader.readText(maxBytes: 64))
                case 4: try reader.skipElement()
                default: break
                }
            case .endElement(let name), .text(let name):
                consume(name)
            }
        }
        consume(reader.location)
    } catch {
        consumeError(error)
        consume(reader.tagLocation)
    }
}

func fuzzJSONEvents(_ reader: JSONStreamReader) {
    do {
        while let event = try reader.next() {
            consume(event)
            consume(reader.path)
        }
        consume(reader.documentCount)
    } catch {
        consumeError(error)
        consume(reader.location())
    }
}

func fuzzJSON(_ data: Data) {
    // Raw events, JSON lines allowed (Nuclei).
    fuzzJSONEvents(JSONStreamReader(data: data, allowsMultipleValues: true))
    // One strict document, captured as Foundation values.
    do {
        let reader = JSONStreamReader(data: data)
        consume(try reader.captureValue())
        while try reader.next() != nil {}
    } catch {
        consumeError(error)
    }
    // The elements of a top-level array and of a keyed one, as the feeds are read.
    for path in [[], ["vulnerabilities"]] {
        do {
            let stream = JSONElementStream(source: ByteSource(data: data), path: path)
            while let raw = try stream.nextRaw() { consume(raw) }
            consume(stream.fields.count)
        } catch {
            consumeError(error)
        }
    }
    // The same bytes from a file, a few at a time.
    if let source = chunkedSource(data) {
        fuzzJSONEvents(JSONStreamReader(source: source, allowsMultipleValues: true))
    }
}

func fuzzScanner(_ format: ScannerFormat) -> @Sendable (Data) -> Void {
    { data in
        var reader = ScanReports.reader(for: format, source: ByteSource(data: data))
        drain(&reader)
    }
}

func fuzzDetect(_ data: Data) {
    consume(ScanFormatDetector.detect(prefix: data))
    consume(ScanFormatDetector.syntax(of: data))
    // As an upload is surveyed: detect, check the claim (none, then one picked by the input), read.
    let claims: [ScannerFormat?] = [nil, ScannerFormat.allCases[Int(data.first ?? 0) % ScannerFormat.allCases.count]]
    for claimed in claims {
        do {
            let opened = try ScanReports.reader(source: ByteSource(data: data), claimed: claimed)
            var reader = opened.reader
            consume(opened.format)
            drain(&reader)
        } catch {
            consumeError(error)
        }
    }
}

/// CPE names the parsed one is matched against.
let cpeReferences: [CPEName] = [
    "cpe:2.3:a:apache:http_server:2.4.57:*:*:*:*:*:*:*",
    "cpe:2.3:o:microsoft:windows_10:-:*:*:*:*:*:x64:*",
    "cpe:2.3:a:openssl:openssl:1.1.1?:*:*:*:*:*:*:*",
    "cpe:2.3:*:*:*:*:*:*:*:*:*:*:*",
    "cpe:/a:vendor:product:1.0:update1:~~~en~~",
].map { try! CPEName($0) }

func fuzzCPE(_ data: Data) {
    let s = text(data)
    var names: [CPEName] = []
    for parse in [{ try CPEName(s) }, { try CPEName(formattedString: s) }, { try CPEName(uri: s) }] as [() throws -> CPEName] {
        do { names.append(try parse()) } catch { consumeError(error) }
    }
    for name in names {
        consume(name.formattedString)
        consume(name.uri)
        for attribute in CPEName.Attribute.allCases { consume(name[attribute]) }
        for other in cpeReferences {
            consume(name.relations(to: other))
            consume(name.isSuperset(of: other))
            consume(other.isSuperset(of: name))
            consume(name.isDisjoint(with: other))
        }
        // What a parsed name writes must read back.
        do { consume(try CPEName(formattedString: name.formattedString)) } catch { consumeError(error) }
        do { consume(try CPEName(uri: name.uri)) } catch { consumeError(error) }
    }
}

let fixedVersions = ["", "0", "1.0", "1.0.0", "v1.2.10", "1:2.3-1ubuntu2", "2.4.57-1+deb12u1", "1.0rc1", "1.0~beta2",
                     "1.1.1za", "8u301", "7.0.1p1", "18446744073709551616.1", "1.0.0+build.5", "a-b_c.d"].map(ComparableVersion.init)
let fixedRanges = ["*", ">= 2.4.0, < 2.4.58", "= 1.2.3", "2.4.0 - 2.4.57", "> 1.0~rc1, <= 1:0"].map { try! VersionRange(parsing: $0) }

func fuzzVersion(_ data: Data) {
    let s = text(data)
    let version = ComparableVersion(s)
    var hasher = Hasher()
    hasher.combine(version)
    consume(hasher.finalize())
    consume(VersionOrder.compare(s, "2.4.57"))
    for other in fixedVersions {
        consume(version.compare(to: other))
        consume(other.compare(to: version))
        consume(version == other)
    }
    for range in fixedRanges { consume(range.contains(version)) }
    // The input as a range expression, and as a `vers:` string.
    do {
        let range = try VersionRange(parsing: s)
        consume(range.description)
        for v in fixedVersions { consume(range.contains(v)) }
    } catch {
        consumeError(error)
    }
    do {
        let (ranges, excluded) = try VersionRange.parseVers(s)
        for range in ranges { consume(range.description); consume(range.contains(version)) }
        consume(excluded)
    } catch {
        consumeError(error)
    }
}

func fuzzObservable(_ data: Data) {
    let s = text(data)
    for type in ObservableType.allCases {
        do {
            consume(try ObservableValidator.normalise(type: type, value: s))
        } catch {
            consumeError(error)
        }
    }
}

func fuzzSTIXPattern(_ data: Data) {
    do {
        let pattern = try STIXPattern.parse(text(data))
        for comparison in pattern.comparisons {
            consume(comparison.objectType)
            consume(comparison.path)
            consume(comparison.values.map(\.text))
        }
    } catch {
        consumeError(error)
    }
}

let targets: [FuzzTarget] = [
    // Tabular uploads
    FuzzTarget(name: "csv", parser: "CSVReader.read (Formats/Tabular)") { data in
        do { consume(try CSVReader.read(data)) } catch { consumeError(error) }
    },
    FuzzTarget(name: "xlsx", parser: "XlsxReader.read (Formats/Tabular; a zip archive)") { data in
        do { consume(try XlsxReader.read(data)) } catch { consumeError(error) }
    },
    FuzzTarget(name: "zip", parser: "ZipData.archive (Formats/Support): every entry listed and extracted (1 MB each at most)") { data in
        do {
            let archive = try ZipData.archive(data)
            for entry in archive {
                consume(entry.path)
                var size = 0
                do {
                    _ = try archive.extract(entry, skipCRC32: false) { chunk in
                        size += chunk.count
                        if size > 1 << 20 { throw CancellationError() }
                    }
                } catch {
                    consumeError(error)
                }
            }
        } catch {
            consumeError(error)
        }
    },
    // Threat-intelligence exchange
    FuzzTarget(name: "stix", parser: "STIXBundleReader.read (Formats/Exchange)") { data in
        do { consume(try STIXBundleReader.read(data)) } catch { consumeError(error) }
    },
    FuzzTarget(name: "stix-pattern", parser: "STIXPattern.parse (Formats/Exchange, indicator patterns)", run: fuzzSTIXPattern),
    FuzzTarget(name: "misp", parser: "MISPEventReader.read (Formats/Exchange)") { data in
        do { consume(try MISPEventReader.read(data)) } catch { consumeError(error) }
    },
    FuzzTarget(name: "observable", parser: "ObservableValidator.normalise, every type (Domain/Incidents)", run: fuzzObservable),
    // Streaming tokenizers
    FuzzTarget(name: "xml", parser: "XMLPullReader (Formats/Streaming), from memory and from a file in small chunks") { data in
        fuzzXML(ByteSource(data: data), skipsWhitespace: data.count % 2 == 0)
        if let source = chunkedSource(data) { fuzzXML(source, skipsWhitespace: false) }
    },
    FuzzTarget(name: "json", parser: "JSONStreamReader, JSONElementStream (Formats/Streaming)", run: fuzzJSON),
    // Scanner reports
    FuzzTarget(name: "nmap", parser: "NmapReportReader (Formats/Scanners)", run: fuzzScanner(.nmap)),
    FuzzTarget(name: "openvas", parser: "OpenVASReportReader (Formats/Scanners)", run: fuzzScanner(.openvas)),
    FuzzTarget(name: "nessus", parser: "NessusReportReader (Formats/Scanners)", run: fuzzScanner(.nessus)),
    FuzzTarget(name: "nuclei", parser: "NucleiReportReader (Formats/Scanners)", run: fuzzScanner(.nuclei)),
    FuzzTarget(name: "trivy", parser: "TrivyReportReader (Formats/Scanners)", run: fuzzScanner(.trivy)),
    FuzzTarget(name: "sarif", parser: "SarifReportReader (Formats/Scanners)", run: fuzzScanner(.sarif)),
    FuzzTarget(name: "detect", parser: "ScanFormatDetector + ScanReports.reader(source:claimed:) and the chosen reader", run: fuzzDetect),
    // Advisories and vulnerability matching
    FuzzTarget(name: "nvd", parser: "NVDCVEReader.records, and .record on streamed feed elements (Formats/Advisories)") { data in
        do { consume(try NVDCVEReader.records(data)) } catch { consumeError(error) }
        do {
            try JSONStreamReader.forEachElement(in: ByteSource(data: data), atPath: ["vulnerabilities"]) { element, _ in
                do { consume(try NVDCVEReader.record(element)) } catch { consumeError(error) }
            }
        } catch {
            consumeError(error)
        }
    },
    FuzzTarget(name: "csaf", parser: "CSAFAdvisoryReader.read (Formats/Advisories)") { data in
        do { consume(try CSAFAdvisoryReader.read(data)) } catch { consumeError(error) }
    },
    FuzzTarget(name: "advisory", parser: "AdvisoryFile (Formats/Advisories): kind detected, then every item (NVD feed streamed, record or CSAF)") { data in
        do {
            let file = try AdvisoryFile(data: data)
            consume(file.kind)
            while let item = try file.next() {
                consume(item.path)
                consume(item.advisory)
                consume(item.perCVE)
            }
        } catch {
            consumeError(error)
        }
    },
    FuzzTarget(name: "inventory", parser: "MatchInventory.read (Formats/Advisories, `ungcuu match-cves`)") { data in
        do { consume(try MatchInventory.read(data)) } catch { consumeError(error) }
    },
    FuzzTarget(name: "cpe", parser: "CPEName (Domain/Vulnerabilities): both bindings, matching, round trip", run: fuzzCPE),
    FuzzTarget(name: "version", parser: "VersionOrder, ComparableVersion, VersionRange (Domain/Vulnerabilities)", run: fuzzVersion),
    // Detection (issue 6): DetectionTargets.swift
    FuzzTarget(name: "syslog", parser: "SyslogParser.parse + .event (Detection/Syslog), RFC 5424 and RFC 3164", run: fuzzSyslog),
    FuzzTarget(name: "syslog-framer", parser: "SyslogFramer (Detection/Syslog, RFC 6587) fed in chunks sized by the input, = fed at once", run: fuzzSyslogFramer),
    FuzzTarget(name: "jsonl", parser: "JSONLineEvent.parse, JSONLineParser, JSONLinesFileReader (Detection/Events); parse(serialize(e)) == e", run: fuzzJSONLines),
    FuzzTarget(name: "event-batch", parser: "EventBatchCodec.decode (Detection/Events), then encode → decode of what decoded", run: fuzzEventBatch),
    FuzzTarget(name: "indicators", parser: "IndicatorList.parse/classify + IndicatorMatcher (Detection/Indicators)", run: fuzzIndicators),
    FuzzTarget(name: "regex", parser: "SafeRegex (Detection/Regex): flags byte, pattern line, text; small maxStates", run: fuzzRegex),
    FuzzTarget(name: "event-time", parser: "EventTime.parse (Detection/Events), and string(from:) read back", run: fuzzEventTime),
    FuzzTarget(name: "evtx", parser: "EvtxFileReader (Detection/EVTX) over a file of the input: every record and warning", run: fuzzEVTX),
    FuzzTarget(name: "sigma", parser: "SigmaRuleLoader.parse (Detection/Sigma, YAML), then SigmaEngine on fixed events", run: fuzzSigma),
]

func usage() -> String {
    var s = "usage: ungcuu-fuzz TARGET [libFuzzer flags] [corpus dirs or files]\n       ungcuu-fuzz --list\ntargets:\n"
    for t in targets { s += "  " + t.name.padding(toLength: 15, withPad: " ", startingAt: 0) + t.parser + "\n" }
    return s
}

/// The target this process runs (set once, before libFuzzer starts).
nonisolated(unsafe) var selected: ((Data) -> Void)?
