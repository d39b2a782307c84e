import Foundation
import Testing
@testable import Detection

/// The reader on real files of `../shared/corpora/evtx` (skipped when the corpus is absent) and on
/// damaged copies made by changing their bytes. The expected JSON and fields are what the Rust `evtx`
/// crate and `../shared/bench/flatten_evtx.py` give for the same records.
@Suite("EVTX reader")
struct EvtxReaderTests {
    @Test func securityLogRecordsMatchTheCrateJSON() throws {
        guard let url = EvtxTestFiles.sample("evtx-crate-samples/security.evtx") else { return }
        let (records, warnings) = try EvtxTestFiles.read(url)
        #expect(records.count == 2261)
        #expect(warnings.isEmpty)
        let second = try #require(records.first { $0.recordID == 2 })
        let expected = ##"{"Event":{"#attributes":{"xmlns":"http://schemas.microsoft.com/win/2004/08/events/event"},"System":{"Provider":{"#attributes":{"Name":"Microsoft-Windows-Security-Auditing","Guid":"54849625-5478-4994-A5BA-3E3B0328C30D"}},"EventID":4624,"Version":0,"Level":0,"Task":12544,"Opcode":0,"Keywords":"0x8020000000000000","TimeCreated":{"#attributes":{"SystemTime":"2016-07-08T18:12:51.681640Z"}},"EventRecordID":2,"Correlation":null,"Execution":{"#attributes":{"ProcessID":456,"ThreadID":460}},"Channel":"Security","Computer":"37L4247F27-25","Security":null},"EventData":{"SubjectUserSid":"S-1-0-0","SubjectUserName":"-","SubjectDomainName":"-","SubjectLogonId":"0x0","TargetUserSid":"S-1-5-18","TargetUserName":"SYSTEM","TargetDomainName":"NT AUTHORITY","TargetLogonId":"0x3e7","LogonType":0,"LogonProcessName":"-","AuthenticationPackageName":"-","WorkstationName":"-","LogonGuid":"00000000-0000-0000-0000-000000000000","TransmittedServices":"-","LmPackageName":"-","KeyLength":0,"ProcessId":"0x4","ProcessName":"","IpAddress":"-","IpPort":"-"}}}"##
        #expect(NSDictionary(dictionary: EvtxTestFiles.parsed(second.json)) == NSDictionary(dictionary: EvtxTestFiles.parsed(expected)))
        // The record header's time, with its 100 ns precision.
        #expect(abs(second.timestamp.timeIntervalSince1970 - 1_468_001_571.6816408) < 0.000_001)
    }

    @Test func securityLogRecordFlattensLikeTheBenchScript() throws {
        guard let url = EvtxTestFiles.sample("evtx-crate-samples/security.evtx") else { return }
        let reader = try EvtxFileReader(url: url, outputs: [.event])
        _ = reader.next()
        let record = try #require(reader.next())
        #expect(record.json.isEmpty)
        let expected: [String: EventValue] = [
            "Provider_Name": .string("Microsoft-Windows-Security-Auditing"), "Provider_Guid": .string("54849625-5478-4994-A5BA-3E3B0328C30D"),
            "EventID": .int(4624), "Version": .int(0), "Level": .int(0), "Task": .int(12544), "Opcode": .int(0),
            "Keywords": .string("0x8020000000000000"), "TimeCreated_SystemTime": .string("2016-07-08T18:12:51.681640Z"),
            "EventRecordID": .int(2), "Correlation": .null, "Execution_ProcessID": .int(456), "Execution_ThreadID": .int(460),
            "Channel": .string("Security"), "Computer": .string("37L4247F27-25"), "Security": .null,
            "SubjectUserSid": .string("S-1-0-0"), "SubjectUserName": .string("-"), "SubjectDomainName": .string("-"),
            "SubjectLogonId": .string("0x0"), "TargetUserSid": .string("S-1-5-18"), "TargetUserName": .string("SYSTEM"),
            "TargetDomainName": .string("NT AUTHORITY"), "TargetLogonId": .string("0x3e7"), "LogonType": .int(0),
            "LogonProcessName": .string("-"), "AuthenticationPackageName": .string("-"), "WorkstationName": .string("-"),
            "LogonGuid": .string("00000000-0000-0000-0000-000000000000"), "TransmittedServices": .string("-"),
            "LmPackageName": .string("-"), "KeyLength": .int(0), "ProcessId": .string("0x4"), "ProcessName": .string(""),
            "IpAddress": .string("-"), "IpPort": .string("-"),
        ]
        #expect(record.event.fields == expected)
        #expect(record.event.host == "37L4247F27-25")
        #expect(record.event.time != nil)
    }

    @Test func sysmonProcessCreationFields() throws {
        guard let url = EvtxTestFiles.sample("EVTX-ATTACK-SAMPLES/Execution/Exec_sysmon_meterpreter_reversetcp_msipackage.evtx") else { return }
        let (records, _) = try EvtxTestFiles.read(url, outputs: [.event])
        let record = try #require(records.first { $0.recordID == 2 })
        let f = record.event.fields
        #expect(f["EventID"] == .int(1))
        #expect(f["Channel"] == .string("Microsoft-Windows-Sysmon/Operational"))
        #expect(f["Security_UserID"] == .string("S-1-5-18"))
        #expect(f["Image"] == .string(#"C:\Windows\System32\VSSVC.exe"#))
        #expect(f["CommandLine"] == .string(#"C:\Windows\system32\vssvc.exe"#))
        #expect(f["Description"] == .string("Microsoft® Volume Shadow Copy Service"))
        #expect(f["ProcessId"] == .int(1892))
        #expect(f["RuleName"] == .string(""))
        #expect(f["ParentImage"] == .string(#"C:\Windows\System32\services.exe"#))
    }

    @Test func userDataFieldsAreFlattenedAndOverrideSystemFields() throws {
        guard let url = EvtxTestFiles.sample("EVTX-ATTACK-SAMPLES/Defense Evasion/DE_104_system_log_cleared.evtx") else { return }
        let (records, warnings) = try EvtxTestFiles.read(url)
        #expect(warnings.isEmpty)
        let record = try #require(records.first)
        let json = EvtxTestFiles.parsed(record.json)
        let userData = try #require((json["Event"] as? [String: Any])?["UserData"] as? [String: Any])
        let cleared = try #require(userData["LogFileCleared"] as? [String: Any])
        #expect(cleared["SubjectUserName"] as? String == "user01")
        #expect(cleared["BackupPath"] is NSNull)
        #expect((cleared["#attributes"] as? [String: Any])?["xmlns:auto-ns3"] as? String == "http://schemas.microsoft.com/win/2004/08/events")
        let f = record.event.fields
        #expect(f["SubjectUserName"] == .string("user01"))
        #expect(f["SubjectDomainName"] == .string("EXAMPLE"))
        #expect(f["BackupPath"] == .null)
        #expect(f["Channel"] == .string("System"))
        #expect(f["Provider_Guid"] == .string("{fc65ddd8-d6ef-4962-83d5-6e5cfe9ce148}"))
        #expect(f["xmlns"] == nil)
    }

    @Test func repeatedUserDataElementsGetNumberedKeys() throws {
        guard let url = EvtxTestFiles.sample("evtx-crate-samples/E_Windows_system32_winevt_logs_Microsoft-Windows-CAPI2%4Operational.evtx") else { return }
        let (records, warnings) = try EvtxTestFiles.read(url, outputs: [.json])
        #expect(warnings.isEmpty)
        #expect(records.count == 340)
        let record = try #require(records.first { $0.recordID == 28 })
        let headers = (((EvtxTestFiles.parsed(record.json)["Event"] as? [String: Any])?["UserData"] as? [String: Any])?["CryptRetrieveObjectByUrlWire"] as? [String: Any])?["AdditionalInfo"] as? [String: Any]
        let info = try #require(headers?["HTTPRequestHeadersInfo"] as? [String: Any])
        #expect(info["Header"] != nil)
        #expect(info["Header_1"] != nil)
        // `&quot;` entity references come out as the character.
        #expect((info["Header_2"] as? String)?.hasPrefix("If-None-Match: \"") == true)
    }

    @Test func chunksWithABadSignatureAreSkippedWithWarnings() throws {
        guard let url = EvtxTestFiles.sample("evtx-crate-samples/sample_with_a_bad_chunk_magic.evtx") else { return }
        let (records, warnings) = try EvtxTestFiles.read(url, outputs: [.json])
        #expect(records.count == 270)
        #expect(warnings.map(\.chunk) == [6, 10])
        let offsets: [UInt64] = [4096 + 6 * 65536, 4096 + 10 * 65536]
        #expect(warnings.map(\.offset) == offsets)
        #expect(warnings.allSatisfy { $0.file.hasSuffix("sample_with_a_bad_chunk_magic.evtx") && $0.message.contains("ElfChnk") })
    }

    @Test func aRecordWithSizeZeroEndsItsChunkWithAWarning() throws {
        guard let url = EvtxTestFiles.sample("evtx-crate-samples/sample-with-zero-data-size-event.evtx") else { return }
        let (records, warnings) = try EvtxTestFiles.read(url, outputs: [.json])
        #expect(records.count == 335)
        #expect(warnings.count == 1)
        #expect(warnings.first?.description.contains("chunk 0, offset 6180: record 3 has size 0") == true)
    }

    // MARK: damaged copies

    private func securityBytes() -> [UInt8]? {
        guard let url = EvtxTestFiles.sample("evtx-crate-samples/security.evtx"),
              let data = FileManager.default.contents(atPath: url.path) else { return nil }
        return [UInt8](data)
    }

    private func read(_ bytes: [UInt8], _ name: String) throws -> ([EvtxRecord], [EvtxWarning]) {
        let url = try EvtxTestFiles.write(bytes, name: name)
        defer { try? FileManager.default.removeItem(at: url) }
        return try EvtxTestFiles.read(url)
    }

    @Test func aTruncatedFileKeepsItsWholeChunksAndWarnsAboutTheRest() throws {
        guard let original = securityBytes() else { return }
        let (records, warnings) = try read(Array(original[0..<(4096 + 2 * 65536 + 30000)]), "truncated")
        #expect(records.count == 177)
        #expect(records.last?.recordID == 177)
        #expect(warnings.count == 1)
        #expect(warnings.first?.chunk == 2)
        #expect(warnings.first?.offset == UInt64(4096 + 2 * 65536))
        #expect(warnings.first?.message.contains("ends inside chunk 2") == true)
    }

    @Test func aDamagedChunkHeaderSkipsOnlyThatChunk() throws {
        guard var bytes = securityBytes() else { return }
        let chunk3 = 4096 + 3 * 65536
        bytes[chunk3] = 0x58
        let (records, warnings) = try read(bytes, "bad-magic")
        #expect(records.count == 2261 - 89)
        #expect(!records.contains { (261...349).contains($0.recordID) })
        #expect(warnings.count == 1)
        #expect(warnings.first?.chunk == 3)
        #expect(warnings.first?.offset == UInt64(chunk3))
    }

    @Test func aCorruptTokenSkipsOnlyThatRecord() throws {
        guard var bytes = securityBytes() else { return }
        // Record 2 starts right after record 1; its BinXML opens with a fragment header then a
        // template instance (0x0C): make that token invalid.
        let chunk0 = 4096
        let record1Size = Int(bytes[chunk0 + 512 + 4]) | Int(bytes[chunk0 + 512 + 5]) << 8
        let record2 = chunk0 + 512 + record1Size
        #expect(bytes[record2 + 24 + 4] == 0x0C)
        bytes[record2 + 24 + 4] = 0x7F
        let (records, warnings) = try read(bytes, "bad-token")
        #expect(records.count == 2260)
        #expect(!records.contains { $0.recordID == 2 })
        #expect(warnings.count == 1)
        let warning = try #require(warnings.first)
        #expect(warning.chunk == 0)
        #expect(warning.offset == UInt64(record2 + 24 + 4))
        #expect(warning.message.contains("record 2 skipped: invalid BinXML token 0x7f"))
    }

    @Test func randomDamageNeverCrashesAndStaysBounded() throws {
        guard let original = securityBytes() else { return }
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 { state ^= state << 13; state ^= state >> 7; state ^= state << 17; return state }
        let small = Array(original[0..<(4096 + 4 * 65536)])
        for round in 0..<40 {
            var bytes = small
            for _ in 0..<(1 + Int(next() % 30)) {
                let chunk = 4096 + Int(next() % 4) * 65536
                let at = next() % 2 == 0 ? chunk + Int(next() % 3000) : 4096 + Int(next() % UInt64(bytes.count - 4096))
                switch next() % 4 {
                case 0: bytes[at] ^= UInt8(truncatingIfNeeded: next())
                case 1: bytes[at] = [0x00, 0x01, 0x0C, 0x0D, 0x0E, 0x0F, 0x21, 0x41, 0xFF][Int(next() % 9)]
                case 2: for k in 0..<4 where at + k < bytes.count { bytes[at + k] = UInt8(truncatingIfNeeded: next()) }
                default: for k in 0..<2 where at + k < bytes.count { bytes[at + k] = UInt8(truncatingIfNeeded: next() % 64) }
                }
            }
            let start = Date()
            let (records, warnings) = try read(bytes, "random-\(round)")
            #expect(Date().timeIntervalSince(start) < 10)
            #expect(records.count <= 4 * 2340)
            #expect(warnings.allSatisfy { $0.offset < UInt64(bytes.count) })
        }
    }

    // MARK: files that are not EVTX

    @Test func filesThatAreNotEvtxAreRefusedWithTheReason() throws {
        let text = try EvtxTestFiles.write(Array(repeating: 0x41, count: 5000), name: "not-evtx")
        defer { try? FileManager.default.removeItem(at: text) }
        #expect {
            _ = try EvtxFileReader(url: text)
        } throws: { error in
            (error as? EvtxError)?.message.contains("not an EVTX file") == true
        }
        let short = try EvtxTestFiles.write(Array("ElfFile\0".utf8), name: "short")
        defer { try? FileManager.default.removeItem(at: short) }
        #expect {
            _ = try EvtxFileReader(url: short)
        } throws: { error in
            (error as? EvtxError)?.message.contains("shorter than the 4096-byte") == true
        }
        #expect(throws: EvtxError.self) { _ = try EvtxFileReader(url: URL(fileURLWithPath: "/nonexistent/x.evtx")) }
    }

    @Test func aHeaderOnlyFileHasNoRecords() throws {
        let url = try EvtxTestFiles.write(EvtxTestChunk.file([]), name: "empty")
        defer { try? FileManager.default.removeItem(at: url) }
        let (records, warnings) = try EvtxTestFiles.read(url)
        #expect(records.isEmpty)
        #expect(warnings.isEmpty)
    }

    // MARK: command line

    @Test func commandLinePrintsOneJSONLinePerRecord() throws {
        var chunk = EvtxTestChunk()
        chunk.record(id: 1) { c in
            c.fragmentHeader()
            c.templateInstance(id: 1, definition: { EvtxTestFiles.writeEventTemplate(&$0, dataNames: ["User"]) },
                               values: [.uint16(4688), .string("PC"), .string("alice")])
            c.eof()
        }
        let template = try #require(chunk.templateOffsets[1])
        for id in 2...3 {
            chunk.record(id: UInt64(id)) { c in
                c.fragmentHeader()
                c.templateInstance(id: 1, existing: template, values: [.uint16(UInt16(id)), .string("PC"), .string("bob")])
                c.eof()
            }
        }
        let url = try EvtxTestFiles.write(EvtxTestChunk.file([chunk.finished()]), name: "cli")
        defer { try? FileManager.default.removeItem(at: url) }
        var out: [UInt8] = []
        var warnings: [String] = []
        let code = EvtxCommandLine.run(paths: [url.path, "/nonexistent.evtx"], output: { out.append(contentsOf: $0) }, warning: { warnings.append($0) })
        #expect(code == 1)
        #expect(warnings == ["/nonexistent.evtx: no such file"])
        let lines = String(decoding: out, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines.first == ##"{"Event":{"#attributes":{"xmlns":"http://schemas.microsoft.com/win/2004/08/events/event"},"System":{"EventID":4688,"Computer":"PC"},"EventData":{"User":"alice"}}}"##)
        #expect(EvtxCommandLine.run(paths: [url.path], output: { _ in }, warning: { _ in }) == 0)
    }
}
