import Foundation
import Domain
import Fluent
import Vapor

/// Rule pages: the list, the import, one rule, its settings and the bulk switch.
enum SigmaRulesController {
    static func index(req: Request) async throws -> Page {
        try await RulesIndex.page(req: req)
    }

    static func show(req: Request) async throws -> Page {
        let rule = try await DetectionRuleService.find(req)
        return RuleShow.View(req: req, model: try await RuleShow.query(rule, subject: try req.requireSubject(), on: req.db)).render()
    }

    static func importForm(req: Request) async throws -> Page {
        RuleImportView(req: req).render()
    }

    /// The parts of a multipart upload of rules (`files[]`, from the folder and the files inputs alike).
    struct Upload: Content {
        var files: [File]?
        var file: File?

        /// Every part with a name or bytes, with the name the browser sent (a folder upload sends the relative path).
        var parts: [(name: String, bytes: [UInt8])] {
            ((files ?? []) + (file.map { [$0] } ?? [])).filter { !($0.filename.isEmpty && $0.data.readableBytes == 0) }
                .map { ($0.filename, Array($0.data.readableBytesView)) }
        }
    }

    static func importRules(req: Request) async throws -> Response {
        let upload = try req.content.decode(Upload.self)
        let parts = upload.parts
        guard !parts.isEmpty else {
            var page = RuleImportView(req: req, errors: ["files": "sigmaRules.importNothing"]).render()
            page.status = .unprocessableEntity
            return try await page.encodeResponse(for: req)
        }
        let outcome = try await RuleImport.run(RuleImport.collect(uploads: parts), actor: req.auditActor, app: req.application)
        return try await RuleImportView(req: req, outcome: outcome).render().encodeResponse(for: req)
    }

    struct SettingsForm: Content {
        var enabled: FormFlag?
        var groupWindowMinutes: String?
        var version: Int?
        var next: String?
    }

    static func settings(req: Request) async throws -> Response {
        let rule = try await DetectionRuleService.find(req)
        let form = try req.content.decode(SettingsForm.self)
        let input = DetectionRuleService.SettingsInput(enabled: form.enabled, groupWindowMinutes: form.groupWindowMinutes, version: form.version)
        do {
            try await DetectionRuleService.change(rule, enabled: form.enabled?.value,
                                                  windowText: form.groupWindowMinutes.map { Optional($0) },
                                                  expectedVersion: form.version ?? rule.version, req: req)
            if let next = safeNext(form.next) {
                return req.redirect(to: next + (next.contains("?") ? "&" : "?") + "done=ruleSaved")
            }
            return req.redirect(to: SiteURL.sigmaRules(.show(.value(rule.id!))).path(query: ["done": "ruleSaved"]))
        } catch let error as AppError where error.status == .unprocessableEntity || error.code == "rule_changed" {
            var shown = input
            var fields = error.fields
            if error.code == "rule_changed" {
                shown = .init()
                fields = ["form": error.messageKey]
            }
            let current = try await DetectionRule.find(rule.id, on: req.db) ?? rule
            var page = RuleShow.View(req: req, model: try await RuleShow.query(current, subject: try req.requireSubject(), on: req.db),
                                     input: shown, errors: fields).render()
            page.status = error.status
            return try await page.encodeResponse(for: req)
        }
    }

    /// Only ever back to the rule list.
    static func safeNext(_ raw: String?) -> String? {
        guard let raw, raw.hasPrefix(SiteURL.sigmaRules(.index).path), !raw.hasPrefix("//") else { return nil }
        return raw
    }

    static func bulk(req: Request) async throws -> Response {
        struct Form: Content {
            var ids: [String]?
            var scope: String?
            var enabled: FormFlag?
            var next: String?
        }
        let form = try req.content.decode(Form.self)
        let back = safeNext(form.next) ?? SiteURL.sigmaRules(.index).path
        do {
            guard let enabled = form.enabled?.value else { throw AppError.validation(FieldErrors(["enabled": "validation.required"])) }
            var ids: [UUID]
            var filterText: String?
            if form.scope == "filtered" {
                // The filters come back as `filter_<key>` fields (what the list showed).
                var filters: [String: String] = [:]
                for key in RulesIndex.filterKeys {
                    if let value = try? req.content.get(String.self, at: "filter_" + key), !value.isEmpty { filters[key] = String(value.prefix(200)) }
                }
                var list = ListQuery(req: req, filterKeys: [], sortKeys: [])
                list.filters = filters
                let errors = RulesIndex.validate(list)
                if !errors.isEmpty { throw AppError.validation(errors) }
                ids = try await RulesIndex.ids(list, on: req.db)
                if ids.isEmpty { throw AppError.validation(FieldErrors(["ids": "sigmaRules.noneFiltered"])) }
                filterText = filters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "&")
            } else {
                ids = try (form.ids ?? []).filter { !$0.isEmpty }.map { raw in
                    guard let id = UUID(uuidString: raw) else { throw AppError.notFound }
                    return id
                }
            }
            let result = try await DetectionRuleService.bulk(ids: ids, enabled: enabled, filter: filterText, req: req)
            return req.redirect(to: back + (back.contains("?") ? "&" : "?")
                + "done=rulesBulkChanged&changed=\(result.changed)&unchanged=\(result.unchanged)&unsupported=\(result.unsupported)")
        } catch let error as AppError where error.status == .unprocessableEntity {
            let fields = error.fields.merging(["form": error.messageKey]) { a, _ in a }
            return try await RulesIndex.page(req: req, bulkErrors: fields, status: error.status).encodeResponse(for: req)
        }
    }
}
