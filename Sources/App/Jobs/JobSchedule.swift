import Foundation
import Fluent

/// One row of `job_schedules`: a kind enqueued every `interval_seconds`, or every day at `daily_at`
/// (HH:mm, Vietnam time).
final class JobSchedule: Model, @unchecked Sendable {
    static let schema = "job_schedules"

    @ID(key: .id) var id: UUID?
    @Field(key: "kind") var kind: String
    @OptionalField(key: "interval_seconds") var intervalSeconds: Int?
    @OptionalField(key: "daily_at") var dailyAt: String?
    @Field(key: "next_run_at") var nextRunAt: Date
    @OptionalField(key: "last_run_at") var lastRunAt: Date?
    @Field(key: "active") var active: Bool

    init() {}

    init(kind: JobKind, intervalSeconds: Int? = nil, dailyAt: String? = nil, nextRunAt: Date) {
        self.id = UUID()
        self.kind = kind.rawValue
        self.intervalSeconds = intervalSeconds
        self.dailyAt = dailyAt
        self.nextRunAt = nextRunAt
        self.active = true
    }

    var timing: ScheduleTiming? {
        if let intervalSeconds, intervalSeconds > 0 { return .every(TimeInterval(intervalSeconds)) }
        if let dailyAt, let time = ScheduleTiming.daily(dailyAt) { return time }
        return nil
    }
}

/// When a schedule fires next. Pure.
enum ScheduleTiming: Sendable, Equatable {
    case every(TimeInterval)
    /// Hour and minute in Vietnam time (UTC+7, no daylight saving).
    case dailyAt(hour: Int, minute: Int)

    static func daily(_ text: String) -> ScheduleTiming? {
        let parts = text.split(separator: ":").compactMap { Int($0) }
        guard parts.count == 2, (0...23).contains(parts[0]), (0...59).contains(parts[1]) else { return nil }
        return .dailyAt(hour: parts[0], minute: parts[1])
    }

    /// The first firing strictly after `now`. An interval keeps its phase from `previous` (a server that
    /// was down for a day fires once, not once per missed interval).
    func next(after now: Date, previous: Date) -> Date {
        switch self {
        case .every(let seconds):
            guard seconds > 0 else { return now.addingTimeInterval(60) }
            let missed = max(0, floor(now.timeIntervalSince(previous) / seconds))
            var next = previous.addingTimeInterval((missed + 1) * seconds)
            if next <= now { next = next.addingTimeInterval(seconds) }
            return next
        case .dailyAt(let hour, let minute):
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(secondsFromGMT: 7 * 3600)!
            var day = calendar.dateComponents([.year, .month, .day], from: now)
            day.hour = hour
            day.minute = minute
            let today = calendar.date(from: day)!
            return today > now ? today : calendar.date(byAdding: .day, value: 1, to: today)!
        }
    }
}
