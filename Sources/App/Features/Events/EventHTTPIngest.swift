import Foundation
import Detection
import Domain
import Fluent
import Vapor

/// `POST /api/v1/events`: JSON lines in, acknowledged only after the transaction that stores them (and their alerts)
/// has committed. Authenticated by a source's ingest token (its agency and system) or by a personal API token with
/// `uploadEvents` and `?system=<id>` (a system the caller may upload to; any other answers 404). Bodies are read within
/// `UNGCUU_MAX_EVENT_BODY_BYTES`, also after gzip decompression (413 beyond).
enum EventHTTPIngest {
    /// Bad lines listed in a response at most (`rejectedTotal` counts them all).
    static let maxListedRejections = 1_000

    struct Rejected: Content, Sendable {
        var line: Int
        var error: String
    }

    struct Result: Content, Sendable {
        var accepted: Int
        var rejected: [Rejected]
        var rejectedTotal: Int
    }

    static func ingest(req: Request) async throws -> Response {
        let owner = try await owner(req)
        try checkContentType(req)
        let limit = req.application.config.maxEventBodyBytes
        var body = try await readBody(req, limit: limit)
        if let encoding = req.headers.first(name: .contentEncoding)?.lowercased().trimmingCharacters(in: .whitespaces), !encoding.isEmpty,
           encoding != "identity" {
            // Over the network the server has already inflated gzip and deflate bodies as they arrived (configure.swift),
            // leaving the header; a body still compressed (in-process callers) is inflated here, within the same limit.
            guard ["gzip", "x-gzip", "deflate"].contains(encoding), Gunzip.isGzip(body) || encoding != "deflate" || looksInflated(body) else {
                throw AppError(status: .unsupportedMediaType, code: "unsupported_encoding", messageKey: "events.unsupportedEncoding",
                               detail: "Content-Encoding \(encoding.prefix(40))")
            }
            if Gunzip.isGzip(body) || !looksInflated(body) {
                do { body = try Gunzip.inflate(body, limit: limit) } catch {
                    if case .tooLarge = error { throw tooLarge(limit) }
                    throw AppError.malformed(error.description)
                }
            }
        }
        let app = req.application
        let receivedAt = Date()
        let lines = body
        let outcome: Result
        do {
            outcome = try await app.write { db in
                try await store(lines: lines, owner: owner, receivedAt: receivedAt, app: app, on: db)
            }
        } catch let nothing as NothingAccepted {
            return try errorResponse(req, status: .badRequest, code: nothing.result.rejectedTotal == 0 ? "no_events" : "no_valid_events",
                                     messageKey: nothing.result.rejectedTotal == 0 ? "events.noEvents" : "events.noValidEvents",
                                     result: nothing.result)
        }
        let response = Response(status: .ok)
        try response.content.encode(outcome)
        return response
    }

    /// Thrown inside the transaction when no line was accepted (nothing is written).
    struct NothingAccepted: Error { let result: Result }

    /// Parses the lines and stores them in chunks, in the caller's transaction.
    static func store(lines body: [UInt8], owner: EventIngestor.Owner, receivedAt: Date, app: Application, on db: any Database) async throws -> Result {
        var rejected: [Rejected] = []
        var rejectedTotal = 0
        var accepted = 0
        // One parser for the whole body: it keeps the keys and key sequences of earlier lines.
        let parser = JSONLineParser()
        var lineNumber = 0
        // A UTF-8 byte-order mark before the first line is not part of it.
        var offset = body.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while offset < body.count {
            // Parse up to one chunk of lines without suspending (the bytes stay borrowed), then store them.
            var pending: [IncomingEvent] = []
            pending.reserveCapacity(EventIngestor.chunkSize)
            body.withUnsafeBytes { raw in
                let base = raw.baseAddress!
                let count = raw.count
                while offset < count, pending.count < EventIngestor.chunkSize {
                    lineNumber += 1
                    let end = memchr(base + offset, 0x0A, count - offset).map { base.distance(to: UnsafeRawPointer($0)) } ?? count
                    var first = offset
                    var last = end
                    offset = end + 1
                    while last > first, [0x0D, 0x20, 0x09].contains(raw[last - 1]) { last -= 1 }
                    while first < last, raw[first] == 0x20 || raw[first] == 0x09 { first += 1 }
                    if first == last { continue }
                    do throws(JSONLineError) {
                        let event = try parser.parse(UnsafeRawBufferPointer(rebasing: raw[first..<last]), line: lineNumber)
                        pending.append(EventIngestor.incoming(event, owner: owner, receivedAt: receivedAt))
                    } catch {
                        rejectedTotal += 1
                        if rejected.count < maxListedRejections {
                            rejected.append(Rejected(line: lineNumber, error: "column \(error.column): \(error.message)"))
                        }
                    }
                }
            }
            accepted += try await EventIngestor.store(pending, app: app, on: db)
        }
        let result = Result(accepted: accepted, rejected: rejected, rejectedTotal: rejectedTotal)
        if accepted == 0 { throw NothingAccepted(result: result) }
        return result
    }

    // MARK: who is sending

    static func owner(_ req: Request) async throws -> EventIngestor.Owner {
        let systemParam = req.query[String.self, at: "system"] ?? req.query[String.self, at: "systemId"]
        if let bearer = req.headers.bearerAuthorization?.token, bearer.hasPrefix(EventSource.tokenPrefix) {
            guard bearer.count < 200,
                  let source = try await EventSource.query(on: req.db).filter(\.$tokenHash == Secrets.sha256Hex(bearer)).first(),
                  source.enabled,
                  let system = try await InformationSystem.find(source.systemId, on: req.db)
            else { throw AppError.unauthenticated }
            if let systemParam, UUID(uuidString: systemParam) != source.systemId {
                throw AppError(status: .badRequest, code: "system_mismatch", messageKey: "events.systemMismatch", fields: ["system": "events.systemMismatch"])
            }
            return .init(agencyId: system.$agency.id, systemId: source.systemId, sourceId: source.id)
        }
        // A personal token: what AccessGuard checks for `.action` routes (this route is open because ingest tokens
        // belong to no user), then the system.
        guard let user = req.currentUser, let subject = req.subject else { throw AppError.unauthenticated }
        if user.mustChangePassword {
            throw AppError(status: .forbidden, code: "password_change_required", messageKey: "error.passwordChangeRequired")
        }
        if try await TwoFactorRequirement.mustEnrol(user, req: req) {
            throw AppError(status: .forbidden, code: "two_factor_required", messageKey: "error.twoFactorRequired")
        }
        guard Policy.can(subject, .uploadEvents) else {
            try await req.audit(AuditEntry("access.denied", details: ["action": Action.uploadEvents.rawValue, "path": req.url.path,
                                                                      "method": req.method.rawValue]))
            throw AppError.forbidden
        }
        guard let systemParam, !systemParam.isEmpty else {
            throw AppError.validation(FieldErrors(["system": "events.systemRequired"]))
        }
        guard let id = UUID(uuidString: systemParam), let system = try await InformationSystem.visible(id, to: subject, on: req.db) else {
            throw AppError.notFound
        }
        try await req.authorize(.uploadEvents, .owned(agencyId: system.$agency.id), readAction: .viewDetection,
                                recordType: "information_system", recordId: id)
        var sourceId: UUID?
        if let raw = req.query[String.self, at: "source"] ?? req.query[String.self, at: "sourceId"] {
            guard let sid = UUID(uuidString: raw), let source = try await EventSource.find(sid, on: req.db), source.systemId == id else {
                throw AppError.notFound
            }
            sourceId = sid
        }
        return .init(agencyId: system.$agency.id, systemId: id, sourceId: sourceId)
    }

    // MARK: body

    /// Text already: empty, or JSON lines (the first byte after blank space is `{`).
    static func looksInflated(_ body: [UInt8]) -> Bool {
        guard let first = body.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) else { return true }
        return first == UInt8(ascii: "{") || (body.count >= 3 && body[0] == 0xEF && body[1] == 0xBB && body[2] == 0xBF)
    }

    static func checkContentType(_ req: Request) throws {
        guard let type = req.headers.contentType else { return }
        let accepted = [("application", "x-ndjson"), ("application", "ndjson"), ("application", "jsonl"), ("application", "x-jsonlines"),
                        ("application", "json"), ("text", "plain"), ("application", "octet-stream")]
        guard accepted.contains(where: { $0.0 == type.type.lowercased() && $0.1 == type.subType.lowercased() }) else {
            throw AppError(status: .unsupportedMediaType, code: "unsupported_media_type", messageKey: "events.unsupportedMediaType",
                           detail: "\(type.type)/\(type.subType)")
        }
    }

    static func tooLarge(_ limit: Int) -> AppError {
        AppError(status: .payloadTooLarge, code: "too_large", messageKey: "events.bodyTooLarge|\(max(1, limit / 1_048_576))")
    }

    /// The whole body, refused (413) as soon as it grows past the limit.
    static func readBody(_ req: Request, limit: Int) async throws -> [UInt8] {
        if let length = req.headers.first(name: .contentLength).flatMap(Int.init), length > limit { throw tooLarge(limit) }
        if let data = req.body.data {
            guard data.readableBytes <= limit else { throw tooLarge(limit) }
            return Array(data.readableBytesView)
        }
        let chunked = req.headers.first(name: .transferEncoding) != nil
        let length = Int(req.headers.first(name: .contentLength) ?? "0") ?? 0
        guard chunked || length > 0 else { return [] }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(min(max(length, 65_536), limit))
        for try await chunk in req.body {
            guard bytes.count + chunk.readableBytes <= limit else { throw tooLarge(limit) }
            bytes.append(contentsOf: chunk.readableBytesView)
        }
        return bytes
    }

    private static func errorResponse(_ req: Request, status: HTTPResponseStatus, code: String, messageKey: String, result: Result) throws -> Response {
        struct Envelope: Content {
            struct Body: Content {
                let code: String
                let message: String
            }
            let error: Body
            let accepted: Int
            let rejected: [Rejected]
            let rejectedTotal: Int
        }
        let response = Response(status: status)
        try response.content.encode(Envelope(error: .init(code: code, message: req.t(messageKey)), accepted: 0, rejected: result.rejected,
                                             rejectedTotal: result.rejectedTotal))
        return response
    }
}
