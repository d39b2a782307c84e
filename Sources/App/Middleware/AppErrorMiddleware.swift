import Foundation
import FluentKit
import Vapor

/// Renders every error in one place: `{"error":{…}}` for `/api`, an HTML page otherwise,
/// keeping the status. 5xx are logged as errors without leaking details to the client.
struct AppErrorMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: req)
        } catch {
            let appError = Self.appError(from: error)
            if appError.status.code >= 500 {
                req.logger.error("\(String(reflecting: error))", metadata: ["path": .string(req.url.path)])
            }
            return req.isAPI ? Self.json(appError, req: req) : Self.html(appError, req: req)
        }
    }

    static func appError(from error: any Error) -> AppError {
        switch error {
        case let error as AppError:
            return error
        case let error as any DatabaseError where error.isConstraintFailure:
            // A uniqueness or reference check that lost a race with another request.
            return .conflict("conflict", messageKey: "error.conflict")
        case let error as DecodingError:
            return .malformed(describe(error))
        case let error as any AbortError:
            switch error.status {
            case .notFound: return .notFound
            case .payloadTooLarge: return .tooLarge
            case .unauthorized: return .unauthenticated
            case .forbidden: return .forbidden
            case .badRequest, .unsupportedMediaType: return .malformed(error.reason)
            default:
                if error.status.code < 500 {
                    return AppError(status: error.status, code: "request_failed", messageKey: "error.generic", detail: error.reason)
                }
                return AppError(status: .internalServerError, code: "internal", messageKey: "error.internal")
            }
        default:
            return AppError(status: .internalServerError, code: "internal", messageKey: "error.internal")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map(\.stringValue).joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing field '\((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))'"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "wrong type at '\(path(context))'"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "body is not valid JSON" : "invalid value at '\(path(context))'"
        @unknown default:
            return "invalid body"
        }
    }

    private static func json(_ error: AppError, req: Request) -> Response {
        struct Envelope: Content {
            struct Body: Content {
                let code: String
                let message: String
                let fields: [String: String]?
            }
            let error: Body
        }
        let t = req.t
        var message = t(error.messageKey)
        if let detail = error.detail { message += ": " + detail }
        let fields = error.fields.isEmpty ? nil : error.fields.mapValues { t($0) }
        let response = Response(status: error.status)
        try? response.content.encode(Envelope(error: .init(code: error.code, message: message, fields: fields)))
        if error.status == .unauthorized {
            response.headers.replaceOrAdd(name: .wwwAuthenticate, value: "Bearer realm=\"ungcuu\"")
        }
        return response
    }

    private static func html(_ error: AppError, req: Request) -> Response {
        let page = ErrorPage.render(error, req: req)
        return HTMLResponse.make(page, status: error.status)
    }
}
