import Foundation
import Testing
@testable import Domain

@Suite struct AuditChainTests {
    static func chain(_ count: Int) -> [(AuditRecord, String)] {
        var previous = AuditRecord.genesisHash
        return (1...count).map { index in
            let record = AuditRecord(sequence: Int64(index), occurredAt: "2026-11-25T01:00:0\(index % 10).000Z", actorId: nil,
                                     actorLabel: "tester", clientAddress: "127.0.0.1", action: "agency.update", recordType: "agency",
                                     recordId: "r\(index)", agencyId: nil, summary: "{\"after\":{\"name\":\"Sở \(index)\"}}",
                                     previousHash: previous)
            previous = record.computeHash()
            return (record, previous)
        }
    }

    func verify(_ events: [(AuditRecord, String)], head: (Int64, String)) -> AuditChainVerifier.Outcome {
        var verifier = AuditChainVerifier()
        for (record, hash) in events where !verifier.feed(record, storedHash: hash) { break }
        return verifier.finish(headSequence: head.0, headHash: head.1)
    }

    @Test func anUntouchedChainIsIntact() {
        let events = Self.chain(5)
        #expect(verify(events, head: (5, events[4].1)) == .intact(events: 5))
    }

    @Test func anEmptyChainIsIntact() {
        #expect(verify([], head: (0, AuditRecord.genesisHash)) == .intact(events: 0))
    }

    @Test func namesTheFirstAlteredEvent() {
        var events = Self.chain(5)
        events[2].0.summary = "{\"after\":{\"name\":\"forged\"}}"
        #expect(verify(events, head: (5, events[4].1)) == .broken(sequence: 3, reason: .altered))
    }

    @Test func namesARemovedEvent() {
        var events = Self.chain(5)
        events.remove(at: 1)
        #expect(verify(events, head: (5, events.last!.1)) == .broken(sequence: 2, reason: .missing))
    }

    @Test func namesEventsRemovedFromTheEnd() {
        let events = Array(Self.chain(5).prefix(3))
        #expect(verify(events, head: (5, "whatever")) == .broken(sequence: 4, reason: .missing))
    }

    @Test func aRehashedEventStillBreaksTheLinkOfItsSuccessor() {
        var events = Self.chain(4)
        events[1].0.actorLabel = "someone else"
        events[1].1 = events[1].0.computeHash()
        #expect(verify(events, head: (4, events[3].1)) == .broken(sequence: 3, reason: .relinked))
    }

    @Test func theCanonicalJSONHasSortedKeys() {
        let json = String(decoding: Self.chain(1)[0].0.canonicalJSON(), as: UTF8.self)
        #expect(json.hasPrefix("{\"action\":"))
        #expect(json.contains("\"sequence\":1"))
    }
}

@Suite struct AgencyTreeTests {
    let a = UUID(), b = UUID(), c = UUID(), d = UUID()

    var tree: AgencyTree { AgencyTree(parents: [(a, nil), (b, a), (c, b), (d, nil)]) }

    @Test func subtreeIncludesAllDescendants() {
        #expect(tree.subtree(of: a) == [a, b, c])
        #expect(tree.subtree(of: c) == [c])
        #expect(tree.subtree(of: d) == [d])
    }

    @Test func refusesMovesThatCreateCycles() {
        #expect(tree.wouldCreateCycle(moving: a, under: c))
        #expect(tree.wouldCreateCycle(moving: a, under: a))
        #expect(!tree.wouldCreateCycle(moving: c, under: d))
        #expect(!tree.wouldCreateCycle(moving: c, under: nil))
    }

    @Test func survivesACycleAlreadyInTheData() {
        let looped = AgencyTree(parents: [(a, b), (b, a)])
        #expect(looped.subtree(of: a) == [a, b])
        #expect(looped.ancestors(of: a).count == 2)
    }
}

@Suite struct ValidatorsTests {
    @Test(arguments: ["a@b.vn", "Pa05@LangSon.gov.vn", "x.y+z@mail.example.com"])
    func acceptsEmails(email: String) { #expect(Validators.email(email) == email.lowercased()) }

    @Test(arguments: ["", "a", "a@b", "a@@b.vn", "a b@c.vn", "<s>@x.vn", "a@.vn", "a@b..vn"])
    func refusesBadEmails(email: String) { #expect(Validators.email(email) == nil) }

    @Test func phonesNeedEightToFifteenDigits() {
        #expect(Validators.phone("0205 3812 345") != nil)
        #expect(Validators.phone("+84 205 3812345") != nil)
        #expect(Validators.phone("12345") == nil)
        #expect(Validators.phone("0205-abc-345") == nil)
        #expect(Validators.phone("02+05381234") == nil)
    }

    @Test func dayParsingUsesVietnamTimeAndRejectsImpossibleDates() {
        let day = DisplayTime.parseDay("05/01/2026")!
        #expect(DisplayTime.dateTime(day) == "05/01/2026 00:00")
        #expect(DisplayTime.parseDay("2026-01-05") == day)
        #expect(DisplayTime.parseDay("31/02/2026") == nil)
    }
}

@Suite struct SearchTextTests {
    @Test(arguments: [("Sở Y tế", "so y te"), ("ĐỘI ỨNG CỨU", "doi ung cuu"), ("  Phường   Đông Kinh ", "phuong dong kinh")])
    func foldsCaseAndVietnameseDiacritics(text: String, folded: String) {
        #expect(SearchText.fold(text) == folded)
    }

    @Test func escapesLikeWildcards() {
        #expect(SearchText.containsPattern("50%_a!") == "%50!%!_a!!%")
    }
}
