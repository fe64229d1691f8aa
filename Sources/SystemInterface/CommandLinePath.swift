import Glibc
import SystemPackage

/// A path given on the command line, with the bytes it was given in.
///
/// ArgumentParser hands arguments over as Strings, which replace bytes that are not UTF-8 with
/// U+FFFD: opening that String opens another file (or none). `of(_:)` finds the argument the String
/// came from in the process's raw arguments and returns its bytes unchanged.
package enum CommandLinePath {
    /// The path `argument` was decoded from: the first raw argument (or the value of the first
    /// `--option=value` argument) that decodes to it. Arguments that are UTF-8 come back as they are;
    /// of two that differ only in bytes that are not UTF-8, the first is taken.
    package static func of(_ argument: String) -> FilePath {
        guard argument.unicodeScalars.contains("\u{FFFD}") else { return FilePath(argument) }
        for raw in UnsafeBufferPointer(start: CommandLine.unsafeArgv, count: Int(CommandLine.argc)).dropFirst() {
            guard let raw else { continue }
            let bytes = UnsafeBufferPointer(start: raw, count: strlen(raw)).map { UInt8(bitPattern: $0) }
            var candidates = [bytes[...]]
            if bytes.starts(with: Array("--".utf8)), let equals = bytes.firstIndex(of: UInt8(ascii: "=")) {
                candidates.append(bytes[(equals + 1)...])
            }
            if let match = candidates.first(where: { String(decoding: $0, as: UTF8.self) == argument }) {
                return FilePath(platformString: (match.map { CChar(bitPattern: $0) } + [0]))
            }
        }
        return FilePath(argument)
    }
}
