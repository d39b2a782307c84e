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
        try checkBounds([UInt8](data))
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("ungcuu-zip-\(UUID().uuidString).zip")
        guard FileManager.default.createFile(atPath: url.path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
        // The archive keeps its FILE open: the data stays readable after the name is gone.
        defer { try? FileManager.default.removeItem(at: url) }
        return try Archive(url: url, accessMode: .read)
    }

    /// Why ZIP bytes were refused before ZIPFoundation saw them.
    public struct BoundsError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Every entry's local header and compressed data lie inside the bytes. ZIPFoundation trusts the sizes and
    /// offsets of the central directory: in memory an offset past the end traps, and from a file a compressed
    /// size past the end makes `extract` read at end-of-file for ever (both found by fuzzing). ZIP64 is refused:
    /// no workbook or upload of ours needs it.
    static func checkBounds(_ b: [UInt8]) throws {
        func u16(_ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 }
        func u32(_ i: Int) -> Int { u16(i) | u16(i + 2) << 16 }
        func fail(_ why: String) -> BoundsError { BoundsError(description: "not a valid ZIP archive: \(why)") }
        guard b.count >= 22 else { throw fail("too short") }
        var eocd = -1
        var i = b.count - 22
        while i >= max(0, b.count - 22 - 65_535) {
            if b[i] == 0x50, b[i + 1] == 0x4B, b[i + 2] == 0x05, b[i + 3] == 0x06 { eocd = i; break }
            i -= 1
        }
        guard eocd >= 0 else { throw fail("no end of central directory") }
        let count = u16(eocd + 10), size = u32(eocd + 12), start = u32(eocd + 16)
        guard count != 0xFFFF, size != 0xFFFF_FFFF, start != 0xFFFF_FFFF else { throw fail("ZIP64 is not accepted") }
        guard start + size <= eocd else { throw fail("central directory outside the archive") }
        var at = start
        for _ in 0..<count {
            guard at + 46 <= start + size, u32(at) == 0x0201_4B50 else { throw fail("bad central directory entry at byte \(at)") }
            let compressed = u32(at + 20), uncompressed = u32(at + 24), local = u32(at + 42)
            guard compressed != 0xFFFF_FFFF, uncompressed != 0xFFFF_FFFF, local != 0xFFFF_FFFF else { throw fail("ZIP64 is not accepted") }
            guard local + 30 <= start, u32(local) == 0x0403_4B50 else { throw fail("entry header outside the archive at byte \(local)") }
            let dataStart = local + 30 + u16(local + 26) + u16(local + 28)
            guard dataStart + compressed <= start else { throw fail("entry data past the end at byte \(local)") }
            at += 46 + u16(at + 28) + u16(at + 30) + u16(at + 32)
        }
    }
}
