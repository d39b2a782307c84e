import Foundation

/// The plans part of the OpenAPI document; merged by OpenAPIDocument.
enum PlansOpenAPI {
    typealias O = OpenAPIDocument
    static let operations: [OpenAPIDocument.Operation] = []
    static var schemas: OpenAPIDocument.JSON { [:] }
}
