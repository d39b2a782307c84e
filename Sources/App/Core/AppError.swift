import Foundation
import Domain
import Vapor

/// Every error a user or client can see. `code` is stable (clients and tests rely on it);
/// `messageKey` is a catalogue key; `fields` maps field names to catalogue keys.
struct AppError: AbortError, Sendable {
    let status: HTTPResponseStatus
    let code: String
    let messageKey: String
    var fields: [String: String] = [:]
    /// Extra, non-localised detail for malformed input (e.g. the JSON decoder's message).
    var detail: String?

    var reason: String { detail ?? code }

    static let unauthenticated = AppError(status: .unauthorized, code: "unauthenticated", messageKey: "error.unauthenticated")
    static let forbidden = AppError(status: .forbidden, code: "forbidden", messageKey: "error.forbidden")
    static let notFound = AppError(status: .notFound, code: "not_found", messageKey: "error.notFound")
    static let csrf = AppError(status: .forbidden, code: "csrf_failed", messageKey: "error.csrf")
    static let tooLarge = AppError(status: .payloadTooLarge, code: "too_large", messageKey: "error.tooLarge")

    static func malformed(_ detail: String) -> AppError {
        AppError(status: .badRequest, code: "malformed", messageKey: "error.malformed", detail: detail)
    }

    static func validation(_ errors: FieldErrors) -> AppError {
        AppError(status: .unprocessableEntity, code: "validation_failed", messageKey: "error.validation", fields: errors.messages)
    }

    static func conflict(_ code: String, field: String? = nil, messageKey: String) -> AppError {
        AppError(status: .conflict, code: code, messageKey: messageKey, fields: field.map { [$0: messageKey] } ?? [:])
    }
}
