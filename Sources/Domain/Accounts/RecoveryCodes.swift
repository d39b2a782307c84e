/// One-time recovery codes for two-factor sign-in: ten codes of the form `xxxx-xxxx-xxxx`
/// from an alphabet without look-alike characters.
public enum RecoveryCodes {
    private static let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")

    public static func generate(count: Int = 10) -> [String] {
        (0..<count).map { _ in
            let bytes = Secrets.randomBytes(12)
            let chars = bytes.map { alphabet[Int($0) % alphabet.count] }
            return stride(from: 0, to: 12, by: 4).map { String(chars[$0..<$0 + 4]) }.joined(separator: "-")
        }
    }

    /// Lower-cases and removes spaces so that "ABCD EFGH-JKMN" matches "abcd-efgh-jkmn".
    public static func normalise(_ input: String) -> String {
        let compact = input.lowercased().filter { $0 != " " && $0 != "-" }
        guard compact.count == 12 else { return compact }
        let chars = Array(compact)
        return stride(from: 0, to: 12, by: 4).map { String(chars[$0..<$0 + 4]) }.joined(separator: "-")
    }
}
