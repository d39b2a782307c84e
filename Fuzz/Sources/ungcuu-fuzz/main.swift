// Coverage-guided fuzz targets for UngCuu's parsers of outside input, driven by libFuzzer.
//
//     ungcuu-fuzz TARGET [libFuzzer flags] [corpus dirs or files]
//     ungcuu-fuzz --list
//
// Build and run through scripts/fuzz.sh (see docs/FUZZING.md): the binary must be built with
// `-sanitize-coverage=…` and linked against libclang_rt.fuzzer_no_main, whose LLVMFuzzerRunDriver runs
// the loop. Every target feeds the bytes to the real parser and consumes all of its output; a thrown
// error is a fine answer to bad input (its message is built too: error texts compute locations).
// Only a crash, a hang or running out of memory is a bug.
//
// The target name is stripped from argv before libFuzzer sees it and kept in UNGCUU_FUZZ_TARGET, so
// the processes libFuzzer starts itself (-jobs, -workers, -fork) run the same target.

import Foundation

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt


let arguments = CommandLine.arguments
if arguments.count > 1, arguments[1] == "--list" {
    for t in targets { print(t.name) }
    exit(0)
}
if arguments.count > 1, ["-h", "--help"].contains(arguments[1]) {
    print(usage(), terminator: "")
    exit(0)
}

var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
let environmentTarget = ProcessInfo.processInfo.environment["UNGCUU_FUZZ_TARGET"]
if arguments.count > 1, let target = targets.first(where: { $0.name == arguments[1] }) {
    selected = target.run
    setenv("UNGCUU_FUZZ_TARGET", target.name, 1)
    // Drop argv[1]: libFuzzer sees `ungcuu-fuzz [flags] [corpus]`.
    for i in 1..<Int(argc) { argv[i] = argv[i + 1] }
    argc -= 1
} else if let name = environmentTarget, let target = targets.first(where: { $0.name == name }) {
    selected = target.run
} else {
    FileHandle.standardError.write(Data((arguments.count > 1 ? "unknown target: \(arguments[1])\n" : "") .utf8))
    FileHandle.standardError.write(Data(usage().utf8))
    exit(2)
}

let callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt = { bytes, count in
    let data = bytes.map { Data(bytes: $0, count: count) } ?? Data()
    selected!(data)
    return 0
}

exit(LLVMFuzzerRunDriver(&argc, &argv, callback))
