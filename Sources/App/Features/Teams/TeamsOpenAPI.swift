import Foundation

/// The teams part of the OpenAPI document; merged by OpenAPIDocument.
enum TeamsOpenAPI {
    typealias O = OpenAPIDocument
    static let operations: [OpenAPIDocument.Operation] = []
    static var schemas: OpenAPIDocument.JSON { [:] }
}
