import Foundation
import Domain
import Fluent
import Vapor

/// System fields as submitted by the form (all text) or converted from the API body, validated in one place.
struct SystemInput: Content, Sendable {
    var agencyId: String?
    var code: String?
    var name: String?
    var ownerName: String?
    var operatorName: String?
    var purpose: String?
    var functionType: String?
    var informationClasses: [String]?
    var personalDataSubjects: String?
    var onlineServiceLevel: String?
    var conditionalBusiness: String?
    var infrastructureScope: String?
    var industrialControl: String?
    var operates24x7: String?
    var nationalEGovernment: String?
    var storesNationalData: String?
    var nationalImportant: String?
    var lifecycle: String?
    var goLiveDate: String?
    var hosting: String?
    var hostingProvider: String?
    var networkAddresses: String?
    var domains: String?
    var urls: String?
    var contactName: String?
    var contactPhone: String?
    var contactEmail: String?
    /// The revision the form was opened on; a save on top of someone else's newer one is refused.
    var revision: String?

    struct Valid: Sendable {
        var agencyId: UUID
        var code: String
        var name: String
        var ownerName: String
        var operatorName: String
        var purpose: String?
        var functionType: FunctionType
        var informationClasses: [InformationClass]
        var personalDataSubjects: Int
        var onlineServiceLevel: OnlineServiceLevel
        var conditionalBusiness: Bool
        var infrastructureScope: InfrastructureScope
        var industrialControl: IndustrialControlCriticality
        var operates24x7: Bool
        var nationalEGovernment: Bool
        var storesNationalData: Bool
        var nationalImportant: Bool
        var lifecycle: LifecycleStatus
        var goLiveDate: Date?
        var hosting: HostingKind
        var hostingProvider: String?
        var networkAddresses: String?
        var domains: String?
        var urls: String?
        var contactName: String?
        var contactPhone: String?
        var contactEmail: String?
    }

    static let maxPersonalDataSubjects = 100_000_000

    /// "12000", or grouped by thousands as people write it: "12.000", "12,000", "12 000". "1,5" is not a count.
    static func wholeNumber(_ text: String) -> Int? {
        if text.allSatisfy(\.isASCII), let n = Int(text) { return n }
        let groups = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "." || $0 == "," || $0 == " " || $0 == "\u{00A0}" })
        guard groups.count > 1, (1...3).contains(groups[0].count), groups.dropFirst().allSatisfy({ $0.count == 3 }),
              groups.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }) else { return nil }
        return Int(groups.joined())
    }

    /// Checkbox, API and spreadsheet spellings of yes and no, compared after folding case and diacritics.
    static let trueWords: Set<String> = ["true", "yes", "co", "x", "1", "on"]
    static let falseWords: Set<String> = ["false", "no", "khong", "0", "off", ""]

    static func flag(_ raw: String?) -> Bool { trueWords.contains(SearchText.fold(raw ?? "")) }

    /// Checks every field without touching the database; `checkReferences` adds the database checks.
    func check() -> (Valid?, InputChecker) {
        var check = InputChecker()
        let agencyId = check.uuid("agencyId", agencyId, required: true)
        let code = check.code("code", code)
        let name = check.requiredText("name", name, max: 300)
        let owner = check.requiredText("ownerName", ownerName, max: 300)
        let operatorName = check.requiredText("operatorName", operatorName, max: 300)
        let purpose = check.optionalText("purpose", purpose, max: 4000)
        let functionType = check.choice("functionType", functionType, as: FunctionType.self)
        var classes: [InformationClass] = []
        for raw in informationClasses ?? [] where !Validators.trimmed(raw).isEmpty {
            if let c = InformationClass(rawValue: Validators.trimmed(raw)) {
                if !classes.contains(c) { classes.append(c) }
            } else {
                check.fail("informationClasses", "validation.unknownValue")
            }
        }
        if classes.isEmpty && check.errors["informationClasses"] == nil { check.fail("informationClasses", "validation.required") }
        var subjects = 0
        let subjectsText = Validators.trimmed(personalDataSubjects)
        if !subjectsText.isEmpty {
            if let n = Self.wholeNumber(subjectsText) {
                if n < 0 || n > Self.maxPersonalDataSubjects { check.fail("personalDataSubjects", "validation.range") } else { subjects = n }
            } else {
                check.fail("personalDataSubjects", "validation.notNumber")
            }
        }
        let online = Validators.trimmed(onlineServiceLevel).isEmpty ? OnlineServiceLevel.none
            : check.choice("onlineServiceLevel", onlineServiceLevel, as: OnlineServiceLevel.self)
        let scope = Validators.trimmed(infrastructureScope).isEmpty ? InfrastructureScope.none
            : check.choice("infrastructureScope", infrastructureScope, as: InfrastructureScope.self)
        let ics = Validators.trimmed(industrialControl).isEmpty ? IndustrialControlCriticality.none
            : check.choice("industrialControl", industrialControl, as: IndustrialControlCriticality.self)
        let lifecycle = check.choice("lifecycle", lifecycle, as: LifecycleStatus.self)
        var goLive: Date?
        if !Validators.trimmed(goLiveDate).isEmpty {
            goLive = DisplayTime.parseDay(Validators.trimmed(goLiveDate))
            if goLive == nil { check.fail("goLiveDate", "validation.invalidDate") }
        } else if lifecycle == .operating || lifecycle == .retired {
            check.fail("goLiveDate", "validation.goLiveRequired")
        }
        let hosting = check.choice("hosting", hosting, as: HostingKind.self)
        let provider = check.optionalText("hostingProvider", hostingProvider, max: 200)
        if hosting == .cloud && provider == nil && check.errors["hostingProvider"] == nil {
            check.fail("hostingProvider", "validation.providerRequired")
        }
        let addresses = check.optionalText("networkAddresses", networkAddresses, max: 8000)
        for (i, line) in InventoryValidators.lines(addresses).enumerated() where !InventoryValidators.isNetworkAddress(line) {
            check.fail("networkAddresses", "validation.badAddress|\(i + 1)|\(line)")
            break
        }
        let domains = check.optionalText("domains", domains, max: 8000)
        for (i, line) in InventoryValidators.lines(domains).enumerated() where !InventoryValidators.isDomain(line.lowercased()) {
            check.fail("domains", "validation.badDomain|\(i + 1)|\(line)")
            break
        }
        let urls = check.optionalText("urls", urls, max: 8000)
        for (i, line) in InventoryValidators.lines(urls).enumerated() where !InventoryValidators.isWebURL(line) {
            check.fail("urls", "validation.badURL|\(i + 1)|\(line)")
            break
        }
        let contactName = check.optionalText("contactName", contactName, max: 200)
        let phone = check.phone("contactPhone", contactPhone, required: false)
        let email = check.email("contactEmail", contactEmail, required: false)
        guard check.errors.isEmpty, let agencyId, let functionType, let online, let scope, let ics, let lifecycle, let hosting else {
            return (nil, check)
        }
        let valid = Valid(
            agencyId: agencyId, code: code, name: name, ownerName: owner, operatorName: operatorName, purpose: purpose,
            functionType: functionType, informationClasses: classes, personalDataSubjects: subjects,
            onlineServiceLevel: online, conditionalBusiness: Self.flag(conditionalBusiness), infrastructureScope: scope,
            industrialControl: ics, operates24x7: Self.flag(operates24x7), nationalEGovernment: Self.flag(nationalEGovernment),
            storesNationalData: Self.flag(storesNationalData), nationalImportant: Self.flag(nationalImportant),
            lifecycle: lifecycle, goLiveDate: goLive, hosting: hosting, hostingProvider: provider,
            networkAddresses: InventoryValidators.lines(addresses).joined(separator: "\n").nilIfEmpty,
            domains: InventoryValidators.lines(domains).map { $0.lowercased() }.joined(separator: "\n").nilIfEmpty,
            urls: InventoryValidators.lines(urls).joined(separator: "\n").nilIfEmpty,
            contactName: contactName, contactPhone: phone, contactEmail: email)
        return (valid, check)
    }

    /// Full validation: the agency must be one the subject may edit systems of, and codes are unique.
    func validate(existing: InformationSystem?, subject: Subject, on db: any Database) async throws -> Valid {
        var (valid, check) = self.check()
        if let id = UUID(uuidString: Validators.trimmed(agencyId)) {
            let visible = try await Agency.visible(id, to: subject, on: db) != nil
            if !Policy.can(subject, .editSystems, .owned(agencyId: id)) || !visible {
                check.fail("agencyId", "validation.unknownAgency")
                valid = nil
            }
        }
        if let code = valid?.code ?? Validators.code(code) {
            let clash = try await InformationSystem.query(on: db).filter(\.$code == code).first()
            if let clash, clash.id != existing?.id {
                check.fail("code", "validation.duplicateCode")
                valid = nil
            }
        }
        guard let valid, check.errors.isEmpty else { throw AppError.validation(check.errors) }
        return valid
    }

    init(agencyId: String? = nil) {
        self.agencyId = agencyId
    }

    init(_ s: InformationSystem) {
        agencyId = s.$agency.id.uuidString.lowercased()
        code = s.code
        name = s.name
        ownerName = s.ownerName
        operatorName = s.operatorName
        purpose = s.purpose
        functionType = s.functionType.rawValue
        informationClasses = s.informationClasses.map(\.rawValue)
        personalDataSubjects = String(s.personalDataSubjects)
        onlineServiceLevel = s.onlineServiceLevel.rawValue
        conditionalBusiness = s.conditionalBusiness ? "true" : nil
        infrastructureScope = s.infrastructureScope.rawValue
        industrialControl = s.industrialControl.rawValue
        operates24x7 = s.operates24x7 ? "true" : nil
        nationalEGovernment = s.nationalEGovernment ? "true" : nil
        storesNationalData = s.storesNationalData ? "true" : nil
        nationalImportant = s.nationalImportant ? "true" : nil
        lifecycle = s.lifecycle.rawValue
        goLiveDate = s.goLiveDate.map(DisplayTime.isoDay)
        hosting = s.hosting.rawValue
        hostingProvider = s.hostingProvider
        networkAddresses = s.networkAddresses
        domains = s.domains
        urls = s.urls
        contactName = s.contactName
        contactPhone = s.contactPhone
        contactEmail = s.contactEmail
        revision = String(s.revision)
    }
}

extension InformationSystem {
    func apply(_ v: SystemInput.Valid) {
        $agency.id = v.agencyId
        code = v.code
        name = v.name
        ownerName = v.ownerName
        operatorName = v.operatorName
        purpose = v.purpose
        functionType = v.functionType
        informationClasses = v.informationClasses
        personalDataSubjects = v.personalDataSubjects
        onlineServiceLevel = v.onlineServiceLevel
        conditionalBusiness = v.conditionalBusiness
        infrastructureScope = v.infrastructureScope
        industrialControl = v.industrialControl
        operates24x7 = v.operates24x7
        nationalEGovernment = v.nationalEGovernment
        storesNationalData = v.storesNationalData
        nationalImportant = v.nationalImportant
        lifecycle = v.lifecycle
        goLiveDate = v.goLiveDate
        hosting = v.hosting
        hostingProvider = v.hostingProvider
        networkAddresses = v.networkAddresses
        domains = v.domains
        urls = v.urls
        contactName = v.contactName
        contactPhone = v.contactPhone
        contactEmail = v.contactEmail
        searchText = SearchText.fold(code, name, ownerName, operatorName)
    }
}

/// A component as submitted by the form or the API.
struct ComponentInput: Content, Sendable {
    var name: String?
    var vendor: String?
    var product: String?
    var version: String?
    var cpe: String?
    var level: String?

    struct Valid: Sendable {
        var name: String
        var vendor: String?
        var product: String?
        var version: String?
        var cpe: String?
        var level: Int?
    }

    func validate(prefix: String = "") throws -> Valid {
        var check = InputChecker()
        let name = check.requiredText(prefix + "name", name, max: 200)
        let vendor = check.optionalText(prefix + "vendor", vendor, max: 200)
        let product = check.optionalText(prefix + "product", product, max: 200)
        let version = check.optionalText(prefix + "version", version, max: 100)
        let cpe = check.optionalText(prefix + "cpe", cpe, max: 500)
        if let cpe, !InventoryValidators.isCPE23(cpe) { check.fail(prefix + "cpe", "validation.badCPE") }
        var level: Int?
        let levelText = Validators.trimmed(self.level)
        if !levelText.isEmpty {
            if let n = Int(levelText), (1...5).contains(n) { level = n } else { check.fail(prefix + "level", "validation.level") }
        }
        if !check.errors.isEmpty { throw AppError.validation(check.errors) }
        return Valid(name: name, vendor: vendor, product: product, version: version, cpe: cpe, level: level)
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}

extension DisplayTime {
    /// yyyy-MM-dd in Vietnam time, as `<input type=date>` expects.
    static func isoDay(_ date: Date) -> String {
        let d = DisplayTime.date(date).split(separator: "/")
        return "\(d[2])-\(d[1])-\(d[0])"
    }
}
