import Foundation
import Domain
import Fluent

/// Fills the editable tables that start from shipped rule data: the appraisal/approval authorities
/// per level and the Circular 12/2022 control catalogue. Coordinators edit them afterwards.
struct SeedRuleTables: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let rules = RuleBook.shipped
        for entry in rules.authorities().entries {
            let row = LevelAuthority()
            row.level = entry.level
            row.appraisingBodyVi = entry.appraisingBody.vi
            row.appraisingBodyEn = entry.appraisingBody.en
            row.approvingBodyVi = entry.approvingBody.vi
            row.approvingBodyEn = entry.approvingBody.en
            row.opinionBodyVi = entry.technicalOpinionBody?.vi
            row.opinionBodyEn = entry.technicalOpinionBody?.en
            row.note = entry.note?.vi
            try await row.create(on: database)
        }
        try await ControlCatalogueImport.importShipped(rules.controls(), on: database)
    }

    func revert(on database: any Database) async throws {
        try await CatalogueControl.query(on: database).delete()
        try await LevelAuthority.query(on: database).delete()
    }
}

enum ControlCatalogueImport {
    /// Adds controls of the catalogue that are not in the table yet; existing ones keep their edits.
    /// The authority table is seeded once and then edited on its page (the 2025 handover is data people own).
    static func importShipped(_ catalogue: ControlCatalogue, on db: any Database) async throws {
        let existing = Set(try await CatalogueControl.query(on: db).all().map(\.code))
        let groupOrder = Dictionary(uniqueKeysWithValues: catalogue.groups.map { ($0.id, $0) })
        for (index, control) in catalogue.controls.enumerated() where !existing.contains(control.id) {
            let row = CatalogueControl()
            row.code = control.id
            row.family = groupOrder[control.group]?.family.rawValue ?? "management"
            row.groupId = control.group
            row.firstLevel = control.firstLevel
            row.position = (groupOrder[control.group]?.order ?? 0) * 1000 + index
            row.titleVi = control.title.vi
            row.titleEn = control.title.en
            row.descriptionVi = control.description.vi
            row.descriptionEn = control.description.en
            row.evidenceHintVi = control.evidence.vi
            row.evidenceHintEn = control.evidence.en
            row.active = true
            row.catalogueVersion = catalogue.header.version
            try await row.create(on: db)
        }
    }
}
