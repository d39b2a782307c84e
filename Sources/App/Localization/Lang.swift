import Foundation
import Vapor

/// Interface languages: Vietnamese first, English second.
enum Lang: String, CaseIterable, Codable, Sendable {
    case vi
    case en

    static let cookieName = "uc_lang"
}

/// User-facing strings from the catalogues in `Resources/i18n/`.
struct Catalog: Sendable {
    let entries: [Lang: [String: String]]

    static let shared: Catalog = {
        var entries: [Lang: [String: String]] = [:]
        for lang in Lang.allCases {
            // `vi.json`, plus one fragment per feature under `vi/` so features do not all edit one file.
            let base = Bundle.module.bundleURL.appendingPathComponent("Resources/i18n")
            let folder = base.appendingPathComponent(lang.rawValue)
            let fragments = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
                .filter { $0.hasSuffix(".json") }.sorted().map { folder.appendingPathComponent($0) }
            var table: [String: String] = [:]
            for url in [base.appendingPathComponent("\(lang.rawValue).json")] + fragments {
                guard let data = try? Data(contentsOf: url),
                      let part = try? JSONDecoder().decode([String: String].self, from: data) else {
                    fatalError("The catalogue \(url.lastPathComponent) (\(lang.rawValue)) is missing or not a JSON object of strings")
                }
                for (key, value) in part {
                    precondition(table[key] == nil, "The catalogue key \(key) is defined twice (\(lang.rawValue))")
                    table[key] = value
                }
            }
            entries[lang] = table
        }
        return Catalog(entries: entries)
    }()

    /// The text for a key; a missing key shows the key itself (a test keeps catalogues complete).
    func text(_ key: String, _ lang: Lang) -> String {
        entries[lang]?[key] ?? entries[.vi]?[key] ?? key
    }
}

/// A catalogue bound to one language, handed to views.
struct Localizer: Sendable {
    let lang: Lang

    /// A key, or a message with arguments written `key|arg0|arg1` (how field errors carry their detail).
    func callAsFunction(_ key: String) -> String {
        guard key.contains("|") else { return Catalog.shared.text(key, lang) }
        let parts = key.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        var text = Catalog.shared.text(parts[0], lang)
        for (index, arg) in parts.dropFirst().enumerated() {
            text = text.replacingOccurrences(of: "{\(index)}", with: arg)
        }
        return text
    }

    /// Replaces `{0}`, `{1}`… with the arguments.
    func callAsFunction(_ key: String, _ args: String...) -> String {
        var text = Catalog.shared.text(key, lang)
        for (index, arg) in args.enumerated() {
            text = text.replacingOccurrences(of: "{\(index)}", with: arg)
        }
        return text
    }
}
