import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `ungcuu hunt --rules PATH... EVENTS...`: Sigma rules over `.evtx` files or JSON lines, one JSON line
/// per match on `output`:
///
///     {"rule_id":"…","title":"…","level":"high","file":"…","record_id":4711}   (EVTX: EventRecordID)
///     {"rule_id":"…","title":"…","level":"high","file":"…","line":12}          (JSON lines: 1-based line)
///
/// and on `diagnostics`: rule files that could not be read, rules left out (each with its reason, then a
/// summary by reason), event warnings (bad lines, damaged EVTX chunks), and a final summary line.
/// Work is spread over two threads (batches of lines of a JSON-lines file; whole EVTX files). Matches of
/// one file come in file order; files are reported one after another for JSON lines and as they are
/// read for EVTX (lines of two EVTX files may interleave, each file's own lines stay in order).
/// Exit status: 0 when the hunt ran (whatever it found), 1 when no rule could be applied or an events
/// file could not be read, 2 for a usage error.
public enum HuntCommandLine {
    /// Splits `--rules PATH... EVENTS...` (the arguments after `hunt`): after `--rules` (repeatable, also
    /// `--rules=PATH`), folders and `.yml`/`.yaml` files are rule paths; the first other argument starts
    /// the events. `--` ends the rules explicitly. Nil with a message for a usage error.
    public static func parseArguments(_ arguments: [String]) -> (rules: [String], events: [String])? {
        var rules: [String] = [], events: [String] = []
        var inRules = false
        var onlyEvents = false
        for a in arguments {
            if onlyEvents { events.append(a); continue }
            if a == "--" { onlyEvents = true; inRules = false; continue }
            if a == "--rules" { inRules = true; continue }
            if a.hasPrefix("--rules=") { rules.append(String(a.dropFirst(8))); continue }
            if a.hasPrefix("-"), a.count > 1 { return nil }
            if inRules {
                var isDir: ObjCBool = false
                let exists = FileManager.default.fileExists(atPath: a, isDirectory: &isDir)
                let lower = a.lowercased()
                if rules.isEmpty || (exists && isDir.boolValue) || lower.hasSuffix(".yml") || lower.hasSuffix(".yaml") {
                    rules.append(a)
                    continue
                }
                inRules = false
            }
            events.append(a)
        }
        return (rules, events)
    }

    /// `ungcuu hunt ARGS`: parses the arguments and runs the hunt.
    public static func main(arguments: [String], output: (UnsafeRawBufferPointer) -> Void, diagnostics: (String) -> Void) -> Int32 {
        guard let (rules, events) = parseArguments(arguments) else {
            diagnostics("usage: ungcuu hunt --rules PATH... EVENTS...   (rule files/folders; .evtx or JSON-lines files/folders)")
            return 2
        }
        return run(rulePaths: rules, eventPaths: events, output: output, diagnostics: diagnostics)
    }

    public static func run(rulePaths: [String], eventPaths: [String], output: (UnsafeRawBufferPointer) -> Void, diagnostics: (String) -> Void) -> Int32 {
        let started = Date()
        guard !rulePaths.isEmpty else { diagnostics("hunt: no rules (--rules PATH...)"); return 2 }
        guard !eventPaths.isEmpty else { diagnostics("hunt: no event files"); return 2 }

        // Rules
        let loaded = SigmaRuleLoader.load(paths: rulePaths.map { URL(fileURLWithPath: $0) })
        for e in loaded.errors { diagnostics("rule error: \(e)") }
        let engine = SigmaEngine(rules: loaded.rules)
        var reasons: [String: Int] = [:]
        for u in engine.unsupported {
            diagnostics("rule unsupported: \(u.rule.origin) (\(u.rule.id)): \(u.reason)")
            reasons[summaryReason(u.reason), default: 0] += 1
        }
        if !engine.unsupported.isEmpty {
            diagnostics("rules unsupported: \(engine.unsupported.count)")
            for (reason, n) in reasons.sorted(by: { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }) {
                diagnostics("  \(n) × \(reason)")
            }
        }
        let ruleSeconds = Date().timeIntervalSince(started)
        guard !engine.rules.isEmpty else {
            diagnostics("hunt: no rule can be applied (\(loaded.rules.count) loaded, \(loaded.errors.count) files with errors)")
            return 1
        }

        // Events
        let files = eventFiles(eventPaths)
        let hunt = Hunt(engine: engine)
        var status: Int32 = 0
        hunt.start()
        for file in files {
            if isEVTX(file) {
                hunt.submit(.evtx(file: file, index: hunt.nextFileIndex()), output: output, diagnostics: diagnostics)
            } else if !hunt.readJSONLines(file, output: output, diagnostics: diagnostics) {
                status = 1
            }
        }
        hunt.finish(output: output, diagnostics: diagnostics)
        if hunt.failedFiles > 0 { status = 1 }
        let seconds = Date().timeIntervalSince(started)
        let rate = seconds > 0 ? Int(Double(hunt.events) / seconds) : 0
        diagnostics("hunt: rules \(loaded.rules.count) loaded, \(engine.rules.count) applied, \(engine.unsupported.count) unsupported, "
            + "\(loaded.errors.count) files with errors (\(String(format: "%.2f", ruleSeconds)) s); "
            + "events \(hunt.events) from \(files.count) files; matches \(hunt.matches); "
            + "\(String(format: "%.2f", seconds)) s (\(rate) events/s)")
        return status
    }

    /// A reason without the rule's own details, to count rules by it (`unknown modifier 'x'`).
    static func summaryReason(_ reason: String) -> String {
        var r = reason
        if let range = r.range(of: "): ", options: .backwards) { r = String(r[range.upperBound...]) }
        if let colon = r.range(of: ": ") , r.hasPrefix("condition") { r = String(r[..<colon.lowerBound]) }
        if r.hasPrefix("condition '") { return "invalid condition" }
        if r.hasPrefix("unsupported regular expression") { return "unsupported regular expression" }
        if r.hasPrefix("placeholder %") { return "placeholder not configured" }
        return r
    }

    static func eventFiles(_ paths: [String]) -> [String] {
        var out: [String] = []
        let fm = FileManager.default
        for p in paths {
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: p, isDirectory: &isDir), isDir.boolValue {
                var found: [String] = []
                if let en = fm.enumerator(atPath: p) {
                    for case let rel as String in en {
                        let lower = rel.lowercased()
                        if lower.hasSuffix(".evtx") || lower.hasSuffix(".jsonl") || lower.hasSuffix(".json") || lower.hasSuffix(".ndjson") {
                            found.append((p as NSString).appendingPathComponent(rel))
                        }
                    }
                }
                out += found.sorted()
            } else {
                out.append(p)
            }
        }
        return out
    }

    static func isEVTX(_ path: String) -> Bool {
        if path.lowercased().hasSuffix(".evtx") { return true }
        guard let h = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? h.close() }
        let magic = (try? h.read(upToCount: 8)) ?? Data()
        return magic == Data("ElfFile\0".utf8)
    }
}

/// The worker threads of one hunt and what they hand back.
final class Hunt: @unchecked Sendable {
    enum Task {
        case evtx(file: String, index: Int)
        /// Whole lines of a JSON-lines file; `longLine`: one line too long to read, skipped.
        case lines(file: Int, seq: Int, bytes: [UInt8], longLine: Bool)
    }

    struct Result {
        var file: Int
        var seq: Int          // JSON-lines batch number, -1 for EVTX chunks
        var output: [UInt8]
        var messages: [String]
        var events: Int
        var matches: Int
        var failed: Bool
        // JSON lines: lines in the batch, matches and warnings with line numbers relative to it
        var lines = 0
        var hits: [(line: Int, rule: Int)] = []
        var lineWarnings: [(line: Int, message: String)] = []
    }

    let engine: SigmaEngine
    private let cond = NSCondition()
    private var tasks: [Task] = []
    private var results: [Result] = []
    private var running = 0
    private var closed = false
    private var threads: [Thread] = []
    private let maxPending = 6
    private var fileNames: [String] = []
    private let ruleJSON: [[UInt8]]

    private(set) var events = 0
    private(set) var matches = 0
    private(set) var failedFiles = 0
    // JSON lines: batches of the file being read, emitted in order.
    private var pendingBatches: [Int: Result] = [:]
    private var nextBatch = 0
    private var linesBefore = 0
    private var jsonWarnings = 0

    init(engine: SigmaEngine) {
        self.engine = engine
        ruleJSON = engine.rules.map { rule in
            var out: [UInt8] = Array("{\"rule_id\":".utf8)
            HuntJSON.string(rule.id, into: &out)
            out += Array(",\"title\":".utf8)
            HuntJSON.string(rule.title, into: &out)
            out += Array(",\"level\":".utf8)
            if let level = rule.level { HuntJSON.string(level, into: &out) } else { out += Array("null".utf8) }
            out += Array(",\"file\":".utf8)
            return out
        }
    }

    func nextFileIndex() -> Int { fileNames.count }

    func start() {
        for i in 0..<2 {
            let t = Thread { [self] in self.work() }
            t.name = "hunt-\(i)"
            t.stackSize = 8 << 20
            threads.append(t)
            t.start()
        }
    }

    private func work() {
        let matcher = engine.makeMatcher()
        while true {
            cond.lock()
            while tasks.isEmpty && !closed { cond.wait() }
            if tasks.isEmpty && closed { cond.unlock(); return }
            let task = tasks.removeFirst()
            running += 1
            cond.unlock()
            switch task {
            case .evtx(let file, let index):
                huntEVTX(file, index: index, matcher: matcher)
            case .lines(let file, let seq, let bytes, let longLine):
                if longLine {
                    post(Result(file: file, seq: seq, output: [], messages: [], events: 0, matches: 0, failed: false,
                                lines: 1, lineWarnings: [(1, "line longer than \(Hunt.maxLine) bytes, skipped")]))
                } else {
                    post(huntLines(file: file, seq: seq, bytes: bytes, matcher: matcher))
                }
            }
            cond.lock()
            running -= 1
            cond.broadcast()
            cond.unlock()
        }
    }

    private func post(_ r: Result) {
        cond.lock()
        results.append(r)
        cond.broadcast()
        cond.unlock()
    }

    /// Queues a task, emitting results while the queue is full.
    func submit(_ task: Task, output: (UnsafeRawBufferPointer) -> Void, diagnostics: (String) -> Void) {
        if case .evtx(let file, _) = task { fileNames.append(file) }
        cond.lock()
        while tasks.count >= maxPending {
            if !results.isEmpty {
                let got = results; results.removeAll()
                cond.unlock()
                emit(got, output: output, diagnostics: diagnostics)
                cond.lock()
                continue
            }
            cond.wait()
        }
        tasks.append(task)
        cond.broadcast()
        cond.unlock()
        drain(output: output, diagnostics: diagnostics)
    }

    private func drain(output: (UnsafeRawBufferPointer) -> Void, diagnostics: (String) -> Void) {
        cond.lock()
        let got = results; results.removeAll()
        cond.unlock()
        if !got.isEmpty { emit(got, output: output, diagnostics: diagnostics) }
    }

    func finish(output: (UnsafeRawBufferPointer) -> Void, diagnostics: (String) -> Void) {
        cond.lock()
        closed = true
        cond.broadcast()
        while !(tasks.isEmpty && running == 0) || !results.isEmpty {
            if !results.isEmpty {
                let got = results; results.removeAll()
                cond.unlock()
                emit(got, output: output, diagnostics: diagnostics)
                cond.lock()
                continue
            }
            cond.wait()
        }
        cond.unlock()
        for t in threads { while !t.isFinished { usleep(1000) } }
        finishJSONFile(diagnostics: diagnostics)
    }

    private func emit(_ got: [Result], output: (UnsafeRawBufferPointer) -> Void, diagnostics: (String) -> Void) {
        for r in got {
            if r.seq < 0 {
                write(r, output: output, diagnostics: diagnostics)
            } else {
                pendingBatches[r.seq] = r
                while let next = pendingBatches.removeValue(forKey: nextBatch) {
                    write(next, output: output, diagnostics: diagnostics)
                    nextBatch += 1
                }
            }
        }
    }

    private func write(_ r: Result, output: (UnsafeRawBufferPointer) -> Void, diagnostics: (String) -> Void) {
        events += r.events
        matches += r.matches
        if r.failed { failedFiles += 1 }
        for m in r.messages { diagnostics(m) }
        if r.seq >= 0 {
            let file = fileNames[r.file]
            for (line, message) in r.lineWarnings {
                jsonWarnings += 1
                if jsonWarnings <= 20 { diagnostics("events warning: \(file): line \(linesBefore + line): \(message)") }
            }
            if !r.hits.isEmpty {
                var fileJSON: [UInt8] = []
                HuntJSON.string(file, into: &fileJSON)
                var out: [UInt8] = []
                out.reserveCapacity(r.hits.count * 160)
                for (line, rule) in r.hits {
                    out += ruleJSON[rule]
                    out += fileJSON
                    out += Array(",\"line\":".utf8)
                    HuntJSON.int(Int64(linesBefore + line), into: &out)
                    out += Array("}\n".utf8)
                }
                out.withUnsafeBytes { output($0) }
            }
            linesBefore += r.lines
        }
        if !r.output.isEmpty { r.output.withUnsafeBytes { output($0) } }
    }

    // MARK: EVTX

    private func huntEVTX(_ path: String, index: Int, matcher: SigmaMatcher) {
        let reader: EvtxFileReader
        do {
            reader = try EvtxFileReader(url: URL(fileURLWithPath: path), name: path, outputs: [.event])
        } catch {
            post(Result(file: index, seq: -1, output: [], messages: ["events error: \(path): \(error)"], events: 0, matches: 0, failed: true))
            return
        }
        var fileJSON: [UInt8] = []
        HuntJSON.string(path, into: &fileJSON)
        var out: [UInt8] = []
        var hits: [Int] = []
        var events = 0, matches = 0
        while let record = reader.next() {
            events += 1
            matcher.match(record.event, into: &hits)
            for r in hits {
                out += ruleJSON[r]
                out += fileJSON
                out += Array(",\"record_id\":".utf8)
                HuntJSON.int(Int64(truncatingIfNeeded: record.recordID), into: &out)
                out += Array("}\n".utf8)
                matches += 1
            }
            if out.count > 1 << 20 {
                post(Result(file: index, seq: -1, output: out, messages: [], events: events, matches: matches, failed: false))
                out = []; events = 0; matches = 0
            }
        }
        var messages: [String] = []
        let warnings = reader.warnings
        for w in warnings.prefix(20) { messages.append("events warning: \(w)") }
        if warnings.count > 20 { messages.append("events warning: \(path): \(warnings.count - 20) more warnings") }
        post(Result(file: index, seq: -1, output: out, messages: messages, events: events, matches: matches, failed: false))
    }

    // MARK: JSON lines

    static let maxLine = 4 << 20

    /// Reads a JSON-lines file in batches of whole lines for the workers; false if it cannot be read.
    func readJSONLines(_ path: String, output: (UnsafeRawBufferPointer) -> Void, diagnostics: (String) -> Void) -> Bool {
        // Batches of earlier files are all emitted first: numbering restarts per file.
        waitForBatches(output: output, diagnostics: diagnostics)
        finishJSONFile(diagnostics: diagnostics)
        let fileIndex = fileNames.count
        fileNames.append(path)
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            diagnostics("events error: \(path): cannot open: \(String(cString: strerror(errno)))")
            failedFiles += 1
            return false
        }
        defer { close(fd) }
        var st = stat()
        if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
            diagnostics("events error: \(path): is a directory")
            failedFiles += 1
            return false
        }
        nextBatch = 0
        linesBefore = 0
        jsonWarnings = 0
        currentJSONFile = path
        pendingBatches.removeAll()
        let chunk = 1 << 20
        var carry: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: chunk)
        var seq = 0
        var atStart = true
        var skipping = false   // inside a line longer than maxLine
        while true {
            let n = buffer.withUnsafeMutableBytes { b in read(fd, b.baseAddress, chunk) }
            if n < 0 {
                if errno == EINTR { continue }
                diagnostics("events error: \(path): read error: \(String(cString: strerror(errno)))")
                failedFiles += 1
                return false
            }
            if n == 0 { break }
            var slice = buffer[0..<n]
            if atStart {
                atStart = false
                if n >= 3, slice[0] == 0xEF, slice[1] == 0xBB, slice[2] == 0xBF { slice = slice.dropFirst(3) }
            }
            if skipping {
                guard let nl = slice.firstIndex(of: 0x0A) else { continue }
                slice = slice[(nl + 1)...]
                skipping = false
            }
            if let last = slice.lastIndex(of: 0x0A) {
                var batch = carry
                batch += slice[...last]
                carry = Array(slice[(last + 1)...])
                submit(.lines(file: fileIndex, seq: seq, bytes: batch, longLine: false), output: output, diagnostics: diagnostics)
                seq += 1
            } else {
                carry += slice
            }
            if carry.count > Hunt.maxLine {
                submit(.lines(file: fileIndex, seq: seq, bytes: [], longLine: true), output: output, diagnostics: diagnostics)
                seq += 1
                carry = []
                skipping = true
            }
        }
        if !carry.isEmpty {
            submit(.lines(file: fileIndex, seq: seq, bytes: carry, longLine: false), output: output, diagnostics: diagnostics)
            seq += 1
        }
        return true
    }

    private var currentJSONFile: String? = nil

    /// Reports how many line warnings of the last JSON-lines file were not shown.
    private func finishJSONFile(diagnostics: (String) -> Void) {
        if let f = currentJSONFile, jsonWarnings > 20 {
            diagnostics("events warning: \(f): \(jsonWarnings - 20) more bad lines")
        }
        currentJSONFile = nil
        jsonWarnings = 0
    }

    private func waitForBatches(output: (UnsafeRawBufferPointer) -> Void, diagnostics: (String) -> Void) {
        cond.lock()
        while !(tasks.isEmpty && running == 0) || !results.isEmpty {
            if !results.isEmpty {
                let got = results; results.removeAll()
                cond.unlock()
                emit(got, output: output, diagnostics: diagnostics)
                cond.lock()
                continue
            }
            cond.wait()
        }
        cond.unlock()
    }

    /// Parses and matches a batch; line numbers are relative to the batch and made absolute when the
    /// batch is emitted (in order).
    private func huntLines(file: Int, seq: Int, bytes: [UInt8], matcher: SigmaMatcher) -> Result {
        var result = Result(file: file, seq: seq, output: [], messages: [], events: 0, matches: 0, failed: false)
        var hits: [Int] = []
        bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            var start = 0
            let count = raw.count
            var line = 0
            while start < count {
                let end = memchr(base + start, 0x0A, count - start).map { UnsafeRawPointer(base).distance(to: UnsafeRawPointer($0)) } ?? count
                line += 1
                var blank = true
                for i in start..<end {
                    let c = raw[i]
                    if c != 0x20 && c != 0x09 && c != 0x0D { blank = false; break }
                }
                if !blank {
                    do {
                        let event = try JSONLineEvent.parse(UnsafeRawBufferPointer(rebasing: raw[start..<end]), line: line)
                        result.events += 1
                        matcher.match(event, into: &hits)
                        for r in hits { result.hits.append((line, r)) }
                    } catch let error as JSONLineError {
                        result.lineWarnings.append((line, "column \(error.column): \(error.message)"))
                    } catch {
                        result.lineWarnings.append((line, "\(error)"))
                    }
                }
                start = end + 1
            }
            result.lines = line
        }
        result.matches = result.hits.count
        return result
    }
}

enum HuntJSON {
    static func string(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for c in s.utf8 {
            switch c {
            case UInt8(ascii: "\""): out += [0x5C, 0x22]
            case UInt8(ascii: "\\"): out += [0x5C, 0x5C]
            case 0x0A: out += [0x5C, UInt8(ascii: "n")]
            case 0x0D: out += [0x5C, UInt8(ascii: "r")]
            case 0x09: out += [0x5C, UInt8(ascii: "t")]
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out += [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(c >> 4)], hex[Int(c & 15)]]
            default: out.append(c)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    static func int(_ v: Int64, into out: inout [UInt8]) {
        var buf = [UInt8](repeating: 0, count: 24)
        let n = SigmaMatcher.formatInt(v, into: &buf)
        out += buf[(24 - n)...]
    }
}
