import Foundation
import Domain
import Fluent
import Plot
import Vapor

/// The audit trail: filter by person, agency, record and time; verify the chain; export.
enum AuditController {
    static let filterKeys = ["actorId", "agencyId", "recordType", "recordId", "action", "from", "to"]

    struct Filters {
        var actorId: UUID?
        var agencyId: UUID?
        var recordType: String?
        var recordId: String?
        var action: String?
        var from: Date?
        var to: Date?
        /// Filters given in a form that could not be read, as field → catalogue key.
        var errors: [String: String] = [:]

        init(_ values: [String: String]) {
            actorId = values["actorId"].flatMap(UUID.init(uuidString:))
            agencyId = values["agencyId"].flatMap(UUID.init(uuidString:))
            recordType = values["recordType"]
            recordId = values["recordId"]
            action = values["action"]
            from = values["from"].flatMap(DisplayTime.parseDay)
            // "to" is inclusive of the whole day.
            to = values["to"].flatMap(DisplayTime.parseDay).map { $0.addingTimeInterval(86_400) }
            for key in ["from", "to"] where values[key] != nil && DisplayTime.parseDay(values[key]!) == nil {
                errors[key] = "validation.invalidDate"
            }
            for key in ["actorId", "agencyId"] where values[key] != nil && UUID(uuidString: values[key]!) == nil {
                errors[key] = "validation.invalidId"
            }
        }

        func apply(_ query: QueryBuilder<AuditEvent>) {
            if let actorId { query.filter(\.$actorId == actorId) }
            if let agencyId { query.filter(\.$agencyId == agencyId) }
            if let recordType { query.filter(\.$recordType == recordType) }
            if let recordId { query.filter(\.$recordId == recordId) }
            if let action { query.filter(\.$action, .custom("LIKE"), action + "%") }
            if let from { query.filter(\.$occurredAt >= from) }
            if let to { query.filter(\.$occurredAt < to) }
        }
    }

    static func index(req: Request) async throws -> Page {
        try await index(req: req, verification: nil)
    }

    static func index(req: Request, verification: String?) async throws -> Page {
        let subject = try req.requireSubject()
        let list = ListQuery(req: req, filterKeys: filterKeys, sortKeys: [], defaultPer: 50)
        let query = AuditEvent.scoped(to: subject, on: req.db)
        let filters = Filters(list.filters)
        filters.apply(query)
        let total = try await query.copy().count()
        let events = try await query.sort(\.$sequence, .descending).range(list.offset ..< list.offset + list.per).all()
        let agencies = try await Agency.scoped(to: subject, on: req.db).sort(\.$name).all()
        let users = try await User.scoped(to: subject, on: req.db).sort(\.$name).all()
        return AuditIndexView(req: req, events: events, total: total, list: list, agencies: agencies, users: users,
                              verification: verification, filterErrors: filters.errors).render()
    }

    /// Runs the chain check and shows the result on the audit page.
    static func verify(req: Request) async throws -> Response {
        let outcome = try await AuditLog.verify(on: req.db)
        let result: String
        switch outcome {
        case .intact(let count): result = "ok-\(count)"
        case .broken(let sequence, let reason): result = "broken-\(sequence)-\(reason.rawValue)"
        }
        try await req.audit(AuditEntry("audit.verify", details: ["result": result]))
        return try await index(req: req, verification: result).encodeResponse(for: req)
    }

    /// Every matching event, oldest first, read in pages so the whole trail can be exported.
    static func export(req: Request) async throws -> Response {
        let subject = try req.requireSubject()
        let list = ListQuery(req: req, filterKeys: filterKeys, sortKeys: [])
        let t = req.t
        var text = CSV.byteOrderMark + CSV.line([t("audit.sequence"), t("audit.time"), t("audit.actor"), t("audit.address"),
                                                  t("audit.action"), t("audit.recordType"), t("audit.recordId"), t("field.agency"),
                                                  t("audit.summary"), "SHA-256"])
        var after: Int64 = 0
        var count = 0
        while true {
            let query = AuditEvent.scoped(to: subject, on: req.db).filter(\.$sequence > after)
            Filters(list.filters).apply(query)
            let page = try await query.sort(\.$sequence).limit(1_000).all()
            for event in page {
                text += CSV.line([String(event.sequence), DisplayTime.dateTime(event.occurredAt), event.actorLabel, event.clientAddress ?? "",
                                  event.action, event.recordType ?? "", event.recordId ?? "", event.agencyId?.uuidString ?? "",
                                  event.summary, event.hash])
            }
            count += page.count
            guard page.count == 1_000, let last = page.last else { break }
            after = last.sequence
        }
        try await req.audit(AuditEntry("export.audit", details: ["rows": String(count), "filters": list.filters.description]))
        return CSV.response(text, filename: "audit.csv")
    }
}

struct AuditIndexView {
    let req: Request
    let events: [AuditEvent]
    let total: Int
    let list: ListQuery
    let agencies: [Agency]
    let users: [User]
    let verification: String?
    var filterErrors: [String: String] = [:]

    func render() -> Page {
        let t = req.t
        let subject = req.subject!
        let columns: [Tables.Column] = [
            .init(label: "#"), .init(label: t("audit.time")), .init(label: t("audit.actor")), .init(label: t("audit.action")),
            .init(label: t("audit.record")), .init(label: t("audit.address")), .init(label: t("audit.summary")),
        ]
        let rows: [[Body]] = events.map { event in
            [
                .txt(String(event.sequence)),
                .txt(DisplayTime.dateTime(event.occurredAt)),
                .txt(event.actorLabel),
                .el("code", [:], [.txt(event.action)]),
                .txt([event.recordType, event.recordId.map { String($0.prefix(8)) }].compactMap { $0 }.joined(separator: " ")),
                .txt(event.clientAddress ?? "—"),
                .el("code", ["class": "summary"], [.txt(event.summary == "{}" ? "" : String(event.summary.prefix(300)))]),
            ]
        }
        return Layout(req: req).page(title: t("audit.title"), section: .audit, content: [
            .el("div", ["class": "page-head"], [
                .el("h1", [:], [.txt(t("audit.title"))]),
                .el("div", ["class": "buttons"], [
                    Policy.can(subject, .verifyAudit) ? Forms.postButton(req, action: SiteURL.auditVerify.path, label: t("audit.verify"), id: "verify-audit", cls: "primary") : .empty,
                    Policy.can(subject, .exportAudit) ? .link(SiteURL.auditExport.path(query: list.filters), t("common.exportCSV"), cls: "button") : .empty,
                ]),
            ]),
            verificationNode(t),
            .el("form", ["method": "get", "action": SiteURL.audit.path, "class": "filters", "role": "search"], [
                Forms.select(name: "actorId", label: t("audit.actor"), options: users.map { ($0.id!.uuidString, $0.name) },
                             selected: list.filters["actorId"], error: nil, includeBlank: t("common.all")),
                Forms.select(name: "agencyId", label: t("field.agency"), options: agencies.map { ($0.id!.uuidString, $0.name) },
                             selected: list.filters["agencyId"], error: nil, includeBlank: t("common.all")),
                Forms.select(name: "recordType", label: t("audit.recordType"), options: ["agency", "user", "api_token", "setting"].map { ($0, t("recordType.\($0)")) },
                             selected: list.filters["recordType"], error: nil, includeBlank: t("common.all")),
                Forms.input(.init(name: "recordId", label: t("audit.recordId"), value: list.filters["recordId"], maxLength: 64)),
                Forms.input(.init(name: "action", label: t("audit.action"), value: list.filters["action"], maxLength: 64)),
                // Text, not type=date: the browser would show its own locale's order instead of dd/MM/yyyy.
                Forms.input(.init(name: "from", label: t("audit.from"), value: list.filters["from"], error: filterErrors["from"].map { t($0) }, maxLength: 10, placeholder: "dd/mm/yyyy")),
                Forms.input(.init(name: "to", label: t("audit.to"), value: list.filters["to"], error: filterErrors["to"].map { t($0) }, maxLength: 10, placeholder: "dd/mm/yyyy")),
                .el("button", ["type": "submit"], [.txt(t("common.filter"))]),
            ]),
            Tables.table(id: "audit-table", base: .audit, query: list, columns: columns, rows: rows, empty: t("audit.empty")),
            Tables.pagination(base: .audit, query: list, total: total, t: t),
        ])
    }

    private func verificationNode(_ t: Localizer) -> Body {
        guard let verification else { return .empty }
        let parts = verification.split(separator: "-")
        if parts.first == "ok", parts.count == 2 {
            return .el("div", ["class": "flash success", "role": "status", "id": "verify-result"], [.txt(t("audit.intact", String(parts[1])))])
        }
        if parts.first == "broken", parts.count == 3, Int64(parts[1]) != nil {
            return .el("div", ["class": "flash error", "role": "alert", "id": "verify-result"],
                       [.txt(t("audit.broken", String(parts[1]), t("audit.reason.\(parts[2])")))])
        }
        return .empty
    }
}
