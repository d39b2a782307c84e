import Foundation

/// Checks and merges observables: one entry per type and value, keeping the most restrictive marking,
/// every tag, the first comment and the earliest sighting.
enum ExchangeMerge {
    struct Item {
        var type: ExchangeObservableType
        var observable: ExchangeObservable
    }

    /// For export: every type must be known and every value well-formed.
    static func validated(_ observables: [ExchangeObservable]) throws -> [Item] {
        var merger = Merger()
        for (index, observable) in observables.enumerated() {
            guard let type = observable.knownType else {
                throw ExchangeError(.unsupportedType, at: "observables[\(index)].type",
                                    "\"\(ObservableValueShape.excerpt(observable.type))\" is not an observable type.")
            }
            var normalized = observable
            normalized.value = try ObservableValueShape.check(observable.value, type: type, at: "observables[\(index)].value",
                                                              maxLength: 65_536)
            merger.add(normalized, type: type)
        }
        return merger.items
    }

    struct Merger {
        private(set) var items: [Item] = []
        private var positions: [String: Int] = [:]

        var count: Int { items.count }

        mutating func add(_ observable: ExchangeObservable, type: ExchangeObservableType) {
            var cleaned = observable
            cleaned.type = type.rawValue
            cleaned.comment = nonEmpty(observable.comment)
            cleaned.tags = Self.uniqueTags(observable.tags)
            let key = type.rawValue + "|" + (type.isCaseInsensitive ? observable.value.lowercased() : observable.value)
            guard let position = positions[key] else {
                positions[key] = items.count
                items.append(Item(type: type, observable: cleaned))
                return
            }
            var existing = items[position].observable
            existing.tlp = max(existing.tlp, cleaned.tlp)
            existing.tags = Self.uniqueTags(existing.tags + cleaned.tags)
            existing.comment = existing.comment ?? cleaned.comment
            switch (existing.firstSeen, cleaned.firstSeen) {
            case (let a?, let b?): existing.firstSeen = min(a, b)
            case (nil, let b): existing.firstSeen = b
            default: break
            }
            items[position].observable = existing
        }

        static func uniqueTags(_ tags: [String]) -> [String] {
            var seen = Set<String>()
            var out: [String] = []
            for tag in tags {
                let trimmed = tag.trimmedWhitespace
                if !trimmed.isEmpty, seen.insert(trimmed.lowercased()).inserted { out.append(trimmed) }
            }
            return out
        }
    }
}
