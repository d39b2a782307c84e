import Foundation
import NIOConcurrencyHelpers
import Vapor

/// The body of a job: a plain async function that workers run and the CLI can call directly.
typealias JobBody = @Sendable (JobContext, JobPayload) async throws -> Void

/// Job kinds → bodies and their retry rules. Filled at configuration time (``JobSetup``); features
/// add their own kinds with ``register(_:retry:maxAttempts:_:)``.
final class JobRegistry: Sendable {
    struct Entry: Sendable {
        let kind: JobKind
        let retry: JobRetry
        /// Used by ``JobQueue/enqueue(_:payload:runAt:maxAttempts:on:)`` when the caller does not say.
        let maxAttempts: Int
        let body: JobBody
    }

    private let entries = NIOLockedValueBox<[JobKind: Entry]>([:])

    /// Registers (or replaces) the body of a kind.
    func register(_ kind: JobKind, retry: JobRetry = .standard, maxAttempts: Int = 5, _ body: @escaping JobBody) {
        entries.withLockedValue { $0[kind] = Entry(kind: kind, retry: retry, maxAttempts: maxAttempts, body: body) }
    }

    func entry(_ kind: JobKind) -> Entry? { entries.withLockedValue { $0[kind] } }

    var kinds: [JobKind] { entries.withLockedValue { $0.keys.sorted { $0.rawValue < $1.rawValue } } }
}

extension Application {
    private struct JobRegistryKey: StorageKey { typealias Value = JobRegistry }

    /// The registered job kinds.
    var jobs: JobRegistry {
        if let registry = storage[JobRegistryKey.self] { return registry }
        let registry = JobRegistry()
        storage[JobRegistryKey.self] = registry
        return registry
    }
}
