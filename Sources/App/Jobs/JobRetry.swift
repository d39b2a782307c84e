import Foundation

/// When a failed attempt is tried again: exponential backoff with jitter.
/// After attempt n the delay is drawn from [d/2, d] with d = min(base · 2^(n-1), max), so retries of
/// many jobs that failed together (a mail server down) spread out instead of arriving at once.
struct JobRetry: Sendable, Equatable {
    var baseSeconds: Double
    var maxSeconds: Double

    static let standard = JobRetry(baseSeconds: 30, maxSeconds: 3600)

    func delay(afterAttempt attempt: Int, random: Double = Double.random(in: 0...1)) -> TimeInterval {
        let exponent = Double(max(0, min(attempt - 1, 30)))
        let ceiling = min(baseSeconds * pow(2, exponent), maxSeconds)
        return ceiling / 2 + ceiling / 2 * min(max(random, 0), 1)
    }
}
