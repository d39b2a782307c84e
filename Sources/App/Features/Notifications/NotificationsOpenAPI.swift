import Foundation

/// The notifications part of the OpenAPI document; merged by OpenAPIDocument.
enum NotificationsOpenAPI {
    typealias O = OpenAPIDocument
    static let operations: [OpenAPIDocument.Operation] = []
    static var schemas: OpenAPIDocument.JSON { [:] }
}
