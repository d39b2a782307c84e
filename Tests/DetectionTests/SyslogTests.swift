import Foundation
import Testing
@testable import Detection

@Suite("Syslog messages and framing")
struct SyslogTests {
    private let received = Date(timeIntervalSince1970: 1_718_000_000) // 2024-06-10T06:13:20Z

    private func parse(_ text: String, receivedAt: Date? = nil) -> SyslogMessage {
        SyslogParser.parse(Array(text.utf8), receivedAt: receivedAt ?? received)
    }

    private func date(_ text: String) -> Date? { EventTime.parse(text) }

    // MARK: RFC 5424

    @Test func rfc5424ExampleWithBOMAndNoStructuredData() {
        var bytes = Array("<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - ".utf8)
        bytes += [0xEF, 0xBB, 0xBF]
        bytes += Array("'su root' failed for lonvick on /dev/pts/8".utf8)
        let m = SyslogParser.parse(bytes, receivedAt: received)
        #expect(m == SyslogMessage(format: .rfc5424, facility: 4, severity: 2, timestamp: date("2003-10-11T22:14:15.003Z"),
                                   hostname: "mymachine.example.com", appName: "su", procID: nil, msgID: "ID47",
                                   message: "'su root' failed for lonvick on /dev/pts/8"))
    }

    @Test func rfc5424ExampleWithMicrosecondsAndZone() {
        let m = parse("<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It's time to make the do-nuts.")
        #expect(m.format == .rfc5424)
        #expect(m.facility == 20 && m.severity == 5)
        #expect(m.timestamp == date("2003-08-24T12:14:15.000003Z"))
        #expect(m.hostname == "192.0.2.1" && m.appName == "myproc" && m.procID == "8710" && m.msgID == nil)
        #expect(m.message == "%% It's time to make the do-nuts.")
    }

    @Test func rfc5424StructuredDataElements() {
        let m = parse("<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut=\"3\" eventSource=\"Application\" eventID=\"1011\"][examplePriority@32473 class=\"high\"] An application event")
        #expect(m.structuredData == [
            "exampleSDID@32473": ["iut": "3", "eventSource": "Application", "eventID": "1011"],
            "examplePriority@32473": ["class": "high"],
        ])
        #expect(m.message == "An application event")
        let noMessage = parse("<165>1 2003-10-11T22:14:15.003Z host app - - [a@1 k=\"v\"]")
        #expect(noMessage.structuredData == ["a@1": ["k": "v"]])
        #expect(noMessage.message == "")
    }

    @Test func structuredDataEscapesQuoteBackslashAndBracket() {
        let m = parse(#"<13>1 - - - - - [x@1 a="q\"uote" b="back\\slash" c="br\]acket" d="kept\n" e=""] m"#)
        #expect(m.structuredData["x@1"] == ["a": "q\"uote", "b": "back\\slash", "c": "br]acket", "d": "kept\\n", "e": ""])
        #expect(m.timestamp == nil && m.hostname == nil && m.appName == nil)
        #expect(m.message == "m")
    }

    @Test func repeatedParametersAreJoinedWithCommas() {
        let m = parse(#"<13>1 - h a - - [origin ip="192.0.2.1" ip="192.0.2.129"] x"#)
        #expect(m.structuredData["origin"]?["ip"] == "192.0.2.1,192.0.2.129")
    }

    @Test func malformedStructuredDataIsKeptInTheMessage() {
        let m = parse(#"<13>1 - h a - - [broken k="v" rest"#)
        #expect(m.format == .rfc5424)
        #expect(m.structuredData.isEmpty)
        #expect(m.message == #"[broken k="v" rest"#)
    }

    @Test func unparseableRFC5424TimestampIsNilButTheRestIsRead() {
        let m = parse("<13>1 2024-13-45T99:00:00Z host app 12 - - text")
        #expect(m.format == .rfc5424)
        #expect(m.timestamp == nil)
        #expect(m.hostname == "host" && m.procID == "12" && m.message == "text")
    }

    // MARK: RFC 3164

    @Test func rfc3164ExampleWithTag() {
        let m = parse("<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8",
                      receivedAt: date("2024-11-01T00:00:00Z"))
        #expect(m == SyslogMessage(format: .rfc3164, facility: 4, severity: 2, timestamp: date("2024-10-11T22:14:15Z"),
                                   hostname: "mymachine", appName: "su", message: "'su root' failed for lonvick on /dev/pts/8"))
    }

    @Test func rfc3164WithPIDAndSpacePaddedDay() {
        let m = parse("<38>Jun  5 17:32:18 10.0.0.99 sshd[1234]: Accepted password for root from 10.0.0.5 port 22 ssh2")
        #expect(m.format == .rfc3164)
        #expect(m.timestamp == date("2024-06-05T17:32:18Z"))
        #expect(m.hostname == "10.0.0.99" && m.appName == "sshd" && m.procID == "1234")
        #expect(m.message == "Accepted password for root from 10.0.0.5 port 22 ssh2")
        #expect(parse("<38>Jun 5 17:32:18 h a: b").timestamp == date("2024-06-05T17:32:18Z"))
    }

    @Test func yearComesFromTheReceiverAndAFutureDateMeansLastYear() {
        let newYear = date("2024-01-01T00:00:30Z")
        #expect(parse("<13>Dec 31 23:59:50 h a: x", receivedAt: newYear).timestamp == date("2023-12-31T23:59:50Z"))
        #expect(parse("<13>Jan  1 00:00:10 h a: x", receivedAt: newYear).timestamp == date("2024-01-01T00:00:10Z"))
        // Less than a day ahead (a sender's clock running fast) stays in this year.
        #expect(parse("<13>Jan  1 20:00:00 h a: x", receivedAt: newYear).timestamp == date("2024-01-01T20:00:00Z"))
        // More than a day ahead is last year.
        #expect(parse("<13>Jan  3 00:00:00 h a: x", receivedAt: newYear).timestamp == date("2023-01-03T00:00:00Z"))
        // Just before midnight on 31 December, a "Jan 1" message is next year's.
        let yearEnd = date("2024-12-31T23:59:50Z")
        #expect(parse("<13>Jan  1 00:00:05 h a: x", receivedAt: yearEnd).timestamp == date("2025-01-01T00:00:05Z"))
        // 29 February belongs to the last leap year that is not in the future.
        #expect(parse("<13>Feb 29 12:00:00 h a: x", receivedAt: date("2025-03-01T00:00:00Z")).timestamp == date("2024-02-29T12:00:00Z"))
        #expect(parse("<13>Feb 29 12:00:00 h a: x", receivedAt: date("2023-03-01T00:00:00Z")).timestamp == nil)
    }

    @Test func isoTimestampAndYearVariants() {
        let iso = parse("<13>2024-05-06T07:08:09.123+07:00 host app[1]: message")
        #expect(iso.format == .rfc3164)
        #expect(iso.timestamp == date("2024-05-06T00:08:09.123Z"))
        #expect(iso.hostname == "host" && iso.appName == "app" && iso.procID == "1" && iso.message == "message")
        let withYear = parse("<13>Mar  1 2019 18:46:11 router %LINK-3-UPDOWN: Interface Gi0/1, changed state to up")
        #expect(withYear.timestamp == date("2019-03-01T18:46:11Z"))
        #expect(withYear.hostname == "router" && withYear.appName == "%LINK-3-UPDOWN")
        let fraction = parse("<13>Jun 10 01:02:03.250 host app: m")
        #expect(fraction.timestamp == date("2024-06-10T01:02:03.25Z"))
    }

    @Test func missingHostnameIsNotMistakenForTheTag() {
        let m = parse("<13>Oct 11 22:14:15 su[42]: message", receivedAt: date("2024-11-01T00:00:00Z"))
        #expect(m.hostname == nil && m.appName == "su" && m.procID == "42" && m.message == "message")
        let plain = parse("<13>Oct 11 22:14:15 cron: job done", receivedAt: date("2024-11-01T00:00:00Z"))
        #expect(plain.hostname == nil && plain.appName == "cron" && plain.message == "job done")
    }

    @Test func messageWithoutTagIsAllContent() {
        let m = parse("<13>Jun 10 01:02:03 host just some text")
        #expect(m.hostname == "host" && m.appName == nil && m.message == "just some text")
    }

    @Test func noPRIMeansUserNoticeAsRFC3164Says() {
        let m = parse("Jun 10 01:02:03 host app: text")
        #expect(m.format == .rfc3164 && m.facility == 1 && m.severity == 5)
        #expect(m.hostname == "host" && m.appName == "app" && m.message == "text")
    }

    @Test func priWithoutTimestampKeepsTheRestAsContent() {
        let m = parse("<13>hello world")
        #expect(m.format == .rfc3164 && m.facility == 1 && m.severity == 5 && m.timestamp == nil)
        #expect(m.message == "hello world" && m.hostname == nil)
        let tagged = parse("<11>app[7]: disk full")
        #expect(tagged.appName == "app" && tagged.procID == "7" && tagged.message == "disk full" && tagged.severity == 3)
    }

    @Test func anythingElseIsKeptWholeAsUnparsed() {
        for text in ["hello", "<999>Oct 11 22:14:15 h a: m", "<>x", "", "<13", "12345"] {
            let m = parse(text)
            #expect(m.format == .unparsed, "\(text)")
            #expect(m.message == text)
            #expect(m.facility == 1 && m.severity == 5)
        }
    }

    @Test func trailingNewlinesAndNULsAreDropped() {
        #expect(parse("<13>Jun 10 01:02:03 host app: text\r\n").message == "text")
        #expect(parse("<13>1 - h a - - - text\n\0").message == "text")
    }

    @Test func invalidUTF8IsReplacedNotFatal() {
        var bytes = Array("<13>Jun 10 01:02:03 host app: ".utf8)
        bytes += [0xC3, 0x28, 0xFF, 0x41]
        let m = SyslogParser.parse(bytes, receivedAt: received)
        #expect(m.message == "\u{FFFD}(\u{FFFD}A")
    }

    @Test func randomBytesNeverCrash() {
        var rng = IngestRNG(seed: 3)
        let alphabet = Array("<>0123456789 -[]=\"\\:JanFebOct T.Z+".utf8) + [0, 0x0A, 0xFF, 0xEF, 0xBB, 0xBF]
        for _ in 0..<20_000 {
            let count = Int(rng.next() % 80)
            var bytes: [UInt8] = []
            for _ in 0..<count { bytes.append(alphabet[Int(rng.next() % UInt64(alphabet.count))]) }
            if rng.next() % 3 == 0 { bytes = Array("<13>1 ".utf8) + bytes }
            let m = SyslogParser.parse(bytes, receivedAt: received)
            _ = SyslogParser.event(m)
        }
    }

    // MARK: events

    @Test func eventUsesTheSyslogFieldNames() throws {
        let m = parse(#"<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 ID1 [origin ip="10.1.1.1"] text"#)
        let e = SyslogParser.event(m)
        #expect(e[EventFields.Syslog.format] == .string("rfc5424"))
        #expect(e[EventFields.Syslog.facility] == .int(20))
        #expect(e[EventFields.Syslog.severity] == .int(5))
        #expect(e[EventFields.Syslog.timestamp] == .string("2003-08-24T12:14:15.000003Z"))
        #expect(e[EventFields.Syslog.hostname] == .string("192.0.2.1"))
        #expect(e[EventFields.Syslog.appName] == .string("myproc"))
        #expect(e[EventFields.Syslog.procID] == .string("8710"))
        #expect(e[EventFields.Syslog.msgID] == .string("ID1"))
        #expect(e[EventFields.Syslog.message] == .string("text"))
        #expect(e["sd.origin.ip"] == .string("10.1.1.1"))
        #expect(e.host == "192.0.2.1")
        let time = try #require(e.time)
        #expect(abs(time.timeIntervalSince1970 - (m.timestamp?.timeIntervalSince1970 ?? 0)) < 1e-6)
        let bare = SyslogParser.event(parse("hello"))
        #expect(bare.fields == ["syslog_format": .string("unparsed"), "facility": .int(1), "severity": .int(5), "message": .string("hello")])
    }

    // MARK: framing

    private func frame(_ chunks: [[UInt8]], max: Int = 64 * 1024) -> (messages: [String], problems: [SyslogFramer.Problem], last: String?) {
        var framer = SyslogFramer(maxMessageSize: max)
        var messages: [String] = []
        var problems: [SyslogFramer.Problem] = []
        for chunk in chunks {
            let (m, p) = framer.feed(chunk)
            messages += m.map { String(decoding: $0, as: UTF8.self) }
            problems += p
        }
        return (messages, problems, framer.finish().map { String(decoding: $0, as: UTF8.self) })
    }

    @Test func newlineFramingWithLFCRLFAndNUL() {
        let r = frame([Array("<13>a\n<13>b\r\n<13>c\0\n\n<13>d".utf8)])
        #expect(r.messages == ["<13>a", "<13>b", "<13>c"])
        #expect(r.problems.isEmpty)
        #expect(r.last == "<13>d")
    }

    @Test func octetCountingAndNewlineFramesMix() {
        let first = "<34>1 - h a - - - one"
        let stream = "\(first.utf8.count) \(first)<13>two\n5 <1>x\n3 abc"
        let r = frame([Array(stream.utf8)])
        #expect(r.messages == [first, "<13>two", "<1>x\n", "abc"])
        #expect(r.problems.isEmpty)
        #expect(r.last == nil)
    }

    @Test func everySplitOfTheStreamGivesTheSameMessages() {
        let stream = Array("11 <13>1 a b c\n<14>second line\r\n4 \n\n\nx<15>third\0<16>last".utf8)
        let whole = frame([stream])
        #expect(whole.messages == ["<13>1 a b c", "<14>second line", "\n\n\nx", "<15>third"])
        #expect(whole.last == "<16>last")
        for cut in 0...stream.count {
            let split = frame([Array(stream[..<cut]), Array(stream[cut...])])
            #expect(split.messages == whole.messages, "cut at \(cut)")
            #expect(split.last == whole.last)
        }
        // Byte by byte.
        #expect(frame(stream.map { [$0] }).messages == whole.messages)
    }

    @Test func oversizedNewlineMessageIsCutAndReported() {
        let long = String(repeating: "x", count: 100)
        let r = frame([Array("<13>\(long)\n<13>ok\n".utf8)], max: 20)
        #expect(r.messages == ["<13>" + String(repeating: "x", count: 16), "<13>ok"])
        #expect(r.problems == [.oversized(length: 104)])
        // Split across feeds, the length is still the whole message's.
        let bytes = Array("<13>\(long)\n<13>ok\n".utf8)
        let split = frame([Array(bytes[..<10]), Array(bytes[10..<60]), Array(bytes[60...])], max: 20)
        #expect(split.messages == r.messages && split.problems == r.problems)
    }

    @Test func oversizedOctetCountedMessageIsSkippedAndReported() {
        let body = String(repeating: "y", count: 50)
        let r = frame([Array("50 \(body)6 <13>ok".utf8)], max: 20)
        #expect(r.messages == ["<13>ok"])
        #expect(r.problems == [.oversized(length: 50)])
    }

    @Test func badOctetCountStopsTheStream() {
        var framer = SyslogFramer()
        let (messages, problems) = framer.feed(Array("5 <1>a12x <13>later\n".utf8))
        #expect(messages.map { String(decoding: $0, as: UTF8.self) } == ["<1>a1"])
        #expect(problems == [.badOctetCount("2x")])
        #expect(framer.isFailed)
        #expect(framer.feed(Array("<13>more\n".utf8)).messages.isEmpty)
        #expect(frame([Array("0 x".utf8)]).problems == [.badOctetCount("0")])
        #expect(frame([Array("1234567890123 x".utf8)]).problems == [.badOctetCount("1234567890")])
        #expect(SyslogFramer.Problem.badOctetCount("2x").description == "invalid octet count \"2x\"")
    }

    @Test func memoryStaysBoundedOnAFloodWithoutNewlines() {
        var framer = SyslogFramer(maxMessageSize: 1024)
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 64 * 1024)
        var messages = 0
        for _ in 0..<160 { messages += framer.feed(chunk).messages.count } // 10 MiB
        #expect(messages == 1)
        #expect(framer.pending.capacity <= 64 * 1024)
        let end = framer.feed([0x0A])
        #expect(end.problems == [.oversized(length: 160 * 64 * 1024)])
    }
}
