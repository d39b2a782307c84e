import Foundation

/// The findings part of the OpenAPI document; merged by OpenAPIDocument.
enum FindingsOpenAPI {
    typealias O = OpenAPIDocument
    static let operations: [OpenAPIDocument.Operation] = []

    static var schemas: OpenAPIDocument.JSON { [:] }
}
