import Foundation
import Domain
import Vapor

extension Application {
    private struct ConfigKey: StorageKey { typealias Value = AppConfig }
    private struct SecretKeyKey: StorageKey { typealias Value = [UInt8] }

    var config: AppConfig {
        get {
            guard let config = storage[ConfigKey.self] else { fatalError("configure(_:) has not stored the configuration") }
            return config
        }
        set { storage[ConfigKey.self] = newValue }
    }

    /// The key for CSRF tokens and for sealing two-factor secrets.
    var secretKey: [UInt8] {
        get { storage[SecretKeyKey.self] ?? [] }
        set { storage[SecretKeyKey.self] = newValue }
    }
}

extension Application {
    private struct RulesKey: StorageKey { typealias Value = RuleBook }

    /// The rule data in force: shipped files plus the province's overrides under `$UNGCUU_DATA_DIR/rules/`.
    var rules: RuleBook {
        get { storage[RulesKey.self] ?? RuleBook.shipped }
        set { storage[RulesKey.self] = newValue }
    }
}
