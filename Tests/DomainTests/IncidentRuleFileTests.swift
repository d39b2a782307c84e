import Foundation
import Testing
@testable import Domain

@Suite struct IncidentRuleFileTests {
    static let book = RuleBook.shipped
    static let files = ["incidents.categories.json", "incidents.clocks.2023.json", "incidents.clocks.2026.json",
                        "incidents.serious.json", "calendar.holidays.json"]

    @Test func newKindsAreShippedWithHeaders() {
        let ids = Set(Self.book.headers.map(\.id))
        #expect(ids.isSuperset(of: ["incidents.categories", "incidents.clocks", "incidents.serious", "calendar.holidays"]))
        for header in Self.book.headers where header.id.hasPrefix("incidents.") || header.id == "calendar.holidays" {
            #expect(!header.version.isEmpty)
            #expect(!header.basis.isEmpty, "\(header.id)")
            #expect(!header.title.vi.isEmpty && !header.title.en.isEmpty)
            #expect(header.effectiveFromDate > vnDay("2016-12-31"))
        }
    }

    @Test(arguments: files)
    func shippedFileDecodesAsItsKind(name: String) throws {
        let data = try Data(contentsOf: RuleBook.bundledDirectory.appendingPathComponent(name))
        let text = try #require(String(data: data, encoding: .utf8))
        #expect(text.hasPrefix("{\n  \"id\": "))
        #expect(!text.contains("\\u"))
        let content = try RuleBook.decode(data, fileName: name)
        #expect(name.hasPrefix(content.header.id))
        #expect(Self.book.files.contains { $0.fileName == name && !$0.isOverride })
    }

    @Test func categoriesAreTheCircular20List() {
        let list = Self.book.incidentCategories()
        #expect(list.codes == [
            "dos", "phishing", "malware", "unauthorised_access", "defacement", "ransomware", "data_destruction", "data_theft",
            "combined", "other",
        ])
        #expect(list.header.confidence == .memory)
        #expect(list.categories.allSatisfy { !$0.title.vi.isEmpty && !$0.title.en.isEmpty })
        #expect(list.category(code: "ransomware")?.title.vi.contains("Mã hóa") == true)
        #expect(list.category(code: "nope") == nil)
    }

    @Test func clockVersionsChangeOnFirstJanuary2026() {
        let versions = Self.book.versions(IncidentClockRules.self)
        #expect(versions.map(\.header.version) == ["2023.1", "2026.1"])
        #expect(versions[0].header.effectiveTo == "2025-12-31")
        #expect(Self.book.incidentClocks(at: vnDay("2025-12-31").addingTimeInterval(86_399)).header.version == "2023.1")
        #expect(Self.book.incidentClocks(at: vnDay("2026-01-01")).header.version == "2026.1")
        #expect(Self.book.incidentClocks(at: vnDay("2020-05-01")).header.version == "2023.1")
        for rules in versions {
            #expect(rules.clocks.map(\.kind) == IncidentClockKind.allCases)
            let c = Dictionary(uniqueKeysWithValues: rules.clocks.map { ($0.kind, $0) })
            #expect(c[.notification]!.amount == 5 && c[.notification]!.unit == .calendarDays && c[.notification]!.countsFrom == .detectedAt)
            #expect(c[.initialReport]!.appliesWhen == .beyondCapability && c[.initialReport]!.amount == 24 && c[.initialReport]!.unit == .hours)
            #expect(c[.initialReport]!.confidence == .guess)
            #expect(c[.finalReport]!.countsFrom == .responseCompletedAt && c[.finalReport]!.amount == 5)
            #expect(c[.pdpBreachNotice]!.appliesWhen == .personalDataInvolved && c[.pdpBreachNotice]!.amount == 72)
            #expect(c[.seriousEscalation]!.appliesWhen == .seriousConfirmed && c[.seriousEscalation]!.countsFrom == .seriousConfirmedAt)
            #expect(rules.clocks.allSatisfy { !$0.basis.isEmpty && !$0.recipients.en.isEmpty })
        }
        #expect(versions[0].definition(.pdpBreachNotice)!.basis.map(\.document) == ["Nghị định 13/2023/NĐ-CP"])
        #expect(versions[1].definition(.pdpBreachNotice)!.basis.map(\.document) == ["Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15", "Nghị định 356/2025/NĐ-CP"])
    }

    @Test func seriousCriteriaDefaults() {
        let c = Self.book.seriousIncidentCriteria()
        #expect(c.minimumLevel == 4)
        #expect(c.nationalImportantQualifies && c.requiresBeyondCapability)
        #expect(c.header.basis.map(\.document) == ["Quyết định 05/2017/QĐ-TTg"])
    }

    @Test func holidayCalendarCovers2025To2027WithHonestConfidence() throws {
        let h = Self.book.holidayCalendar()
        #expect(h.firstYear == 2025 && h.lastYear == 2027)
        let days = h.holidays.map(\.date)
        #expect(Set(days).count == days.count)
        for day in h.holidays {
            let date = try #require(DisplayTime.parseDay(day.date))
            #expect(!HolidayCalendar.isWeekend(date), "\(day.date) falls on a weekend: list the weekday off instead")
        }
        #expect(h.makeUpWorkingDays.map(\.date) == ["2025-04-26", "2026-08-22"])
        for year in ["2025", "2026", "2027"] {
            #expect(days.contains("\(year)-01-01"))
            #expect(days.contains("\(year)-04-30"))
            #expect(days.contains { $0.hasPrefix("\(year)-09-0") })
        }
        #expect(["2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20"].allSatisfy(days.contains))
        #expect(h.holidays.filter { $0.date.hasPrefix("2026") }.allSatisfy { $0.confidence == .confirmed })
        #expect(h.holidays.filter { $0.date.hasPrefix("2027-02") }.allSatisfy { $0.confidence == .guess })
        #expect(!h.holidays.contains { $0.date.hasPrefix("2027") && $0.confidence == .confirmed })
    }

    // MARK: malformed overrides name the file and the path

    static func decodeError(_ name: String, _ change: (inout [String: Any]) throws -> Void) throws -> RuleError {
        var file = try OverrideDirectory.bundled(name)
        var parameters = try #require(file["parameters"] as? [String: Any])
        try change(&parameters)
        file["parameters"] = parameters
        let data = try JSONSerialization.data(withJSONObject: file)
        return try #require(throws: RuleError.self) { try RuleBook.decode(data, fileName: "x.json") }
    }

    @Test func duplicateClockKindIsNamed() throws {
        let error = try Self.decodeError("incidents.clocks.2026.json") { p in
            var clocks = try #require(p["clocks"] as? [[String: Any]])
            clocks[1]["kind"] = "NOTIFICATION"
            p["clocks"] = clocks
        }
        #expect(error.description == "x.json: parameters.clocks[1].kind: duplicate clock \"NOTIFICATION\"")
    }

    @Test func missingClockIsNamed() throws {
        let error = try Self.decodeError("incidents.clocks.2026.json") { p in
            var clocks = try #require(p["clocks"] as? [[String: Any]])
            clocks.removeLast()
            p["clocks"] = clocks
        }
        #expect(error.description == "x.json: parameters.clocks: missing clock \"SERIOUS_ESCALATION\"")
    }

    @Test(arguments: [
        ("unit", #""business_days""#, "parameters.clocks[2].unit"),
        ("countsFrom", #""closed_at""#, "parameters.clocks[2].countsFrom"),
        ("amount", "-1", "parameters.clocks[2].amount"),
        ("dueSoonHours", #""24""#, "parameters.clocks[2].dueSoonHours"),
        ("dueSoonHuors", "24", "parameters.clocks[2].dueSoonHuors"),
        ("basis", "[]", "parameters.clocks[2].basis"),
    ])
    func badClockFieldIsNamed(field: String, json: String, path: String) throws {
        let value = try JSONSerialization.jsonObject(with: Data(json.utf8), options: .fragmentsAllowed)
        let error = try Self.decodeError("incidents.clocks.2026.json") { p in
            var clocks = try #require(p["clocks"] as? [[String: Any]])
            clocks[2][field] = value
            p["clocks"] = clocks
        }
        #expect(error.path == path, "\(error)")
    }

    @Test func categoryListWithoutOtherIsRefused() throws {
        let error = try Self.decodeError("incidents.categories.json") { p in
            var list = try #require(p["categories"] as? [[String: Any]])
            list.removeLast()
            p["categories"] = list
        }
        #expect(error.description == "x.json: parameters.categories: must contain the category \"other\"")
    }

    @Test func badCategoryCodeIsNamed() throws {
        let error = try Self.decodeError("incidents.categories.json") { p in
            var list = try #require(p["categories"] as? [[String: Any]])
            list[3]["code"] = "Unauthorised Access"
            p["categories"] = list
        }
        #expect(error.path == "parameters.categories[3].code")
    }

    @Test func seriousCriteriaMustNameEveryImpact() throws {
        let error = try Self.decodeError("incidents.serious.json") { p in
            var list = try #require(p["impacts"] as? [[String: Any]])
            list[4]["flag"] = "loss_of_control"
            p["impacts"] = list
        }
        #expect(error.description == "x.json: parameters.impacts[4].flag: duplicate impact \"loss_of_control\"")
    }

    @Test func holidayOutsideTheCoveredYearsIsNamed() throws {
        let error = try Self.decodeError("calendar.holidays.json") { p in
            var list = try #require(p["holidays"] as? [[String: Any]])
            list[0]["date"] = "2024-12-31"
            p["holidays"] = list
        }
        #expect(error.description == "x.json: parameters.holidays[0].date: 2024-12-31 is outside 2025–2027")
    }

    @Test func madeUpWorkingDayMustBeAWeekend() throws {
        let error = try Self.decodeError("calendar.holidays.json") { p in
            var list = try #require(p["makeUpWorkingDays"] as? [[String: Any]])
            list[0]["date"] = "2025-04-28"
            p["makeUpWorkingDays"] = list
        }
        #expect(error.description == "x.json: parameters.makeUpWorkingDays[0].date: 2025-04-28 is not a Saturday or Sunday")
    }

    @Test func badHolidayDateIsNamed() throws {
        let error = try Self.decodeError("calendar.holidays.json") { p in
            var list = try #require(p["holidays"] as? [[String: Any]])
            list[2]["date"] = "2025-02-30"
            p["holidays"] = list
        }
        #expect(error.path == "parameters.holidays[2].date")
    }

    @Test func provinceOverrideCanCountWorkingDays() throws {
        let dir = try OverrideDirectory()
        defer { dir.remove() }
        var file = try OverrideDirectory.bundled("incidents.clocks.2026.json")
        var parameters = try #require(file["parameters"] as? [String: Any])
        var clocks = try #require(parameters["clocks"] as? [[String: Any]])
        clocks[0]["unit"] = "working_days"
        parameters["clocks"] = clocks
        file["parameters"] = parameters
        try dir.write("tinh-incidents.clocks.json", file)
        let book = try RuleBook.load(overridesDirectory: dir.url)
        #expect(book.incidentClocks(at: vnDay("2026-11-25")).definition(.notification)?.unit == .workingDays)
        #expect(book.incidentClocks(at: vnDay("2025-11-25")).definition(.notification)?.unit == .calendarDays)
    }
}
