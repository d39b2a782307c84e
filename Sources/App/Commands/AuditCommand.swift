import Foundation
import Domain
import Vapor

struct AuditCommandGroup: AsyncCommandGroup {
    var commands: [String: any AnyAsyncCommand] { ["verify": AuditVerifyCommand()] }
    var help: String { "Works with the audit trail." }
}

/// `ungcuu audit verify`: exit status 0 when the chain holds; 1 and the first bad event otherwise.
struct AuditVerifyCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "Verifies the audit trail's hash chain." }

    func run(using context: CommandContext, signature: Signature) async throws {
        switch try await AuditLog.verify(on: context.application.db) {
        case .intact(let count):
            context.console.print("Audit chain intact: \(count) events verified.")
        case .broken(let sequence, let reason):
            context.console.error("Audit chain broken at event #\(sequence): \(reason.rawValue).")
            throw ExitCode(1)
        }
    }
}
