import Glibc
import SystemPackage
import Testing

@testable import JunctionConfig

/// The words `JunctionFile` gives for what the loader meets on a bad path. Permission denied
/// cannot be produced for real here (the tests run as root, which every mode lets read), so the
/// mapping is checked directly.
@Suite struct JunctionFileTests {
    @Test func errorsAreNamed() {
        #expect(JunctionFile.describe(ENOENT) == "no such file")
        #expect(JunctionFile.describe(EACCES) == "permission denied")
        #expect(JunctionFile.describe(EPERM) == "permission denied")
        #expect(JunctionFile.describe(ENOTDIR).contains("not a directory"))
    }

    @Test func fileTypesAreNamed() {
        #expect(JunctionFile.nonRegularKind(S_IFREG | 0o644) == nil)
        #expect(JunctionFile.nonRegularKind(S_IFDIR) == "a directory")
        #expect(JunctionFile.nonRegularKind(S_IFIFO)?.contains("FIFO") == true)
        #expect(JunctionFile.nonRegularKind(S_IFCHR)?.contains("device") == true)
        #expect(JunctionFile.nonRegularKind(S_IFBLK)?.contains("device") == true)
        #expect(JunctionFile.nonRegularKind(S_IFSOCK) == "a socket")
    }

    /// A newline or an ESC in a path (both allowed in Linux names) is shown escaped, so the error
    /// that names the file stays one line and cannot forge another or repaint a terminal.
    @Test func aPathWithControlCharactersIsShownEscapedOnOneLine() throws {
        let path = FilePath("/tmp/junction-file-\(getpid())-\n\u{1B}[2J.toml")
        let shown = "/tmp/junction-file-\(getpid())-\\u{A}\\u{1B}[2J.toml"
        #expect(JunctionFile.displayName(path) == shown)
        let error = #expect(throws: ConfigError.self) { try JunctionConfigLoader().load(path: path) }
        #expect(error?.description.contains(shown) == true)
        #expect(error?.description.contains("\n") == false)
    }

    /// A name that is not UTF-8 (Linux allows any bytes but `/` and NUL) opens that file, and is
    /// shown with the stray bytes escaped rather than as U+FFFD, which names another file.
    @Test func aPathThatIsNotUTF8IsOpenedByItsBytesAndShownEscaped() throws {
        let bytes = Array("/tmp/junction-file-\(getpid())-".utf8) + [0xFF, 0xC3, 0x28] + Array(".toml".utf8)
        let path = FilePath(platformString: bytes.map { CChar(bitPattern: $0) } + [0])
        let descriptor = path.withPlatformString { open($0, O_WRONLY | O_CREAT | O_TRUNC, 0o644) }
        #expect(descriptor >= 0)
        #expect(write(descriptor, "[junction\n", 10) == 10)
        close(descriptor)
        defer { _ = path.withPlatformString { unlink($0) } }
        let shown = "/tmp/junction-file-\(getpid())-\\xFF\\xC3(.toml"
        #expect(JunctionFile.displayName(path) == shown)
        #expect(throws: (any Error).self) { try JunctionFile.contents(of: shown, limit: 100) }
        #expect(try JunctionFile.contents(of: path, limit: 100) == Array("[junction\n".utf8))
        let error = #expect(throws: ConfigError.self) { try JunctionConfigLoader().load(path: path) }
        // Found and parsed: the problem is its text, and it names the file as shown.
        #expect(error?.description.contains("no such file") == false)
        #expect(error?.description.contains(shown) == true)
    }
}
