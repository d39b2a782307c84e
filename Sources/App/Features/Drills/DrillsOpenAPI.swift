import Foundation

/// The drills part of the OpenAPI document; merged by OpenAPIDocument.
enum DrillsOpenAPI {
    typealias O = OpenAPIDocument
    static let operations: [OpenAPIDocument.Operation] = []
    static var schemas: OpenAPIDocument.JSON { [:] }
}
