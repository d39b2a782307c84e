import Foundation
import Domain
import Fluent
import Vapor

/// `ungcuu create-admin --email E --name N --password-stdin`: the first administrator, or another one.
struct CreateAdminCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "email", help: "E-mail address to sign in with.") var email: String?
        @Option(name: "name", help: "Full name.") var name: String?
        @Flag(name: "password-stdin", help: "Read the password from standard input.") var passwordStdin: Bool
    }

    var help: String { "Creates an administrator account." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        guard signature.passwordStdin else {
            context.console.error("Pass --password-stdin and give the password on standard input.")
            throw ExitCode(2)
        }
        var check = InputChecker()
        let email = check.email("--email", signature.email, required: true)
        let name = check.requiredText("--name", signature.name, max: 200)
        let password = (readLine(strippingNewline: true) ?? "")
        if let problem = PasswordPolicy.shipped.problem(with: password, email: email, name: name) {
            check.fail("password", problem.rawValue)
        }
        guard check.errors.isEmpty, let email else {
            for (field, key) in check.errors.messages.sorted(by: { $0.key < $1.key }) {
                context.console.error("\(field): \(Catalog.shared.text(key, .en))")
            }
            throw ExitCode(2)
        }
        if app.config.autoMigrate { try await app.autoMigrate() }
        if try await User.query(on: app.db).filter(\.$email == email).first() != nil {
            context.console.error("--email: a user with this e-mail already exists")
            throw ExitCode(2)
        }
        let hash = try await Passwords.hash(password, app: app)
        try await app.write { db in
            let user = User(email: email, name: name, role: .admin, agencyId: nil, passwordHash: hash)
            try await user.create(on: db)
            try await AuditLog.append(AuditEntry("user.create", recordType: "user", recordId: user.id?.uuidString, after: user.auditSnapshot),
                                      by: .system("cli create-admin"), on: db)
        }
        context.console.print("Administrator \(email) created.")
    }
}
