import Foundation
import Fluent
import SQLKit

/// At most one dossier per system that is still on its way: two concurrent "open" requests cannot both succeed.
struct CreateLevelDossiersOneOpenIndex: AsyncMigration {
    static let openStates = ["draft", "awaiting_opinion", "submitted_for_appraisal", "returned_for_revision", "appraised", "submitted_for_approval"]

    func prepare(on database: any Database) async throws {
        let states = Self.openStates.map { "'\($0)'" }.joined(separator: ", ")
        try await (database as! any SQLDatabase).raw(
            "CREATE UNIQUE INDEX uq_level_dossiers_one_open ON level_dossiers (system_id) WHERE state IN (\(unsafeRaw: states))").run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("DROP INDEX uq_level_dossiers_one_open").run()
    }
}
