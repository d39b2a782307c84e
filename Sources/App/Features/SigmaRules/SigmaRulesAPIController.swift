import Foundation
import Domain
import Fluent
import Vapor

/// `/api/v1/detection/rules`.
enum SigmaRulesAPIController {
    static func list(req: Request) async throws -> SigmaRulePage {
        let params = try PageParams(req: req)
        var list = ListQuery(req: req, filterKeys: RulesIndex.filterKeys, sortKeys: RulesIndex.sortKeys)
        list.page = params.page
        list.per = params.per
        let errors = RulesIndex.validate(list)
        if !errors.isEmpty { throw AppError.validation(errors) }
        let model = try await RulesIndex.query(list, on: req.db)
        let f = model.figures
        return SigmaRulePage(items: model.rules.map { SigmaRuleDTO($0) }, total: model.total, page: params.page, per: params.per,
                             figures: .init(total: f.total, active: f.active, disabled: f.disabled, unsupported: f.unsupported, withHits: f.withHits))
    }

    static func get(req: Request) async throws -> SigmaRuleDTO {
        SigmaRuleDTO(try await DetectionRuleService.find(req), withYAML: true)
    }

    /// Enabled flag and grouping window; the body (or `If-Match`) must name the version: 428 without, 409 when stale.
    static func patch(req: Request) async throws -> SigmaRuleDTO {
        let rule = try await DetectionRuleService.find(req)
        let input = try req.content.decode(SigmaRulePatch.self)
        let version = input.version ?? req.headers.first(name: .ifMatch).flatMap { Int($0.trimmingCharacters(in: CharacterSet(charactersIn: "\" W/"))) }
        guard let version else {
            throw AppError(status: .preconditionRequired, code: "version_required", messageKey: "sigmaRules.versionRequired",
                           fields: ["version": "validation.required"])
        }
        let window: String?? = input.windowGiven ? .some(input.groupWindowMinutes.map(String.init)) : .none
        try await DetectionRuleService.change(rule, enabled: input.enabled, windowText: window, expectedVersion: version, req: req)
        return SigmaRuleDTO(try await DetectionRule.find(rule.id, on: req.db) ?? rule, withYAML: true)
    }

    /// `{"enabled": true|false, "ids": [...]}`; without ids, every rule the query-string filters select.
    static func bulk(req: Request) async throws -> DetectionRuleService.BulkResult {
        struct Body: Content {
            var enabled: Bool?
            var ids: [UUID]?
        }
        let body = try req.content.decode(Body.self)
        guard let enabled = body.enabled else { throw AppError.validation(FieldErrors(["enabled": "validation.required"])) }
        if let ids = body.ids {
            return try await DetectionRuleService.bulk(ids: ids, enabled: enabled, filter: nil, req: req)
        }
        let list = ListQuery(req: req, filterKeys: RulesIndex.filterKeys, sortKeys: [])
        let errors = RulesIndex.validate(list)
        if !errors.isEmpty { throw AppError.validation(errors) }
        let ids = try await RulesIndex.ids(list, on: req.db)
        if ids.isEmpty { throw AppError.validation(FieldErrors(["ids": "sigmaRules.noneFiltered"])) }
        let text = list.filters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "&")
        return try await DetectionRuleService.bulk(ids: ids, enabled: enabled, filter: text.isEmpty ? "all" : text, req: req)
    }

    /// A multipart form (`files[]`/`file`: YAML files and zips), a zip as the body, or one YAML rule file as the body
    /// (`?name=` names it in the report).
    static func importRules(req: Request) async throws -> RuleImportDTO {
        var parts: [(name: String, bytes: [UInt8])] = []
        if req.headers.contentType?.type == "multipart" {
            parts = try req.content.decode(SigmaRulesController.Upload.self).parts
        } else if let body = req.body.data, body.readableBytes > 0 {
            let bytes = Array(body.readableBytesView)
            let isZip = bytes.starts(with: [0x50, 0x4B, 0x03, 0x04])
            let given = req.query[String.self, at: "name"].map(RuleImport.cleanPath)
            parts = [(given ?? (isZip ? "sigma-rules.zip" : "rule.yml"), bytes)]
            if !isZip, let name = given, !RuleImport.isRuleFile(name) { parts = [(name + ".yml", bytes)] }
        }
        guard !parts.isEmpty else { throw AppError.validation(FieldErrors(["files": "sigmaRules.importNothing"])) }
        let outcome = try await RuleImport.run(RuleImport.collect(uploads: parts), actor: req.auditActor, app: req.application)
        return RuleImportDTO(outcome)
    }
}
