import Domain
import Foundation
import Testing
import VaporTesting
@testable import App

/// Uploads through a real socket, where the body arrives in chunks after the route's middleware has run.
@Suite struct UploadOverNetworkTests {
    static func multipart(boundary: String, csrf: String, fileName: String, file: [UInt8]) -> ByteBuffer {
        var body = ByteBuffer()
        body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(csrf)\r\n")
        body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(fileName)\"\r\n")
        body.writeString("Content-Type: application/octet-stream\r\n\r\n")
        body.writeBytes(file)
        body.writeString("\r\n--\(boundary)--\r\n")
        return body
    }

    @Test func aLargeMultipartUploadPassesTheFormTokenCheckAndIsRead() async throws {
        try await withTestApp { app in
            let coordinator = try await Make.user(app, role: .coordinator)
            let (headers, csrf) = try await Make.session(app, for: coordinator)
            // Binary bytes and well over one network chunk, as a real spreadsheet or PDF is.
            let junk = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7919) }
            try await app.testing(method: .running(port: 0)).test(.POST, "/systems/import", headers: headers, beforeRequest: { req in
                req.headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=XyZ123")
                req.body = Self.multipart(boundary: "XyZ123", csrf: csrf, fileName: "danh-muc.bin", file: junk)
            }) { res in
                // Past the token check: the file itself is refused with a message, not the form as expired.
                #expect(res.status == .unprocessableEntity)
                #expect(res.body.string.contains("id=\"import-error\""))
            }
        }
    }

    @Test func aLargeMultipartUploadWithAWrongTokenIsRefused() async throws {
        try await withTestApp { app in
            let coordinator = try await Make.user(app, role: .coordinator)
            let (headers, _) = try await Make.session(app, for: coordinator)
            let junk = [UInt8](repeating: 0x41, count: 100_000)
            try await app.testing(method: .running(port: 0)).test(.POST, "/systems/import", headers: headers, beforeRequest: { req in
                req.headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=XyZ123")
                req.body = Self.multipart(boundary: "XyZ123", csrf: "not-the-token", fileName: "danh-muc.csv", file: junk)
            }) { res in #expect(res.status == .forbidden) }
        }
    }
}
