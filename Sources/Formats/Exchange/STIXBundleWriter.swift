import Foundation

/// Writes a case's observables as a STIX 2.1 bundle: the producer's `identity`, the TLP 2.0
/// `marking-definition`s in use, a `grouping` for the case, one cyber-observable object per observable
/// (deterministic UUIDv5 id), an `indicator` with a STIX pattern for each, an `observed-data` when the
/// first sighting is known, and a `note` for observables of type `other`.
///
/// Output is deterministic: the same case, observables and producer give the same bytes.
public enum STIXBundleWriter {
    public static func write(case exchangeCase: ExchangeCase, observables: [ExchangeObservable],
                             producer: ExchangeProducer) throws -> Data {
        Data(try bundle(case: exchangeCase, observables: observables, producer: producer).serialized().utf8)
    }

    /// The identity's `created`: constant, so the producer's identity keeps one version across exports.
    static let identityCreated = "2026-01-01T00:00:00.000Z"

    static func bundle(case c: ExchangeCase, observables: [ExchangeObservable], producer: ExchangeProducer) throws -> JSONValue {
        let items = try ExchangeMerge.validated(observables)
        let caseKey = c.id.uuidString.lowercased()
        let created = ExchangeIdentifiers.timestamp(c.created)
        let modified = ExchangeIdentifiers.timestamp(max(c.created, c.modified))
        let caseTLP = c.effectiveTLP(observables: items.map(\.observable))

        let identityID = ExchangeIdentifiers.stixID("identity", ExchangeIdentifiers.stableV4("identity|" + producer.displayName))
        var identity = JSONObject([
            ("type", .string("identity")), ("spec_version", .string("2.1")), ("id", .string(identityID)),
            ("created", .string(identityCreated)), ("modified", .string(identityCreated)),
            ("name", .string(producer.displayName)), ("identity_class", .string("organization")),
        ])
        if let email = producer.contactEmail, !email.isEmpty { identity["contact_information"] = .string(email) }

        let groupingID = ExchangeIdentifiers.stixID("grouping", ExchangeIdentifiers.stableV4("grouping|" + caseKey))
        func common(_ type: String, key: String, tlp: ExchangeTLP) -> JSONObject {
            JSONObject([
                ("type", .string(type)), ("spec_version", .string("2.1")),
                ("id", .string(ExchangeIdentifiers.stixID(type, ExchangeIdentifiers.stableV4("\(type)|\(caseKey)|\(key)")))),
                ("created_by_ref", .string(identityID)), ("created", .string(created)), ("modified", .string(modified)),
            ])
        }

        var contents: [JSONValue] = []
        var refs: [String] = []
        for item in items {
            let o = item.observable
            let type = item.type
            let marking = JSONValue.array([.string(STIXVocabulary.markingID(o.tlp))])
            let key = "\(type.rawValue)|\(o.value)"
            var scoID: String?
            if let sco = cyberObservable(type: type, value: o.value) {
                var object = sco
                object["object_marking_refs"] = marking
                scoID = object["id"]?.stringValue
                contents.append(.object(object))
            }
            if let pattern = pattern(type: type, value: o.value) {
                var indicator = common("indicator", key: key, tlp: o.tlp)
                indicator["name"] = .string("\(displayName(type)): \(o.value)")
                indicator["description"] = .string(nonEmpty(o.comment) ?? "\(displayName(type)) recorded in case \"\(c.displayTitle)\".")
                indicator["pattern"] = .string(pattern)
                indicator["pattern_type"] = .string("stix")
                indicator["pattern_version"] = .string("2.1")
                indicator["valid_from"] = .string(ExchangeIdentifiers.timestamp(o.firstSeen ?? c.created))
                if !o.tags.isEmpty { indicator["labels"] = .array(o.tags.map { .string($0) }) }
                indicator["object_marking_refs"] = marking
                contents.append(.object(indicator))
            }
            if let scoID, let firstSeen = o.firstSeen {
                var observed = common("observed-data", key: key, tlp: o.tlp)
                let seen = JSONValue.string(ExchangeIdentifiers.timestamp(firstSeen))
                observed["first_observed"] = seen
                observed["last_observed"] = seen
                observed["number_observed"] = .integer(1)
                observed["object_refs"] = .array([.string(scoID)])
                observed["object_marking_refs"] = marking
                contents.append(.object(observed))
            }
            if type == .other {
                var note = common("note", key: key, tlp: o.tlp)
                if let comment = nonEmpty(o.comment) { note["abstract"] = .string(comment) }
                note["content"] = .string(o.value)
                note["object_refs"] = .array([.string(groupingID)])
                note["labels"] = .array(([STIXVocabulary.otherObservableLabel] + o.tags).map { .string($0) })
                note["object_marking_refs"] = marking
                contents.append(.object(note))
            }
        }
        for case .object(let object) in contents where object["type"]?.stringValue != "note" {
            if let id = object["id"]?.stringValue { refs.append(id) }
        }
        if refs.isEmpty { refs.append(identityID) }

        var grouping = JSONObject([
            ("type", .string("grouping")), ("spec_version", .string("2.1")), ("id", .string(groupingID)),
            ("created_by_ref", .string(identityID)), ("created", .string(created)), ("modified", .string(modified)),
            ("name", .string(c.displayTitle)),
        ])
        if let description = nonEmpty(c.description) { grouping["description"] = .string(description) }
        grouping["context"] = .string("suspicious-activity")
        var labels: [JSONValue] = []
        if let severity = nonEmpty(c.severity) { labels.append(.string("severity:\(severity)")) }
        if let category = nonEmpty(c.categoryCode) { labels.append(.string("category:\(category)")) }
        if !labels.isEmpty { grouping["labels"] = .array(labels) }
        grouping["external_references"] = .array([.object(JSONObject([
            ("source_name", .string("UngCuu")), ("external_id", .string(caseKey)),
            ("description", .string("Incident case")),
        ]))])
        grouping["object_refs"] = .array(refs.map { .string($0) })
        grouping["object_marking_refs"] = .array([.string(STIXVocabulary.markingID(caseTLP))])

        let usedTLPs = Set(items.map(\.observable.tlp) + [caseTLP]).sorted()
        var objects: [JSONValue] = [.object(identity)]
        objects += usedTLPs.map { .object(STIXVocabulary.markingDefinition($0)) }
        objects.append(.object(grouping))
        objects += contents

        let bundleID = ExchangeIdentifiers.stixID("bundle", ExchangeIdentifiers.stableV4("bundle|\(caseKey)|\(modified)"))
        return .object(JSONObject([("type", .string("bundle")), ("id", .string(bundleID)), ("objects", .array(objects))]))
    }

    // MARK: Mapping

    /// The cyber-observable object of a value, with its deterministic id; nil for user agents and `other`.
    static func cyberObservable(type: ExchangeObservableType, value: String) -> JSONObject? {
        let contributing: [(String, JSONValue)]
        let stixType: String
        switch type {
        case .ipv4: stixType = "ipv4-addr"; contributing = [("value", .string(value))]
        case .ipv6: stixType = "ipv6-addr"; contributing = [("value", .string(value))]
        case .cidr:
            stixType = ObservableValueShape.isIPv6CIDR(value) ? "ipv6-addr" : "ipv4-addr"
            contributing = [("value", .string(value))]
        case .domain: stixType = "domain-name"; contributing = [("value", .string(value))]
        case .url: stixType = "url"; contributing = [("value", .string(value))]
        case .email: stixType = "email-addr"; contributing = [("value", .string(value))]
        case .md5, .sha1, .sha256, .sha512:
            stixType = "file"
            contributing = [("hashes", .object(JSONObject([(STIXVocabulary.hashName(type) ?? "", .string(value))])))]
        case .fileName: stixType = "file"; contributing = [("name", .string(value))]
        case .filePath: stixType = "directory"; contributing = [("path", .string(value))]
        case .registryKey: stixType = "windows-registry-key"; contributing = [("key", .string(value))]
        case .mutex: stixType = "mutex"; contributing = [("name", .string(value))]
        case .asn:
            guard let number = ObservableValueShape.asNumber(value) else { return nil }
            stixType = "autonomous-system"; contributing = [("number", .integer(number))]
        case .userAgent, .other: return nil
        }
        let name = JSONValue.object(JSONObject(contributing)).serialized(pretty: false, sortedKeys: true)
        let id = ExchangeIdentifiers.stixID(stixType, ExchangeIdentifiers.uuidV5(namespace: ExchangeIdentifiers.stixNamespace, name: name))
        return JSONObject([("type", .string(stixType)), ("spec_version", .string("2.1")), ("id", .string(id))] + contributing)
    }

    /// The STIX pattern matching a value; nil for `other`.
    static func pattern(type: ExchangeObservableType, value: String) -> String? {
        let quoted = STIXPattern.quote(value)
        switch type {
        case .ipv4: return "[ipv4-addr:value = \(quoted)]"
        case .ipv6: return "[ipv6-addr:value = \(quoted)]"
        case .cidr: return "[\(ObservableValueShape.isIPv6CIDR(value) ? "ipv6-addr" : "ipv4-addr"):value ISSUBSET \(quoted)]"
        case .domain: return "[domain-name:value = \(quoted)]"
        case .url: return "[url:value = \(quoted)]"
        case .email: return "[email-addr:value = \(quoted)]"
        case .md5: return "[file:hashes.MD5 = \(quoted)]"
        case .sha1, .sha256, .sha512: return "[file:hashes.'\(STIXVocabulary.hashName(type) ?? "")' = \(quoted)]"
        case .fileName: return "[file:name = \(quoted)]"
        case .filePath: return "[directory:path = \(quoted)]"
        case .registryKey: return "[windows-registry-key:key = \(quoted)]"
        case .mutex: return "[mutex:name = \(quoted)]"
        case .userAgent: return "[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = \(quoted)]"
        case .asn: return ObservableValueShape.asNumber(value).map { "[autonomous-system:number = \($0)]" }
        case .other: return nil
        }
    }

    static func displayName(_ type: ExchangeObservableType) -> String {
        switch type {
        case .ipv4: return "IPv4 address"
        case .ipv6: return "IPv6 address"
        case .cidr: return "Address range"
        case .domain: return "Domain name"
        case .url: return "URL"
        case .email: return "E-mail address"
        case .md5: return "MD5 hash"
        case .sha1: return "SHA-1 hash"
        case .sha256: return "SHA-256 hash"
        case .sha512: return "SHA-512 hash"
        case .fileName: return "File name"
        case .filePath: return "File path"
        case .registryKey: return "Registry key"
        case .mutex: return "Mutex"
        case .userAgent: return "User agent"
        case .asn: return "Autonomous system"
        case .other: return "Other"
        }
    }
}
