import Foundation
import Testing
@testable import Domain

@Suite struct IncidentTLPTests {
    static let liaison = UUID()
    static let someoneElse = UUID()

    @Test(arguments: [
        // tlp, named on the item, visible to the police liaison, visible to a colleague in the owning organisation
        (TLP.clear, [UUID](), true, true),
        (.green, [], true, true),
        (.amber, [], true, true),
        (.amberStrict, [], false, true),
        (.amberStrict, [IncidentTLPTests.liaison], false, true),
        (.red, [], false, false),
        (.red, [IncidentTLPTests.someoneElse], false, false),
        (.red, [IncidentTLPTests.liaison], true, true),
    ])
    func visibility(tlp: TLP, named: [UUID], police: Bool, owner: Bool) {
        #expect(TLPSharing.visibleToPolice(tlp: tlp, namedUserIds: named, userId: Self.liaison) == police)
        #expect(TLPSharing.visibleToPolice(tlp: tlp, namedUserIds: Set(named), userId: Self.liaison) == police)
        #expect(TLPSharing.visibleInOwningOrganisation(tlp: tlp, namedUserIds: named, userId: Self.liaison) == owner)
    }

    @Test func sharedWithPoliceUpToAmber() {
        #expect(TLP.allCases.filter(TLPSharing.isSharedWithPolice) == [.clear, .green, .amber])
    }

    @Test func orderRunsFromClearToRed() {
        #expect(TLP.allCases.sorted() == [.clear, .green, .amber, .amberStrict, .red])
        #expect(TLP.amber < .amberStrict)
        #expect([TLP.green, .red, .amber].max() == .red)
        #expect(TLP.allCases.map(\.rawValue) == ["clear", "green", "amber", "amber_strict", "red"])
    }

    @Test(arguments: [
        ("TLP:CLEAR", TLP?.some(.clear)), ("tlp:white", .clear), ("TLP:GREEN", .green), ("tlp:amber", .amber),
        ("TLP:AMBER+STRICT", .amberStrict), ("amber_strict", .amberStrict), (" tlp:red ", .red), ("TLP:PURPLE", nil), ("", nil),
    ])
    func labelsAreRead(label: String, tlp: TLP?) {
        #expect(TLP(label: label) == tlp)
    }

    @Test func labelsRoundTrip() {
        for tlp in TLP.allCases { #expect(TLP(label: tlp.label) == tlp) }
        #expect(TLP.amberStrict.label == "TLP:AMBER+STRICT")
    }
}
