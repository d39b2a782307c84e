import Foundation
import NIOConcurrencyHelpers

/// Request counters and a latency histogram, rendered in the Prometheus text format.
/// Kept in-process (one registry per application) so tests and several apps never share state.
final class MetricsRegistry: Sendable {
    static let buckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    private struct Histogram {
        var counts = [Int](repeating: 0, count: MetricsRegistry.buckets.count)
        var count = 0
        var sum = 0.0
    }

    private struct State {
        var requests: [String: Int] = [:]   // "route|method|status"
        var latency: [String: Histogram] = [:]   // "route|method"
    }

    private let state = NIOLockedValueBox(State())

    func observe(route: String, method: String, status: UInt, seconds: Double) {
        state.withLockedValue { state in
            state.requests["\(route)|\(method)|\(status)", default: 0] += 1
            var histogram = state.latency["\(route)|\(method)", default: Histogram()]
            for (index, bound) in Self.buckets.enumerated() where seconds <= bound {
                histogram.counts[index] += 1
            }
            histogram.count += 1
            histogram.sum += seconds
            state.latency["\(route)|\(method)"] = histogram
        }
    }

    func render(extra: [(name: String, help: String, type: String, value: Double)]) -> String {
        let snapshot = state.withLockedValue { $0 }
        var out = "# HELP ungcuu_http_requests_total HTTP requests by route, method and status.\n"
        out += "# TYPE ungcuu_http_requests_total counter\n"
        for (key, value) in snapshot.requests.sorted(by: { $0.key < $1.key }) {
            let parts = key.split(separator: "|", omittingEmptySubsequences: false)
            out += "ungcuu_http_requests_total{route=\"\(escape(parts[0]))\",method=\"\(parts[1])\",status=\"\(parts[2])\"} \(value)\n"
        }
        out += "# HELP ungcuu_http_request_duration_seconds HTTP request latency by route and method.\n"
        out += "# TYPE ungcuu_http_request_duration_seconds histogram\n"
        for (key, histogram) in snapshot.latency.sorted(by: { $0.key < $1.key }) {
            let parts = key.split(separator: "|", omittingEmptySubsequences: false)
            let labels = "route=\"\(escape(parts[0]))\",method=\"\(parts[1])\""
            for (index, bound) in Self.buckets.enumerated() {
                out += "ungcuu_http_request_duration_seconds_bucket{\(labels),le=\"\(bound)\"} \(histogram.counts[index])\n"
            }
            out += "ungcuu_http_request_duration_seconds_bucket{\(labels),le=\"+Inf\"} \(histogram.count)\n"
            out += "ungcuu_http_request_duration_seconds_sum{\(labels)} \(histogram.sum)\n"
            out += "ungcuu_http_request_duration_seconds_count{\(labels)} \(histogram.count)\n"
        }
        for metric in extra {
            out += "# HELP \(metric.name) \(metric.help)\n# TYPE \(metric.name) \(metric.type)\n\(metric.name) \(metric.value)\n"
        }
        return out
    }

    private func escape(_ text: Substring) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }
}
