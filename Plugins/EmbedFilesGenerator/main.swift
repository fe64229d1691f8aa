// EmbedFilesGenerator OUTPUT (ACCESS TYPE.MEMBER FILE)...
//
// Writes OUTPUT, Swift code with one `static let MEMBER: String` per file in an extension of TYPE, holding the
// file's bytes exactly (an escaped literal keeps carriage returns and trailing newlines that a multi-line literal
// would change). Run by the EmbedFiles plugin; plain libc, so the tool builds quickly and links anywhere.
#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

func fail(_ message: String) -> Never {
    let line = Array("EmbedFilesGenerator: \(message)\n".utf8)
    _ = write(2, line, line.count)
    exit(1)
}

/// The whole file at `path`, or the build stops.
func contents(of path: String) -> [UInt8] {
    guard let file = fopen(path, "rb") else { fail("cannot open \(path)") }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = fread(&chunk, 1, chunk.count, file)
        bytes.append(contentsOf: chunk[0..<count])
        if count < chunk.count {
            if ferror(file) != 0 { fail("cannot read \(path)") }
            return bytes
        }
    }
}

/// `bytes` as a Swift string literal with the same UTF-8; the build stops if they are not UTF-8.
func literal(_ bytes: [UInt8], path: String) -> String {
    var text = ""
    var decoder = UTF8()
    var iterator = bytes.makeIterator()
    text.append("\"")
    decoding: while true {
        switch decoder.decode(&iterator) {
        case .scalarValue(let scalar):
            switch scalar {
            case "\\": text.append("\\\\")
            case "\"": text.append("\\\"")
            case "\n": text.append("\\n")
            case "\r": text.append("\\r")
            case "\t": text.append("\\t")
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                text.append("\\u{\(String(scalar.value, radix: 16))}")
            default: text.unicodeScalars.append(scalar)
            }
        case .emptyInput: break decoding
        case .error: fail("\(path) is not UTF-8")
        }
    }
    text.append("\"")
    return text
}

let arguments = CommandLine.arguments.dropFirst()
guard let output = arguments.first, (arguments.count - 1) % 3 == 0 else {
    fail("usage: EmbedFilesGenerator OUTPUT (ACCESS TYPE.MEMBER FILE)...")
}
var source = "// Generated at build time by the EmbedFiles plugin from the target's embed-files.txt: do not edit.\n"
let triples = Array(arguments.dropFirst())
for start in stride(from: 0, to: triples.count, by: 3) {
    let (access, qualified, path) = (triples[start], triples[start + 1], triples[start + 2])
    let parts = qualified.split(separator: ".")
    guard parts.count == 2 else { fail("expected TYPE.MEMBER, got \(qualified)") }
    source += """

        extension \(parts[0]) {
            /// The bytes of `\(path.split(separator: "/").last ?? "")`, embedded at build time.
            \(access) static let \(parts[1]): String = \(literal(contents(of: path), path: path))
        }

        """
}
guard let file = fopen(output, "wb") else { fail("cannot create \(output)") }
let bytes = Array(source.utf8)
if fwrite(bytes, 1, bytes.count, file) != bytes.count || fclose(file) != 0 { fail("cannot write \(output)") }
