import Foundation

/// The incidents part of the OpenAPI document; merged by OpenAPIDocument.
enum IncidentsOpenAPI {
    typealias O = OpenAPIDocument
    static let operations: [OpenAPIDocument.Operation] = []
    static var schemas: OpenAPIDocument.JSON { [:] }
}
