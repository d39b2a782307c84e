import Foundation

/// Reads the observables of a STIX 2.1 bundle (2.0 bundles are read too): from cyber-observable objects
/// (also those embedded in 2.0 `observed-data`), from the comparisons of `stix` indicator patterns
/// (`=`, `IN`, and `ISSUBSET` on addresses), and from the notes `STIXBundleWriter` writes for `other`.
/// TLP 1.0 and 2.0 markings are mapped; an unmarked object takes the marking of the grouping or report
/// that lists it, else `defaultTLP`.
///
/// Pure: returns every observable, or throws an `ExchangeError` naming the place, importing nothing.
public enum STIXBundleReader {
    public static func read(_ data: Data, limits: ExchangeLimits = .default,
                            defaultTLP: ExchangeTLP = .amber) throws -> ExchangeImport {
        let root = try JSONValue.parse(data, limits: limits)
        guard case .object(let bundle) = root else {
            throw ExchangeError(.wrongType, at: "$", "Expected a STIX bundle (a JSON object with \"type\": \"bundle\"), found a JSON \(root.kindName).")
        }
        guard let type = bundle["type"]?.stringValue else {
            throw ExchangeError(.wrongType, at: "type", "Expected a STIX bundle: \"type\" must be \"bundle\".")
        }
        guard type == "bundle" else {
            throw ExchangeError(.wrongType, at: "type", "Expected a STIX bundle, found a \"\(ObservableValueShape.excerpt(type))\" object.")
        }
        let objects: [JSONValue]
        switch bundle["objects"] {
        case nil, .null?: objects = []
        case .array(let items)?: objects = items
        case let other?: throw ExchangeError(.invalidObject, at: "objects", "\"objects\" must be an array, found a \(other.kindName).")
        }
        guard objects.count <= limits.maxObjects else {
            throw ExchangeError(.tooManyObjects, at: "objects", "The bundle has \(objects.count) objects; at most \(limits.maxObjects) are accepted.")
        }
        var reader = Reader(limits: limits, defaultTLP: defaultTLP)
        try reader.index(objects)
        try reader.extract(objects)
        return reader.result
    }

    struct Reader {
        let limits: ExchangeLimits
        let defaultTLP: ExchangeTLP
        var typed: [(location: String, object: JSONObject)] = []
        var markings = STIXVocabulary.knownMarkingIDs
        var containerTLP: [String: ExchangeTLP] = [:]
        var firstSeen: [String: Date] = [:]
        var merger = ExchangeMerge.Merger()
        var skipped: [ExchangeSkipped] = []
        var ignoredTypes: [String: Int] = [:]
        var title: String?

        init(limits: ExchangeLimits, defaultTLP: ExchangeTLP) {
            self.limits = limits
            self.defaultTLP = defaultTLP
        }

        var result: ExchangeImport {
            var notes = skipped
            for (type, count) in ignoredTypes.sorted(by: { $0.key < $1.key }) {
                notes.append(ExchangeSkipped(location: "objects",
                                             reason: "\(count) \(type) object\(count == 1 ? "" : "s") carry no observable UngCuu keeps."))
            }
            return ExchangeImport(observables: merger.items.map(\.observable), skipped: notes, title: title)
        }

        // MARK: First pass: types, markings, containers, sightings

        mutating func index(_ objects: [JSONValue]) throws {
            for (index, value) in objects.enumerated() {
                let location = "objects[\(index)]"
                guard case .object(let object) = value else {
                    throw ExchangeError(.invalidObject, at: location, "Each STIX object must be a JSON object, found a \(value.kindName).")
                }
                guard let type = object["type"]?.stringValue, !type.isEmpty else {
                    throw ExchangeError(.invalidObject, at: location + ".type", "The object has no \"type\".")
                }
                typed.append((location, object))
                if type == "marking-definition", let id = object["id"]?.stringValue, let tlp = Self.tlp(ofMarking: object) {
                    markings[id] = tlp
                }
            }
            for (location, object) in typed {
                let type = object["type"]?.stringValue ?? ""
                if type == "grouping" || type == "report" {
                    if title == nil { title = nonEmpty(object["name"]?.stringValue) }
                    if let tlp = try markingTLP(object, at: location) {
                        for ref in try stringList(object, "object_refs", at: location) {
                            containerTLP[ref] = max(containerTLP[ref] ?? tlp, tlp)
                        }
                    }
                }
                if type == "observed-data", let text = object["first_observed"]?.stringValue,
                   let date = ExchangeIdentifiers.parseTimestamp(text) {
                    for ref in try stringList(object, "object_refs", at: location) {
                        firstSeen[ref] = min(firstSeen[ref] ?? date, date)
                    }
                }
            }
        }

        /// TLP of a marking-definition object: TLP 2.0 extension, TLP 1.0 `definition`, or a "TLP:…" name.
        static func tlp(ofMarking object: JSONObject) -> ExchangeTLP? {
            if let extensions = object["extensions"]?.objectValue,
               let value = extensions[STIXVocabulary.tlp2ExtensionID]?.objectValue?["tlp_2_0"]?.stringValue {
                return ExchangeTLP(label: value)
            }
            if object["definition_type"]?.stringValue?.lowercased() == "tlp",
               let value = object["definition"]?.objectValue?["tlp"]?.stringValue {
                return ExchangeTLP(label: value)
            }
            if let name = object["name"]?.stringValue, name.uppercased().hasPrefix("TLP:") {
                return ExchangeTLP(label: name)
            }
            return nil
        }

        func stringList(_ object: JSONObject, _ key: String, at location: String) throws -> [String] {
            switch object[key] {
            case nil, .null?: return []
            case .array(let items)?:
                return try items.enumerated().map { index, item in
                    guard let text = item.stringValue else {
                        throw ExchangeError(.invalidObject, at: "\(location).\(key)[\(index)]", "Expected a string, found a \(item.kindName).")
                    }
                    return text
                }
            case let other?:
                throw ExchangeError(.invalidObject, at: "\(location).\(key)", "\"\(key)\" must be an array, found a \(other.kindName).")
            }
        }

        /// The most restrictive TLP among the object's own markings, if any is a TLP marking.
        func markingTLP(_ object: JSONObject, at location: String) throws -> ExchangeTLP? {
            try stringList(object, "object_marking_refs", at: location).compactMap { markings[$0] }.max()
        }

        func tlp(of object: JSONObject, at location: String, inherited: ExchangeTLP? = nil) throws -> ExchangeTLP {
            if let own = try markingTLP(object, at: location) { return own }
            if let id = object["id"]?.stringValue, let fromContainer = containerTLP[id] { return fromContainer }
            return inherited ?? defaultTLP
        }

        // MARK: Second pass: observables

        mutating func extract(_ objects: [JSONValue]) throws {
            for (location, object) in typed {
                let type = object["type"]?.stringValue ?? ""
                switch type {
                case "indicator":
                    try readIndicator(object, at: location)
                case "note":
                    try readNote(object, at: location)
                case "observed-data":
                    // STIX 2.0: observables embedded in an "objects" dictionary.
                    if let embedded = object["objects"]?.objectValue {
                        let tlp = try tlp(of: object, at: location)
                        let seen = object["first_observed"]?.stringValue.flatMap(ExchangeIdentifiers.parseTimestamp)
                        for entry in embedded.entries {
                            guard let sco = entry.value.objectValue, let scoType = sco["type"]?.stringValue else {
                                throw ExchangeError(.invalidObject, at: "\(location).objects.\(entry.key)", "An embedded observable must be an object with a \"type\".")
                            }
                            try readObservable(sco, type: scoType, at: "\(location).objects.\(entry.key)", tlp: tlp, firstSeen: seen)
                        }
                    }
                case "identity", "marking-definition", "grouping", "report", "relationship", "sighting",
                     "extension-definition", "language-content", "bundle":
                    break
                default:
                    let tlp = try tlp(of: object, at: location)
                    let seen = object["id"]?.stringValue.flatMap { firstSeen[$0] }
                    try readObservable(object, type: type, at: location, tlp: tlp, firstSeen: seen)
                }
            }
        }

        mutating func add(_ type: ExchangeObservableType, _ raw: String, at location: String, tlp: ExchangeTLP,
                          comment: String? = nil, firstSeen: Date? = nil, tags: [String] = []) throws {
            let value = try ObservableValueShape.check(raw, type: type, at: location, maxLength: limits.maxValueLength)
            merger.add(ExchangeObservable(type: type, value: value, tlp: tlp, comment: comment, firstSeen: firstSeen, tags: tags), type: type)
            guard merger.count <= limits.maxObservables else {
                throw ExchangeError(.tooManyObjects, at: location, "The file yields more than \(limits.maxObservables) observables.")
            }
        }

        /// An address value of an ipv4-addr/ipv6-addr object or pattern: an address or a CIDR range.
        mutating func addAddress(_ raw: String, at location: String, tlp: ExchangeTLP, comment: String? = nil,
                                 firstSeen: Date? = nil, tags: [String] = []) throws {
            let trimmed = raw.trimmedWhitespace
            guard let type = ObservableValueShape.addressType(trimmed) else {
                throw ExchangeError(.invalidValue, at: location, "\"\(ObservableValueShape.excerpt(trimmed))\" is not an IP address or CIDR range.")
            }
            try add(type, trimmed, at: location, tlp: tlp, comment: comment, firstSeen: firstSeen, tags: tags)
        }

        func requiredString(_ object: JSONObject, _ key: String, at location: String) throws -> String {
            guard let value = object[key] else {
                throw ExchangeError(.invalidObject, at: location, "The \(object["type"]?.stringValue ?? "") object has no \"\(key)\".")
            }
            guard let text = value.stringValue else {
                throw ExchangeError(.invalidObject, at: "\(location).\(key)", "\"\(key)\" must be a string, found a \(value.kindName).")
            }
            return text
        }

        mutating func readObservable(_ object: JSONObject, type: String, at location: String, tlp: ExchangeTLP, firstSeen: Date?) throws {
            switch type {
            case "ipv4-addr", "ipv6-addr":
                try addAddress(try requiredString(object, "value", at: location), at: location + ".value", tlp: tlp, firstSeen: firstSeen)
            case "domain-name":
                try add(.domain, try requiredString(object, "value", at: location), at: location + ".value", tlp: tlp, firstSeen: firstSeen)
            case "url":
                try add(.url, try requiredString(object, "value", at: location), at: location + ".value", tlp: tlp, firstSeen: firstSeen)
            case "email-addr":
                try add(.email, try requiredString(object, "value", at: location), at: location + ".value", tlp: tlp, firstSeen: firstSeen)
            case "file", "artifact":
                if let hashes = object["hashes"] {
                    guard let dictionary = hashes.objectValue else {
                        throw ExchangeError(.invalidObject, at: location + ".hashes", "\"hashes\" must be an object, found a \(hashes.kindName).")
                    }
                    for entry in dictionary.entries {
                        let hashLocation = "\(location).hashes.\(entry.key)"
                        guard let hashType = STIXVocabulary.hashType(entry.key) else {
                            skipped.append(ExchangeSkipped(location: hashLocation, reason: "\(entry.key) hashes are not kept."))
                            continue
                        }
                        guard let text = entry.value.stringValue else {
                            throw ExchangeError(.invalidObject, at: hashLocation, "A hash must be a string, found a \(entry.value.kindName).")
                        }
                        try add(hashType, text, at: hashLocation, tlp: tlp, firstSeen: firstSeen)
                    }
                }
                if type == "file", object["name"] != nil {
                    try add(.fileName, try requiredString(object, "name", at: location), at: location + ".name", tlp: tlp, firstSeen: firstSeen)
                }
            case "directory":
                try add(.filePath, try requiredString(object, "path", at: location), at: location + ".path", tlp: tlp, firstSeen: firstSeen)
            case "windows-registry-key":
                if object["key"] != nil {
                    try add(.registryKey, try requiredString(object, "key", at: location), at: location + ".key", tlp: tlp, firstSeen: firstSeen)
                }
            case "mutex":
                try add(.mutex, try requiredString(object, "name", at: location), at: location + ".name", tlp: tlp, firstSeen: firstSeen)
            case "autonomous-system":
                guard let number = object["number"]?.intValue else {
                    throw ExchangeError(.invalidObject, at: location + ".number", "An autonomous-system needs a whole \"number\".")
                }
                try add(.asn, String(number), at: location + ".number", tlp: tlp, firstSeen: firstSeen)
            case "network-traffic":
                let headers = object["extensions"]?.objectValue?["http-request-ext"]?.objectValue?["request_header"]?.objectValue
                if let agent = headers?.entries.first(where: { $0.key.lowercased() == "user-agent" }) {
                    guard let text = agent.value.stringValue else {
                        throw ExchangeError(.invalidObject, at: "\(location).extensions.http-request-ext.request_header.\(agent.key)", "The User-Agent header must be a string.")
                    }
                    try add(.userAgent, text, at: "\(location).extensions.http-request-ext.request_header.\(agent.key)", tlp: tlp, firstSeen: firstSeen)
                } else {
                    ignoredTypes[type, default: 0] += 1
                }
            default:
                ignoredTypes[type, default: 0] += 1
            }
        }

        mutating func readNote(_ object: JSONObject, at location: String) throws {
            let labels = try stringList(object, "labels", at: location)
            guard labels.contains(STIXVocabulary.otherObservableLabel) else { return }
            let content = try requiredString(object, "content", at: location)
            try add(.other, content, at: location + ".content", tlp: try tlp(of: object, at: location),
                    comment: nonEmpty(object["abstract"]?.stringValue),
                    tags: labels.filter { $0 != STIXVocabulary.otherObservableLabel })
        }

        mutating func readIndicator(_ object: JSONObject, at location: String) throws {
            let patternType = object["pattern_type"]?.stringValue ?? "stix"
            guard patternType.lowercased() == "stix" else {
                skipped.append(ExchangeSkipped(location: location + ".pattern_type", reason: "\(patternType) patterns are not read."))
                return
            }
            let text = try requiredString(object, "pattern", at: location)
            let pattern: STIXPattern
            do {
                pattern = try STIXPattern.parse(text)
            } catch let error as STIXPattern.SyntaxError {
                throw ExchangeError(.invalidPattern, at: location + ".pattern", "The pattern does not parse at character \(error.offset + 1): \(error.message).")
            }
            let tlp = try tlp(of: object, at: location)
            let comment = nonEmpty(object["description"]?.stringValue)
            let tags = try stringList(object, "labels", at: location)
            for comparison in pattern.comparisons {
                let described = "\(comparison.objectType):\(comparison.path.joined(separator: "."))"
                guard !comparison.negated else {
                    skipped.append(ExchangeSkipped(location: location + ".pattern", reason: "\(described) is negated (NOT)."))
                    continue
                }
                guard ["=", "IN", "ISSUBSET"].contains(comparison.op) else {
                    skipped.append(ExchangeSkipped(location: location + ".pattern", reason: "\(described) \(comparison.op) does not name an exact value."))
                    continue
                }
                guard let target = Self.target(of: comparison) else {
                    skipped.append(ExchangeSkipped(location: location + ".pattern", reason: "\(described) is not an observable UngCuu keeps."))
                    continue
                }
                for literal in comparison.values {
                    guard let value = literal.text else {
                        skipped.append(ExchangeSkipped(location: location + ".pattern", reason: "\(described) is compared with a value that is not text."))
                        continue
                    }
                    switch target {
                    case .address:
                        try addAddress(value, at: location + ".pattern", tlp: tlp, comment: comment, tags: tags)
                    case .addressIfShaped:
                        if ObservableValueShape.addressType(value) != nil {
                            try addAddress(value, at: location + ".pattern", tlp: tlp, comment: comment, tags: tags)
                        } else {
                            skipped.append(ExchangeSkipped(location: location + ".pattern", reason: "\(described) = \(ObservableValueShape.excerpt(value)) is not an IP address."))
                        }
                    case .type(let type):
                        try add(type, value, at: location + ".pattern", tlp: tlp, comment: comment, tags: tags)
                    }
                }
            }
        }

        enum Target {
            case type(ExchangeObservableType)
            case address
            /// A reference that may resolve to an address or something else (network-traffic:dst_ref.value).
            case addressIfShaped
        }

        static func target(of comparison: STIXPattern.Comparison) -> Target? {
            let path = comparison.path.map { $0.lowercased() }
            if comparison.op == "ISSUBSET" {
                return (comparison.objectType == "ipv4-addr" || comparison.objectType == "ipv6-addr") && path == ["value"] ? .address : nil
            }
            switch (comparison.objectType, path.first ?? "") {
            case ("ipv4-addr", "value"), ("ipv6-addr", "value"): return path.count == 1 ? .address : nil
            case ("domain-name", "value"): return path.count == 1 ? .type(.domain) : nil
            case ("url", "value"): return path.count == 1 ? .type(.url) : nil
            case ("email-addr", "value"): return path.count == 1 ? .type(.email) : nil
            case ("email-message", _):
                return path.last == "value" && ["from_ref", "sender_ref", "to_refs", "cc_refs", "bcc_refs"].contains(path[0]) ? .type(.email) : nil
            case ("file", "hashes"), ("artifact", "hashes"):
                return path.count == 2 ? STIXVocabulary.hashType(path[1]).map { .type($0) } : nil
            case ("file", "name"): return path.count == 1 ? .type(.fileName) : nil
            case ("file", "parent_directory_ref"): return path == ["parent_directory_ref", "path"] ? .type(.filePath) : nil
            case ("directory", "path"): return path.count == 1 ? .type(.filePath) : nil
            case ("windows-registry-key", "key"): return path.count == 1 ? .type(.registryKey) : nil
            case ("mutex", "name"): return path.count == 1 ? .type(.mutex) : nil
            case ("autonomous-system", "number"): return path.count == 1 ? .type(.asn) : nil
            case ("network-traffic", "dst_ref"), ("network-traffic", "src_ref"):
                return path.count == 2 && path[1] == "value" ? .addressIfShaped : nil
            case ("network-traffic", "extensions"):
                return path == ["extensions", "http-request-ext", "request_header", "user-agent"] ? .type(.userAgent) : nil
            default:
                return nil
            }
        }
    }
}
