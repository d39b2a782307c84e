import Foundation

/// The scans part of the OpenAPI document; merged by OpenAPIDocument.
enum ScansOpenAPI {
    typealias O = OpenAPIDocument
    static let operations: [OpenAPIDocument.Operation] = []

    static var schemas: OpenAPIDocument.JSON { [:] }
}
