import Foundation

/// The warnings part of the OpenAPI document; merged by OpenAPIDocument.
enum WarningsOpenAPI {
    typealias O = OpenAPIDocument
    static let operations: [OpenAPIDocument.Operation] = []

    static var schemas: OpenAPIDocument.JSON { [:] }
}
