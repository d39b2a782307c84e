import Foundation
import Domain
import Fluent
import NIOConcurrencyHelpers
import Vapor

/// The enabled syslog sources as the listeners match them: by the sender's address first (the most specific range
/// wins), then by the host name the message carries. Owners come from the source's system as it is now, so events
/// follow a system moved to another agency from then on.
struct EventSourceDirectory: Sendable {
    struct Entry: Sendable, Hashable {
        var id: UUID
        var agencyId: UUID
        var systemId: UUID
        var name: String
        var networks: [DeclaredAddresses.Entry]
        var hostnames: Set<String>
    }

    let entries: [Entry]

    /// The source these events belong to, or nil (an unknown source: its events are held apart).
    func match(sender: String?, hostname: String?) -> Entry? {
        if let sender, let address = DeclaredAddresses.entry(sender), case .network(let bytes, _) = address {
            var best: (Entry, Int)?
            for entry in entries {
                for case .network(let network, let prefix) in entry.networks where network.count == bytes.count {
                    if DeclaredAddresses(entries: [.network(bytes: network, prefix: prefix)]).covers(sender), prefix > (best?.1 ?? -1) {
                        best = (entry, prefix)
                    }
                }
            }
            if let best { return best.0 }
        }
        if let hostname = hostname.map(Self.normalisedHost), !hostname.isEmpty {
            return entries.first { $0.hostnames.contains(hostname) }
        }
        return nil
    }

    static func normalisedHost(_ raw: String) -> String {
        var name = raw.trimmingCharacters(in: .whitespaces).lowercased()
        while name.hasSuffix(".") { name.removeLast() }
        return name
    }

    /// Reads the enabled syslog sources (with their systems' current agencies).
    static func load(on db: any Database) async throws -> EventSourceDirectory {
        let sources = try await EventSource.query(on: db).filter(\.$enabled == true).filter(\.$kind == .syslog).sort(\.$createdAt).all()
        let systemIds = Array(Set(sources.map(\.systemId)))
        let systems = systemIds.isEmpty ? [] : try await InformationSystem.query(on: db).filter(\.$id ~~ systemIds).all()
        let agencyOf = Dictionary(uniqueKeysWithValues: systems.map { ($0.id!, $0.$agency.id) })
        return EventSourceDirectory(entries: sources.compactMap { source in
            guard let agency = agencyOf[source.systemId] else { return nil }
            return Entry(id: source.id!, agencyId: agency, systemId: source.systemId, name: source.name,
                         networks: source.addressList.compactMap(DeclaredAddresses.entry),
                         hostnames: Set(source.hostnameList.map(normalisedHost)))
        })
    }
}

/// The directory kept in memory for a few seconds (the listeners consult it on every flush); a change of a source
/// in this process clears it at once, other instances see it within ``ttl``.
final class EventSourceCache: Sendable {
    static let ttl: TimeInterval = 5
    private let state = NIOLockedValueBox<(EventSourceDirectory, Date)?>(nil)

    func directory(on db: any Database) async throws -> EventSourceDirectory {
        if let (directory, loaded) = state.withLockedValue({ $0 }), Date().timeIntervalSince(loaded) < Self.ttl { return directory }
        let directory = try await EventSourceDirectory.load(on: db)
        state.withLockedValue { $0 = (directory, Date()) }
        return directory
    }

    func invalidate() { state.withLockedValue { $0 = nil } }
}

extension Application {
    private struct EventSourceCacheKey: StorageKey { typealias Value = EventSourceCache }

    /// Created in `configure` before requests run concurrently.
    var eventSourceCache: EventSourceCache {
        get {
            if let cache = storage[EventSourceCacheKey.self] { return cache }
            let cache = EventSourceCache()
            storage[EventSourceCacheKey.self] = cache
            return cache
        }
        set { storage[EventSourceCacheKey.self] = newValue }
    }
}
