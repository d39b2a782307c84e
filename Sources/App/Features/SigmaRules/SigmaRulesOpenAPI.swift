import Foundation

/// The SigmaRules part of the OpenAPI document; merged by OpenAPIDocument.
enum SigmaRulesOpenAPI {
    typealias O = OpenAPIDocument
    static let operations: [OpenAPIDocument.Operation] = []
    static var schemas: OpenAPIDocument.JSON { [:] }
}
