import Foundation

/// The name of a kind of background job, as stored in `jobs.kind` and `job_schedules.kind`.
/// Features declare their kinds as static constants next to the code that registers them.
struct JobKind: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    let rawValue: String
    init(rawValue: String) { self.rawValue = rawValue }
    init(_ rawValue: String) { self.rawValue = rawValue }
    init(stringLiteral value: String) { self.rawValue = value }
    var description: String { rawValue }
}

/// What a job works on: identifiers only (`{"notificationId": "…"}`), never copies of records or secrets,
/// so a job always reads the current state and the queue holds nothing sensitive.
typealias JobPayload = [String: UUID]

extension Dictionary where Key == String, Value == UUID {
    /// The id stored under `key`, or an error naming the key (a job enqueued with the wrong payload).
    func id(_ key: String) throws -> UUID {
        guard let id = self[key] else { throw JobPayloadError(key: key) }
        return id
    }
}

struct JobPayloadError: Error, CustomStringConvertible {
    let key: String
    var description: String { "the job payload has no \(key)" }
}

enum JobPayloadCoding {
    static func encode(_ payload: JobPayload) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(payload)) ?? Data("{}".utf8), as: UTF8.self)
    }

    static func decode(_ text: String) throws -> JobPayload {
        try JSONDecoder().decode(JobPayload.self, from: Data(text.utf8))
    }
}
