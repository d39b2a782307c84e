import Foundation
import Testing
@testable import Domain

/// A temporary overrides directory, removed by `remove()`.
struct OverrideDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// The bundled file `name`, as a mutable JSON object.
    static func bundled(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: RuleBook.bundledDirectory.appendingPathComponent(name))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func write(_ name: String, _ object: [String: Any]) throws {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: url.appendingPathComponent(name))
    }

    func write(_ name: String, text: String) throws {
        try Data(text.utf8).write(to: url.appendingPathComponent(name))
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

func vnDay(_ text: String) -> Date { DisplayTime.parseDay(text)! }

@Suite struct RuleBookTests {
    @Test func shippedRuleDataLoadsWithoutErrors() throws {
        let book = try RuleBook.load(overridesDirectory: nil)
        let ids = Set(book.headers.map(\.id))
        #expect(ids.isSuperset(of: ["decree85.criteria", "decree85.workflow", "decree85.authorities", "circular12.controls",
                                    "obligations.systems", "documents.levelExplanation"]))
        #expect(ids == Set(RuleBook.kinds.map { $0.ruleId }))
        #expect(book.files.allSatisfy { !$0.isOverride })
        #expect(RuleBook.shipped.headers == book.headers)
    }

    @Test func theLevelExplanationCitesTheLawInForceOnItsDate() {
        let before = RuleBook.shipped.levelExplanationBasis(at: vnDay("2026-06-30")).citations
        let after = RuleBook.shipped.levelExplanationBasis(at: vnDay("2026-07-01")).citations
        #expect(before.first?.contains("Luật An toàn thông tin mạng") == true)
        #expect(after.first?.contains("Luật An ninh mạng") == true)
        #expect(!after.joined().contains("An toàn thông tin mạng ngày 19"))
    }

    @Test func everyShippedFileIsPrettyPrintedUTF8WithAHeader() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: RuleBook.bundledDirectory.path).filter { $0.hasSuffix(".json") }
        #expect(names.count == RuleBook.shipped.files.count)
        for name in names {
            let data = try Data(contentsOf: RuleBook.bundledDirectory.appendingPathComponent(name))
            let text = try #require(String(data: data, encoding: .utf8), "\(name) is not UTF-8")
            #expect(text.contains("\n  \"id\": "), "\(name) is not pretty-printed")
            #expect(!text.contains("\\u"), "\(name) escapes characters instead of writing UTF-8")
            let header = try JSONDecoder().decode(RuleFileHeader.self, from: data)
            #expect(name.hasPrefix(header.id), "\(name) should be named after its id \(header.id)")
        }
    }

    @Test func missingOverridesDirectoryMeansNoOverrides() throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-\(UUID().uuidString)")
        let book = try RuleBook.load(overridesDirectory: missing)
        #expect(book.headers == RuleBook.shipped.headers)
    }

    @Test func overrideWithSameIdAndVersionReplacesTheBundledFile() throws {
        let dir = try OverrideDirectory()
        defer { dir.remove() }
        var workflow = try OverrideDirectory.bundled("decree85.workflow.json")
        var parameters = try #require(workflow["parameters"] as? [String: Any])
        parameters["appraisalDueDays"] = ["1": 10, "2": 10, "3": 20, "4": 30, "5": 30]
        workflow["parameters"] = parameters
        try dir.write("tinh-workflow.json", workflow)

        let book = try RuleBook.load(overridesDirectory: dir.url)
        #expect(book.workflow().appraisalDueDays[3] == 20)
        #expect(book.versions(DossierRules.self).count == 1)
        let file = try #require(book.files.first { $0.header.id == "decree85.workflow" })
        #expect(file.isOverride)
        #expect(file.fileName == "tinh-workflow.json")
    }

    @Test func overrideWithNewVersionIsAddedAndTakesEffectFromItsDate() throws {
        let dir = try OverrideDirectory()
        defer { dir.remove() }
        var workflow = try OverrideDirectory.bundled("decree85.workflow.json")
        workflow["version"] = "2026.1"
        workflow["effectiveFrom"] = "2026-07-01"
        var parameters = try #require(workflow["parameters"] as? [String: Any])
        parameters["technicalOpinionLevels"] = [3, 4, 5]
        workflow["parameters"] = parameters
        try dir.write("decree85.workflow.2026.json", workflow)

        let book = try RuleBook.load(overridesDirectory: dir.url)
        #expect(book.versions(DossierRules.self).map(\.header.version) == ["2016.1", "2026.1"])
        #expect(book.workflow(at: vnDay("2026-06-30")).header.version == "2016.1")
        #expect(book.workflow(at: vnDay("2026-07-01")).header.version == "2026.1")
        #expect(book.workflow(at: vnDay("2026-07-01")).technicalOpinionLevels == [3, 4, 5])
    }

    @Test func authoritiesChangeOnFirstMarch2025() {
        let book = RuleBook.shipped
        let before = book.authorities(at: vnDay("2025-02-28").addingTimeInterval(86_399))
        let after = book.authorities(at: vnDay("2025-03-01"))
        #expect(before.header.version == "2016.1")
        #expect(after.header.version == "2025.1")
        #expect(before.entry(forLevel: 4)?.appraisingBody.vi.contains("Bộ Thông tin và Truyền thông") == true)
        #expect(after.entry(forLevel: 4)?.appraisingBody.vi.contains("Bộ Công an") == true)
        #expect(after.entry(forLevel: 1)?.appraisingBody.vi.contains("PA05") == true)
        #expect(after.entries.map(\.level) == [1, 2, 3, 4, 5])
        #expect(after.entries.allSatisfy { $0.note != nil })
        #expect(after.header.confidence == .guess)
    }

    @Test func dateBeforeEveryVersionFallsBackToTheEarliest() {
        let early = vnDay("2010-01-01")
        #expect(RuleBook.shipped.authorities(at: early).header.version == "2016.1")
        #expect(RuleBook.shipped.controls(at: early).header.id == "circular12.controls")
    }

    @Test func versionPastItsEffectiveToIsNotChosen() throws {
        let dir = try OverrideDirectory()
        defer { dir.remove() }
        var later = try OverrideDirectory.bundled("decree85.authorities.2025.json")
        later["version"] = "2025.2"
        later["effectiveFrom"] = "2025-07-01"
        later["effectiveTo"] = "2025-12-31"
        try dir.write("a.json", later)
        let book = try RuleBook.load(overridesDirectory: dir.url)
        #expect(book.authorities(at: vnDay("2025-12-31")).header.version == "2025.2")
        #expect(book.authorities(at: vnDay("2026-01-01")).header.version == "2025.1")
    }

    @Test func headerEffectiveDatesAreDaysInVietnam() throws {
        let header = RuleBook.shipped.authorities(at: vnDay("2020-01-01")).header
        #expect(header.effectiveTo == "2025-02-28")
        #expect(header.isInEffect(at: vnDay("2025-02-28")))
        #expect(!header.isInEffect(at: vnDay("2025-03-01")))
        #expect(header.effectiveFromDate == vnDay("2016-07-01"))
        // 2016-06-30 17:00 UTC is already 1 July in Vietnam.
        #expect(header.isInEffect(at: Date(timeIntervalSince1970: 1_467_306_000)))
    }

    @Test func workflowCarriesUserCountThresholdsFromTheCriteria() {
        #expect(RuleBook.shipped.workflow().userCountThresholds == [10_000])
        #expect(RuleBook.shipped.classification().userCountThresholds == [10_000])
    }

    // MARK: malformed files name the file and the path

    @Test func unknownFieldInACriterionNamesFileAndPath() throws {
        let dir = try OverrideDirectory()
        defer { dir.remove() }
        var criteria = try OverrideDirectory.bundled("decree85.criteria.json")
        var parameters = try #require(criteria["parameters"] as? [String: Any])
        var list = try #require(parameters["criteria"] as? [[String: Any]])
        list[3]["when"] = ["all": [["field": "functionType", "in": ["citizen_business"]], ["field": "usercount", "lt": 10]]]
        parameters["criteria"] = list
        criteria["parameters"] = parameters
        try dir.write("decree85.criteria.json", criteria)

        let error = try #require(throws: RuleError.self) { try RuleBook.load(overridesDirectory: dir.url) }
        #expect(error.file == "decree85.criteria.json")
        #expect(error.path == "parameters.criteria[3].when.all[1]")
        #expect(error.description == "decree85.criteria.json: parameters.criteria[3].when.all[1]: unknown field \"usercount\"")
    }

    @Test(arguments: [
        (#"{"field":"informationClasses","anyOf":["secret"]}"#, "parameters.criteria[0].when.anyOf[0]", "unknown value \"secret\""),
        (#"{"field":"personalDataSubjects","in":["x"]}"#, "parameters.criteria[0].when.in", "cannot test personalDataSubjects"),
        (#"{"field":"operates24x7","is":true,"lt":3}"#, "parameters.criteria[0].when.lt", "cannot test operates24x7"),
        (#"{"field":"functionType"}"#, "parameters.criteria[0].when", "missing test"),
        (#"{"all":[]}"#, "parameters.criteria[0].when.all", "at least one"),
        (#"{"some":[]}"#, "parameters.criteria[0].when.some", "unknown field \"some\""),
        (#"{"field":"personalDataSubjects","gte":"10000"}"#, "parameters.criteria[0].when.gte", "expected an integer"),
        (#"{"not":{"field":"nationalImportant","is":1}}"#, "parameters.criteria[0].when.not.is", "expected true or false"),
    ])
    func badConditionIsReportedAtItsPath(condition: String, path: String, message: String) throws {
        let text = """
        {"id":"decree85.criteria","version":"9","effectiveFrom":"2030-01-01","title":{"vi":"x","en":"x"},"basis":[],
         "confidence":"guess","parameters":{"criteria":[{"id":"X","level":2,"article":{"vi":"a","en":"a"},
         "title":{"vi":"t","en":"t"},"confidence":"guess","when":\(condition)}]}}
        """
        let error = try #require(throws: RuleError.self) { try RuleBook.decode(Data(text.utf8), fileName: "x.json") }
        #expect(error.path == path)
        #expect(error.message.contains(message), "\(error)")
    }

    @Test func invalidJSONNamesTheFile() throws {
        let dir = try OverrideDirectory()
        defer { dir.remove() }
        try dir.write("broken.json", text: "{\"id\": ")
        let error = try #require(throws: RuleError.self) { try RuleBook.load(overridesDirectory: dir.url) }
        #expect(error.description.hasPrefix("broken.json: not valid JSON"), "\(error)")
    }

    @Test func unknownRuleIdIsRefused() throws {
        let dir = try OverrideDirectory()
        defer { dir.remove() }
        var file = try OverrideDirectory.bundled("decree85.workflow.json")
        file["id"] = "decree85.workflw"
        try dir.write("typo.json", file)
        let error = try #require(throws: RuleError.self) { try RuleBook.load(overridesDirectory: dir.url) }
        #expect(error.file == "typo.json")
        #expect(error.path == "id")
        #expect(error.message.contains("unknown rule id \"decree85.workflw\""))
    }

    @Test func missingParameterIsNamed() throws {
        var file = try OverrideDirectory.bundled("obligations.systems.json")
        var parameters = try #require(file["parameters"] as? [String: Any])
        parameters.removeValue(forKey: "dueSoonDays")
        file["parameters"] = parameters
        let data = try JSONSerialization.data(withJSONObject: file)
        let error = try #require(throws: RuleError.self) { try RuleBook.decode(data, fileName: "o.json") }
        #expect(error.description == "o.json: parameters: missing field \"dueSoonDays\"")
    }

    @Test func badEffectiveDateIsNamed() throws {
        var file = try OverrideDirectory.bundled("obligations.systems.json")
        file["effectiveFrom"] = "01/03/2025"
        let data = try JSONSerialization.data(withJSONObject: file)
        let error = try #require(throws: RuleError.self) { try RuleBook.decode(data, fileName: "o.json") }
        #expect(error.path == "effectiveFrom")
    }

    @Test func misspeltHeaderKeyIsRefused() throws {
        var file = try OverrideDirectory.bundled("decree85.authorities.2016.json")
        file["efectiveTo"] = file.removeValue(forKey: "effectiveTo")
        let data = try JSONSerialization.data(withJSONObject: file)
        let error = try #require(throws: RuleError.self) { try RuleBook.decode(data, fileName: "a.json") }
        #expect(error.description == "a.json: efectiveTo: unknown field \"efectiveTo\"")
    }

    @Test func misspeltOptionalAuthorityFieldIsRefused() throws {
        var file = try OverrideDirectory.bundled("decree85.authorities.2025.json")
        var parameters = try #require(file["parameters"] as? [String: Any])
        var entries = try #require(parameters["entries"] as? [[String: Any]])
        entries[4]["technicalOpinionbody"] = ["vi": "x", "en": "x"]
        parameters["entries"] = entries
        file["parameters"] = parameters
        let data = try JSONSerialization.data(withJSONObject: file)
        let error = try #require(throws: RuleError.self) { try RuleBook.decode(data, fileName: "a.json") }
        #expect(error.path == "parameters.entries[4].technicalOpinionbody")
    }

    @Test func criteriaFileWithoutCriteriaIsRefused() throws {
        var file = try OverrideDirectory.bundled("decree85.criteria.json")
        file["parameters"] = ["criteria": [Any]()]
        let data = try JSONSerialization.data(withJSONObject: file)
        let error = try #require(throws: RuleError.self) { try RuleBook.decode(data, fileName: "c.json") }
        #expect(error.description == "c.json: parameters.criteria: must list at least one criterion")
    }

    @Test func twoOverridesWithTheSameIdAndVersionAreRefused() throws {
        let dir = try OverrideDirectory()
        defer { dir.remove() }
        let file = try OverrideDirectory.bundled("decree85.workflow.json")
        try dir.write("a.json", file)
        try dir.write("b.json", file)
        let error = try #require(throws: RuleError.self) { try RuleBook.load(overridesDirectory: dir.url) }
        #expect(error.file == "b.json")
        #expect(error.message.contains("a.json"))
    }

    @Test func unknownControlGroupIsNamed() throws {
        var file = try OverrideDirectory.bundled("circular12.controls.json")
        var parameters = try #require(file["parameters"] as? [String: Any])
        var controls = try #require(parameters["controls"] as? [[String: Any]])
        controls[2]["group"] = "physical"
        parameters["controls"] = controls
        file["parameters"] = parameters
        let data = try JSONSerialization.data(withJSONObject: file)
        let error = try #require(throws: RuleError.self) { try RuleBook.decode(data, fileName: "c.json") }
        #expect(error.description == "c.json: parameters.controls[2].group: unknown group \"physical\"")
    }

    @Test func unknownRedeterminationFieldIsNamed() throws {
        var file = try OverrideDirectory.bundled("decree85.workflow.json")
        var parameters = try #require(file["parameters"] as? [String: Any])
        parameters["redeterminationFields"] = ["functionType", "userCount"]
        file["parameters"] = parameters
        let data = try JSONSerialization.data(withJSONObject: file)
        let error = try #require(throws: RuleError.self) { try RuleBook.decode(data, fileName: "w.json") }
        #expect(error.description == "w.json: parameters.redeterminationFields[1]: unknown field \"userCount\"")
    }

    // MARK: shipped content

    @Test func controlCatalogueCoversEveryGroupWithCumulativeLevels() {
        let catalogue = RuleBook.shipped.controls()
        #expect(catalogue.groups.map(\.id) == [
            "policy", "organisation", "human_resources", "design_build", "operation", "risk_management",
            "decommissioning", "network", "server", "application", "data",
        ])
        #expect((60...90).contains(catalogue.controls.count))
        for group in catalogue.groups {
            #expect(catalogue.controls.contains { $0.group == group.id && $0.firstLevel == 1 }, "\(group.id) has no level-1 control")
        }
        var previous = 0
        for level in 1...5 {
            let applicable = catalogue.applicable(toLevel: level)
            #expect(applicable.count > previous || level == 5)
            #expect(applicable.allSatisfy { $0.firstLevel <= level })
            previous = applicable.count
        }
        #expect(catalogue.applicable(toLevel: 5).count == catalogue.controls.count)
        #expect(catalogue.applicable(toLevel: 1).first?.group == "policy")
        #expect(catalogue.firstLevelConfidence == .guess)
        #expect(catalogue.controls.allSatisfy { !$0.title.vi.isEmpty && !$0.description.en.isEmpty && !$0.evidence.vi.isEmpty })
    }

    @Test func workflowDefaults() {
        let rules = RuleBook.shipped.workflow()
        #expect(rules.technicalOpinionLevels == [4, 5])
        #expect(rules.appraisalDueDays[4] == 30)
        #expect(rules.approvalDueWorkingDays[4] == 7)
        #expect(Set(rules.redeterminationFields) == Set(DossierRules.knownRedeterminationFields))
    }

    @Test func approvalDueDateCountsWorkingDays() throws {
        let rules = RuleBook.shipped.workflow()
        // Friday 7 Nov 2025 + 7 working days = Tuesday 18 Nov 2025; with a holiday on Monday 10 Nov, Wednesday 19.
        let friday = vnDay("2025-11-07")
        #expect(rules.approvalDueDate(level: 4, from: friday) == vnDay("2025-11-18"))
        #expect(rules.approvalDueDate(level: 4, from: friday, holidays: ["2025-11-10"]) == vnDay("2025-11-19"))
        #expect(rules.appraisalDueDate(level: 4, from: friday) == vnDay("2025-12-07"))
        #expect(rules.approvalDueDate(level: 5, from: friday) == nil)
    }

    @Test func systemObligationDefaults() {
        let rules = RuleBook.shipped.systemObligations()
        #expect(rules.dueSoonDays == 30)
        #expect(rules.assessmentIntervalMonths == [3: 12, 4: 12, 5: 6])
        #expect(rules.independentAssessmentFromLevel == 3)
        #expect(Set(rules.duties.keys) == Set(SystemDuty.allCases.map(\.rawValue)))
    }
}

@Suite struct RuleErrorTests {
    @Test func localizedDescriptionIsTheFileAndPathMessage() {
        let error: any Error = RuleError(file: "a.json", path: "parameters.x", message: "bad")
        #expect(error.localizedDescription == "a.json: parameters.x: bad")
        #expect(String(describing: RuleError(file: "a.json", path: "", message: "bad")) == "a.json: bad")
    }
}
