import Foundation
import Domain
import Fluent
import Vapor

struct TokenCommandGroup: AsyncCommandGroup {
    var commands: [String: any AnyAsyncCommand] { ["create": TokenCreateCommand()] }
    var help: String { "Manages API tokens." }
}

/// `ungcuu token create --email E --name LABEL [--days N]`: prints only the token.
struct TokenCreateCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "email", help: "The user the token acts for.") var email: String?
        @Option(name: "name", help: "A label for the token.") var name: String?
        @Option(name: "days", help: "Days until it expires (1–365, default 90).") var days: Int?
    }

    var help: String { "Creates a personal API token and prints it." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        if app.config.autoMigrate { try await app.autoMigrate() }
        guard let email = Validators.email(signature.email),
              let user = try await User.query(on: app.db).filter(\.$email == email).first(), user.status == .active else {
            context.console.error("--email: no active user with this e-mail")
            throw ExitCode(2)
        }
        do {
            let (_, secret) = try await TokenService.create(for: user, input: .init(name: signature.name, days: signature.days),
                                                            actor: .system("cli token create"), app: app)
            context.console.output(secret.consoleText(), newLine: true)
        } catch let error as AppError {
            for (field, key) in error.fields.sorted(by: { $0.key < $1.key }) {
                context.console.error("--\(field): \(Catalog.shared.text(key, .en))")
            }
            throw ExitCode(2)
        }
    }
}
