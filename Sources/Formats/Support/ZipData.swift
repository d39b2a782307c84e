import Foundation
import ZIPFoundation

/// ZIP bytes from outside (an upload) opened for reading.
///
/// Not `Archive(data:)`: ZIPFoundation's in-memory archive (0.9.20) traps — a fatal error, so the whole
/// process ends — when an offset in the archive points past the end of the data (a range is built with
/// its lower bound above its upper; weichsel/ZIPFoundation#394). Found by fuzzing (docs/FUZZING.md).
/// A file-backed archive reading past the end just comes up short, which ZIPFoundation reports as an
/// error. So the bytes go to a private temporary file, removed as soon as the archive has opened it.
public enum ZipData {
    public static func archive(_ data: Data) throws -> Archive {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("ungcuu-zip-\(UUID().uuidString).zip")
        guard FileManager.default.createFile(atPath: url.path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
        // The archive keeps its FILE open: the data stays readable after the name is gone.
        defer { try? FileManager.default.removeItem(at: url) }
        return try Archive(url: url, accessMode: .read)
    }
}
