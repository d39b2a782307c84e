import Foundation
import Domain
import Vapor

/// The site map. Every route declares who may reach it.
func routes(_ app: Application) throws {
    do { // operations
        app.on(.GET, .healthz, access: .open, use: OpsController.healthz)
        app.on(.GET, .readyz, access: .open, use: OpsController.readyz)
        app.on(.GET, .metrics, access: .open, use: OpsController.metrics)
        for file in ["app.css", "app.js"] {
            app.on(.GET, .asset(file), access: .open, use: OpsController.asset(file))
        }
    }

    do { // sign-in, sign-out, language
        app.on(.GET, .signIn, access: .open, use: SignInController.show)
        app.on(.POST, .signIn, access: .open, use: SignInController.submit)
        app.on(.GET, .signInTwoFactor, access: .open, use: SignInController.showTwoFactor)
        app.on(.POST, .signInTwoFactor, access: .open, use: SignInController.submitTwoFactor)
        app.on(.POST, .signOut, access: .signedInSetup, use: SignInController.signOut)
        app.on(.POST, .language, access: .open, use: SignInController.language)
    }

    do { // own account
        app.on(.GET, .home, access: .signedIn, use: HomeIndex.show)
        app.on(.GET, .account, access: .signedIn, use: AccountController.show)
        app.on(.GET, .accountPassword, access: .signedInSetup, use: AccountController.passwordForm)
        app.on(.POST, .accountPassword, access: .signedInSetup, use: AccountController.changePassword)
        app.on(.GET, .accountTwoFactor, access: .signedInSetup, use: AccountController.twoFactor)
        app.on(.POST, .accountTwoFactorEnable, access: .signedInSetup, use: AccountController.enableTwoFactor)
        app.on(.POST, .accountTwoFactorDisable, access: .signedIn, use: AccountController.disableTwoFactor)
        app.on(.GET, .tokens, access: .action(.manageOwnTokens), use: AccountController.tokens)
        app.on(.POST, .tokens, access: .action(.manageOwnTokens), use: AccountController.createToken)
        app.on(.POST, .tokenRevoke(.key), access: .action(.manageOwnTokens), use: AccountController.revokeToken)
    }

    do { // agencies
        app.on(.GET, .agencies, access: .action(.viewAgencies), use: AgenciesController.index)
        app.on(.GET, .agenciesExport, access: .action(.exportAgencies), use: AgenciesController.export)
        app.on(.GET, .agencyNew, access: .action(.createAgency), use: AgenciesController.new)
        app.on(.POST, .agencyNew, access: .action(.createAgency), use: AgenciesController.create)
        app.on(.GET, .agency(.key), access: .action(.viewAgencies), use: AgenciesController.show)
        app.on(.GET, .agencyEdit(.key), access: .action(.updateAgencyContact), use: AgenciesController.edit)
        app.on(.POST, .agencyEdit(.key), access: .action(.updateAgencyContact), use: AgenciesController.update)
        app.on(.POST, .agencyDelete(.key), access: .action(.deleteAgency), use: AgenciesController.delete)
    }

    do { // users
        app.on(.GET, .users, access: .action(.viewUsers), use: UsersController.index)
        app.on(.GET, .usersExport, access: .action(.exportUsers), use: UsersController.export)
        app.on(.GET, .userNew, access: .action(.manageUsers), use: UsersController.new)
        app.on(.POST, .userNew, access: .action(.manageUsers), use: UsersController.create)
        app.on(.GET, .user(.key), access: .action(.viewUsers), use: UsersController.show)
        app.on(.GET, .userEdit(.key), access: .action(.manageUsers), use: UsersController.edit)
        app.on(.POST, .userEdit(.key), access: .action(.manageUsers), use: UsersController.update)
        app.on(.POST, .userResetPassword(.key), access: .action(.manageUsers), use: UsersController.resetPassword)
        app.on(.POST, .userStatus(.key), access: .action(.manageUsers), use: UsersController.setStatus)
    }

    do { // audit trail and settings
        app.on(.GET, .audit, access: .action(.viewAudit), use: AuditController.index)
        app.on(.POST, .auditVerify, access: .action(.verifyAudit), use: AuditController.verify)
        app.on(.GET, .auditExport, access: .action(.exportAudit), use: AuditController.export)
        app.on(.GET, .settings, access: .action(.manageSettings), use: SettingsController.show)
        app.on(.POST, .settings, access: .action(.manageSettings), use: SettingsController.update)
    }

    do { // information systems
        let upload = HTTPBodyStreamStrategy.collect(maxSize: ByteCount(integerLiteral: app.config.maxUploadBytes + 65_536))
        app.on(.GET, .systems, access: .action(.viewSystems), use: SystemsController.index)
        app.on(.GET, .systemsExportCSV, access: .action(.exportSystems), use: InventoryExport.csv)
        app.on(.GET, .systemsExportXLSX, access: .action(.exportSystems), use: InventoryExport.xlsx)
        app.on(.GET, .systemsImport, access: .action(.importSystems), use: InventoryImportController.form)
        app.on(.POST, .systemsImport, access: .action(.importSystems), body: upload, use: InventoryImportController.upload)
        app.on(.GET, .systemsImportTemplate, access: .action(.importSystems), use: InventoryExport.template)
        app.on(.POST, .systemsImportConfirm(.key), access: .action(.importSystems), use: InventoryImportController.confirm)
        app.on(.GET, .systemNew, access: .action(.editSystems), use: SystemsController.new)
        app.on(.POST, .systemNew, access: .action(.editSystems), use: SystemsController.create)
        app.on(.GET, .system(.key), access: .action(.viewSystems), use: SystemsController.show)
        app.on(.GET, .systemEdit(.key), access: .action(.editSystems), use: SystemsController.edit)
        app.on(.POST, .systemEdit(.key), access: .action(.editSystems), use: SystemsController.update)
        app.on(.POST, .systemDelete(.key), access: .action(.deleteSystem), use: SystemsController.delete)
        app.on(.GET, .systemHistory(.key), access: .action(.viewSystems), use: SystemsController.history)
        app.on(.POST, .systemComponents(.key), access: .action(.editSystems), use: SystemsController.addComponent)
        app.on(.GET, .systemComponentEdit(.key, .key), access: .action(.editSystems), use: SystemsController.editComponent)
        app.on(.POST, .systemComponentEdit(.key, .key), access: .action(.editSystems), use: SystemsController.updateComponent)
        app.on(.POST, .systemComponentDelete(.key, .key), access: .action(.editSystems), use: SystemsController.deleteComponent)
        app.on(.GET, .systemClassify(.key), access: .action(.editSystems), use: WizardController.show)
        app.on(.POST, .systemClassify(.key), access: .action(.editSystems), use: WizardController.submit)
        app.on(.GET, .systemDossier(.key, .key), access: .action(.viewSystems), use: DossierController.show)
        for transition in DossierTransition.allCases {
            app.on(.POST, .systemDossierStep(.key, .key, transition), access: .action(transition.action), body: upload,
                   use: DossierController.step(transition))
        }
        app.on(.GET, .systemDossierDocx(.key, .key), access: .action(.viewSystems), use: DossierController.docx)
        app.on(.GET, .systemControls(.key), access: .action(.viewSystems), use: SystemControlsController.index)
        app.on(.POST, .systemControl(.key, .key), access: .action(.assessControls), body: upload, use: SystemControlsController.update)
        app.on(.POST, .systemAssessments(.key), access: .action(.editSystems), body: upload, use: AssessmentsController.create)
        app.on(.GET, .file(.key), access: .action(.viewSystems), use: FilesController.download)
        app.on(.GET, .controls, access: .action(.viewSystems), use: CatalogueController.index)
        app.on(.GET, .controlEdit(.key), access: .action(.manageRuleTables), use: CatalogueController.edit)
        app.on(.POST, .controlEdit(.key), access: .action(.manageRuleTables), use: CatalogueController.update)
        app.on(.GET, .authorities, access: .action(.viewSystems), use: CatalogueController.authorities)
        app.on(.POST, .authorities, access: .action(.manageRuleTables), use: CatalogueController.updateAuthority)
        app.on(.GET, .obligations, access: .action(.viewSystems), use: ObligationsController.index)
        app.on(.GET, .rules, access: .action(.viewSystems), use: RulesController.index)
    }

    do { // JSON API
        app.on(.GET, .api(.openAPI), access: .open, use: OpenAPIDocument.handler)
        app.on(.GET, .api(.me), access: .signedIn, use: TokensAPIController.me)
        app.on(.GET, .api(.agencies), access: .action(.viewAgencies), use: AgenciesAPIController.list)
        app.on(.POST, .api(.agencies), access: .action(.createAgency), use: AgenciesAPIController.create)
        app.on(.GET, .api(.agency(.key)), access: .action(.viewAgencies), use: AgenciesAPIController.get)
        app.on(.PATCH, .api(.agency(.key)), access: .action(.updateAgencyContact), use: AgenciesAPIController.update)
        app.on(.DELETE, .api(.agency(.key)), access: .action(.deleteAgency), use: AgenciesAPIController.delete)
        app.on(.GET, .api(.users), access: .action(.viewUsers), use: UsersAPIController.list)
        app.on(.POST, .api(.users), access: .action(.manageUsers), use: UsersAPIController.create)
        app.on(.GET, .api(.user(.key)), access: .action(.viewUsers), use: UsersAPIController.get)
        app.on(.PATCH, .api(.user(.key)), access: .action(.manageUsers), use: UsersAPIController.update)
        app.on(.DELETE, .api(.user(.key)), access: .action(.manageUsers), use: UsersAPIController.delete)
        app.on(.GET, .api(.auditEvents), access: .action(.viewAudit), use: AuditAPIController.list)
        app.on(.GET, .api(.auditVerify), access: .action(.verifyAudit), use: AuditAPIController.verify)
        app.on(.GET, .api(.auditEvent(.key)), access: .action(.viewAudit), use: AuditAPIController.get)
        app.on(.GET, .api(.tokens), access: .action(.manageOwnTokens), use: TokensAPIController.list)
        app.on(.POST, .api(.tokens), access: .action(.manageOwnTokens), use: TokensAPIController.create)
        app.on(.GET, .api(.token(.key)), access: .action(.manageOwnTokens), use: TokensAPIController.get)
        app.on(.DELETE, .api(.token(.key)), access: .action(.manageOwnTokens), use: TokensAPIController.delete)
        app.on(.GET, .api(.systems), access: .action(.viewSystems), use: SystemsAPIController.list)
        app.on(.POST, .api(.systems), access: .action(.editSystems), use: SystemsAPIController.create)
        app.on(.GET, .api(.system(.key)), access: .action(.viewSystems), use: SystemsAPIController.get)
        app.on(.PATCH, .api(.system(.key)), access: .action(.editSystems), use: SystemsAPIController.update)
        app.on(.DELETE, .api(.system(.key)), access: .action(.deleteSystem), use: SystemsAPIController.delete)
        app.on(.GET, .api(.systemComponents(.key)), access: .action(.viewSystems), use: SystemsAPIController.components)
        app.on(.POST, .api(.systemComponents(.key)), access: .action(.editSystems), use: SystemsAPIController.addComponent)
        app.on(.PATCH, .api(.systemComponent(.key, .key)), access: .action(.editSystems), use: SystemsAPIController.updateComponent)
        app.on(.DELETE, .api(.systemComponent(.key, .key)), access: .action(.editSystems), use: SystemsAPIController.deleteComponent)
        app.on(.GET, .api(.systemRevisions(.key)), access: .action(.viewSystems), use: SystemsAPIController.revisions)
        app.on(.GET, .api(.systemDossiers(.key)), access: .action(.viewSystems), use: SystemsAPIController.dossiers)
        app.on(.POST, .api(.systemDossiers(.key)), access: .action(.submitDossier), use: SystemsAPIController.openDossier)
        app.on(.POST, .api(.systemDossierTransitions(.key, .key)), access: .signedIn, use: SystemsAPIController.transition)
        app.on(.GET, .api(.systemControls(.key)), access: .action(.viewSystems), use: SystemsAPIController.controls)
        app.on(.PUT, .api(.systemControl(.key, .key)), access: .action(.assessControls), use: SystemsAPIController.updateControl)
        app.on(.GET, .api(.systemObligations(.key)), access: .action(.viewSystems), use: SystemsAPIController.obligations)
        app.on(.GET, .api(.obligations), access: .action(.viewSystems), use: SystemsAPIController.allObligations)
        app.on(.POST, .api(.classificationEvaluate), access: .signedIn, use: SystemsAPIController.evaluate)
    }

    // Features that register their own routes
    TeamsRoutes.register(app)
    PlansRoutes.register(app)
    DrillsRoutes.register(app)
    ProactiveRoutes.register(app)
    ScansRoutes.register(app)
    FindingsRoutes.register(app)
    WarningsRoutes.register(app)
    EventsRoutes.register(app)
    SigmaRulesRoutes.register(app)
    AlertsRoutes.register(app)
    HuntsRoutes.register(app)
    IncidentsRoutes.register(app)
    NotificationsRoutes.register(app)
}
