/// Walks the audit trail in sequence order and names the first event that was altered or removed.
public struct AuditChainVerifier: Sendable {
    public enum Outcome: Sendable, Equatable {
        case intact(events: Int64)
        /// `sequence` is the first event that does not hold: altered, or missing when `reason` is `.missing`.
        case broken(sequence: Int64, reason: Reason)
    }

    public enum Reason: String, Sendable, Equatable {
        /// The stored hash is not the hash of the stored fields.
        case altered
        /// An event's link to its predecessor does not match the predecessor's hash.
        case relinked
        /// A sequence number is missing (an event was removed), including at the end of the chain.
        case missing
    }

    private var expectedSequence: Int64 = 1
    private var previousHash = AuditRecord.genesisHash
    private(set) public var outcome: Outcome?

    public init() {}

    /// Feed events in ascending sequence order. Returns false once the chain is broken.
    public mutating func feed(_ record: AuditRecord, storedHash: String) -> Bool {
        guard outcome == nil else { return false }
        if record.sequence != expectedSequence {
            outcome = .broken(sequence: expectedSequence, reason: .missing)
            return false
        }
        if record.previousHash != previousHash {
            outcome = .broken(sequence: record.sequence, reason: .relinked)
            return false
        }
        if record.computeHash() != storedHash {
            outcome = .broken(sequence: record.sequence, reason: .altered)
            return false
        }
        previousHash = storedHash
        expectedSequence += 1
        return true
    }

    /// Marks an event as altered for a reason found outside the hashed fields (for example a stored
    /// time column that no longer matches the hashed time).
    public mutating func reject(sequence: Int64, reason: Reason) {
        if outcome == nil { outcome = .broken(sequence: sequence, reason: reason) }
    }

    /// Call after the last event with the chain head (the last sequence and hash written).
    public mutating func finish(headSequence: Int64, headHash: String) -> Outcome {
        if let outcome { return outcome }
        let verified = expectedSequence - 1
        if headSequence > verified {
            outcome = .broken(sequence: expectedSequence, reason: .missing)
        } else if headSequence == verified && verified > 0 && headHash != previousHash {
            outcome = .broken(sequence: verified, reason: .altered)
        } else {
            outcome = .intact(events: verified)
        }
        return outcome!
    }
}
