import Foundation
import Domain
import Fluent
import Formats
import Vapor

/// Reads an inventory spreadsheet (.xlsx or CSV), checks every row, and writes all rows in one
/// transaction only when none has an error. Existing codes the caller may edit are updated.
enum InventoryImport {
    struct RowResult: Sendable {
        var line: Int
        var code: String
        var name: String
        var agency: String
        var isUpdate: Bool
        /// Column title → message key (with arguments).
        var errors: [(column: String, message: String)]
        var valid: SystemInput.Valid?
        var components: [ComponentInput.Valid]
    }

    struct Preview: Sendable {
        var rows: [RowResult]
        /// A problem with the whole file (encoding, headers, merged cells…), already a message key.
        var fileError: String?
        var unknownColumns: [String]
        var errorCount: Int { rows.reduce(0) { $0 + $1.errors.count } }
        var isClean: Bool { fileError == nil && errorCount == 0 && !rows.isEmpty }
    }

    /// Parses and checks, without writing anything.
    static func preview(data: Data, fileName: String, subject: Subject, on db: any Database) async throws -> Preview {
        let t = Localizer(lang: .vi)
        var table: [[String]]
        var componentTable: [[String]] = []
        do {
            if data.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
                let sheets = try XlsxReader.read(data)
                guard let first = sheets.first else { throw TabularError.empty }
                if !first.merged.isEmpty { return Preview(rows: [], fileError: "inventory.mergedCells|\(first.merged.prefix(5).joined(separator: ", "))", unknownColumns: []) }
                if !first.formulaCells.isEmpty { return Preview(rows: [], fileError: "inventory.formulas|\(first.formulaCells.prefix(5).joined(separator: ", "))", unknownColumns: []) }
                table = first.rows
                // The components sheet is found by its name in either language; other sheets are ignored.
                let componentNames = Set([Localizer(lang: .vi)("inventory.sheetComponents"), Localizer(lang: .en)("inventory.sheetComponents")].map { SearchText.fold($0) })
                if let components = sheets.dropFirst().first(where: { componentNames.contains(SearchText.fold($0.name)) }) {
                    if !components.merged.isEmpty { return Preview(rows: [], fileError: "inventory.mergedCells|\(components.merged.prefix(5).joined(separator: ", "))", unknownColumns: []) }
                    if !components.formulaCells.isEmpty { return Preview(rows: [], fileError: "inventory.formulas|\(components.formulaCells.prefix(5).joined(separator: ", "))", unknownColumns: []) }
                    componentTable = components.rows
                }
            } else {
                table = try CSVReader.read(data).map { $0.map(CSV.unguarded) }
            }
        } catch let error as TabularError {
            return Preview(rows: [], fileError: "\(error.code)|\(error.detail)", unknownColumns: [])
        }
        table = table.filter { !$0.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty } }
        guard let header = table.first, table.count > 1 else { return Preview(rows: [], fileError: "tabular.empty|", unknownColumns: []) }
        let map = InventoryColumns.headerMap.match(header)
        if !map.missing.isEmpty { return Preview(rows: [], fileError: "tabular.missingHeaders|\(map.missing.joined(separator: ", "))", unknownColumns: map.unknown) }
        if !map.duplicates.isEmpty { return Preview(rows: [], fileError: "inventory.duplicateColumns|\(map.duplicates.joined(separator: ", "))", unknownColumns: map.unknown) }

        let agencies = try await Agency.scoped(to: subject, on: db).all()
        let agencyByCode = Dictionary(agencies.map { ($0.code.uppercased(), $0) }, uniquingKeysWith: { a, _ in a })
        let existing = Dictionary(try await InformationSystem.query(on: db).all().map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        let components = parseComponents(componentTable)
        var seen: [String: Int] = [:]
        var results: [RowResult] = []
        let titles = Dictionary(uniqueKeysWithValues: InventoryColumns.systems.map { ($0.key, t($0.titleKey)) })
        for (index, row) in table.dropFirst().enumerated() {
            let line = index + 2
            func v(_ key: String) -> String? { map.value(key, in: row) }
            var errors: [(String, String)] = []
            let agencyCode = (v("agencyCode") ?? "").uppercased()
            let agency = agencyByCode[agencyCode]
            var input = SystemInput()
            input.agencyId = agency?.id?.uuidString
            input.code = v("code")
            input.name = v("name")
            input.ownerName = v("ownerName")
            input.operatorName = v("operatorName")
            input.purpose = v("purpose")
            input.functionType = v("functionType").map { InventoryColumns.enumValue($0, FunctionType.self, prefix: "functionType") }
            input.informationClasses = (v("informationClasses") ?? "").split(whereSeparator: { $0 == ";" || $0 == "," || $0 == "\n" })
                .map { InventoryColumns.enumValue(String($0), InformationClass.self, prefix: "infoClass") }
            input.personalDataSubjects = v("personalDataSubjects")
            input.onlineServiceLevel = v("onlineServiceLevel").map { InventoryColumns.enumValue($0, OnlineServiceLevel.self, prefix: "onlineService") }
            input.infrastructureScope = v("infrastructureScope").map { InventoryColumns.enumValue($0, InfrastructureScope.self, prefix: "infraScope") }
            input.industrialControl = v("industrialControl").map { InventoryColumns.enumValue($0, IndustrialControlCriticality.self, prefix: "ics") }
            input.lifecycle = v("lifecycle").map { InventoryColumns.enumValue($0, LifecycleStatus.self, prefix: "lifecycle") }
            input.goLiveDate = v("goLiveDate")
            input.hosting = v("hosting").map { InventoryColumns.enumValue($0, HostingKind.self, prefix: "hosting") }
            input.hostingProvider = v("hostingProvider")
            input.networkAddresses = v("networkAddresses")?.replacingOccurrences(of: ";", with: "\n")
            input.domains = v("domains")?.replacingOccurrences(of: ";", with: "\n")
            input.urls = v("urls")?.replacingOccurrences(of: ";", with: "\n")
            input.contactName = v("contactName")
            input.contactPhone = v("contactPhone")
            input.contactEmail = v("contactEmail")
            for key in ["conditionalBusiness", "operates24x7", "nationalEGovernment", "storesNationalData", "nationalImportant"] {
                let folded = SearchText.fold(v(key) ?? "")
                let value: String? = SystemInput.trueWords.contains(folded) ? "true" : nil
                if !SystemInput.trueWords.contains(folded) && !SystemInput.falseWords.contains(folded) {
                    errors.append((titles[key]!, "validation.yesNo|\(v(key) ?? "")"))
                }
                switch key {
                case "conditionalBusiness": input.conditionalBusiness = value
                case "operates24x7": input.operates24x7 = value
                case "nationalEGovernment": input.nationalEGovernment = value
                case "storesNationalData": input.storesNationalData = value
                default: input.nationalImportant = value
                }
            }
            var (valid, check) = input.check()
            if agencyCode.isEmpty { errors.append((titles["agencyCode"]!, "validation.required")) }
            else if agency == nil || !Policy.can(subject, .editSystems, .owned(agencyId: agency?.id)) {
                errors.append((titles["agencyCode"]!, "inventory.unknownAgency|\(agencyCode)"))
                valid = nil
            }
            for (field, message) in check.errors.messages.sorted(by: { $0.key < $1.key }) where field != "agencyId" {
                // Name the value the row holds, so the user sees what to correct.
                let shown = message == "validation.unknownValue" ? "inventory.badValue|\(v(field) ?? "")" : message
                errors.append((titles[field] ?? field, shown))
            }
            let code = valid?.code ?? Validators.code(input.code) ?? (input.code ?? "")
            var isUpdate = false
            if let other = seen[code], !code.isEmpty {
                errors.append((titles["code"]!, "inventory.duplicateInFile|\(other)"))
            } else if let clash = existing[code] {
                if Policy.can(subject, .editSystems, .owned(agencyId: clash.$agency.id)) { isUpdate = true }
                else { errors.append((titles["code"]!, "validation.duplicateCode")) }
            }
            if !code.isEmpty && seen[code] == nil { seen[code] = line }
            var rowComponents: [ComponentInput.Valid] = []
            for (componentLine, component) in components[code] ?? [] {
                do { rowComponents.append(try component.validate()) } catch let error as AppError {
                    for (field, message) in error.fields {
                        errors.append((t("inventory.sheetComponents") + " \(componentLine) · " + field, message))
                    }
                }
            }
            results.append(RowResult(line: line, code: code, name: input.name ?? "", agency: agency?.name ?? agencyCode, isUpdate: isUpdate,
                                     errors: errors, valid: errors.isEmpty ? valid : nil, components: rowComponents))
        }
        let codes = Set(seen.keys)
        var orphanErrors: [RowResult] = []
        for (code, items) in components where !codes.contains(code) {
            orphanErrors.append(RowResult(line: items.first?.0 ?? 0, code: code, name: "", agency: "", isUpdate: false,
                                          errors: [(t("inventory.sheetComponents"), "inventory.componentWithoutSystem|\(code)")], valid: nil, components: []))
        }
        return Preview(rows: results + orphanErrors.sorted { $0.line < $1.line }, fileError: nil, unknownColumns: map.unknown)
    }

    /// Components sheet: system code, name, vendor, product, version, CPE, level; keyed by system code.
    static func parseComponents(_ table: [[String]]) -> [String: [(Int, ComponentInput)]] {
        guard table.count > 1 else { return [:] }
        var result: [String: [(Int, ComponentInput)]] = [:]
        for (index, row) in table.dropFirst().enumerated() where !row.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            func cell(_ i: Int) -> String? { i < row.count ? row[i].trimmingCharacters(in: .whitespaces) : nil }
            let code = Validators.code(cell(0)) ?? (cell(0) ?? "")
            result[code, default: []].append((index + 2, ComponentInput(name: cell(1), vendor: cell(2), product: cell(3), version: cell(4),
                                                                        cpe: cell(5), level: cell(6))))
        }
        return result
    }

    /// Writes every row of a clean preview in one transaction; returns (created, updated).
    /// Rows are re-checked against the database inside the transaction: a code another import or a colleague
    /// created since the preview, or a system the subject may no longer edit, aborts the whole import.
    /// `previewedAt` is when the user saw the preview (the upload): a code someone else created after it was shown
    /// as new there, so it is not silently updated now even though a fresh preview would call it an update.
    static func commit(_ preview: Preview, fileSHA: String, previewedAt: Date? = nil, subject: Subject, actor: AuditActor,
                       rules: RuleBook, app: Application) async throws -> (Int, Int) {
        guard preview.isClean else { throw AppError.validation(FieldErrors(["file": "inventory.hasErrors"])) }
        return try await app.write { db in
            let labels = Dictionary(uniqueKeysWithValues: try await Agency.query(on: db).all().map { ($0.id!, "\($0.name) (\($0.code))") })
            return try await SystemService.$knownAgencyLabels.withValue(labels) {
                try await write(preview, fileSHA: fileSHA, subject: subject, actor: actor, rules: rules, previewedAt: previewedAt, on: db)
            }
        }
    }

    private static func write(_ preview: Preview, fileSHA: String, subject: Subject, actor: AuditActor, rules: RuleBook,
                              previewedAt: Date?, on db: any Database) async throws -> (Int, Int) {
        do {
            var created = 0
            var updated = 0
            var ids: [UUID] = []
            let existing = Dictionary(try await InformationSystem.query(on: db).all().map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
            for row in preview.rows {
                guard let valid = row.valid else { continue }
                let changedMeanwhile = AppError.conflict("import_changed", messageKey: "inventory.changedMeanwhile")
                if let system = existing[valid.code] {
                    guard row.isUpdate, Policy.can(subject, .editSystems, .owned(agencyId: system.$agency.id)) else { throw changedMeanwhile }
                    let sid = try system.requireID()
                    if let previewedAt, let createdAt = system.createdAt, createdAt > previewedAt,
                       try await SystemRevision.query(on: db).filter(\.$system.$id == sid).filter(\.$number == 1).first()?.changedBy != subject.userId {
                        throw changedMeanwhile
                    }
                    let old = try await SystemComponent.query(on: db).filter(\.$system.$id == sid).sort(\.$position).all()
                    let before = system.classificationInput(components: old)
                    system.apply(valid)
                    var now = old
                    if !row.components.isEmpty {
                        try await SystemComponent.query(on: db).filter(\.$system.$id == sid).delete()
                        now = []
                        for (i, c) in row.components.enumerated() {
                            let component = SystemComponent(systemId: sid, position: i, name: c.name, vendor: c.vendor, product: c.product,
                                                            version: c.version, cpe: c.cpe, level: c.level)
                            try await component.create(on: db)
                            now.append(component)
                        }
                    }
                    try await SystemService.afterChange(system, components: now, before: before, action: "import", actor: actor, rules: rules,
                                                        refresh: false, on: db)
                    ids.append(sid)
                    updated += 1
                } else {
                    guard !row.isUpdate else { throw changedMeanwhile }
                    let system = try await SystemService.insert(valid, components: row.components, actor: actor, rules: rules, bulk: true, on: db)
                    ids.append(try system.requireID())
                    created += 1
                }
            }
            try await ObligationRefresher.refresh(systemIds: ids, rules: rules, on: db)
            try await AuditLog.append(AuditEntry("system.import", recordType: "import", recordId: fileSHA,
                                                 details: ["created": String(created), "updated": String(updated), "sha256": fileSHA]), by: actor, on: db)
            return (created, updated)
        }
    }
}
