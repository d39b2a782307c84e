import Foundation
import Detection
import Fluent
import Vapor

/// CONTRACT (issue 6): ingestion calls this inside the transaction that stores the events, so an
/// event is acknowledged only with its alerts written. The alerts feature implements it: run the
/// enabled rules (a compiled engine cached per rule-set version) and group matches into alerts.
enum ContinuousDetection {
    /// Runs the enabled rules on freshly stored events and records the alerts. Returns how many events matched.
    @discardableResult
    static func process(_ events: [StoredEvent], app: Application, on db: any Database) async throws -> Int {
        0 // filled in by the alerts feature (issue 6)
    }
}
