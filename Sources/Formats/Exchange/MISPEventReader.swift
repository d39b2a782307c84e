import Foundation

/// Reads the observables of a MISP event: `{"Event": {…}}`, a bare event object, or an API response
/// `{"response": [{"Event": {…}}]}`. Attributes of the event and of its objects are read; composite
/// types (`ip-dst|port`, `filename|sha256`, `domain|ip`, `regkey|value`, `malware-sample` …) give two
/// observables. Types UngCuu has no type for become `other`, their MISP type noted in the comment.
/// An attribute's `tlp:` tag wins over its object's and the event's; otherwise `defaultTLP`.
///
/// Pure: returns every observable, or throws an `ExchangeError` naming the place, importing nothing.
public enum MISPEventReader {
    public static func read(_ data: Data, limits: ExchangeLimits = .default,
                            defaultTLP: ExchangeTLP = .amber) throws -> ExchangeImport {
        let root = try JSONValue.parse(data, limits: limits)
        guard case .object(let document) = root else {
            throw ExchangeError(.wrongType, at: "$", "Expected a MISP event (a JSON object with \"Event\"), found a JSON \(root.kindName).")
        }
        let (event, prefix) = try locateEvent(document)
        var reader = Reader(limits: limits, prefix: prefix)
        return try reader.read(event, defaultTLP: defaultTLP)
    }

    static func locateEvent(_ document: JSONObject) throws -> (JSONObject, String) {
        if let value = document["Event"] {
            guard let event = value.objectValue else {
                throw ExchangeError(.wrongType, at: "Event", "\"Event\" must be an object, found a \(value.kindName).")
            }
            return (event, "Event.")
        }
        if let response = document["response"] {
            guard let first = response.arrayValue?.first?.objectValue, let event = first["Event"]?.objectValue else {
                throw ExchangeError(.wrongType, at: "response", "Expected \"response\" to hold [{\"Event\": {…}}].")
            }
            return (event, "response[0].Event.")
        }
        if document["Attribute"] != nil || document["Object"] != nil || document["info"] != nil {
            return (document, "")
        }
        if document["type"]?.stringValue == "bundle" {
            throw ExchangeError(.wrongType, at: "type", "This is a STIX bundle, not a MISP event.")
        }
        throw ExchangeError(.wrongType, at: "$", "Expected a MISP event: {\"Event\": {\"info\": …, \"Attribute\": […]}}.")
    }

    struct Reader {
        let limits: ExchangeLimits
        let prefix: String
        var merger = ExchangeMerge.Merger()
        var skipped: [ExchangeSkipped] = []

        init(limits: ExchangeLimits, prefix: String) {
            self.limits = limits
            self.prefix = prefix
        }

        mutating func read(_ event: JSONObject, defaultTLP: ExchangeTLP) throws -> ExchangeImport {
            let eventTags = try tags(of: event, at: String(prefix.dropLast(prefix.isEmpty ? 0 : 1)))
            let eventTLP = eventTags.tlp ?? defaultTLP
            let attributes = try array(event, "Attribute", at: prefix + "Attribute")
            let objects = try array(event, "Object", at: prefix + "Object")

            var total = attributes.count
            var objectAttributes: [(location: String, attributes: [JSONValue], tlp: ExchangeTLP)] = []
            for (index, value) in objects.enumerated() {
                let location = "\(prefix)Object[\(index)]"
                guard let object = value.objectValue else {
                    throw ExchangeError(.invalidObject, at: location, "A MISP object must be a JSON object, found a \(value.kindName).")
                }
                let inner = try array(object, "Attribute", at: location + ".Attribute")
                total += inner.count
                objectAttributes.append((location + ".Attribute", inner, try tags(of: object, at: location).tlp ?? eventTLP))
            }
            guard total <= limits.maxObjects else {
                throw ExchangeError(.tooManyObjects, at: prefix + "Attribute", "The event has \(total) attributes; at most \(limits.maxObjects) are accepted.")
            }
            for (index, attribute) in attributes.enumerated() {
                try readAttribute(attribute, at: "\(prefix)Attribute[\(index)]", inherited: eventTLP)
            }
            for group in objectAttributes {
                for (index, attribute) in group.attributes.enumerated() {
                    try readAttribute(attribute, at: "\(group.location)[\(index)]", inherited: group.tlp)
                }
            }
            return ExchangeImport(observables: merger.items.map(\.observable), skipped: skipped,
                                  title: nonEmpty(event["info"]?.stringValue))
        }

        func array(_ object: JSONObject, _ key: String, at location: String) throws -> [JSONValue] {
            switch object[key] {
            case nil, .null?: return []
            case .array(let items)?: return items
            case let other?: throw ExchangeError(.invalidObject, at: location, "\"\(key)\" must be an array, found a \(other.kindName).")
            }
        }

        /// TLP and the other tag names of an event, object or attribute.
        func tags(of object: JSONObject, at location: String) throws -> (tlp: ExchangeTLP?, names: [String]) {
            var tlp: ExchangeTLP?
            var names: [String] = []
            let tagLocation = location.isEmpty ? "Tag" : location + ".Tag"
            for (index, value) in try array(object, "Tag", at: tagLocation).enumerated() {
                guard let name = value.objectValue?["name"]?.stringValue else {
                    throw ExchangeError(.invalidObject, at: "\(tagLocation)[\(index)]", "A tag must be an object with a \"name\".")
                }
                if let level = MISPVocabulary.tlp(ofTag: name) {
                    tlp = max(tlp ?? level, level)
                } else if !name.hasPrefix(MISPVocabulary.severityTagPrefix), !name.hasPrefix(MISPVocabulary.categoryTagPrefix) {
                    names.append(name)
                }
            }
            return (tlp, names)
        }

        mutating func readAttribute(_ value: JSONValue, at location: String, inherited: ExchangeTLP) throws {
            guard let attribute = value.objectValue else {
                throw ExchangeError(.invalidObject, at: location, "An attribute must be a JSON object, found a \(value.kindName).")
            }
            if attribute["deleted"]?.boolValue == true { return }
            guard let type = attribute["type"]?.stringValue, !type.isEmpty else {
                throw ExchangeError(.invalidObject, at: location + ".type", "The attribute has no \"type\".")
            }
            let text: String
            switch attribute["value"] {
            case .string(let s)?: text = s
            case .integer(let i)?: text = String(i)
            case nil, .null?: throw ExchangeError(.invalidObject, at: location + ".value", "The attribute has no \"value\".")
            case let other?: throw ExchangeError(.invalidObject, at: location + ".value", "\"value\" must be a string, found a \(other.kindName).")
            }
            let tags = try tags(of: attribute, at: location)
            let firstSeen = attribute["first_seen"]?.stringValue.flatMap(ExchangeIdentifiers.parseTimestamp)
            let base = ExchangeObservable(type: "", value: "", tlp: tags.tlp ?? inherited,
                                          comment: nonEmpty(attribute["comment"]?.stringValue), firstSeen: firstSeen, tags: tags.names)
            try addParts(type: type, value: text, at: location + ".value", base: base)
        }

        mutating func addParts(type: String, value: String, at location: String, base: ExchangeObservable) throws {
            var type = type
            if type == "malware-sample" { type = "filename|md5" }
            guard type.contains("|") else {
                try addSingle(misp: type, value: value, at: location, base: base)
                return
            }
            let types = type.split(separator: "|", maxSplits: 1).map(String.init)
            guard types.count == 2, let bar = value.firstIndex(of: "|") else {
                throw ExchangeError(.invalidValue, at: location, "A \(type) value must have two parts separated by \"|\".")
            }
            let first = String(value[..<bar])
            let second = String(value[value.index(after: bar)...])
            switch types[1] {
            case "port":
                try addSingle(misp: types[0], value: first, at: location, base: base)
                let host = first.trimmedWhitespace
                let socket = host.contains(":") ? "[\(host)]:\(second)" : "\(host):\(second)"
                try add(.other, socket, at: location, base: base, note: type)
            case "value" where types[0] == "regkey":
                try addSingle(misp: "regkey", value: first, at: location, base: base)
                try add(.other, second, at: location, base: base, note: "registry value of \(ObservableValueShape.excerpt(first))")
            default:
                try addSingle(misp: types[0], value: first, at: location, base: base)
                try addSingle(misp: types[1], value: second, at: location, base: base)
            }
        }

        mutating func addSingle(misp: String, value: String, at location: String, base: ExchangeObservable) throws {
            switch misp.lowercased() {
            case "ip-src", "ip-dst", "ip":
                let trimmed = value.trimmedWhitespace
                guard let type = ObservableValueShape.addressType(trimmed) else {
                    throw ExchangeError(.invalidValue, at: location, "\"\(ObservableValueShape.excerpt(trimmed))\" is not an IP address or CIDR range.")
                }
                try add(type, trimmed, at: location, base: base)
            case "hostname", "domain": try add(.domain, value, at: location, base: base)
            case "url": try add(.url, value, at: location, base: base)
            case "email", "email-src", "email-dst", "email-reply-to", "target-email", "whois-registrant-email", "dns-soa-email":
                try add(.email, value, at: location, base: base)
            case "md5": try add(.md5, value, at: location, base: base)
            case "sha1": try add(.sha1, value, at: location, base: base)
            case "sha256": try add(.sha256, value, at: location, base: base)
            case "sha512": try add(.sha512, value, at: location, base: base)
            case "filename", "attachment":
                try add(ObservableValueShape.looksLikePath(value) ? .filePath : .fileName, value, at: location, base: base)
            case "regkey": try add(.registryKey, value, at: location, base: base)
            case "mutex": try add(.mutex, value, at: location, base: base)
            case "user-agent": try add(.userAgent, value, at: location, base: base)
            case "as": try add(.asn, value, at: location, base: base)
            case "text", "other", "comment": try add(.other, value, at: location, base: base)
            default: try add(.other, value, at: location, base: base, note: "MISP type \(misp)")
            }
        }

        mutating func add(_ type: ExchangeObservableType, _ raw: String, at location: String, base: ExchangeObservable,
                          note: String? = nil) throws {
            var observable = base
            observable.type = type.rawValue
            observable.value = try ObservableValueShape.check(raw, type: type, at: location, maxLength: limits.maxValueLength)
            if let note { observable.comment = [note, base.comment].compactMap { $0 }.joined(separator: ": ") }
            merger.add(observable, type: type)
            guard merger.count <= limits.maxObservables else {
                throw ExchangeError(.tooManyObjects, at: location, "The event yields more than \(limits.maxObservables) observables.")
            }
        }
    }
}
