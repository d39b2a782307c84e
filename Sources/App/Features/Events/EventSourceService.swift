import Foundation
import Domain
import Fluent
import SQLKit
import Vapor

/// What a source form or API body carries.
struct EventSourceInput: Content, Sendable {
    var name: String?
    var kind: String?
    var systemId: String?
    /// Sender addresses and CIDR ranges, one per line (commas also separate).
    var addresses: String?
    /// Host names, one per line (commas also separate).
    var hostnames: String?
    var enabled: Bool?
    /// On registering an unknown sender: also give the events held from it to the new source.
    var claimHeld: Bool?

    init() {}

    init(_ source: EventSource) {
        name = source.name
        kind = source.kind.rawValue
        systemId = source.systemId.uuidString.lowercased()
        addresses = source.addressList.joined(separator: "\n")
        hostnames = source.hostnameList.joined(separator: "\n")
        enabled = source.enabled
    }
}

/// Registered sources: create, change, enable/disable, rotate the ingest token, and give held events of an unknown
/// sender to a source. Every change is audited in its transaction.
enum EventSourceService {
    static let recordType = "event_source"
    static let maxMatchEntries = 200

    struct Checked: Sendable {
        var name: String
        var kind: EventSourceKind
        var system: InformationSystem
        var addresses: [String]
        var hostnames: [String]
    }

    /// One source the subject may manage, or 404.
    static func find(_ req: Request) async throws -> EventSource {
        let subject = try req.requireSubject()
        guard let id = req.parameters.get("id", as: UUID.self), let source = try await EventSource.find(id, on: req.db),
              Policy.can(subject, .viewDetection, .owned(agencyId: source.agencyId)), Policy.can(subject, .manageEventSources)
        else { throw AppError.notFound }
        return source
    }

    static func check(_ input: EventSourceInput, excluding: UUID?, subject: Subject, on db: any Database) async throws -> Checked {
        var check = InputChecker()
        let name = check.requiredText("name", input.name, max: 200)
        let kind = check.choice("kind", input.kind, as: EventSourceKind.self)
        var system: InformationSystem?
        if let id = check.uuid("systemId", input.systemId, required: true) {
            system = try await InformationSystem.visible(id, to: subject, on: db)
            if system == nil || !Policy.can(subject, .manageEventSources, .owned(agencyId: system!.$agency.id)) {
                check.fail("systemId", "validation.invalidId")
                system = nil
            }
        }
        func entries(_ raw: String?) -> [String] {
            (raw ?? "").split(whereSeparator: { $0.isNewline || $0 == "," || $0 == ";" })
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        var addresses: [String] = []
        for raw in entries(input.addresses) {
            guard case .network? = DeclaredAddresses.entry(raw), let entry = DeclaredAddresses.entry(raw) else {
                check.fail("addresses", "events.badAddress|\(raw.prefix(60))")
                break
            }
            if !addresses.contains(entry.text) { addresses.append(entry.text) }
        }
        var hostnames: [String] = []
        for raw in entries(input.hostnames) {
            guard case .name(let name)? = DeclaredAddresses.entry(raw) else {
                check.fail("hostnames", "events.badHostname|\(raw.prefix(60))")
                break
            }
            if !hostnames.contains(name) { hostnames.append(name) }
        }
        if addresses.count > maxMatchEntries { check.fail("addresses", "events.tooManyEntries|\(maxMatchEntries)") }
        if hostnames.count > maxMatchEntries { check.fail("hostnames", "events.tooManyEntries|\(maxMatchEntries)") }
        if kind == .syslog, addresses.isEmpty, hostnames.isEmpty, check.errors.isEmpty {
            check.fail("addresses", "events.matchRequired")
        }
        // The same address or name in two syslog sources would make matching depend on their order.
        if kind == .syslog, check.errors.isEmpty {
            let others = try await EventSource.query(on: db).filter(\.$kind == .syslog).all().filter { $0.id != excluding }
            for other in others {
                if let taken = other.addressList.first(where: addresses.contains) {
                    check.fail("addresses", "events.matchTaken|\(taken)|\(other.name)")
                    break
                }
                if let taken = other.hostnameList.first(where: hostnames.contains) {
                    check.fail("hostnames", "events.matchTaken|\(taken)|\(other.name)")
                    break
                }
            }
        }
        guard check.errors.isEmpty, let kind, let system else { throw AppError.validation(check.errors) }
        return Checked(name: name, kind: kind, system: system, addresses: addresses, hostnames: hostnames)
    }

    /// A new token: the secret (shown once) and what is stored.
    static func newToken() -> (secret: String, hash: String, hint: String) {
        let secret = EventSource.tokenPrefix + Secrets.randomToken()
        return (secret, Secrets.sha256Hex(secret), String(secret.prefix(10)))
    }

    struct Created: Sendable {
        var source: EventSource
        /// The ingest token of an http source, shown once.
        var token: String?
        /// Held events handed to the source (batches, events).
        var claimed: (batches: Int, events: Int)?
    }

    static func create(_ input: EventSourceInput, req: Request) async throws -> Created {
        let subject = try req.requireSubject()
        let checked = try await check(input, excluding: nil, subject: subject, on: req.db)
        let actor = req.auditActor
        let source = EventSource()
        source.id = UUID()
        source.name = checked.name
        source.kind = checked.kind
        source.agencyId = checked.system.$agency.id
        source.systemId = try checked.system.requireID()
        source.addresses = checked.addresses.isEmpty ? nil : checked.addresses.joined(separator: "\n")
        source.hostnames = checked.hostnames.isEmpty ? nil : checked.hostnames.joined(separator: "\n")
        source.enabled = input.enabled ?? true
        source.createdBy = subject.userId
        var token: String?
        if checked.kind == .http {
            let fresh = newToken()
            token = fresh.secret
            source.tokenHash = fresh.hash
            source.tokenHint = fresh.hint
            source.tokenCreatedAt = Date()
        }
        let claim = input.claimHeld == true && checked.kind == .syslog && source.enabled
        let claimed = try await req.write { db -> (Int, Int)? in
            try await source.create(on: db)
            var details: [String: String] = [:]
            var claimed: (Int, Int)?
            if claim {
                claimed = try await claimHeld(for: source, on: db)
                details = ["claimedBatches": String(claimed!.0), "claimedEvents": String(claimed!.1)]
            }
            try await AuditLog.append(AuditEntry("event_source.create", recordType: recordType, recordId: source.id?.uuidString,
                                                 agencyId: source.agencyId, after: source.auditSnapshot, details: details.isEmpty ? nil : details),
                                      by: actor, on: db)
            return claimed
        }
        req.application.eventSourceCache.invalidate()
        return Created(source: source, token: token, claimed: claimed.map { (batches: $0.0, events: $0.1) })
    }

    static func update(_ source: EventSource, with input: EventSourceInput, req: Request) async throws -> EventSource {
        let subject = try req.requireSubject()
        let checked = try await check(input, excluding: source.id, subject: subject, on: req.db)
        let before = source.auditSnapshot
        source.name = checked.name
        source.kind = checked.kind
        source.agencyId = checked.system.$agency.id
        source.systemId = try checked.system.requireID()
        source.addresses = checked.addresses.isEmpty ? nil : checked.addresses.joined(separator: "\n")
        source.hostnames = checked.hostnames.isEmpty ? nil : checked.hostnames.joined(separator: "\n")
        if let enabled = input.enabled { source.enabled = enabled }
        if checked.kind != .http {
            source.tokenHash = nil
            source.tokenHint = nil
            source.tokenCreatedAt = nil
        }
        let actor = req.auditActor
        try await req.write { db in
            try await source.save(on: db)
            try await AuditLog.append(AuditEntry("event_source.update", recordType: recordType, recordId: source.id?.uuidString,
                                                 agencyId: source.agencyId, before: before, after: source.auditSnapshot), by: actor, on: db)
        }
        req.application.eventSourceCache.invalidate()
        return source
    }

    static func setEnabled(_ source: EventSource, _ enabled: Bool, req: Request) async throws {
        guard source.enabled != enabled else { return }
        let before = source.auditSnapshot
        source.enabled = enabled
        let actor = req.auditActor
        try await req.write { db in
            try await source.save(on: db)
            try await AuditLog.append(AuditEntry(enabled ? "event_source.enable" : "event_source.disable", recordType: recordType,
                                                 recordId: source.id?.uuidString, agencyId: source.agencyId, before: before,
                                                 after: source.auditSnapshot), by: actor, on: db)
        }
        req.application.eventSourceCache.invalidate()
    }

    /// A new ingest token for an http source; the old one stops working at once. Returns the secret (shown once).
    static func rotateToken(_ source: EventSource, req: Request) async throws -> String {
        guard source.kind == .http else {
            throw AppError(status: .conflict, code: "not_http_source", messageKey: "events.tokenOnlyHttp")
        }
        let fresh = newToken()
        let before = source.auditSnapshot
        source.tokenHash = fresh.hash
        source.tokenHint = fresh.hint
        source.tokenCreatedAt = Date()
        let actor = req.auditActor
        try await req.write { db in
            try await source.save(on: db)
            try await AuditLog.append(AuditEntry("event_source.token_rotate", recordType: recordType, recordId: source.id?.uuidString,
                                                 agencyId: source.agencyId, before: before, after: source.auditSnapshot), by: actor, on: db)
        }
        return fresh.secret
    }

    /// Gives the held batches (no owner) whose sender address or host the source matches to that source, inside the
    /// caller's transaction. Returns (batches, events) moved.
    static func claimHeld(for source: EventSource, on db: any Database) async throws -> (Int, Int) {
        let sql = db as! any SQLDatabase
        let directory = EventSourceDirectory(entries: [.init(id: source.id!, agencyId: source.agencyId, systemId: source.systemId, name: source.name,
                                                             networks: source.addressList.compactMap(DeclaredAddresses.entry),
                                                             hostnames: Set(source.hostnameList.map(EventSourceDirectory.normalisedHost)))])
        let pairs = try await sql.raw("SELECT DISTINCT sender, host FROM event_batches WHERE agency_id IS NULL").all()
        var batches = 0
        var events = 0
        for row in pairs {
            let sender = try row.decode(column: "sender", as: String?.self)
            let host = try row.decode(column: "host", as: String?.self)
            guard directory.match(sender: sender, hostname: host) != nil else { continue }
            let senderCondition: SQLQueryString = sender.map { "sender = \(bind: $0)" } ?? "sender IS NULL"
            let hostCondition: SQLQueryString = host.map { "host = \(bind: $0)" } ?? "host IS NULL"
            let moved = try await sql.raw("""
                UPDATE event_batches SET agency_id = \(bind: source.agencyId), system_id = \(bind: source.systemId), source_id = \(bind: source.id!) \
                WHERE agency_id IS NULL AND \(senderCondition) AND \(hostCondition) RETURNING event_count
                """).all()
            batches += moved.count
            events += try moved.reduce(0) { $0 + Int(try $1.decode(column: "event_count", as: Int64.self)) }
        }
        return (batches, events)
    }
}
