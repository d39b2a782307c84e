import Foundation

/// The proactive part of the OpenAPI document; merged by OpenAPIDocument.
enum ProactiveOpenAPI {
    typealias O = OpenAPIDocument
    static let operations: [OpenAPIDocument.Operation] = []

    static var schemas: OpenAPIDocument.JSON { [:] }
}
