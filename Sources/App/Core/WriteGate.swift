import Foundation
import Fluent
import Vapor

/// SQLite allows one writer. Fluent keeps one connection per event loop, and two transactions that
/// both read before writing would deadlock, so on SQLite every write transaction passes through this
/// in-process gate. On PostgreSQL the gate is open and row locks do the work.
actor WriteGate {
    @TaskLocal static var isInsideWrite = false

    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        if !busy {
            busy = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func release() {
        if waiters.isEmpty {
            busy = false
        } else {
            waiters.removeFirst().resume()
        }
    }
}

extension Application {
    private struct WriteGateKey: StorageKey { typealias Value = WriteGate }
    private struct IsSQLiteKey: StorageKey { typealias Value = Bool }

    var writeGate: WriteGate {
        get { storage[WriteGateKey.self]! }
        set { storage[WriteGateKey.self] = newValue }
    }

    var usesSQLite: Bool {
        get { storage[IsSQLiteKey.self] ?? true }
        set { storage[IsSQLiteKey.self] = newValue }
    }

    /// Runs `body` in one transaction: nothing of it is written unless all of it is.
    func write<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        // A write inside a write would wait for itself on SQLite (and run in a second transaction on
        // PostgreSQL): pass the transaction's `db` down instead.
        guard !WriteGate.isInsideWrite else {
            throw Abort(.internalServerError, reason: "write(_:) called inside another write; pass its database instead")
        }
        return try await WriteGate.$isInsideWrite.withValue(true) {
            guard usesSQLite else { return try await db.transaction(body) }
            let gate = writeGate
            await gate.acquire()
            do {
                let result = try await db.transaction(body)
                await gate.release()
                return result
            } catch {
                await gate.release()
                throw error
            }
        }
    }
}

extension Request {
    func write<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        try await application.write(body)
    }
}
