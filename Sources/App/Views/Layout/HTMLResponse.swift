import Foundation
import Plot
import Vapor

enum HTMLResponse {
    static func make(_ html: HTML, status: HTTPResponseStatus = .ok) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .html
        return Response(status: status, headers: headers, body: .init(string: html.render()))
    }
}

/// Lets handlers return a rendered page directly.
struct Page: AsyncResponseEncodable {
    let html: HTML
    var status: HTTPResponseStatus = .ok

    func encodeResponse(for request: Request) async throws -> Response {
        HTMLResponse.make(html, status: status)
    }
}
