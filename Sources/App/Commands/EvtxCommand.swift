import Foundation
import Detection
import NIOConcurrencyHelpers
import Vapor

/// `ungcuu evtx FILE...`: prints every record of every EVTX file (folders are searched for `.evtx` files) as one JSON
/// object per line, the JSON of the Rust `evtx` crate; skipped chunks and records are warned about on standard error
/// with the file, chunk and offset, and reading goes on. Needs no database. Exit status 0, or 1 when a file could not be
/// read at all.
struct EvtxCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "files", help: "EVTX files or folders (several may follow).")
        var first: String
    }

    var help: String {
        "ungcuu evtx FILE...: prints every record of .evtx files (folders are searched) as one JSON object per line, the evtx crate's JSON; "
            + "skipped chunks and records are warned about on standard error. Needs no database."
    }

    /// Several files may follow the first: they are what is left of the input once the signature is read.
    func run(using context: inout CommandContext) async throws {
        let signature = try Signature(from: &context.input)
        let more = context.input.arguments
        context.input.arguments = []
        try run(paths: [signature.first] + more)
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        try run(paths: [signature.first])
    }

    func run(paths: [String]) throws {
        let out = BufferedStandardOutput()
        let status = EvtxCommandLine.run(paths: paths, output: { out.write($0) }, warning: { CommandLineIO.warn("ungcuu evtx", $0) })
        out.flush()
        if status != 0 { throw ExitCode(status) }
    }
}

/// Standard output through one large buffer: written with FileHandle in pieces of at least 64 KiB (a closed pipe, as
/// with `| head`, stops the writing quietly).
final class BufferedStandardOutput: @unchecked Sendable {
    static let flushBytes = 256 << 10
    private let lock = NIOLock()
    private var buffer: [UInt8] = []
    private var closed = false
    private let handle = FileHandle.standardOutput

    init() { buffer.reserveCapacity(Self.flushBytes + (64 << 10)) }

    func write(_ bytes: UnsafeRawBufferPointer) {
        lock.withLock {
            guard !closed else { return }
            buffer.append(contentsOf: bytes)
            if buffer.count >= Self.flushBytes { flushLocked() }
        }
    }

    func flush() {
        lock.withLock { flushLocked() }
    }

    private func flushLocked() {
        guard !closed, !buffer.isEmpty else { return }
        do {
            try handle.write(contentsOf: buffer)
        } catch {
            closed = true
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

enum CommandLineIO {
    /// One line on standard error, prefixed with the command.
    static func warn(_ command: String, _ message: String) {
        FileHandle.standardError.write(Data("\(command): \(message)\n".utf8))
    }
}
