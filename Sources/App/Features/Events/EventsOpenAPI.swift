import Foundation

/// The Events part of the OpenAPI document; merged by OpenAPIDocument.
enum EventsOpenAPI {
    typealias O = OpenAPIDocument
    static let operations: [OpenAPIDocument.Operation] = []
    static var schemas: OpenAPIDocument.JSON { [:] }
}
