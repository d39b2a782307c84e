import Domain
import Fluent
import Foundation
import Testing
import VaporTesting
import ZIPFoundation
@testable import App

/// Everyone who might touch an incident case owned by `own`, with a system in each agency.
struct IncidentCast {
    let province: Agency
    let own: Agency
    let other: Agency
    let system: InformationSystem
    let otherSystem: InformationSystem
    let users: [String: User]
    let tokens: [String: HTTPHeaders]

    subscript(_ who: String) -> HTTPHeaders { tokens[who]! }
    func user(_ who: String) -> User { users[who]! }
    func id(_ who: String) -> UUID { users[who]!.id! }

    static func make(_ app: Application) async throws -> IncidentCast {
        let province = try await Make.agency(app, code: "UBND", name: "Ủy ban nhân dân tỉnh Lạng Sơn", kind: .provincialCommittee)
        let own = try await Make.agency(app, code: "SYT", name: "Sở Y tế", parent: province)
        let other = try await Make.agency(app, code: "STC", name: "Sở Tài chính", parent: province)
        let police = try await Make.agency(app, code: "CA", name: "Công an tỉnh", kind: .provincialPolice)
        var users: [String: User] = [:]
        users["coordinator"] = try await Make.user(app, role: .coordinator)
        users["coordinator2"] = try await Make.user(app, role: .coordinator)
        users["responder"] = try await Make.user(app, role: .responder)
        users["leader"] = try await Make.user(app, role: .leader)
        users["police"] = try await Make.user(app, role: .police, agency: police)
        users["officer"] = try await Make.user(app, role: .agencyOfficer, agency: own)
        users["officerOther"] = try await Make.user(app, role: .agencyOfficer, agency: other)
        var tokens: [String: HTTPHeaders] = [:]
        for (key, user) in users { tokens[key] = try await Make.token(app, for: user) }
        let system = try await Make.system(app, agency: own, code: "SYT-HIS", name: "Hệ thống thông tin bệnh viện")
        let otherSystem = try await Make.system(app, agency: other, code: "STC-KB", name: "Hệ thống kho bạc")
        return IncidentCast(province: province, own: own, other: other, system: system, otherSystem: otherSystem, users: users, tokens: tokens)
    }
}

enum IncidentFixture {
    static func iso(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }

    /// A complete API report body for `system`, detected two hours ago.
    static func body(system: InformationSystem?, title: String = "Mã độc tống tiền mã hóa máy chủ", category: String = "ransomware",
                     adjust: (inout [String: Any]) -> Void = { _ in }) -> [String: Any] {
        var body: [String: Any] = [
            "title": title,
            "description": "Các tệp trên máy chủ bị mã hóa, xuất hiện thư đòi tiền chuộc.",
            "categoryCode": category,
            "detectedAt": iso(Date().addingTimeInterval(-7200)),
            "occurredAt": iso(Date().addingTimeInterval(-10_800)),
            "contactName": "Nguyễn Văn An",
            "contactPhone": "0912 345 678",
            "contactEmail": "an@syt.test.vn",
            "servicesDown": true,
            "personalData": false,
            "beyondCapability": true,
            "actionsTaken": "Ngắt kết nối mạng máy chủ bị ảnh hưởng.",
        ]
        if let id = system?.id { body["systemIds"] = [id.uuidString] }
        adjust(&body)
        return body
    }

    /// Reports through the API and returns the new case.
    static func report(_ app: Application, headers: HTTPHeaders, _ body: [String: Any],
                       sourceLocation: SourceLocation = #_sourceLocation) async throws -> IncidentDTO {
        let res = try await send(app, .POST, "/api/v1/incidents", headers: headers, json: body)
        #expect(res.status == .created, "\(res.body.string)", sourceLocation: sourceLocation)
        return try res.content.decode(IncidentDTO.self)
    }

    /// One request; JSON or form body. Safe to run several at once.
    static func send(_ app: Application, _ method: HTTPMethod, _ path: String, headers: HTTPHeaders, json: [String: Any]? = nil,
                     form: [(String, String)]? = nil) async throws -> TestingHTTPResponse {
        try await app.testing().sendRequest(method, path, headers: headers) { req in
            if let json { JSONBody.set(&req, json) }
            if let form { FormBody.set(&req, form) }
        }
    }

    /// The current version of a case, for optimistic locking.
    static func version(_ app: Application, _ id: UUID) async throws -> Int {
        try #require(try await Incident.find(id, on: app.db)).version
    }

    static func reload(_ app: Application, _ id: UUID) async throws -> Incident {
        try #require(try await Incident.find(id, on: app.db))
    }

    /// Triage through the API with the case's current version.
    @discardableResult
    static func triage(_ app: Application, _ id: UUID, headers: HTTPHeaders, _ body: [String: Any] = ["severity": "high"],
                       expect status: HTTPStatus = .ok, sourceLocation: SourceLocation = #_sourceLocation) async throws -> TestingHTTPResponse {
        var body = body
        if body["version"] == nil { body["version"] = try await version(app, id) }
        let res = try await send(app, .POST, "/api/v1/incidents/\(id)/triage", headers: headers, json: body)
        #expect(res.status == status, "\(res.body.string)", sourceLocation: sourceLocation)
        return res
    }

    @discardableResult
    static func phase(_ app: Application, _ id: UUID, headers: HTTPHeaders, _ phase: String, extra: [String: Any] = [:],
                      expect status: HTTPStatus = .ok, sourceLocation: SourceLocation = #_sourceLocation) async throws -> TestingHTTPResponse {
        var body = extra
        body["phase"] = phase
        body["version"] = try await version(app, id)
        let res = try await send(app, .POST, "/api/v1/incidents/\(id)/phase", headers: headers, json: body)
        #expect(res.status == status, "\(res.body.string)", sourceLocation: sourceLocation)
        return res
    }

    @discardableResult
    static func note(_ app: Application, _ id: UUID, headers: HTTPHeaders, _ text: String, tlp: String = "amber", named: [UUID] = [],
                     kind: String? = nil, expect status: HTTPStatus = .created,
                     sourceLocation: SourceLocation = #_sourceLocation) async throws -> TestingHTTPResponse {
        var body: [String: Any] = ["body": text, "tlp": tlp, "namedUserIds": named.map(\.uuidString)]
        if let kind { body["kind"] = kind }
        let res = try await send(app, .POST, "/api/v1/incidents/\(id)/timeline", headers: headers, json: body)
        #expect(res.status == status, "\(res.body.string)", sourceLocation: sourceLocation)
        return res
    }

    @discardableResult
    static func observable(_ app: Application, _ id: UUID, headers: HTTPHeaders, type: String, value: String, tlp: String = "amber",
                           named: [UUID] = [], expect status: HTTPStatus = .created,
                           sourceLocation: SourceLocation = #_sourceLocation) async throws -> TestingHTTPResponse {
        let res = try await send(app, .POST, "/api/v1/incidents/\(id)/observables", headers: headers,
                                 json: ["type": type, "value": value, "tlp": tlp, "namedUserIds": named.map(\.uuidString)])
        #expect(res.status == status, "\(res.body.string)", sourceLocation: sourceLocation)
        return res
    }

    static func share(_ app: Application, _ id: UUID, headers: HTTPHeaders, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let res = try await send(app, .POST, "/api/v1/incidents/\(id)/share", headers: headers,
                                 json: ["version": try await version(app, id), "note": "Đề nghị Công an tỉnh phối hợp"])
        #expect(res.status == .ok, "\(res.body.string)", sourceLocation: sourceLocation)
    }

    /// Uploads evidence through the API (multipart).
    static func evidence(_ app: Application, _ id: UUID, headers: HTTPHeaders, name: String, bytes: [UInt8], tlp: String = "amber",
                         sourceLocation: SourceLocation = #_sourceLocation) async throws -> EvidenceDTO {
        let res = try await app.testing().sendRequest(.POST, "/api/v1/incidents/\(id)/evidence", headers: headers) { req in
            FormBody.multipart(&req, [("tlp", tlp), ("description", "Tệp thu thập")], files: [.init(filename: name, bytes: bytes)])
        }
        #expect(res.status == .created, "\(res.body.string)", sourceLocation: sourceLocation)
        return try #require(try res.content.decode([EvidenceDTO].self).first)
    }

    /// The visible text of `word/document.xml` in a .docx.
    static func docxText(_ data: Data) throws -> String {
        let archive = try Archive(data: data, accessMode: .read)
        let entry = try #require(archive["word/document.xml"])
        var xml = Data()
        _ = try archive.extract(entry) { xml.append($0) }
        return String(decoding: xml, as: UTF8.self).replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression)
    }

    /// A PDF whose bytes differ per call (so two uploads do not share a stored file).
    static func pdf(_ tag: String) -> [UInt8] { Fixture.pdf + Array("% \(tag)\n".utf8) }
}
