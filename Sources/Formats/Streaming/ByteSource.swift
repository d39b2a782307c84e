import Foundation

/// Bytes read a chunk at a time from a file (or all at once from memory), for the streaming readers.
/// Memory is one chunk, whatever the size of the file.
public final class ByteSource {
    private let handle: FileHandle?
    private var buffer: [UInt8]
    private var index = 0
    private var finished: Bool
    private let chunkSize: Int
    /// Bytes consumed before the current buffer (for error offsets).
    public private(set) var offsetOfBuffer = 0

    public init(url: URL, chunkSize: Int = 1 << 16) throws {
        handle = try FileHandle(forReadingFrom: url)
        buffer = []
        finished = false
        self.chunkSize = chunkSize
    }

    public init(data: Data) {
        handle = nil
        buffer = [UInt8](data)
        finished = true
        chunkSize = 0
    }

    deinit { try? handle?.close() }

    /// Offset of the next byte from the start of the input.
    public var offset: Int { offsetOfBuffer + index }

    /// The next byte without consuming it; nil at the end.
    @inline(__always) public func peek() throws -> UInt8? {
        if index < buffer.count { return buffer[index] }
        return try refill() ? buffer[index] : nil
    }

    /// The next byte, consumed; nil at the end.
    @inline(__always) public func read() throws -> UInt8? {
        if index < buffer.count { defer { index += 1 }; return buffer[index] }
        guard try refill() else { return nil }
        defer { index += 1 }
        return buffer[index]
    }

    /// Up to `count` next bytes without consuming them (fewer at the end of the input).
    public func peek(_ count: Int) throws -> ArraySlice<UInt8> {
        while buffer.count - index < count, try refill(keep: true) {}
        return buffer[index..<min(buffer.count, index + count)]
    }

    /// Skips `count` bytes (must not exceed what is available).
    public func skip(_ count: Int) throws {
        for _ in 0..<count { _ = try read() }
    }

    /// All bytes buffered after the current position (refilling first when none are), consumed;
    /// empty at the end. Lets a tokenizer scan a chunk at a time instead of calling `read()` per byte.
    public func readAvailable() throws -> ArraySlice<UInt8> {
        if index >= buffer.count, try !refill() { return [] }
        defer { index = buffer.count }
        return buffer[index...]
    }

    /// True when ``rewind()`` can work: in-memory data, or a file that can seek (not a pipe).
    public var canRewind: Bool {
        guard let handle else { return true }
        return (try? handle.offset()) != nil
    }

    /// Starts again from the first byte (for readers that need a second pass). Throws when the file cannot seek.
    public func rewind() throws {
        if let handle {
            try handle.seek(toOffset: 0)
            buffer = []
            finished = false
        }
        index = 0
        offsetOfBuffer = 0
    }

    private func refill(keep: Bool = false) throws -> Bool {
        guard !finished, let handle else { return false }
        let data = try handle.read(upToCount: chunkSize) ?? Data()
        if data.isEmpty { finished = true; return false }
        if keep {
            buffer.removeSubrange(0..<index)
            offsetOfBuffer += index
            index = 0
            buffer.append(contentsOf: data)
        } else {
            offsetOfBuffer += buffer.count
            buffer = [UInt8](data)
            index = 0
        }
        return true
    }
}
