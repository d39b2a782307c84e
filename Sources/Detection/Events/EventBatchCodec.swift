import Foundation

/// CONTRACT (issue 6): the compact binary form in which the embedded event store keeps a batch of
/// events (one blob per batch; owners are columns of the batch, not repeated per event). Field names
/// are stored once per batch in a dictionary. Decoding is the hot path of every hunt: keep it at
/// millions of events per second, and reject damaged blobs with an error instead of trapping.
public struct EventBatchError: Error, Sendable, Hashable, CustomStringConvertible {
    public var offset: Int
    public var message: String
    public init(offset: Int, message: String) { self.offset = offset; self.message = message }
    public var description: String { "event batch damaged at byte \(offset): \(message)" }
}

/// What the codec keeps per event (the batch row holds agency, system and source).
public struct EncodedEvent: Sendable, Hashable {
    public var time: Date
    public var receivedAt: Date
    public var host: String?
    public var event: FlatEvent
    public init(time: Date, receivedAt: Date, host: String?, event: FlatEvent) {
        self.time = time; self.receivedAt = receivedAt; self.host = host; self.event = event
    }
}

public enum EventBatchCodec {
    public static func encode(_ events: [EncodedEvent]) -> [UInt8] {
        fatalError("EventBatchCodec.encode: not implemented yet")
    }

    public static func decode(_ bytes: [UInt8]) throws(EventBatchError) -> [EncodedEvent] {
        fatalError("EventBatchCodec.decode: not implemented yet")
    }
}
