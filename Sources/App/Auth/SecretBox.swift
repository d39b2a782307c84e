import Crypto
import Foundation

/// Seals small secrets (two-factor keys) at rest with AES-GCM under a key derived from the
/// application key, so a copied database alone does not reveal them.
enum SecretBox {
    private static func key(_ appKey: [UInt8]) -> SymmetricKey {
        SymmetricKey(data: SHA256.hash(data: Data(appKey + Array("ungcuu:totp".utf8))))
    }

    static func seal(_ plain: [UInt8], appKey: [UInt8]) throws -> String {
        let box = try AES.GCM.seal(Data(plain), using: key(appKey))
        guard let combined = box.combined else { throw CryptoKitError.incorrectParameterSize }
        return combined.base64EncodedString()
    }

    static func open(_ sealed: String, appKey: [UInt8]) throws -> [UInt8] {
        guard let data = Data(base64Encoded: sealed) else { throw CryptoKitError.incorrectParameterSize }
        return Array(try AES.GCM.open(AES.GCM.SealedBox(combined: data), using: key(appKey)))
    }
}
