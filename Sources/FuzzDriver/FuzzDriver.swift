// The libFuzzer glue every fuzz-* executable shares (SystemTests/fuzz). Each executable states only
// its targets and the variable that picks one, as a `FuzzExecutable`; the entry point is written
// here. It drives libFuzzer only when built with -Xswiftc -DFUZZING (and -sanitize=fuzzer); an
// ordinary build only says how to build it.
#if FUZZING
import Glibc
#endif

/// One decoder a fuzz executable can feed, chosen by name from an environment variable.
public protocol FuzzTarget: RawRepresentable, CaseIterable where RawValue == String {
    /// Decodes `bytes`, which may be anything; only a crash or a sanitizer report is a finding.
    func run(_ bytes: [UInt8])
}

/// A fuzz executable's `@main` type: names its targets and the environment variable that picks
/// one; `main` is written once, here.
public protocol FuzzExecutable {
    associatedtype Target: FuzzTarget
    /// The executable's name, `fuzz-` and what it fuzzes (`fuzz-wire`).
    static var program: String { get }
    /// The environment variable that names the target to run (`WIRE_FUZZ_DECODER`).
    static var variable: String { get }
}

extension FuzzExecutable {
    /// With -DFUZZING: runs libFuzzer with the program's arguments on the target `variable` names
    /// (the first case when unset) and exits with libFuzzer's status, or 2 with a message naming
    /// the choices for an unknown target. Without: says how to build the fuzzer.
    public static func main() {
        #if FUZZING
        exit(FuzzDriver.run(Target.self, program: program, variable: variable))
        #else
        let script = "SystemTests/fuzz/run-\(program.dropFirst("fuzz-".count))-fuzz.sh"
        print("\(program) is built with -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING; see \(script)")
        #endif
    }
}

#if FUZZING
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
enum FuzzDriver {
    /// Runs libFuzzer with the program's arguments on the target named by `variable` (the first
    /// case when unset). Returns libFuzzer's exit status, or 2 with a message naming the choices
    /// for an unknown target.
    static func run<Target: FuzzTarget>(_ targets: Target.Type, program: String, variable: String) -> CInt {
        let choices = Target.allCases.map(\.rawValue)
        let name = getenv(variable).map { String(cString: $0) } ?? choices[0]
        guard let target = Target(rawValue: name) else {
            var message = "\(program): unknown \(variable) \(name) (one of \(choices.joined(separator: ", ")))\n"
            message.withUTF8 { bytes in _ = write(STDERR_FILENO, bytes.baseAddress, bytes.count) }
            return 2
        }
        selectedTarget = { target.run($0) }
        var count = CommandLine.argc
        var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
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
