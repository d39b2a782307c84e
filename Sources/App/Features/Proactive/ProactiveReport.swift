import Foundation
import Domain
import Fluent
import Formats
import Vapor

/// The half-year report on vulnerability scanning and threat hunting (`/proactive/report.docx|xlsx?year=&half=`):
/// filled from the database within the reader's scope (an officer's report covers their agencies only) and built by
/// ``ProactiveReportDocuments``. The issuer is the reader's agency (the province for people without one).
enum ProactiveReport {
    enum Format { case docx, xlsx }

    static func docx(req: Request) async throws -> Response { try await download(.docx, req: req) }
    static func xlsx(req: Request) async throws -> Response { try await download(.xlsx, req: req) }

    static func download(_ format: Format, req: Request) async throws -> Response {
        var filters = try ProactiveOverview.filters(from: req)
        filters.onlyOverdue = false
        var language = ProactiveReportLanguage.vi
        if let raw = req.query[String.self, at: "lang"], !raw.isEmpty {
            guard let l = ProactiveReportLanguage(rawValue: raw) else { throw AppError.validation(FieldErrors(["lang": "validation.unknownValue"])) }
            language = l
        }
        let content = try await content(subject: try req.requireSubject(), filters: filters, rules: req.application.rules, language: language, on: req.db)
        let data: Data
        let type: String
        switch format {
        case .docx:
            data = try ProactiveReportDocuments.docx(content, language: language)
            type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case .xlsx:
            data = try ProactiveReportDocuments.xlsx(content, language: language)
            type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        }
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: type)
        headers.replaceOrAdd(name: .contentDisposition,
                             value: ContentDisposition.attachment(ProactiveReportDocuments.fileStem(content.period) + (format == .docx ? ".docx" : ".xlsx")))
        headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }

    static func content(subject: Subject, filters: ProactiveOverview.Filters, rules: RuleBook, language: ProactiveReportLanguage = .vi,
                        now: Date = Date(), on db: any Database) async throws -> ProactiveReportContent {
        let overview = try await ProactiveOverview.query(subject: subject, filters: filters, rules: rules, now: now, on: db)
        let rows = overview.groups.flatMap { g in g.rows.map { (g.name, $0) } }
        // The systems that must be scanned and hunted, and any other that was in the period.
        let systems = rows.filter { $0.1.inDuty || $0.1.scansInPeriod + $0.1.huntsInPeriod > 0 }.map { name, r in
            ProactiveReportSystemRow(agencyName: name, systemName: r.name, level: r.level, lastScanAt: r.lastScan?.at, lastHuntAt: r.lastHunt?.at,
                                     scansInPeriod: r.scansInPeriod, huntsInPeriod: r.huntsInPeriod, scanState: r.scanDuty?.state,
                                     huntState: r.huntDuty?.state, openFindings: r.openBySeverity, overdueFindings: r.overdueFindings)
        }
        let everything = Policy.readScope(for: subject) == .all && filters.agencyId == nil
        let warnings = try await warningRows(period: filters.period, systemIds: everything ? nil : Set(rows.map(\.1.systemId)), on: db)

        let root = try await Agency.query(on: db).filter(\.$parent.$id == nil).sort(\.$createdAt).first()
        var issuerAgency = try await subject.agencyId.asyncMap { try await Agency.find($0, on: db) } ?? nil
        if let chosen = filters.agencyId, let agency = try await Agency.scoped(to: subject, on: db).filter(\.$id == chosen).first() {
            issuerAgency = agency // a report for one agency is that agency's
        }
        let issuer = issuerAgency ?? root
        let parent = try await issuer?.$parent.id.asyncMap { try await Agency.find($0, on: db) } ?? nil
        let addressees = (issuer?.id != nil && issuer?.id != root?.id) ? [root?.name].compactMap { $0 } : []
        let r = rules.proactiveObligations(at: now)
        let draft = drafts(systems: systems, warnings: warnings, language: language)
        return ProactiveReportContent(
            issuer: ReportIssuer(name: issuer?.name ?? "", parentBody: parent?.name, symbol: issuer?.code, place: root.map { placeName($0.name) } ?? "……",
                                 date: now, signer: Signer(authority: nil, title: "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ", name: "")),
            addressees: addressees,
            legalBasis: r.header.basis.map { "Căn cứ \($0.citation);" },
            period: filters.period, systems: systems, warnings: warnings, assessment: draft.assessment, proposals: draft.proposals)
    }

    /// A first draft of the assessment and proposals from the figures (the issuer edits the document before signing):
    /// which systems are late for a scan or a hunt, findings past their deadline, warnings not yet remediated.
    static func drafts(systems: [ProactiveReportSystemRow], warnings: [ProactiveReportWarningRow],
                       language l: ProactiveReportLanguage) -> (assessment: String?, proposals: String?) {
        func names(_ rows: [ProactiveReportSystemRow]) -> String {
            let shown = rows.prefix(10).map { "“\($0.systemName)”" }.joined(separator: ", ")
            return rows.count > 10 ? shown + (l == .vi ? " và \(rows.count - 10) hệ thống khác" : " and \(rows.count - 10) more") : shown
        }
        let inDuty = systems.filter { $0.scanState != nil && $0.scanState != .notApplicable }
        guard !inDuty.isEmpty || !warnings.isEmpty else { return (nil, nil) }
        let scanLate = inDuty.filter { $0.scanState == .overdue }
        let huntLate = inDuty.filter { $0.huntState == .overdue }
        let open = systems.map(\.openFindingsTotal).reduce(0, +)
        let late = systems.map(\.overdueFindings).reduce(0, +)
        let pending = warnings.map(\.notRemediated).reduce(0, +)
        var assessment: [String] = []
        var proposals: [String] = []
        if !inDuty.isEmpty && scanLate.isEmpty && huntLate.isEmpty {
            assessment.append(l == .vi
                ? "Các hệ thống thông tin thuộc phạm vi báo cáo đều đã được rà quét lỗ hổng và săn lùng mối nguy hại theo đúng chu kỳ quy định tại Chỉ thị 18/CT-TTg."
                : "Every information system covered was scanned for vulnerabilities and hunted for threats within the interval Directive 18/CT-TTg sets.")
        }
        if !scanLate.isEmpty {
            assessment.append(l == .vi ? "Còn \(scanLate.count) hệ thống quá hạn rà quét lỗ hổng: \(names(scanLate))."
                                       : "\(scanLate.count) systems are overdue for a vulnerability scan: \(names(scanLate)).")
        }
        if !huntLate.isEmpty {
            assessment.append(l == .vi ? "Còn \(huntLate.count) hệ thống quá hạn săn lùng mối nguy hại: \(names(huntLate))."
                                       : "\(huntLate.count) systems are overdue for a threat hunt: \(names(huntLate)).")
        }
        if !scanLate.isEmpty || !huntLate.isEmpty {
            proposals.append(l == .vi
                ? "Đề nghị cơ quan, đơn vị chủ quản các hệ thống quá hạn tổ chức rà quét lỗ hổng, săn lùng mối nguy hại trong thời gian sớm nhất và cập nhật kết quả lên hệ thống."
                : "The agencies owning the overdue systems should have them scanned and hunted as soon as possible and record the results.")
        }
        if open > 0 {
            assessment.append(l == .vi ? "Còn \(open) lỗ hổng chưa khắc phục, trong đó \(late) lỗ hổng đã quá thời hạn khắc phục."
                                       : "\(open) findings are open, \(late) of them past their remediation deadline.")
        }
        if late > 0 {
            proposals.append(l == .vi ? "Khẩn trương khắc phục \(late) lỗ hổng quá hạn, ưu tiên các lỗ hổng mức nghiêm trọng và cao."
                                      : "Remediate the \(late) overdue findings promptly, critical and high first.")
        }
        if pending > 0 {
            assessment.append(l == .vi ? "Còn \(pending) lượt hệ thống chưa khắc phục theo cảnh báo của cơ quan chức năng."
                                       : "\(pending) affected systems are not yet remediated per the authorities' warnings.")
            proposals.append(l == .vi ? "Hoàn thành khắc phục theo cảnh báo của cơ quan chức năng và báo cáo kết quả."
                                      : "Complete the remediation the authorities' warnings require and report back.")
        }
        return (assessment.isEmpty ? nil : assessment.joined(separator: "\n"), proposals.isEmpty ? nil : proposals.joined(separator: "\n"))
    }

    /// The place of the date line: the province ("Lạng Sơn" from "Ủy ban nhân dân tỉnh Lạng Sơn"), else dots for the clerk.
    static func placeName(_ rootName: String) -> String {
        let place = LevelExplanationDocument.place(fromRootName: rootName)
        return place == rootName ? "……" : place
    }

    /// Warnings of competent authorities handled in the period: those issued in it, and earlier ones still being
    /// remediated at its start. `systemIds`: the systems the reader may see (nil: all). For a limited reader only
    /// warnings affecting one of their systems count, and only those systems are counted.
    static func warningRows(period: ProactiveReportPeriod, systemIds: Set<UUID>?, on db: any Database) async throws -> [ProactiveReportWarningRow] {
        var candidates = try await AuthorityWarning.query(on: db).filter(\.$issuedOn >= period.start).filter(\.$issuedOn < period.end).all()
        let stillOpen = try await WarningSystem.query(on: db).filter(\.$state != "not_affected")
            .group(.or) { $0.filter(\.$state ~~ ["affected", "acknowledged"]).filter(\.$remediatedAt >= period.start) }
            .field(\.$warningId).all().map(\.warningId)
        let known = Set(candidates.compactMap(\.id))
        let earlier = Array(Set(stillOpen).subtracting(known))
        for chunk in earlier.chunked(500) {
            candidates += try await AuthorityWarning.query(on: db).filter(\.$id ~~ Array(chunk)).filter(\.$issuedOn < period.start).all()
        }
        guard !candidates.isEmpty else { return [] }
        var affected: [UUID: (all: Int, remediated: Int)] = [:]
        for chunk in candidates.compactMap(\.id).chunked(500) {
            for ws in try await WarningSystem.query(on: db).filter(\.$warningId ~~ Array(chunk)).filter(\.$state != "not_affected").all() {
                if let systemIds, !systemIds.contains(ws.systemId) { continue }
                var counts = affected[ws.warningId] ?? (0, 0)
                counts.all += 1
                if ws.state == "remediated" { counts.remediated += 1 }
                affected[ws.warningId] = counts
            }
        }
        return candidates
            .filter { w in systemIds == nil ? (w.issuedOn >= period.start || affected[w.id!] != nil) : affected[w.id!] != nil }
            .sorted { ($0.issuedOn, $0.title) < ($1.issuedOn, $1.title) }
            .map { w in
                let counts = affected[w.id!] ?? (0, 0)
                return ProactiveReportWarningRow(title: w.title, reference: reference(w), deadline: w.deadline, affectedSystems: counts.all,
                                                 remediated: counts.remediated)
            }
    }

    /// "Số 123/CATTT-NCSC ngày 01/10/2026 của Cục An toàn thông tin", or without the number.
    static func reference(_ w: AuthorityWarning) -> String {
        let number = w.number.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        return (number.map { "Số \($0) " } ?? "") + "ngày \(DisplayTime.date(w.issuedOn)) của \(w.issuer)"
    }
}
