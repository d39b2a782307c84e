import Foundation
import Testing
@testable import Detection

/// How a record becomes a `FlatEvent`: the rules of `../shared/bench/flatten_evtx.py` applied to the
/// crate's JSON layout, checked on records written token by token.
@Suite("EVTX flattening")
struct EvtxFlattenTests {
    /// One record whose template is written by `body` between `<Event>` and `</Event>`.
    private func flatten(root: String = "Event", _ body: @escaping (inout EvtxTestChunk) -> Void) throws -> (FlatEvent, String) {
        var chunk = EvtxTestChunk()
        chunk.record(id: 1) { c in
            c.fragmentHeader()
            c.templateInstance(id: 1, definition: { t in
                t.fragmentHeader()
                t.open(root); t.closeStart()
                body(&t)
                t.close()
                t.eof()
            }, values: [])
            c.eof()
        }
        let url = try EvtxTestFiles.write(EvtxTestChunk.file([chunk.finished()]), name: "flatten")
        defer { try? FileManager.default.removeItem(at: url) }
        let (records, warnings) = try EvtxTestFiles.read(url)
        #expect(warnings.isEmpty)
        let record = try #require(records.first)
        return (record.event, record.json)
    }

    private func element(_ t: inout EvtxTestChunk, _ name: String, attributes: [(String, String)] = [], text: String? = nil,
                         children: ((inout EvtxTestChunk) -> Void)? = nil) {
        t.open(name, attributes: !attributes.isEmpty)
        for (k, v) in attributes {
            t.attribute(k)
            t.text(v)
        }
        if text == nil && children == nil {
            t.closeEmpty()
            return
        }
        t.closeStart()
        if let text { t.text(text) }
        children?(&t)
        t.close()
    }

    @Test func systemElementsGiveTheirTextAndElementUnderscoreAttribute() throws {
        let (event, _) = try flatten { t in
            self.element(&t, "System") { t in
                self.element(&t, "Provider", attributes: [("Name", "Service Control Manager"), ("Guid", "{555908d1}")])
                self.element(&t, "EventID", attributes: [("Qualifiers", "16384")], text: "7036")
                self.element(&t, "Level", text: "4")
                self.element(&t, "Correlation")
                self.element(&t, "Extra") { t in self.element(&t, "Nested", text: "ignored") }
            }
        }
        #expect(event.fields == [
            "Provider_Name": .string("Service Control Manager"), "Provider_Guid": .string("{555908d1}"),
            "EventID": .string("7036"), "EventID_Qualifiers": .string("16384"), "Level": .string("4"), "Correlation": .null,
        ])
    }

    @Test func eventDataAndUserDataWinOverSystemWhateverTheirOrder() throws {
        let (event, json) = try flatten { t in
            self.element(&t, "EventData") { t in
                self.element(&t, "Data", attributes: [("Name", "Channel")], text: "from EventData")
                self.element(&t, "Data", attributes: [("Name", "Empty")])
                self.element(&t, "Binary", text: "00FF")
            }
            self.element(&t, "System") { t in
                self.element(&t, "Channel", text: "Security")
                self.element(&t, "Computer", text: "PC")
            }
        }
        #expect(json.contains(#""EventData":{"Channel":"from EventData","Empty":"","Binary":"00FF"}"#))
        #expect(event.fields == ["Channel": .string("from EventData"), "Empty": .string(""), "Binary": .string("00FF"), "Computer": .string("PC")])
    }

    @Test func userDataKeepsScalarMembersOfItsChildAndDropsDeeperObjects() throws {
        let (event, _) = try flatten { t in
            self.element(&t, "UserData") { t in
                self.element(&t, "EventXML", attributes: [("xmlns", "urn:x")]) { t in
                    self.element(&t, "Param1", text: "one")
                    self.element(&t, "Param2")
                    self.element(&t, "Deeper") { t in self.element(&t, "Leaf", text: "dropped") }
                    self.element(&t, "Param1", text: "again")
                }
            }
        }
        #expect(event.fields == ["Param1": .string("one"), "Param2": .null, "Param1_1": .string("again")])
    }

    @Test func aSingleUnnamedDataGivesHashText() throws {
        let (event, json) = try flatten { t in
            self.element(&t, "EventData") { t in self.element(&t, "Data", text: "only") }
        }
        #expect(json == ##"{"Event":{"EventData":{"Data":{"#text":"only"}}}}"##)
        #expect(event.fields == ["#text": .string("only")])
    }

    @Test func recordsWhoseRootIsNotEventHaveNoFields() throws {
        let (event, json) = try flatten(root: "Other") { t in
            self.element(&t, "System") { t in self.element(&t, "EventID", text: "1") }
        }
        #expect(json == #"{"Other":{"System":{"EventID":"1"}}}"#)
        #expect(event.fields.isEmpty)
    }

    @Test func eventsOfOneTemplateDoNotShareValues() throws {
        // Records of one shape reuse the previous dictionary's layout: each event must still carry its
        // own values, also while the caller keeps the earlier ones.
        var chunk = EvtxTestChunk()
        chunk.record(id: 1) { c in
            c.fragmentHeader()
            c.templateInstance(id: 1, definition: { EvtxTestFiles.writeEventTemplate(&$0, dataNames: ["User", "Count"]) },
                               values: [.uint16(1), .string("PC1"), .string("u1"), .uint32(1)])
            c.eof()
        }
        let template = try #require(chunk.templateOffsets[1])
        for id in 2...5 {
            chunk.record(id: UInt64(id)) { c in
                c.fragmentHeader()
                c.templateInstance(id: 1, existing: template,
                                   values: [.uint16(UInt16(id)), .string("PC\(id)"), .string("u\(id)"), .uint32(UInt32(id))])
                c.eof()
            }
        }
        let url = try EvtxTestFiles.write(EvtxTestChunk.file([chunk.finished()]), name: "shapes")
        defer { try? FileManager.default.removeItem(at: url) }
        let reader = try EvtxFileReader(url: url, outputs: [.event])
        var kept: [FlatEvent] = []
        while let r = reader.next() { kept.append(r.event) }
        #expect(kept.count == 5)
        for (i, event) in kept.enumerated() {
            let id = i + 1
            #expect(event.fields == ["EventID": .int(Int64(id)), "Computer": .string("PC\(id)"), "User": .string("u\(id)"), "Count": .int(Int64(id))])
        }
    }
}
