import Foundation
import Domain

/// Writes a case's observables as a MISP event (`{"Event": {…}}`), loadable by PyMISP and importable
/// into MISP: one attribute per observable with its MISP type, category, `to_ids`, comment, first sighting
/// and tags (its TLP as `tlp:…` plus its own tags); the event carries the case's TLP, severity and category.
///
/// Output is deterministic: the same input gives the same bytes (UUIDs are derived from the case id).
public enum MISPEventWriter {
    public static func write(case exchangeCase: ExchangeCase, observables: [ExchangeObservable],
                             producer: ExchangeProducer) throws -> Data {
        Data(try event(case: exchangeCase, observables: observables, producer: producer).serialized().utf8)
    }

    static func event(case c: ExchangeCase, observables: [ExchangeObservable], producer: ExchangeProducer) throws -> JSONValue {
        let items = try ExchangeMerge.validated(observables)
        let caseKey = c.id.uuidString.lowercased()
        let caseTLP = c.effectiveTLP(observables: items.map(\.observable))
        let timestamp = String(Int(max(c.created, c.modified).timeIntervalSince1970.rounded(.down)))
        func uuid(_ key: String) -> JSONValue { .string(ExchangeIdentifiers.stableV4(key).uuidString.lowercased()) }

        var eventTags: [JSONValue] = [tag(MISPVocabulary.tag(caseTLP))]
        if let severity = nonEmpty(c.severity) { eventTags.append(tag(MISPVocabulary.severityTagPrefix + "\"\(severity)\"")) }
        if let category = nonEmpty(c.categoryCode) { eventTags.append(tag(MISPVocabulary.categoryTagPrefix + "\"\(category)\"")) }

        var attributes: [JSONValue] = []
        for item in items {
            let o = item.observable
            let misp = MISPVocabulary.attributeType(item.type, value: o.value)
            let value = item.type == .asn ? ObservableValueShape.asNumber(o.value).map(String.init) ?? o.value : o.value
            var attribute = JSONObject([
                ("uuid", uuid("misp-attribute|\(caseKey)|\(item.type.rawValue)|\(o.value)")),
                ("type", .string(misp.type)),
                ("category", .string(misp.category)),
                ("to_ids", .bool(misp.toIDS)),
                ("value", .string(value)),
                ("comment", .string(o.comment ?? "")),
                ("distribution", .string(o.tlp == caseTLP ? "5" : MISPVocabulary.distribution(o.tlp))),
                ("timestamp", .string(timestamp)),
            ])
            if let firstSeen = o.firstSeen { attribute["first_seen"] = .string(mispTime(firstSeen)) }
            attribute["Tag"] = .array([tag(MISPVocabulary.tag(o.tlp))] + o.tags.map(tag))
            attributes.append(.object(attribute))
        }

        var event = JSONObject([
            ("uuid", .string(caseKey)),
            ("info", .string(c.displayTitle)),
            ("date", .string(isoDay(c.created))),
            ("timestamp", .string(timestamp)),
            ("published", .bool(false)),
            ("threat_level_id", .string(MISPVocabulary.threatLevel(severity: c.severity))),
            ("analysis", .string(c.closed ? "2" : "1")),
            ("distribution", .string(MISPVocabulary.distribution(caseTLP))),
            ("Orgc", .object(JSONObject([("name", .string(producer.displayName)), ("uuid", uuid("misp-org|" + producer.displayName))]))),
            ("Tag", .array(eventTags)),
            ("Attribute", .array(attributes)),
        ])
        if let description = nonEmpty(c.description) {
            event["EventReport"] = .array([.object(JSONObject([
                ("uuid", uuid("misp-report|\(caseKey)")),
                ("name", .string("Mô tả sự cố")),
                ("content", .string(description)),
                ("distribution", .string("5")),
                ("timestamp", .string(timestamp)),
            ]))])
        }
        return .object(JSONObject([("Event", .object(event))]))
    }

    static func tag(_ name: String) -> JSONValue { .object(JSONObject([("name", .string(name))])) }

    /// The case's date in Vietnam, "2026-11-25" (MISP event dates are calendar days).
    static func isoDay(_ date: Date) -> String {
        let day = DisplayTime.date(date) // dd/MM/yyyy
        let parts = day.split(separator: "/")
        return parts.count == 3 ? "\(parts[2])-\(parts[1])-\(parts[0])" : String(ExchangeIdentifiers.timestamp(date).prefix(10))
    }

    /// "2026-11-25T07:30:00.123000+00:00", the form MISP writes `first_seen` in.
    static func mispTime(_ date: Date) -> String {
        let stamp = ExchangeIdentifiers.timestamp(date) // 2026-11-25T07:30:00.123Z
        return String(stamp.dropLast()) + "000+00:00"
    }
}
