import Foundation

/// The Alerts part of the OpenAPI document; merged by OpenAPIDocument.
enum AlertsOpenAPI {
    typealias O = OpenAPIDocument
    static let operations: [OpenAPIDocument.Operation] = []
    static var schemas: OpenAPIDocument.JSON { [:] }
}
