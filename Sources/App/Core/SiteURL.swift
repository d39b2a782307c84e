import Foundation
import Domain
import Vapor

/// A path parameter: `.key` when registering a route, `.value` when building a link.
enum Param: Sendable, Equatable {
    case key
    case value(UUID)

    var component: PathComponent { component("id") }

    /// Nested records name their parameter (`cid`, `did`) so it does not clash with the parent's `id`.
    func component(_ name: String) -> PathComponent {
        switch self {
        case .key: return .parameter(name)
        case .value(let id): return .constant(id.uuidString.lowercased())
        }
    }
}

/// Every page and API path. The same value registers the route and builds links, so the two
/// cannot drift apart.
enum SiteURL: Sendable, Equatable {
    // Operations
    case healthz, readyz, metrics
    case asset(String)

    // Pages
    case home
    case signIn, signInTwoFactor, signOut
    case language
    case account, accountPassword, accountTwoFactor, accountTwoFactorEnable, accountTwoFactorDisable
    case tokens, tokenRevoke(Param)
    case agencies, agencyNew, agenciesExport, agency(Param), agencyEdit(Param), agencyDelete(Param)
    case users, userNew, usersExport, user(Param), userEdit(Param), userResetPassword(Param), userStatus(Param)
    case audit, auditVerify, auditExport
    case settings
    case systems, systemNew, systemsExportCSV, systemsExportXLSX, systemsImport, systemsImportTemplate, systemsImportConfirm(Param)
    case system(Param), systemEdit(Param), systemDelete(Param), systemHistory(Param)
    case systemComponents(Param), systemComponentEdit(Param, Param), systemComponentDelete(Param, Param)
    case systemClassify(Param), systemDossiers(Param), systemDossier(Param, Param), systemDossierStep(Param, Param, DossierTransition)
    case systemDossierDocx(Param, Param)
    case systemControls(Param), systemControl(Param, Param), systemAssessments(Param)
    case file(Param)
    case controls, controlEdit(Param), authorities
    case obligations, rules

    // Features that define their own paths (each in its folder, so features do not all edit this file)
    case teams(TeamsURL)
    case plans(PlansURL)
    case drills(DrillsURL)
    case incidents(IncidentsURL)
    case notifications(NotificationsURL)
    case proactive(ProactiveURL)
    case scans(ScansURL)
    case findings(FindingsURL)
    case warnings(WarningsURL)
    case events(EventsURL)
    case sigmaRules(SigmaRulesURL)
    case alerts(AlertsURL)
    case hunts(HuntsURL)

    // JSON API
    case api(API)

    enum API: Sendable, Equatable {
        case openAPI
        case me
        case agencies, agency(Param)
        case users, user(Param)
        case auditEvents, auditEvent(Param), auditVerify
        case tokens, token(Param)
        case systems, system(Param), systemComponents(Param), systemComponent(Param, Param), systemRevisions(Param)
        case systemDossiers(Param), systemDossierTransitions(Param, Param), systemControls(Param), systemControl(Param, Param)
        case systemObligations(Param), obligations, classificationEvaluate
        case teams(TeamsURL.API)
        case plans(PlansURL.API)
        case drills(DrillsURL.API)
        case incidents(IncidentsURL.API)
        case notifications(NotificationsURL.API)
        case proactive(ProactiveURL.API)
        case scans(ScansURL.API)
        case findings(FindingsURL.API)
        case warnings(WarningsURL.API)
        case events(EventsURL.API)
        case sigmaRules(SigmaRulesURL.API)
        case alerts(AlertsURL.API)
        case hunts(HuntsURL.API)
    }

    var pathComponents: [PathComponent] {
        switch self {
        case .healthz: ["healthz"]
        case .readyz: ["readyz"]
        case .metrics: ["metrics"]
        case .asset(let file): ["static", .constant(file)]
        case .home: []
        case .signIn: ["signin"]
        case .signInTwoFactor: ["signin", "two-factor"]
        case .signOut: ["signout"]
        case .language: ["language"]
        case .account: ["account"]
        case .accountPassword: ["account", "password"]
        case .accountTwoFactor: ["account", "two-factor"]
        case .accountTwoFactorEnable: ["account", "two-factor", "enable"]
        case .accountTwoFactorDisable: ["account", "two-factor", "disable"]
        case .tokens: ["account", "tokens"]
        case .tokenRevoke(let p): ["account", "tokens", p.component, "revoke"]
        case .agencies: ["agencies"]
        case .agencyNew: ["agencies", "new"]
        case .agenciesExport: ["agencies", "export.csv"]
        case .agency(let p): ["agencies", p.component]
        case .agencyEdit(let p): ["agencies", p.component, "edit"]
        case .agencyDelete(let p): ["agencies", p.component, "delete"]
        case .users: ["users"]
        case .userNew: ["users", "new"]
        case .usersExport: ["users", "export.csv"]
        case .user(let p): ["users", p.component]
        case .userEdit(let p): ["users", p.component, "edit"]
        case .userResetPassword(let p): ["users", p.component, "reset-password"]
        case .userStatus(let p): ["users", p.component, "status"]
        case .audit: ["audit"]
        case .auditVerify: ["audit", "verify"]
        case .auditExport: ["audit", "export.csv"]
        case .settings: ["settings"]
        case .systems: ["systems"]
        case .systemNew: ["systems", "new"]
        case .systemsExportCSV: ["systems", "export.csv"]
        case .systemsExportXLSX: ["systems", "export.xlsx"]
        case .systemsImport: ["systems", "import"]
        case .systemsImportTemplate: ["systems", "import", "template.xlsx"]
        case .systemsImportConfirm(let p): ["systems", "import", p.component, "confirm"]
        case .system(let p): ["systems", p.component]
        case .systemEdit(let p): ["systems", p.component, "edit"]
        case .systemDelete(let p): ["systems", p.component, "delete"]
        case .systemHistory(let p): ["systems", p.component, "history"]
        case .systemComponents(let p): ["systems", p.component, "components"]
        case .systemComponentEdit(let p, let c): ["systems", p.component, "components", c.component("cid"), "edit"]
        case .systemComponentDelete(let p, let c): ["systems", p.component, "components", c.component("cid"), "delete"]
        case .systemClassify(let p): ["systems", p.component, "classify"]
        case .systemDossiers(let p): ["systems", p.component, "dossiers"]
        case .systemDossier(let p, let d): ["systems", p.component, "dossiers", d.component("did")]
        case .systemDossierStep(let p, let d, let t): ["systems", p.component, "dossiers", d.component("did"), .constant(t.rawValue)]
        case .systemDossierDocx(let p, let d): ["systems", p.component, "dossiers", d.component("did"), "explanation.docx"]
        case .systemControls(let p): ["systems", p.component, "controls"]
        case .systemControl(let p, let c): ["systems", p.component, "controls", c.component("cid")]
        case .systemAssessments(let p): ["systems", p.component, "assessments"]
        case .file(let p): ["files", p.component]
        case .controls: ["controls"]
        case .controlEdit(let p): ["controls", p.component, "edit"]
        case .authorities: ["authorities"]
        case .obligations: ["obligations"]
        case .rules: ["rules"]
        case .teams(let url): url.pathComponents
        case .plans(let url): url.pathComponents
        case .drills(let url): url.pathComponents
        case .incidents(let url): url.pathComponents
        case .notifications(let url): url.pathComponents
        case .proactive(let url): url.pathComponents
        case .scans(let url): url.pathComponents
        case .findings(let url): url.pathComponents
        case .warnings(let url): url.pathComponents
        case .events(let url): url.pathComponents
        case .sigmaRules(let url): url.pathComponents
        case .alerts(let url): url.pathComponents
        case .hunts(let url): url.pathComponents
        case .api(let api): ["api", "v1"] + api.pathComponents
        }
    }

    /// The path for links, e.g. `/agencies/6f1c…`.
    var path: String {
        "/" + pathComponents.map(\.description).joined(separator: "/")
    }

    func path(query: [String: String]) -> String {
        var components = URLComponents()
        components.queryItems = query.sorted { $0.key < $1.key }.filter { !$0.value.isEmpty }
            .map { URLQueryItem(name: $0.key, value: $0.value) }
        // URLComponents leaves "+" as is, and servers read it as a space.
        let encoded = (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
        return encoded.isEmpty ? path : path + "?" + encoded
    }

    /// Absolute URL under the configured base URL (for e-mails and documents).
    func absolute(base: URL) -> String {
        base.absoluteString.trimmingCharacters(in: CharacterSet(charactersIn: "/")) + path
    }
}

extension SiteURL.API {
    var pathComponents: [PathComponent] {
        switch self {
        case .openAPI: ["openapi.json"]
        case .me: ["me"]
        case .agencies: ["agencies"]
        case .agency(let p): ["agencies", p.component]
        case .users: ["users"]
        case .user(let p): ["users", p.component]
        case .auditEvents: ["audit-events"]
        case .auditEvent(let p): ["audit-events", p.component]
        case .auditVerify: ["audit-events", "verify"]
        case .tokens: ["tokens"]
        case .token(let p): ["tokens", p.component]
        case .systems: ["systems"]
        case .system(let p): ["systems", p.component]
        case .systemComponents(let p): ["systems", p.component, "components"]
        case .systemComponent(let p, let c): ["systems", p.component, "components", c.component("cid")]
        case .systemRevisions(let p): ["systems", p.component, "revisions"]
        case .systemDossiers(let p): ["systems", p.component, "dossiers"]
        case .systemDossierTransitions(let p, let d): ["systems", p.component, "dossiers", d.component("did"), "transitions"]
        case .systemControls(let p): ["systems", p.component, "controls"]
        case .systemControl(let p, let c): ["systems", p.component, "controls", c.component("cid")]
        case .systemObligations(let p): ["systems", p.component, "obligations"]
        case .obligations: ["obligations"]
        case .classificationEvaluate: ["classification", "evaluate"]
        case .teams(let url): url.pathComponents
        case .plans(let url): url.pathComponents
        case .drills(let url): url.pathComponents
        case .incidents(let url): url.pathComponents
        case .notifications(let url): url.pathComponents
        case .proactive(let url): url.pathComponents
        case .scans(let url): url.pathComponents
        case .findings(let url): url.pathComponents
        case .warnings(let url): url.pathComponents
        case .events(let url): url.pathComponents
        case .sigmaRules(let url): url.pathComponents
        case .alerts(let url): url.pathComponents
        case .hunts(let url): url.pathComponents
        }
    }
}
