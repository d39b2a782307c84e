import Domain
import Fluent
import Foundation
import Testing
import VaporTesting
@testable import App

extension Make {
    /// A system written as the registry writes it (first revision, obligations refreshed). By default an
    /// operating internal system holding personal data: level 2.
    @discardableResult
    static func system(_ app: Application, agency: Agency, code: String = "HT-\(Int.random(in: 1000...999_999))",
                       name: String = "Hệ thống thử nghiệm", functionType: FunctionType = .internal,
                       classes: [InformationClass] = [.personal], subjects: Int = 0, lifecycle: LifecycleStatus = .operating,
                       goLive: String? = "2024-01-15", components: [ComponentInput.Valid] = [],
                       adjust: (inout SystemInput) -> Void = { _ in }) async throws -> InformationSystem {
        var input = SystemInput(agencyId: agency.id!.uuidString)
        input.code = code
        input.name = name
        input.ownerName = "UBND tỉnh"
        input.operatorName = "Trung tâm CNTT"
        input.functionType = functionType.rawValue
        input.informationClasses = classes.map(\.rawValue)
        input.personalDataSubjects = String(subjects)
        input.lifecycle = lifecycle.rawValue
        input.goLiveDate = goLive
        input.hosting = HostingKind.provincialDataCentre.rawValue
        adjust(&input)
        let (valid, check) = input.check()
        let checked = try #require(valid, "fixture is invalid: \(check.errors.messages)")
        let rules = app.rules
        return try await app.write { db in
            try await SystemService.insert(checked, components: components, actor: .system("test"), rules: rules, on: db)
        }
    }

    /// Takes a system through the whole level workflow with the coordinator's token; returns the approved dossier.
    @discardableResult
    static func approve(_ app: Application, _ system: InformationSystem, coordinator headers: HTTPHeaders,
                        proposedLevel: Int? = nil, justification: String? = nil) async throws -> DossierDTO {
        let sid = system.id!
        var body: [String: Any] = [:]
        if let proposedLevel { body["proposedLevel"] = proposedLevel }
        if let justification { body["justification"] = justification }
        var dossier: DossierDTO?
        try await app.testing().test(.POST, "/api/v1/systems/\(sid)/dossiers", headers: headers, beforeRequest: { req in
            JSONBody.set(&req, body)
        }) { res in
            #expect(res.status == .created, "opening: \(res.body.string)")
            dossier = try res.content.decode(DossierDTO.self)
        }
        var current = try #require(dossier)
        for _ in 0..<6 where current.state != .approved {
            let transition: DossierTransition = switch current.state {
            case .draft, .returnedForRevision: .submit
            case .awaitingOpinion: .giveOpinion
            case .submittedForAppraisal: .appraise
            case .appraised: .submitForApproval
            default: .approve
            }
            current = try await Self.transition(app, system, current.id, transition, headers: headers, expect: .ok)!
        }
        #expect(current.state == .approved)
        return current
    }

    /// One workflow step through the API; returns the dossier when the call succeeded.
    @discardableResult
    static func transition(_ app: Application, _ system: InformationSystem, _ dossierId: UUID, _ transition: DossierTransition,
                           headers: HTTPHeaders, comment: String? = "Ý kiến", decisionNumber: String? = "15/QĐ-UBND",
                           decisionDate: String? = DisplayTime.isoDay(Date()), expect status: HTTPStatus,
                           sourceLocation: SourceLocation = #_sourceLocation) async throws -> DossierDTO? {
        var body: [String: Any] = ["transition": transition.rawValue]
        if let comment { body["comment"] = comment }
        if transition == .approve {
            if let decisionNumber { body["decisionNumber"] = decisionNumber }
            if let decisionDate { body["decisionDate"] = decisionDate }
        }
        var result: DossierDTO?
        try await app.testing().test(.POST, "/api/v1/systems/\(system.id!)/dossiers/\(dossierId)/transitions", headers: headers,
                                     beforeRequest: { req in JSONBody.set(&req, body) }) { res in
            #expect(res.status == status, "\(transition.rawValue): \(res.body.string)", sourceLocation: sourceLocation)
            if res.status == .ok { result = try res.content.decode(DossierDTO.self) }
        }
        return result
    }

    /// A fresh copy of a system from the database.
    static func reload(_ app: Application, _ system: InformationSystem) async throws -> InformationSystem {
        try #require(try await InformationSystem.find(system.id, on: app.db))
    }
}

/// Request bodies the way browsers and clients send them.
enum JSONBody {
    static func set(_ req: inout TestingHTTPRequest, _ object: [String: Any]) {
        req.headers.contentType = .json
        req.body = ByteBuffer(data: try! JSONSerialization.data(withJSONObject: object))
    }

    /// The `{"error": {...}}` object of an error response.
    static func error(_ res: TestingHTTPResponse) throws -> (code: String, fields: [String: String], message: String) {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(res.body.readableBytesView)) as? [String: Any], "\(res.body.string)")
        let error = try #require(object["error"] as? [String: Any], "no error object in \(res.body.string)")
        return (error["code"] as? String ?? "", error["fields"] as? [String: String] ?? [:], error["message"] as? String ?? "")
    }

    static func object(_ res: TestingHTTPResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(res.body.readableBytesView)) as? [String: Any], "\(res.body.string)")
    }

    static func array(_ res: TestingHTTPResponse) throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: Data(res.body.readableBytesView)) as? [[String: Any]], "\(res.body.string)")
    }
}

enum FormBody {
    /// `application/x-www-form-urlencoded`; keys keep their `[]` so repeated keys read as arrays.
    static func set(_ req: inout TestingHTTPRequest, _ pairs: [(String, String)]) {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        let text = pairs.map { key, value in
            key.addingPercentEncoding(withAllowedCharacters: allowed.union(CharacterSet(charactersIn: "[]")))! + "="
                + value.addingPercentEncoding(withAllowedCharacters: allowed)!
        }.joined(separator: "&")
        req.headers.contentType = .urlEncodedForm
        req.body = ByteBuffer(string: text)
    }

    struct Upload {
        var field: String = "files[]"
        var filename: String
        var contentType: String = "application/octet-stream"
        var bytes: [UInt8]
    }

    /// `multipart/form-data` with text fields and files.
    static func multipart(_ req: inout TestingHTTPRequest, _ pairs: [(String, String)], files: [Upload]) {
        let boundary = "----ungcuu-test-\(UUID().uuidString)"
        var body = ByteBuffer()
        for (key, value) in pairs {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(key)\"\r\n\r\n\(value)\r\n")
        }
        for file in files {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.filename)\"\r\n")
            body.writeString("Content-Type: \(file.contentType)\r\n\r\n")
            body.writeBytes(file.bytes)
            body.writeString("\r\n")
        }
        body.writeString("--\(boundary)--\r\n")
        req.headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
        req.body = body
    }
}

/// Small fixtures of real file types.
enum Fixture {
    static let pdf: [UInt8] = Array("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".utf8)
    static let elf: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00] + Array(repeating: 0, count: 56)
    static let mz: [UInt8] = [0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00] + Array(repeating: 0, count: 56)
    static let unknownBinary: [UInt8] = [0x00, 0x01, 0x02, 0xFE, 0xFF, 0x10, 0x11, 0x12, 0x00, 0x9C, 0x88]
}

extension TestingHTTPResponse {
    /// The text of the element with this id (tags removed), for pages.
    func element(id: String) -> String? {
        let html = body.string
        guard let start = html.range(of: "id=\"\(id)\"") else { return nil }
        let rest = html[start.upperBound...]
        guard let close = rest.firstIndex(of: ">") else { return nil }
        let inner = rest[rest.index(after: close)...]
        let end = inner.range(of: "</")?.lowerBound ?? inner.endIndex
        return String(inner[..<end])
    }
}

extension TestingHTTPResponse {
    /// The figures (`<span class="number">`) of a stats section, in order.
    func statNumbers(section id: String) -> [Int] {
        let html = body.string
        guard let start = html.range(of: "id=\"\(id)\"") else { return [] }
        let rest = html[start.upperBound...]
        let section = rest[..<(rest.range(of: "</section>")?.lowerBound ?? rest.endIndex)]
        return section.components(separatedBy: "<span class=\"number\">").dropFirst().compactMap { part in
            Int(part.prefix { $0 != "<" }.filter(\.isNumber))
        }
    }
}

extension Application {
    /// Counts rows of a model, for "nothing was written" checks.
    func count<M: Model>(_ type: M.Type) async throws -> Int { try await M.query(on: db).count() }
}
