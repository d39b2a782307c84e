import Foundation
import Testing
@testable import Domain

@Suite struct ClassificationTests {
    static let rules = RuleBook.shipped.classification()

    static func evaluate(_ input: ClassificationInput) -> LevelProposal {
        LevelEngine.evaluate(input, rules: rules)
    }

    static func citizen(
        _ classes: [InformationClass] = [.public], users: Int = 0, online: OnlineServiceLevel = .none,
        conditional: Bool = false
    ) -> ClassificationInput {
        ClassificationInput(
            functionType: .citizenBusiness, informationClasses: classes, personalDataSubjects: users,
            onlineServiceLevel: online, conditionalBusiness: conditional)
    }

    /// One input per criterion that meets it, and the level the system then gets.
    static let criterionCases: [(String, ClassificationInput, Int)] = [
        ("L1.1", ClassificationInput(functionType: .internal, informationClasses: [.public]), 1),
        ("L2.1", ClassificationInput(functionType: .internal, informationClasses: [.public, .personal]), 2),
        ("L2.2a", citizen(online: .level2), 2),
        ("L2.2b", citizen(), 2),
        ("L2.2c", citizen([.private], users: 9_999), 2),
        ("L2.3", ClassificationInput(functionType: .infrastructure, informationClasses: [.public], infrastructureScope: .singleAgency), 2),
        ("L3.1", ClassificationInput(functionType: .internal, informationClasses: [.secretConfidential]), 3),
        ("L3.2a", citizen(online: .level3), 3),
        ("L3.2a-ND42", citizen(online: .fullProcess), 3),
        ("L3.2b", citizen(conditional: true), 3),
        ("L3.2c", citizen([.personal], users: 10_000), 3),
        ("L3.3", ClassificationInput(functionType: .infrastructure, informationClasses: [.public], infrastructureScope: .sectorOrProvince), 3),
        ("L3.3-NATIONAL", ClassificationInput(functionType: .infrastructure, informationClasses: [.public], infrastructureScope: .national), 3),
        ("L3.4", ClassificationInput(functionType: .industrialControl, informationClasses: [.private], industrialControl: .constructionWorks), 3),
        ("L4.1", ClassificationInput(functionType: .internal, informationClasses: [.secretSecret]), 4),
        ("L4.2", ClassificationInput(functionType: .citizenBusiness, informationClasses: [.public], operates24x7: true, nationalEGovernment: true), 4),
        ("L4.3", ClassificationInput(functionType: .infrastructure, informationClasses: [.public], infrastructureScope: .national, operates24x7: true), 4),
        ("L4.4", ClassificationInput(functionType: .industrialControl, informationClasses: [.private], industrialControl: .importantWorks), 4),
        ("L5.1", ClassificationInput(functionType: .internal, informationClasses: [.secretTop]), 5),
        ("L5.2", ClassificationInput(functionType: .other, informationClasses: [.private], storesNationalData: true), 5),
        ("L5.3", ClassificationInput(functionType: .infrastructure, informationClasses: [.public], infrastructureScope: .international), 5),
        ("L5.4", ClassificationInput(functionType: .industrialControl, informationClasses: [.private], industrialControl: .nationalSecurityWorks), 5),
        ("L5.5", ClassificationInput(functionType: .other, informationClasses: [.public], nationalImportant: true), 5),
    ]

    @Test func everyShippedCriterionHasACase() {
        #expect(Set(Self.criterionCases.map(\.0)) == Set(Self.rules.criteria.map(\.id)))
    }

    @Test(arguments: criterionCases)
    func criterionAppliesAndSetsTheLevel(id: String, input: ClassificationInput, level: Int) throws {
        let proposal = Self.evaluate(input)
        let result = try #require(proposal.criteria.first { $0.id == id })
        #expect(result.applies, "\(id): \(result.reasons.map(\.en))")
        #expect(result.level == level)
        #expect(proposal.level == level)
        #expect(proposal.criteriaLevel == level)
        #expect(proposal.decidingCriteria.contains(id))
        #expect(!result.reasons.isEmpty)
        #expect(result.reasons.allSatisfy { $0.vi.hasSuffix("— đạt") && $0.en.hasSuffix("— met") })
    }

    @Test func criteriaConfidenceFollowsTheReference() {
        for criterion in Self.rules.criteria {
            switch criterion.level {
            case 1, 2: #expect(criterion.confidence == .confirmed, "\(criterion.id)")
            default: #expect(criterion.confidence != .confirmed, "\(criterion.id)")
            }
            if criterion.confidence != .confirmed { #expect(criterion.note != nil, "\(criterion.id) should explain its uncertainty") }
        }
        #expect(Self.rules.criteria.first { $0.id == "L3.2a-ND42" }?.confidence == .guess)
    }

    @Test func articleAndTitleAreInBothLanguages() {
        let result = Self.evaluate(Self.citizen([.private], users: 12_000)).criteria.first { $0.id == "L2.2c" }
        #expect(result?.article == LocalizedText(vi: "Điều 8 khoản 2 điểm c", en: "Art 8(2)(c)"))
        #expect(result?.title.vi.contains("10.000") == true)
    }

    // MARK: boundaries

    @Test func nineThousandNineHundredNinetyNineUsersIsLevel2() {
        let proposal = Self.evaluate(Self.citizen([.personal], users: 9_999))
        #expect(proposal.level == 2)
        #expect(proposal.decidingCriteria.contains("L2.2c"))
        #expect(proposal.criteria.first { $0.id == "L3.2c" }?.applies == false)
        #expect(!proposal.uncertain)
    }

    @Test func tenThousandUsersIsLevel3() {
        let proposal = Self.evaluate(Self.citizen([.personal], users: 10_000))
        #expect(proposal.level == 3)
        #expect(proposal.decidingCriteria == ["L3.2c"])
        #expect(proposal.criteria.first { $0.id == "L2.2c" }?.applies == false)
        #expect(proposal.uncertain)
    }

    @Test(arguments: [0, 1, 9_999, 10_000, 10_001, 5_000_000], [false, true])
    func levelTwoAndThreeCitizenCriteriaAreComplementary(users: Int, conditional: Bool) {
        let proposal = Self.evaluate(Self.citizen([.private], users: users, conditional: conditional))
        func applies(_ id: String) -> Bool { proposal.criteria.first { $0.id == id }!.applies }
        #expect(applies("L2.2c") != applies("L3.2c"))
        #expect(applies("L2.2b") != applies("L3.2b"))
        #expect(applies("L3.2c") == (users >= 10_000))
    }

    @Test(arguments: OnlineServiceLevel.allCases)
    func everyOnlineServiceLevelFallsOnExactlyOneSide(level: OnlineServiceLevel) {
        let proposal = Self.evaluate(Self.citizen(online: level))
        let l2 = proposal.criteria.first { $0.id == "L2.2a" }!.applies
        let l3 = proposal.criteria.filter { $0.id.hasPrefix("L3.2a") }.contains(where: \.applies)
        #expect(l2 != l3)
    }

    @Test func userCountWithoutPrivateOrPersonalInformationDoesNotRaiseTheLevel() {
        let proposal = Self.evaluate(Self.citizen([.public], users: 50_000))
        #expect(proposal.level == 2)
    }

    @Test func internalSystemWithPersonalDataOfManyUsersStaysAtLevel2() {
        let input = ClassificationInput(functionType: .internal, informationClasses: [.personal], personalDataSubjects: 200_000)
        #expect(Self.evaluate(input).level == 2)
    }

    @Test func internalSystemWithStateSecretIsNotLevel1Or2() {
        let input = ClassificationInput(functionType: .internal, informationClasses: [.public, .private, .secretConfidential])
        let proposal = Self.evaluate(input)
        #expect(proposal.level == 3)
        #expect(proposal.criteria.first { $0.id == "L1.1" }?.applies == false)
        #expect(proposal.criteria.first { $0.id == "L2.1" }?.applies == false)
    }

    @Test func nationalInfrastructureNeeds24x7ForLevel4() {
        let without = ClassificationInput(functionType: .infrastructure, informationClasses: [.public], infrastructureScope: .national)
        var with = without
        with.operates24x7 = true
        #expect(Self.evaluate(without).level == 3)
        #expect(Self.evaluate(without).uncertain)
        #expect(Self.evaluate(with).level == 4)
    }

    @Test func highestCriterionWins() {
        let input = ClassificationInput(
            functionType: .citizenBusiness, informationClasses: [.personal, .secretSecret], personalDataSubjects: 20_000,
            onlineServiceLevel: .level4, conditionalBusiness: true)
        let proposal = Self.evaluate(input)
        #expect(proposal.level == 4)
        #expect(proposal.decidingCriteria == ["L4.1"])
    }

    // MARK: no criterion, composites, uncertainty

    @Test func noCriterionMetProposesLevel1AsAFloorThatAPersonMustConfirm() {
        let proposal = Self.evaluate(ClassificationInput(functionType: .other, informationClasses: [.private]))
        #expect(proposal.level == 1)
        #expect(proposal.criteriaLevel == 1)
        #expect(proposal.decidingCriteria.isEmpty)
        #expect(proposal.componentLevel == nil)
        #expect(proposal.uncertain)
        #expect(proposal.criteria.count == Self.rules.criteria.count)
        #expect(proposal.criteria.allSatisfy { !$0.applies })
    }

    @Test func compositeSystemTakesTheHighestComponentLevel() {
        var input = ClassificationInput(functionType: .internal, informationClasses: [.public])
        input.components = [.init(name: "Cổng", level: 2), .init(name: "CSDL", level: 3)]
        let proposal = Self.evaluate(input)
        #expect(proposal.level == 3)
        #expect(proposal.criteriaLevel == 1)
        #expect(proposal.componentLevel == 3)
        #expect(proposal.decidingCriteria.isEmpty)
        #expect(!proposal.uncertain)
    }

    @Test func criteriaAboveComponentsStillDecide() {
        var input = Self.citizen([.personal], users: 15_000)
        input.components = [.init(name: "A", level: 2)]
        let proposal = Self.evaluate(input)
        #expect(proposal.level == 3)
        #expect(proposal.componentLevel == 2)
        #expect(proposal.decidingCriteria == ["L3.2c"])
        #expect(proposal.uncertain)
    }

    @Test func componentAtTheSameLevelRemovesTheUncertainty() {
        var input = Self.citizen([.personal], users: 15_000)
        input.components = [.init(name: "A", level: 3)]
        let proposal = Self.evaluate(input)
        #expect(proposal.level == 3)
        #expect(proposal.decidingCriteria == ["L3.2c"])
        #expect(!proposal.uncertain)
    }

    @Test func confirmedLevelIsNotUncertain() {
        #expect(!Self.evaluate(Self.citizen(online: .level2)).uncertain)
        #expect(Self.evaluate(Self.citizen(online: .partial)).uncertain)
    }

    @Test func proposalRecordsRuleIdAndVersion() {
        let proposal = Self.evaluate(Self.citizen())
        #expect(proposal.ruleId == "decree85.criteria")
        #expect(proposal.ruleVersion == Self.rules.header.version)
    }

    // MARK: reasons

    @Test func reasonsShowTheUserCountWithLocalNumberFormatting() throws {
        let proposal = Self.evaluate(Self.citizen([.private], users: 12_000))
        let l3 = try #require(proposal.criteria.first { $0.id == "L3.2c" })
        #expect(l3.reasons.contains(LocalizedText(
            vi: "Số người dùng có thông tin riêng/cá nhân: 12.000 (≥ 10.000) — đạt",
            en: "Users with private/personal data: 12,000 (≥ 10,000) — met")))
        let l2 = try #require(proposal.criteria.first { $0.id == "L2.2c" })
        #expect(l2.reasons.contains(LocalizedText(
            vi: "Số người dùng có thông tin riêng/cá nhân: 12.000 (< 10.000) — không đạt",
            en: "Users with private/personal data: 12,000 (< 10,000) — not met")))
    }

    @Test func reasonsNameTheActualValuesOfEveryCheckedFact() throws {
        let proposal = Self.evaluate(ClassificationInput(functionType: .internal, informationClasses: [.public, .personal]))
        let l1 = try #require(proposal.criteria.first { $0.id == "L1.1" })
        #expect(l1.reasons.count == 2)
        #expect(l1.reasons[0].vi == "Loại hệ thống thông tin theo chức năng: phục vụ hoạt động nội bộ (cần: phục vụ hoạt động nội bộ) — đạt")
        #expect(l1.reasons[1].vi == "Thông tin được xử lý: thông tin công cộng, thông tin cá nhân (cần chỉ gồm: thông tin công cộng) — không đạt")
        #expect(l1.reasons[1].en == "Information processed: public information, personal information (required: only public information) — not met")
        let l2 = try #require(proposal.criteria.first { $0.id == "L2.1" })
        #expect(l2.reasons.count == 3)
        #expect(l2.reasons[2].en.hasPrefix("Information processed: public information, personal information (required: none of state secret"))
    }

    @Test func vietnameseNumbersUseDotsAndEnglishCommas() {
        #expect(ClassificationVocabulary.number(0) == LocalizedText(vi: "0", en: "0"))
        #expect(ClassificationVocabulary.number(999) == LocalizedText(vi: "999", en: "999"))
        #expect(ClassificationVocabulary.number(9_999) == LocalizedText(vi: "9.999", en: "9,999"))
        #expect(ClassificationVocabulary.number(100_000_000) == LocalizedText(vi: "100.000.000", en: "100,000,000"))
    }

    @Test func negatedConditionsAreEvaluatedAndExplained() throws {
        let text = """
        {"id":"decree85.criteria","version":"t","effectiveFrom":"2016-07-01","title":{"vi":"x","en":"x"},"basis":[],
         "confidence":"guess","parameters":{"criteria":[{"id":"N","level":2,"article":{"vi":"a","en":"a"},
         "title":{"vi":"t","en":"t"},"confidence":"guess","when":{"not":{"any":[
           {"field":"personalDataSubjects","gte":100},{"field":"conditionalBusiness","is":true}]}}}]}}
        """
        let rules = try #require(try RuleBook.decode(Data(text.utf8), fileName: "t.json") as? ClassificationRules)
        let small = LevelEngine.evaluate(ClassificationInput(functionType: .other, informationClasses: [.public], personalDataSubjects: 5), rules: rules)
        #expect(small.level == 2)
        #expect(small.criteria[0].reasons.map(\.en) == [
            "Users with private/personal data: 5 (< 100) — met",
            "Online services in conditional business lines: no (required: no) — met",
        ])
        let big = LevelEngine.evaluate(ClassificationInput(functionType: .other, informationClasses: [.public], personalDataSubjects: 500), rules: rules)
        #expect(big.level == 1)
        #expect(big.criteria[0].reasons[0].vi == "Số người dùng có thông tin riêng/cá nhân: 500 (< 100) — không đạt")
    }

    @Test func proposalRoundTripsThroughJSON() throws {
        let proposal = Self.evaluate(Self.citizen([.private], users: 12_000))
        let data = try JSONEncoder().encode(proposal)
        #expect(try JSONDecoder().decode(LevelProposal.self, from: data) == proposal)
    }

    // MARK: re-determination

    static let workflow = RuleBook.shipped.workflow()

    @Test(arguments: [
        (9_000, 9_500, false), (9_999, 10_000, true), (10_000, 9_999, true), (10_000, 250_000, false), (0, 9_999, false),
    ])
    func userCountCountsOnlyWhenItCrossesACriteriaThreshold(old: Int, new: Int, changed: Bool) {
        let a = Self.citizen([.personal], users: old)
        let b = Self.citizen([.personal], users: new)
        #expect(Redetermination.changedFields(old: a, new: b, rules: Self.workflow).contains("personalDataSubjects") == changed)
    }

    @Test func componentLevelChangesCountButNamesDoNot() {
        var a = Self.citizen()
        a.components = [.init(name: "A", level: 2), .init(name: "B", level: 3)]
        var renamed = a
        renamed.name = "Khác"
        renamed.components = [.init(name: "B mới", level: 3), .init(name: "A mới", level: 2)]
        #expect(Redetermination.changedFields(old: a, new: renamed, rules: Self.workflow).isEmpty)
        var raised = a
        raised.components[0].level = 3
        #expect(Redetermination.changedFields(old: a, new: raised, rules: Self.workflow) == ["components"])
        var added = a
        added.components.append(.init(name: "C", level: 1))
        #expect(Redetermination.changedFields(old: a, new: added, rules: Self.workflow) == ["components"])
    }

    @Test func changedFieldsAreListedInRuleOrder() {
        let a = Self.citizen([.public], online: .level2)
        var b = Self.citizen([.private, .public], online: .level3, conditional: true)
        b.operates24x7 = true
        #expect(Redetermination.changedFields(old: a, new: b, rules: Self.workflow) == [
            "informationClasses", "onlineServiceLevel", "conditionalBusiness", "operates24x7",
        ])
    }

    @Test func informationClassOrderDoesNotCount() {
        let a = Self.citizen([.public, .private])
        let b = Self.citizen([.private, .public])
        #expect(Redetermination.changedFields(old: a, new: b, rules: Self.workflow).isEmpty)
    }

    @Test func onlyFieldsListedInTheRulesCount() {
        var rules = Self.workflow
        rules.redeterminationFields = ["functionType"]
        let a = Self.citizen([.public], online: .level2)
        let b = Self.citizen([.public], online: .level4)
        #expect(Redetermination.changedFields(old: a, new: b, rules: rules).isEmpty)
    }
}
