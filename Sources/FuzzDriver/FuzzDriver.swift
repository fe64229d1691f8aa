// The libFuzzer glue every fuzz-* executable shares (SystemTests/fuzz). Compiled to something only with
// -Xswiftc -DFUZZING (and -sanitize=fuzzer), so ordinary builds carry none of it.
#if FUZZING
import Glibc

/// One decoder a fuzz executable can feed, chosen by name from an environment variable.
public protocol FuzzTarget: RawRepresentable, CaseIterable where RawValue == String {
    /// Decodes `bytes`, which may be anything; only a crash or a sanitizer report is a finding.
    func run(_ bytes: [UInt8])
}

@_silgen_name("LLVMFuzzerRunDriver")
private func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// The decoder being fuzzed. libFuzzer's callback is a C function that can capture nothing, so the
/// choice is made once, before the driver starts, and read from here.
nonisolated(unsafe) private var selectedTarget: (([UInt8]) -> Void)?

private func feedSelectedTarget(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    selectedTarget?(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}

/// Starts libFuzzer on the target an environment variable names.
public enum FuzzDriver {
    /// Runs libFuzzer with the program's arguments on the target named by `variable` (the first
    /// case when unset). Call it from the executable's `<module>_main`, which is what SwiftPM
    /// renames an executable's entry point to. Returns libFuzzer's exit status, or 2 with a
    /// message naming the choices for an unknown target.
    public static func run<Target: FuzzTarget>(
        _ targets: Target.Type, program: String, variable: String,
        argc: CInt, argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
    ) -> CInt {
        let choices = Target.allCases.map(\.rawValue)
        let name = getenv(variable).map { String(cString: $0) } ?? choices[0]
        guard let target = Target(rawValue: name) else {
            var message = "\(program): unknown \(variable) \(name) (one of \(choices.joined(separator: ", ")))\n"
            message.withUTF8 { bytes in _ = write(STDERR_FILENO, bytes.baseAddress, bytes.count) }
            return 2
        }
        selectedTarget = { target.run($0) }
        var count = argc
        var arguments = argv
        return runFuzzerDriver(&count, &arguments) { data, size in feedSelectedTarget(data, size) }
    }
}

/// libFuzzer's own `main` object refers to this symbol however its runtime archive is linked;
/// defining it keeps that reference resolved. `FuzzDriver.run` is what runs.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDriverTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    feedSelectedTarget(data, size)
}
#endif
