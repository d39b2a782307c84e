import Foundation

/// Where `SyslogFramer` is inside the stream.
enum FramerState: Sendable {
    /// Between messages.
    case idle
    /// Reading the digits of an octet count (they are kept in `pending`).
    case counting
    /// Collecting an octet-counted message: this many bytes still to come.
    case octets(remaining: Int)
    /// Skipping an octet-counted message over the limit.
    case skipping(remaining: Int)
    /// Collecting a newline-framed message.
    case line
    /// Dropping the rest of a newline-framed message that was cut at the limit; `total` bytes so far.
    case discardLine(total: Int)
    /// A bad octet count was seen: nothing more is framed.
    case failed
}

extension SyslogFramer {
    private static let maxCountDigits = 9

    @inline(__always) private static func isTrailer(_ c: UInt8) -> Bool { c == 0x0A || c == 0x00 }

    mutating func feedBuffer(_ input: UnsafeBufferPointer<UInt8>) -> (messages: [[UInt8]], problems: [Problem]) {
        var messages: [[UInt8]] = []
        var problems: [Problem] = []
        var i = 0
        let n = input.count
        while i < n {
            switch state {
            case .failed:
                return (messages, problems)

            case .idle:
                let c = input[i]
                if Self.isTrailer(c) || c == 0x0D {
                    i += 1 // empty line, or the LF some senders put after an octet-counted frame
                } else if c &- 48 < 10 {
                    pending.removeAll(keepingCapacity: true)
                    state = .counting
                } else {
                    pending.removeAll(keepingCapacity: true)
                    state = .line
                }

            case .counting:
                let c = input[i]
                i += 1
                if c &- 48 < 10, pending.count < Self.maxCountDigits {
                    pending.append(c)
                    continue
                }
                var value = 0
                for d in pending { value = value * 10 + Int(d &- 48) }
                if c == 0x20, value > 0 {
                    pending.removeAll(keepingCapacity: true)
                    if value > maxMessageSize {
                        problems.append(.oversized(length: value))
                        state = .skipping(remaining: value)
                    } else {
                        pending.reserveCapacity(value)
                        state = .octets(remaining: value)
                    }
                } else {
                    var shown = pending
                    if c >= 0x20, c < 0x7F, c != 0x20 { shown.append(c) }
                    problems.append(.badOctetCount(String(decoding: shown, as: UTF8.self)))
                    pending = []
                    state = .failed
                    return (messages, problems)
                }

            case .octets(let remaining):
                let take = min(remaining, n - i)
                pending.append(contentsOf: UnsafeBufferPointer(rebasing: input[i..<(i + take)]))
                i += take
                if take == remaining {
                    messages.append(pending)
                    pending.removeAll(keepingCapacity: true)
                    state = .idle
                } else {
                    state = .octets(remaining: remaining - take)
                }

            case .skipping(let remaining):
                let take = min(remaining, n - i)
                i += take
                state = take == remaining ? .idle : .skipping(remaining: remaining - take)

            case .line:
                var j = i
                while j < n, !Self.isTrailer(input[j]) { j += 1 }
                let room = maxMessageSize - pending.count
                if j - i > room {
                    // Cut at the limit; the rest up to the trailer is dropped and reported then.
                    pending.append(contentsOf: UnsafeBufferPointer(rebasing: input[i..<(i + room)]))
                    messages.append(pending)
                    let total = pending.count + (j - i - room)
                    pending.removeAll(keepingCapacity: true)
                    if j < n {
                        problems.append(.oversized(length: total))
                        state = .idle
                        i = j + 1
                    } else {
                        state = .discardLine(total: total)
                        i = j
                    }
                    continue
                }
                pending.append(contentsOf: UnsafeBufferPointer(rebasing: input[i..<j]))
                if j < n {
                    if pending.last == 0x0D { pending.removeLast() }
                    if !pending.isEmpty { messages.append(pending) }
                    pending.removeAll(keepingCapacity: true)
                    state = .idle
                    i = j + 1
                } else {
                    i = j
                }

            case .discardLine(let total):
                var j = i
                while j < n, !Self.isTrailer(input[j]) { j += 1 }
                if j < n {
                    problems.append(.oversized(length: total + (j - i)))
                    state = .idle
                    i = j + 1
                } else {
                    state = .discardLine(total: total + (j - i))
                    i = j
                }
            }
        }
        if pending.capacity > maxMessageSize * 2, pending.isEmpty { pending = [] }
        return (messages, problems)
    }

    mutating func finishStream() -> [UInt8]? {
        defer {
            pending = []
            if case .failed = state {} else { state = .idle }
        }
        guard case .line = state else { return nil }
        var message = pending
        if message.last == 0x0D { message.removeLast() }
        return message.isEmpty ? nil : message
    }
}
