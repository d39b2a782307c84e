import Crypto
import Foundation

/// One event of the audit trail as it is hashed. The stored row carries the same fields.
public struct AuditRecord: Codable, Sendable, Equatable {
    public var sequence: Int64
    /// UTC, ISO 8601 with milliseconds; kept as text so the hash never depends on date encoding.
    public var occurredAt: String
    public var actorId: UUID?
    public var actorLabel: String
    public var clientAddress: String?
    public var action: String
    public var recordType: String?
    public var recordId: String?
    public var agencyId: UUID?
    /// JSON text: `{"before":…,"after":…}` or other details.
    public var summary: String
    public var previousHash: String

    public init(sequence: Int64, occurredAt: String, actorId: UUID?, actorLabel: String, clientAddress: String?,
                action: String, recordType: String?, recordId: String?, agencyId: UUID?, summary: String,
                previousHash: String) {
        self.sequence = sequence
        self.occurredAt = occurredAt
        self.actorId = actorId
        self.actorLabel = actorLabel
        self.clientAddress = clientAddress
        self.action = action
        self.recordType = recordType
        self.recordId = recordId
        self.agencyId = agencyId
        self.summary = summary
        self.previousHash = previousHash
    }

    /// The hash of the first event's predecessor.
    public static let genesisHash = String(repeating: "0", count: 64)

    public func canonicalJSON() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding a struct of strings, integers and UUIDs cannot fail.
        return try! encoder.encode(self)
    }

    /// `SHA-256(previousHash ‖ canonical JSON)`, lower-case hex.
    public func computeHash() -> String {
        var hasher = SHA256()
        hasher.update(data: Data(previousHash.utf8))
        hasher.update(data: canonicalJSON())
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    public static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt))
    }
}
