import Foundation

/// The Hunts part of the OpenAPI document; merged by OpenAPIDocument.
enum HuntsOpenAPI {
    typealias O = OpenAPIDocument
    static let operations: [OpenAPIDocument.Operation] = []
    static var schemas: OpenAPIDocument.JSON { [:] }
}
