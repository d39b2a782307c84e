import Foundation

/// The systems and components `ungcuu match-cves` matches advisories against, read from JSON.
///
/// Accepted shapes (the first is the documented one; the others are what the API already returns):
///
///     {"systems": [{"code": "HT-01", "name": "Cổng dịch vụ công",
///                   "components": [{"name": "Máy chủ web", "vendor": "apache", "product": "http_server",
///                                   "version": "2.4.57", "cpe": "cpe:2.3:a:apache:http_server:2.4.57:*:*:*:*:*:*:*"}]}]}
///     {"items": [ … ]}        a page of `GET /api/v1/systems` (each item a system as `GET /api/v1/systems/{id}` returns it)
///     { "code": …, "components": [ … ] }   one system, as `GET /api/v1/systems/{id}` returns it
///     [ … ]                   a bare array of systems
///
/// `code` is required (`id` stands in when absent); `name`, and every component field but `name`, are optional.
/// Unknown fields are ignored. Errors name the JSON path (`$.systems[2].components[0].vendor`).
public struct MatchInventory: Sendable, Equatable {
    public struct Component: Sendable, Equatable, Codable {
        public var name: String
        public var vendor: String?
        public var product: String?
        public var version: String?
        public var cpe: String?

        public init(name: String, vendor: String? = nil, product: String? = nil, version: String? = nil, cpe: String? = nil) {
            self.name = name
            self.vendor = vendor
            self.product = product
            self.version = version
            self.cpe = cpe
        }
    }

    public struct System: Sendable, Equatable {
        public var code: String
        public var name: String?
        public var components: [Component]

        public init(code: String, name: String? = nil, components: [Component]) {
            self.code = code
            self.name = name
            self.components = components
        }
    }

    public var systems: [System]

    public init(systems: [System]) { self.systems = systems }

    /// Most bytes an inventory may have (it is read whole; feeds are streamed).
    public static let maxBytes = 64 << 20

    public struct ReadError: Error, Sendable, Equatable, CustomStringConvertible {
        /// `$.systems[2].code`, or `$` for the document.
        public var path: String
        public var message: String
        public var description: String { "\(path): \(message)" }
    }

    public static func read(_ data: Data) throws(ReadError) -> MatchInventory {
        guard data.count <= maxBytes else { throw ReadError(path: "$", message: "larger than \(maxBytes >> 20) MB") }
        do {
            return try JSONDecoder().decode(Document.self, from: data).inventory
        } catch let error as ReadError {
            throw error
        } catch let DecodingError.dataCorrupted(context) {
            throw ReadError(path: jsonPath(context.codingPath), message: context.underlyingError.map { "not JSON (\($0.localizedDescription))" } ?? context.debugDescription)
        } catch let DecodingError.typeMismatch(type, context) {
            throw ReadError(path: jsonPath(context.codingPath), message: "must be \(typeName(type))")
        } catch let DecodingError.valueNotFound(type, context) {
            throw ReadError(path: jsonPath(context.codingPath), message: "must be \(typeName(type)), not null")
        } catch let DecodingError.keyNotFound(key, context) {
            throw ReadError(path: jsonPath(context.codingPath + [key]), message: "missing")
        } catch {
            throw ReadError(path: "$", message: "\(error)")
        }
    }

    static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is [Any].Type, is [SystemEntry].Type, is [ComponentEntry].Type: "an array"
        default: "an object"
        }
    }

    static func jsonPath(_ path: [any CodingKey]) -> String {
        "$" + path.map { key in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)" }.joined()
    }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int?
        init(_ s: String) { stringValue = s }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { self.intValue = intValue; stringValue = String(intValue) }
    }

    /// The top of the file in any of the accepted shapes.
    struct Document: Decodable {
        var inventory: MatchInventory

        init(from decoder: any Decoder) throws {
            if var list = try? decoder.unkeyedContainer() {
                var systems: [System] = []
                while !list.isAtEnd { systems.append(try list.decode(SystemEntry.self).system) }
                inventory = MatchInventory(systems: systems)
                return
            }
            let c = try decoder.container(keyedBy: Key.self)
            for key in ["systems", "items"] where c.contains(Key(key)) {
                inventory = MatchInventory(systems: try c.decode([SystemEntry].self, forKey: Key(key)).map(\.system))
                return
            }
            if c.contains(Key("components")) || c.contains(Key("code")) {
                inventory = MatchInventory(systems: [try SystemEntry(from: decoder).system])
                return
            }
            throw ReadError(path: "$", message: "expected {\"systems\": [...]}, a page of systems {\"items\": [...]}, one system or an array of systems")
        }
    }

    struct SystemEntry: Decodable {
        var system: System

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: Key.self)
            guard let code = try Text.read(c, "code") ?? Text.read(c, "id") else {
                throw ReadError(path: jsonPath(decoder.codingPath + [Key("code")]), message: "missing: every system needs a code")
            }
            let components = try c.decodeIfPresent([ComponentEntry].self, forKey: Key("components")) ?? []
            system = System(code: code, name: try Text.read(c, "name"),
                            components: components.enumerated().map { index, entry in
                                var component = entry.component
                                if component.name.isEmpty { component.name = component.cpe ?? "#\(index + 1)" }
                                return component
                            })
        }
    }

    struct ComponentEntry: Decodable {
        var component: Component

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: Key.self)
            let vendor = try Text.read(c, "vendor")
            let product = try Text.read(c, "product")
            let name = try Text.read(c, "name") ?? [vendor, product].compactMap { $0 }.joined(separator: " ")
            component = Component(name: name, vendor: vendor, product: product, version: try Text.read(c, "version"), cpe: try Text.read(c, "cpe"))
        }
    }

    /// A string field; a number is taken as its text (versions such as 2.4 are often written unquoted); empty is nil.
    enum Text {
        static func read(_ c: KeyedDecodingContainer<Key>, _ key: String) throws -> String? {
            let k = Key(key)
            guard c.contains(k), try !c.decodeNil(forKey: k) else { return nil }
            let value: String
            if let s = try? c.decode(String.self, forKey: k) {
                value = s
            } else if let i = try? c.decode(Int.self, forKey: k) {
                value = String(i)
            } else if let d = try? c.decode(Double.self, forKey: k) {
                value = String(d)
            } else {
                throw ReadError(path: jsonPath(c.codingPath + [k]), message: "must be a string")
            }
            let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
            return trimmed.isEmpty ? nil : trimmed
        }
    }
}
