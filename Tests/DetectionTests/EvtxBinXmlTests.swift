import Foundation
import Testing
@testable import Detection

/// Synthetic EVTX files written token by token: what the corpus does not show, and hostile input.
/// Expected JSON follows the Rust `evtx` crate (0.13, in the `evtx` 0.14 Python package), which was run
/// on these same files (`EVTX_KEEP_SYNTHETIC=DIR` keeps them) where it supports the construct.
@Suite("EVTX BinXML and templates")
struct EvtxBinXmlTests {
    private func single(_ build: (inout EvtxTestChunk) -> Void, name: String = #function) throws -> (EvtxRecord?, [EvtxWarning]) {
        var chunk = EvtxTestChunk()
        build(&chunk)
        let url = try EvtxTestFiles.write(EvtxTestChunk.file([chunk.finished()]), name: String(name.prefix { $0 != "(" }))
        defer { try? FileManager.default.removeItem(at: url) }
        let (records, warnings) = try EvtxTestFiles.read(url)
        return (records.first, warnings)
    }

    @Test func valueTypesRenderAsTheCratePrintsThem() throws {
        let names = ["S", "A", "U8", "I32", "NegI32", "I64", "U64", "Big", "Real", "True", "Odd", "Bin", "Guid", "SizeT",
                     "FileTime", "SysTime", "Sid", "Hex32", "Hex64", "Empty"]
        let guid: [UInt8] = [0x25, 0x96, 0x84, 0x54, 0x78, 0x54, 0x94, 0x49, 0xA5, 0xBA, 0x3E, 0x3B, 0x03, 0x28, 0xC3, 0x0D]
        let sid: [UInt8] = [1, 5, 0, 0, 0, 0, 0, 5, 21, 0, 0, 0, 0x39, 0x30, 0, 0, 0xE8, 0x03, 0, 0, 0x0A, 0, 0, 0, 0xF4, 0x01, 0, 0]
        let (record, warnings) = try single({ c in
            c.record(id: 7) { c in
                c.fragmentHeader()
                c.templateInstance(id: 1, definition: { EvtxTestFiles.writeEventTemplate(&$0, dataNames: names) }, values: [
                    .uint16(4624), .string("HOST-1"),
                    .string("a \"quoted\" \\ path\tC:\\x"), .ansi([0x63, 0x61, 0x66, 0xE9, 0x80, 0x00]), .uint8(255), .int32(7),
                    .int32(-5), .int64(-9_000_000_000), .uint64(42), .uint64(18_446_744_073_709_551_615), .real64(0.5),
                    .bool(1), .bool(16), .binary([0xDE, 0xAD, 0x01]), .guid(guid), .sizeT(0x3E7),
                    .filetime(131_124_751_716_816_408), .systemtime([2019, 3, 2, 19, 23, 34, 25, 210]), .sid(sid),
                    .hex32(0x8020), .hex64(0x8020_0000_0000_0000), .string(""),
                ])
                c.eof()
            }
        })
        #expect(warnings.isEmpty)
        let r = try #require(record)
        let event = try #require(EvtxTestFiles.parsed(r.json)["Event"] as? [String: Any])
        let system = try #require(event["System"] as? [String: Any])
        #expect(system["EventID"] as? Int == 4624)
        #expect(system["Computer"] as? String == "HOST-1")
        let data = try #require(event["EventData"] as? [String: Any])
        #expect(data["S"] as? String == "a \"quoted\" \\ path\tC:\\x")
        #expect(data["A"] as? String == "café€")
        #expect(data["U8"] as? Int == 255)
        #expect(data["I32"] as? Int == 7)
        #expect(data["NegI32"] as? Int == -5)
        #expect(data["I64"] as? Int == -9_000_000_000)
        #expect((data["Big"] as? NSNumber)?.uint64Value == 18_446_744_073_709_551_615)
        #expect(data["Real"] as? String == "0.5")
        #expect(data["True"] as? Bool == true)
        #expect(data["Odd"] as? Int == 16)
        #expect(data["Bin"] as? String == "DEAD01")
        #expect(data["Guid"] as? String == "54849625-5478-4994-A5BA-3E3B0328C30D")
        #expect(data["SizeT"] as? String == "0x3e7")
        #expect(data["FileTime"] as? String == "2016-07-08T18:12:51.681640Z")
        #expect(data["SysTime"] as? String == "2019-03-19T23:34:25.210000Z")
        #expect(data["Sid"] as? String == "S-1-5-21-12345-1000-10-500")
        #expect(data["Hex32"] as? String == "0x8020")
        #expect(data["Hex64"] as? String == "0x8020000000000000")
        // An optional substitution with an empty string leaves an empty <Data Name="Empty"/>.
        #expect(data["Empty"] as? String == "")

        let fields = r.event.fields
        #expect(fields["EventID"] == .int(4624))
        #expect(fields["U8"] == .int(255))
        #expect(fields["True"] == .bool(true))
        #expect(fields["Odd"] == .int(16))
        #expect(fields["Big"] == .string("18446744073709551615"))
        #expect(fields["Real"] == .string("0.5"))
        #expect(fields["Empty"] == .string(""))
        #expect(r.recordID == 7)
    }

    @Test func edgeValuesMatchTheCrate() throws {
        let names = ["Lone", "Ctl", "F1", "F2", "F3", "F4", "F5", "F6", "F7", "Bools", "Guids", "Hexes", "Sids", "Times", "Dup", "Dup"]
        let sid: [UInt8] = [1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0]
        let (record, warnings) = try single({ c in
            c.record(id: 1) { c in
                c.fragmentHeader()
                c.templateInstance(id: 1, definition: { EvtxTestFiles.writeEventTemplate(&$0, dataNames: names) }, values: [
                    .uint16(1), .string("h"),
                    EvtxTestChunk.Value(type: 0x01, bytes: [0x61, 0x00, 0x00, 0xD8, 0x62, 0x00]),
                    .string("a\u{01}b\u{7F}c\nd"),
                    EvtxTestChunk.Value(type: 0x0B, bytes: EvtxTestChunk.le(UInt64(Float(1.5).bitPattern), 4)),
                    .real64(1e-7), .real64(1e21), .real64(123.456), .real64(-0.0), .real64(100), .real64(.nan),
                    EvtxTestChunk.Value(type: 0x8D, bytes: EvtxTestChunk.le(1, 4) + EvtxTestChunk.le(0, 4)),
                    EvtxTestChunk.Value(type: 0x8F, bytes: Array(1...16)),
                    EvtxTestChunk.Value(type: 0x94, bytes: EvtxTestChunk.le(255, 4)),
                    EvtxTestChunk.Value(type: 0x93, bytes: sid),
                    EvtxTestChunk.Value(type: 0x91, bytes: EvtxTestChunk.le(131_124_751_716_816_408, 8)),
                    .string("first"), .string("second"),
                ])
                c.eof()
            }
        })
        #expect(warnings.isEmpty)
        let r = try #require(record)
        // An unpaired surrogate is dropped.
        #expect(r.json.contains(#""Lone":"ab""#))
        let data = try #require((EvtxTestFiles.parsed(r.json)["Event"] as? [String: Any])?["EventData"] as? [String: Any])
        #expect(data["Ctl"] as? String == "a\u{01}b\u{7F}c\nd")
        #expect(data["F1"] as? String == "1.5")
        #expect(data["F2"] as? String == "1e-7")
        #expect(data["F3"] as? String == "1e+21")
        #expect(data["F4"] as? String == "123.456")
        #expect(data["F5"] as? String == "-0.0")
        #expect(data["F6"] as? String == "100.0")
        #expect(data["F7"] as? String == "NaN")
        #expect(data["Guids"] as? String == "04030201-0605-0807-090A-0B0C0D0E0F10")
        #expect(data["Hexes"] as? String == "0xff")
        #expect(data["Sids"] as? String == "S-1-5-18")
        #expect(data["Times"] as? String == "2016-07-08T18:12:51.681640Z")
        #expect(data["Dup"] as? String == "second")
        #expect(r.event.fields["Dup"] == .string("second"))
        // A two-item boolean array repeats its <Data>: the second copy wins under the same name.
        #expect(data["Bools"] as? Bool == false)
    }

    @Test func elementsWithoutContentAreNullAndRepeatedNamesGetSuffixes() throws {
        let (record, _) = try single({ c in
            c.record(id: 1) { c in
                c.fragmentHeader()
                c.templateInstance(id: 2, definition: { t in
                    t.fragmentHeader()
                    t.open("Event"); t.closeStart()
                    t.open("System"); t.closeStart()
                    t.open("Correlation"); t.closeEmpty()
                    t.open("Header"); t.closeStart(); t.substitution(0, type: 0x01); t.close()
                    t.open("Header"); t.closeStart(); t.substitution(1, type: 0x01); t.close()
                    t.open("Header"); t.closeStart(); t.substitution(2, type: 0x01, optional: true); t.close()
                    t.open("Provider", attributes: true); t.attribute("Name"); t.substitution(3, type: 0x01, optional: true); t.closeEmpty()
                    t.close()
                    t.close()
                    t.eof()
                }, values: [.string("a"), .string("b"), .null, .string("")])
                c.eof()
            }
        })
        let r = try #require(record)
        let system = try #require((EvtxTestFiles.parsed(r.json)["Event"] as? [String: Any])?["System"] as? [String: Any])
        #expect(system["Correlation"] is NSNull)
        #expect(system["Header"] as? String == "a")
        #expect(system["Header_1"] as? String == "b")
        #expect(system["Header_2"] is NSNull)
        // An attribute whose only value is an omitted optional substitution disappears.
        #expect(system["Provider"] is NSNull)
    }

    @Test func recordsOfOneTemplateKeepTheirOwnValuesAndLeftOutSubstitutions() throws {
        // Records reuse the node block of earlier records with the same left-out substitutions.
        var chunk = EvtxTestChunk()
        let values: [[EvtxTestChunk.Value]] = [
            [.uint16(1), .string("a"), .string("x"), .string("y")],
            [.uint16(2), .string("b"), .string(""), .string("y2")],
            [.uint16(3), .string("c"), .string("x3"), .uint32(7)],
            [.uint16(4), .string("d"), .null, .null],
            [.uint16(5), .string("e"), .string("x5"), .string("")],
            [.uint16(6), .string("f")],
        ]
        chunk.record(id: 1) { c in
            c.fragmentHeader()
            c.templateInstance(id: 1, definition: { EvtxTestFiles.writeEventTemplate(&$0, dataNames: ["X", "Y"]) }, values: values[0])
            c.eof()
        }
        let template = try #require(chunk.templateOffsets[1])
        for id in 2...6 {
            chunk.record(id: UInt64(id)) { c in
                c.fragmentHeader()
                c.templateInstance(id: 1, existing: template, values: values[id - 1])
                c.eof()
            }
        }
        let url = try EvtxTestFiles.write(EvtxTestChunk.file([chunk.finished()]), name: "one-template")
        defer { try? FileManager.default.removeItem(at: url) }
        let (records, warnings) = try EvtxTestFiles.read(url)
        #expect(warnings.isEmpty)
        let data = records.map { record in
            ((EvtxTestFiles.parsed(record.json)["Event"] as? [String: Any])?["EventData"] as? [String: Any]).map { NSDictionary(dictionary: $0) }
        }
        let expected: [[String: Any]] = [["X": "x", "Y": "y"], ["X": "", "Y": "y2"], ["X": "x3", "Y": 7], ["X": "", "Y": ""],
                                         ["X": "x5", "Y": ""], ["X": "", "Y": ""]]
        #expect(data == expected.map { NSDictionary(dictionary: $0) })
        #expect(records.map { $0.event.fields["Computer"] } == ["a", "b", "c", "d", "e", "f"].map { EventValue.string($0) })
    }

    @Test func templatesRepeatedInOtherChunksKeepTheirOwnLiterals() throws {
        // The same template in two chunks at different places, and a look-alike with other literal text:
        // blocks recorded in one chunk serve the other, with the literals of the chunk being read.
        func chunk(filler: Int, xmlns: String, computer: String) -> [UInt8] {
            var c = EvtxTestChunk()
            if filler > 0 {
                // A record of padding first, so the template lands elsewhere in this chunk.
                c.record(id: 100) { c in
                    c.fragmentHeader()
                    c.eof()
                    c.bytes([UInt8](repeating: 0, count: filler))
                }
            }
            c.record(id: 1) { c in
                c.fragmentHeader()
                c.templateInstance(id: 1, definition: { t in
                    t.fragmentHeader()
                    t.open("Event", attributes: true); t.attribute("xmlns"); t.text(xmlns); t.closeStart()
                    t.open("System"); t.closeStart()
                    t.open("Computer"); t.closeStart(); t.substitution(0, type: 0x01); t.close()
                    t.open("Channel"); t.closeStart(); t.text("Security"); t.close()
                    t.close()
                    t.close()
                    t.eof()
                }, values: [.string(computer)])
                c.eof()
            }
            return c.finished()
        }
        let url = try EvtxTestFiles.write(EvtxTestChunk.file([
            chunk(filler: 0, xmlns: "urn:one", computer: "A"),
            chunk(filler: 200, xmlns: "urn:one", computer: "B"),
            chunk(filler: 40, xmlns: "urn:two", computer: "C"),
        ]), name: "repeated-templates")
        defer { try? FileManager.default.removeItem(at: url) }
        let (records, warnings) = try EvtxTestFiles.read(url)
        #expect(warnings.isEmpty)
        #expect(records.filter { $0.recordID < 100 }.map(\.json) == [
            ##"{"Event":{"#attributes":{"xmlns":"urn:one"},"System":{"Computer":"A","Channel":"Security"}}}"##,
            ##"{"Event":{"#attributes":{"xmlns":"urn:one"},"System":{"Computer":"B","Channel":"Security"}}}"##,
            ##"{"Event":{"#attributes":{"xmlns":"urn:two"},"System":{"Computer":"C","Channel":"Security"}}}"##,
        ])
    }

    @Test func unnamedDataBecomesAPositionalTextList() throws {
        let (record, _) = try single({ c in
            c.record(id: 1) { c in
                c.fragmentHeader()
                c.templateInstance(id: 3, definition: { t in
                    t.fragmentHeader()
                    t.open("Event"); t.closeStart()
                    t.open("EventData"); t.closeStart()
                    for i in 0..<3 { t.open("Data"); t.closeStart(); t.substitution(UInt16(i), type: 0x01); t.close() }
                    t.open("Binary"); t.closeStart(); t.substitution(3, type: 0x0E); t.close()
                    t.close()
                    t.close()
                    t.eof()
                }, values: [.string("one"), .uint32(2), .string(""), .binary([0x0A, 0x0B])])
                c.eof()
            }
        })
        let r = try #require(record)
        let data = try #require((EvtxTestFiles.parsed(r.json)["Event"] as? [String: Any])?["EventData"] as? [String: Any])
        let positional = try #require((data["Data"] as? [String: Any])?["#text"] as? [Any])
        #expect(positional.count == 3)
        #expect(positional[0] as? String == "one")
        #expect(positional[1] as? Int == 2)
        #expect(positional[2] as? String == "")
        #expect(data["Binary"] as? String == "0A0B")
        // Flattening drops the list (a list under "#text") and keeps Binary.
        #expect(r.event.fields["Binary"] == .string("0A0B"))
        #expect(r.event.fields["#text"] == nil)
    }

    @Test func arraySubstitutionsRepeatTheirElement() throws {
        let (record, _) = try single({ c in
            c.record(id: 1) { c in
                c.fragmentHeader()
                c.templateInstance(id: 4, definition: { t in
                    t.fragmentHeader()
                    t.open("Event"); t.closeStart()
                    t.open("EventData"); t.closeStart()
                    t.open("Data"); t.closeStart(); t.substitution(0, type: 0x81); t.close()
                    t.open("Data"); t.closeStart(); t.substitution(1, type: 0x86); t.close()
                    t.close()
                    t.close()
                    t.eof()
                }, values: [.stringArray(["x", "", "z"]), .uint16Array([7])])
                c.eof()
            }
        })
        let r = try #require(record)
        let data = try #require((EvtxTestFiles.parsed(r.json)["Event"] as? [String: Any])?["EventData"] as? [String: Any])
        let positional = try #require((data["Data"] as? [String: Any])?["#text"] as? [Any])
        #expect(positional.count == 4)
        #expect(positional[0] as? String == "x")
        #expect(positional[1] as? String == "")
        #expect(positional[2] as? String == "z")
        // A one-item array is not repeated: it renders as its (comma-separated) text.
        #expect(positional[3] as? String == "7")
    }

    @Test func embeddedBinXmlBecomesChildElements() throws {
        var chunk = EvtxTestChunk()
        chunk.record(id: 1) { c in
            c.fragmentHeader()
            c.templateInstance(id: 5, definition: { t in
                t.fragmentHeader()
                t.open("Event"); t.closeStart()
                t.open("UserData"); t.closeStart(); t.substitution(0, type: 0x21); t.close()
                t.close()
                t.eof()
            }, values: [.null])
            c.eof()
        }
        let defOffset = try #require(chunk.templateOffsets[5])
        chunk.record(id: 2) { c in
            c.fragmentHeader()
            // The fragment's names resolve by chunk offset, so it is written where the value will sit:
            // after the instance header (10 bytes), the count (4) and one descriptor (4).
            let instanceStart = c.pos
            c.pos = instanceStart + 18
            let fragmentStart = c.pos
            c.fragmentHeader()
            c.open("EventXML", attributes: true, inTemplate: false)
            c.attribute("xmlns")
            c.text("urn:test")
            c.closeStart()
            c.open("Param1", inTemplate: false); c.closeStart(); c.text("hello"); c.close()
            c.open("Param2", inTemplate: false); c.closeStart(); c.text("world"); c.close()
            c.close()
            c.eof()
            let fragment = Array(c.data[fragmentStart..<c.pos])
            c.pos = instanceStart
            c.templateInstance(id: 5, existing: defOffset, values: [.binXml(fragment)])
            c.eof()
        }
        // A third record of the same shape with other values (its instantiation reuses the recorded block).
        chunk.record(id: 3) { c in
            c.fragmentHeader()
            let instanceStart = c.pos
            c.pos = instanceStart + 18
            let fragmentStart = c.pos
            c.fragmentHeader()
            c.open("EventXML", attributes: true, inTemplate: false)
            c.attribute("xmlns")
            c.text("urn:test")
            c.closeStart()
            c.open("Param1", inTemplate: false); c.closeStart(); c.text("third"); c.close()
            c.open("Param2", inTemplate: false); c.closeStart(); c.text("record"); c.close()
            c.close()
            c.eof()
            let fragment = Array(c.data[fragmentStart..<c.pos])
            c.pos = instanceStart
            c.templateInstance(id: 5, existing: defOffset, values: [.binXml(fragment)])
            c.eof()
        }
        let url = try EvtxTestFiles.write(EvtxTestChunk.file([chunk.finished()]), name: "embedded")
        defer { try? FileManager.default.removeItem(at: url) }
        let (records, warnings) = try EvtxTestFiles.read(url)
        #expect(warnings.isEmpty)
        #expect(records.count == 3)
        #expect(records.last?.json == ##"{"Event":{"UserData":{"EventXML":{"#attributes":{"xmlns":"urn:test"},"Param1":"third","Param2":"record"}}}}"##)
        #expect(records.first?.json == #"{"Event":{"UserData":null}}"#)
        let second = try #require(records.dropFirst().first)
        #expect(second.json == ##"{"Event":{"UserData":{"EventXML":{"#attributes":{"xmlns":"urn:test"},"Param1":"hello","Param2":"world"}}}}"##)
        #expect(second.event.fields == ["Param1": .string("hello"), "Param2": .string("world")])
    }

    @Test func templateThatInstantiatesItselfIsSkippedWithAWarning() throws {
        let (record, warnings) = try single({ c in
            c.record(id: 1) { c in
                c.fragmentHeader()
                let instanceStart = c.pos
                let defOffset = instanceStart + 10
                c.templateInstance(id: 6, definition: { t in
                    t.fragmentHeader()
                    t.open("Event"); t.closeStart()
                    // A value token holding BinXML that instantiates this same template again.
                    t.u8(0x05); t.u8(0x21)
                    let lengthAt = t.pos
                    t.u16(0)
                    let payloadStart = t.pos
                    t.fragmentHeader()
                    t.u8(0x0C); t.u8(0x01); t.u32(6); t.u32(UInt32(defOffset)); t.u32(0)
                    t.eof()
                    let n = t.pos - payloadStart
                    t.data[lengthAt] = UInt8(n & 0xFF); t.data[lengthAt + 1] = UInt8(n >> 8)
                    t.close()
                    t.eof()
                }, values: [])
                c.eof()
            }
        })
        #expect(record == nil)
        #expect(warnings.count == 1)
        #expect(warnings.first?.message.contains("record 1 skipped") == true)
        #expect(warnings.first?.chunk == 0)
    }

    @Test func hugeSizesAndWrongOffsetsAreWarningsNotCrashes() throws {
        // A substitution claiming 65000 bytes, a template offset past the chunk, a name offset past the
        // chunk, a record size past the chunk: each record is skipped with a warning, the good one stays.
        var chunk = EvtxTestChunk()
        chunk.record(id: 1) { c in
            c.fragmentHeader()
            c.templateInstance(id: 7, definition: { EvtxTestFiles.writeEventTemplate(&$0, dataNames: ["A"]) },
                               values: [.uint16(1), .string("h"), EvtxTestChunk.Value(type: 0x01, bytes: [0x41, 0], declaredSize: 65000)])
            c.eof()
        }
        chunk.record(id: 2) { c in
            c.fragmentHeader()
            c.templateInstance(id: 8, existing: 70000, values: [])
            c.eof()
        }
        chunk.record(id: 3) { c in
            c.fragmentHeader()
            c.u8(0x01); c.u32(0); c.u32(0xFFFF_FFF0); c.closeEmpty()
            c.eof()
        }
        let template = try #require(chunk.templateOffsets[7])
        chunk.record(id: 4) { c in
            c.fragmentHeader()
            c.templateInstance(id: 7, existing: template, values: [.uint16(4), .string("ok"), .string("fine")])
            c.eof()
        }
        let last = chunk.pos
        chunk.record(id: 5) { c in
            c.fragmentHeader()
            c.templateInstance(id: 7, existing: template, values: [.uint16(5), .string("big"), .string("size")])
            c.eof()
        }
        chunk.put32(70000, at: last + 4)
        let url = try EvtxTestFiles.write(EvtxTestChunk.file([chunk.finished()]), name: "hostile-sizes")
        defer { try? FileManager.default.removeItem(at: url) }
        let (records, warnings) = try EvtxTestFiles.read(url)
        #expect(records.map(\.recordID) == [4])
        #expect(warnings.count == 4)
        #expect(warnings.allSatisfy { $0.chunk == 0 && $0.offset >= 4096 && $0.offset < 4096 + 65536 })
        #expect(records.first?.event.fields["A"] == .string("fine"))
    }

    @Test func templateBombsStopAtTheLimitsAndLaterChunksStillRead() throws {
        // Template A repeats its substitution 100 times; each record nests A inside A's value six levels
        // deep (100^6 elements if expanded). Every such record must fail quickly; the next chunk reads.
        var bomb = EvtxTestChunk()
        bomb.record(id: 1) { c in
            c.fragmentHeader()
            c.templateInstance(id: 1, definition: { t in
                t.fragmentHeader()
                t.open("R"); t.closeStart()
                for _ in 0..<100 { t.open("D"); t.closeStart(); t.substitution(0, type: 0x21); t.close() }
                t.close()
                t.eof()
            }, values: [.string("x")])
            c.eof()
        }
        let a = try #require(bomb.templateOffsets[1])
        func instance(_ value: EvtxTestChunk.Value) -> [UInt8] {
            var f: [UInt8] = [0x0F, 0x01, 0x01, 0x00, 0x0C, 0x01] + EvtxTestChunk.le(1, 4) + EvtxTestChunk.le(UInt64(a), 4) + EvtxTestChunk.le(1, 4)
            f += EvtxTestChunk.le(UInt64(value.bytes.count), 2) + [value.type, 0] + value.bytes + [0x00]
            return f
        }
        var nested = instance(.string("x"))
        for _ in 0..<5 { nested = instance(.binXml(nested)) }
        for id in 2...40 {
            bomb.record(id: UInt64(id)) { c in
                c.bytes(nested)
            }
        }
        var next = EvtxTestChunk()
        next.record(id: 41) { c in
            c.fragmentHeader()
            c.templateInstance(id: 2, definition: { EvtxTestFiles.writeEventTemplate(&$0, dataNames: []) }, values: [.uint16(41), .string("after")])
            c.eof()
        }
        let url = try EvtxTestFiles.write(EvtxTestChunk.file([bomb.finished(), next.finished()]), name: "template-bomb")
        defer { try? FileManager.default.removeItem(at: url) }
        let start = Date()
        let (records, warnings) = try EvtxTestFiles.read(url)
        #expect(Date().timeIntervalSince(start) < 20)
        #expect(records.map(\.recordID) == [1, 41])
        #expect(warnings.count == 39)
        #expect(warnings.allSatisfy { $0.chunk == 0 && ($0.message.contains("XML nodes") || $0.message.contains("parse steps") || $0.message.contains("larger than")) })
    }

    @Test func cdataCharacterAndEntityReferencesAreText() throws {
        let (record, _) = try single({ c in
            c.record(id: 1) { c in
                c.fragmentHeader()
                c.templateInstance(id: 9, definition: { t in
                    t.fragmentHeader()
                    t.open("Event"); t.closeStart()
                    t.open("Message"); t.closeStart()
                    t.text("a "); t.entity("lt"); t.text(" b "); t.entity("amp"); t.text(" "); t.entity("custom")
                    t.close()
                    t.open("Script"); t.closeStart(); t.cdata("if (a < b) {}"); t.close()
                    t.open("Char"); t.closeStart(); t.charRef(65); t.close()
                    t.close()
                    t.eof()
                }, values: [])
                c.eof()
            }
        })
        let r = try #require(record)
        let event = try #require(EvtxTestFiles.parsed(r.json)["Event"] as? [String: Any])
        #expect(event["Message"] as? String == "a < b & &custom;")
        #expect(event["Script"] as? String == "if (a < b) {}")
        #expect(event["Char"] as? String == "&#65;")
    }

    @Test func recordsWithoutAnyElementBecomeAnEmptyEvent() throws {
        let (record, warnings) = try single({ c in
            c.record(id: 1) { c in
                c.fragmentHeader()
                c.eof()
            }
        })
        #expect(warnings.isEmpty)
        let r = try #require(record)
        #expect(r.json == #"{"Event":null}"#)
        #expect(r.event.fields.isEmpty)
    }

    @Test func checksumsAreCheckedOnlyWhenAsked() throws {
        var chunk = EvtxTestChunk()
        chunk.record(id: 1) { c in
            c.fragmentHeader()
            c.templateInstance(id: 1, definition: { EvtxTestFiles.writeEventTemplate(&$0, dataNames: []) }, values: [.uint16(1), .string("h")])
            c.eof()
        }
        var bytes = EvtxTestChunk.file([chunk.finished()])
        bytes[4096 + 60] ^= 0xFF  // reserved header bytes: covered by the header CRC only
        let url = try EvtxTestFiles.write(bytes, name: "bad-crc")
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(try EvtxTestFiles.read(url).0.count == 1)
        let strict = try EvtxFileReader(url: url, outputs: [.json], validateChecksums: true)
        #expect(strict.next() == nil)
        #expect(strict.warnings.first?.message.contains("checksum") == true)
    }
}
