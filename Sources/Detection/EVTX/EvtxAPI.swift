import Foundation

/// CONTRACT (issue 6): the EVTX reader the App and the CLI use. The implementation replaces the bodies.
public struct EvtxRecord: Sendable {
    public var recordID: UInt64
    public var timestamp: Date
    /// The record as the Rust `evtx` crate prints it with its JSON output (`{"Event":{...}}`).
    public var json: String
    /// The record flattened for hunting (see `FlatEvent`).
    public var event: FlatEvent
    public init(recordID: UInt64, timestamp: Date, json: String, event: FlatEvent) {
        self.recordID = recordID; self.timestamp = timestamp; self.json = json; self.event = event
    }
}

/// A chunk or record that was skipped, and where.
public struct EvtxWarning: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var chunk: Int?
    public var offset: UInt64
    public var message: String
    public init(file: String, chunk: Int?, offset: UInt64, message: String) {
        self.file = file; self.chunk = chunk; self.offset = offset; self.message = message
    }
    public var description: String {
        "\(file): " + (chunk.map { "chunk \($0), " } ?? "") + "offset \(offset): \(message)"
    }
}

public struct EvtxError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var message: String
    public init(file: String, message: String) { self.file = file; self.message = message }
    public var description: String { "\(file): \(message)" }
}

/// Reads the records of one `.evtx` file in order, a chunk (64 KiB) at a time, so memory stays bounded
/// whatever the file's size.
public final class EvtxFileReader {
    /// Warnings so far (corrupt chunks and records that were skipped).
    public private(set) var warnings: [EvtxWarning] = []
    /// Bytes of the file consumed so far, for progress.
    public private(set) var bytesRead: UInt64 = 0
    public let fileSize: UInt64

    /// What each record carries: hunting needs only `.event`, `ungcuu evtx` only `.json`.
    public struct Outputs: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        public static let json = Outputs(rawValue: 1)
        public static let event = Outputs(rawValue: 2)
    }

    /// Throws `EvtxError` when the file cannot be opened or its header is not an EVTX header.
    /// A record's `json` is empty unless `.json` is asked for, and its `event` empty unless `.event` is.
    public init(url: URL, name: String? = nil, outputs: Outputs = [.json, .event]) throws {
        fatalError("EvtxFileReader.init: not implemented yet")
    }

    /// The next record, or nil at the end. Never throws: damage becomes a warning and reading goes on.
    public func next() -> EvtxRecord? {
        fatalError("EvtxFileReader.next: not implemented yet")
    }
}
