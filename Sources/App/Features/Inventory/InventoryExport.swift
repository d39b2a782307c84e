import Foundation
import Domain
import Fluent
import Formats
import Vapor

/// The inventory as `.xlsx` (systems and components sheets) and CSV, within the caller's scope and filters.
enum InventoryExport {
    static func rows(subject: Subject, list: ListQuery, on db: any Database) async throws -> ([InformationSystem], [UUID: String], [UUID: [SystemComponent]]) {
        guard let query = try await SystemsIndex.filtered(subject: subject, list: list, on: db) else { return ([], [:], [:]) }
        let systems = try await query.sort(\.$code).all()
        let agencies = Dictionary(uniqueKeysWithValues: try await Agency.query(on: db).filter(\.$id ~~ Array(Set(systems.map { $0.$agency.id }))).all()
            .map { ($0.id!, $0.code) })
        var components: [UUID: [SystemComponent]] = [:]
        for chunk in systems.compactMap(\.id).chunked(500) {
            for c in try await SystemComponent.query(on: db).filter(\.$system.$id ~~ Array(chunk)).sort(\.$position).all() {
                components[c.$system.id, default: []].append(c)
            }
        }
        return (systems, agencies, components)
    }

    static func values(_ s: InformationSystem, agencyCode: String, t: Localizer) -> [String] {
        func yes(_ b: Bool) -> String { b ? t("common.yes") : t("common.no") }
        return [
            agencyCode, s.code, s.name, s.ownerName, s.operatorName, s.purpose ?? "", t("functionType.\(s.functionType.rawValue)"),
            s.informationClasses.map { t("infoClass.\($0.rawValue)") }.joined(separator: "; "), String(s.personalDataSubjects),
            t("onlineService.\(s.onlineServiceLevel.rawValue)"), yes(s.conditionalBusiness), t("infraScope.\(s.infrastructureScope.rawValue)"),
            t("ics.\(s.industrialControl.rawValue)"), yes(s.operates24x7), yes(s.nationalEGovernment), yes(s.storesNationalData),
            yes(s.nationalImportant), t("lifecycle.\(s.lifecycle.rawValue)"), s.goLiveDate.map(DisplayTime.date) ?? "",
            t("hosting.\(s.hosting.rawValue)"), s.hostingProvider ?? "", s.networkAddresses ?? "", s.domains ?? "", s.urls ?? "",
            s.contactName ?? "", s.contactPhone ?? "", s.contactEmail ?? "", s.approvedLevel.map(String.init) ?? "",
            s.proposedLevel.map(String.init) ?? "",
        ]
    }

    static func xlsx(req: Request) async throws -> Response {
        let subject = try req.requireSubject()
        let list = ListQuery(req: req, filterKeys: SystemsIndex.filterKeys, sortKeys: SystemsIndex.sortKeys)
        let (systems, agencies, components) = try await rows(subject: subject, list: list, on: req.db)
        let data = try workbook(systems: systems, agencies: agencies, components: components, t: req.t)
        try await req.audit(AuditEntry("export.systems", details: ["rows": String(systems.count), "format": "xlsx", "filters": list.filters.description]))
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: FileSniffer.xlsx.contentType)
        headers.replaceOrAdd(name: .contentDisposition, value: ContentDisposition.attachment("he-thong-thong-tin.xlsx"))
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }

    static func workbook(systems: [InformationSystem], agencies: [UUID: String], components: [UUID: [SystemComponent]], t: Localizer) throws -> Data {
        let sheet = Sheet(name: t("inventory.sheetSystems"),
                          columns: InventoryColumns.systems.map { SheetColumn(t($0.titleKey), width: $0.width) },
                          rows: systems.map { s in values(s, agencyCode: agencies[s.$agency.id] ?? "", t: t).map { CellValue.text($0) } })
        let componentRows: [[CellValue]] = systems.flatMap { s in
            (components[s.id!] ?? []).map { c in
                [.text(s.code), .text(c.name), .text(c.vendor ?? ""), .text(c.product ?? ""), .text(c.version ?? ""), .text(c.cpe ?? ""),
                 c.level.map { .integer($0) } ?? .empty]
            }
        }
        let componentSheet = Sheet(name: t("inventory.sheetComponents"), columns: [
            SheetColumn(t("field.code"), width: 14), SheetColumn(t("components.name"), width: 28),
            SheetColumn(t("components.vendor"), width: 18), SheetColumn(t("components.product"), width: 22),
            SheetColumn(t("components.version"), width: 12), SheetColumn(t("components.cpe"), width: 44),
            SheetColumn(t("components.level"), width: 10),
        ], rows: componentRows)
        return try XlsxWriter.write([sheet, componentSheet, allowedValues(t: t)])
    }

    /// Every column with a fixed list: its codes and labels (the import accepts any of them).
    static func allowedValues(t: Localizer) -> Sheet {
        func rows<E: RawRepresentable & CaseIterable>(_ type: E.Type, column: String, prefix: String) -> [[CellValue]] where E.RawValue == String {
            E.allCases.map { [.text(t(column)), .text($0.rawValue), .text(Localizer(lang: .vi)("\(prefix).\($0.rawValue)")),
                              .text(Localizer(lang: .en)("\(prefix).\($0.rawValue)"))] }
        }
        let yesNo: [[CellValue]] = [[.text(t("inventory.yesNoColumns")), .text("true / false"), .text("Có / Không"), .text("Yes / No")]]
        return Sheet(name: t("inventory.sheetValues"), columns: [
            SheetColumn(t("inventory.column"), width: 36), SheetColumn(t("inventory.code"), width: 22),
            SheetColumn("Tiếng Việt", width: 44), SheetColumn("English", width: 44),
        ], rows: rows(FunctionType.self, column: "systems.functionType", prefix: "functionType")
            + rows(InformationClass.self, column: "systems.informationClasses", prefix: "infoClass")
            + rows(OnlineServiceLevel.self, column: "systems.onlineServiceLevel", prefix: "onlineService")
            + rows(InfrastructureScope.self, column: "systems.infrastructureScope", prefix: "infraScope")
            + rows(IndustrialControlCriticality.self, column: "systems.industrialControl", prefix: "ics")
            + rows(LifecycleStatus.self, column: "systems.lifecycle", prefix: "lifecycle")
            + rows(HostingKind.self, column: "systems.hosting", prefix: "hosting")
            + yesNo)
    }

    static func csv(req: Request) async throws -> Response {
        let subject = try req.requireSubject()
        let t = req.t
        let list = ListQuery(req: req, filterKeys: SystemsIndex.filterKeys, sortKeys: SystemsIndex.sortKeys)
        let (systems, agencies, _) = try await rows(subject: subject, list: list, on: req.db)
        try await req.audit(AuditEntry("export.systems", details: ["rows": String(systems.count), "format": "csv", "filters": list.filters.description]))
        return CSV.response(CSV.render(header: InventoryColumns.systems.map { t($0.titleKey) },
                                       rows: systems.map { values($0, agencyCode: agencies[$0.$agency.id] ?? "", t: t) }),
                            filename: "he-thong-thong-tin.csv")
    }

    /// An empty workbook with the headers, for filling in.
    static func template(req: Request) async throws -> Response {
        let data = try workbook(systems: [], agencies: [:], components: [:], t: req.t)
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: FileSniffer.xlsx.contentType)
        headers.replaceOrAdd(name: .contentDisposition, value: ContentDisposition.attachment("mau-nhap-he-thong.xlsx"))
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }
}
