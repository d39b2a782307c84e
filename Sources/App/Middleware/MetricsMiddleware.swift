import Foundation
import Vapor

/// Times every request and counts it under its route pattern (never the raw path, which would
/// put record ids into label values).
struct MetricsMiddleware: AsyncMiddleware {
    let registry: MetricsRegistry

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next.respond(to: req)
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let pattern = req.route.map { "/" + $0.path.map(\.description).joined(separator: "/") } ?? "unmatched"
        registry.observe(route: pattern, method: req.method.rawValue, status: response.status.code, seconds: seconds)
        return response
    }
}

extension Application {
    private struct MetricsKey: StorageKey { typealias Value = MetricsRegistry }

    var metrics: MetricsRegistry {
        if let registry = storage[MetricsKey.self] { return registry }
        let registry = MetricsRegistry()
        storage[MetricsKey.self] = registry
        return registry
    }
}
