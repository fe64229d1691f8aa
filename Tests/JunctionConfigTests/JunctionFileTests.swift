import Glibc
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
}
