import Domain
import Foundation

/// Loads `secret.key` from the data directory, creating it (mode 0600) on first start.
enum SecretKeyFile {
    static func loadOrCreate(in directory: String) throws -> [UInt8] {
        let path = (directory as NSString).appendingPathComponent("secret.key")
        let manager = FileManager.default
        if let data = manager.contents(atPath: path), data.count >= 32 {
            return Array(data)
        }
        let key = Secrets.randomBytes(32)
        guard manager.createFile(atPath: path, contents: Data(key), attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        return key
    }
}
