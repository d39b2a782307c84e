import Foundation

/// `ungcuu evtx FILE...`: every record of every file as one JSON object per line (the Rust `evtx`
/// crate's JSON), warnings on the side. Folders are searched for `*.evtx` files (sorted).
public enum EvtxCommandLine {
    /// Writes each record's JSON plus a newline through `output` (the caller buffers stdout) and every
    /// warning through `warning`. Returns 0, or 1 when a file could not be read at all.
    public static func run(paths: [String], output: (UnsafeRawBufferPointer) -> Void, warning: (String) -> Void) -> Int32 {
        var status: Int32 = 0
        if paths.isEmpty {
            warning("usage: ungcuu evtx FILE.evtx... (folders are searched for .evtx files)")
            return 1
        }
        for path in expand(paths, warning: warning, status: &status) {
            let reader: EvtxFileReader
            do {
                reader = try EvtxFileReader(url: URL(fileURLWithPath: path), name: path, outputs: [.json])
            } catch {
                warning("\(error)")
                status = 1
                continue
            }
            var line = EvtxByteBuffer(capacity: 16 * 1024)
            defer { line.deallocate() }
            var reported = 0
            while reader.nextJSON({ _, json in
                line.count = 0
                line.append(json)
                line.append(UInt8(ascii: "\n"))
                output(line.bytes)
            }) {
                if reader.warnings.count > reported {
                    for w in reader.warnings[reported...] { warning(w.description) }
                    reported = reader.warnings.count
                }
            }
            if reader.warnings.count > reported {
                for w in reader.warnings[reported...] { warning(w.description) }
            }
            if reader.suppressedWarnings > 0 {
                warning("\(path): \(reader.suppressedWarnings) more warnings not shown")
            }
        }
        return status
    }

    /// Files as given; folders replaced by the `.evtx` files under them.
    static func expand(_ paths: [String], warning: (String) -> Void, status: inout Int32) -> [String] {
        var out: [String] = []
        let fm = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else {
                warning("\(path): no such file")
                status = 1
                continue
            }
            guard isDirectory.boolValue else {
                out.append(path)
                continue
            }
            var found: [String] = []
            if let walker = fm.enumerator(atPath: path) {
                while let item = walker.nextObject() as? String {
                    if item.lowercased().hasSuffix(".evtx") { found.append((path as NSString).appendingPathComponent(item)) }
                }
            }
            out.append(contentsOf: found.sorted())
        }
        return out
    }
}
