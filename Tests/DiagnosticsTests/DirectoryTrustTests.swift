import Testing

@testable import Diagnostics

/// The rule for the runtime and demo state directories (issue 13: `/tmp/junctiond-$UID` made
/// world-writable by another user was used silently).
@Suite struct DirectoryTrustTests {
    let directory: UInt32 = 0o040000
    let link: UInt32 = 0o120000

    func problem(mode: UInt32, owner: UInt32, name: String? = "mallory") -> String? {
        DirectoryTrust.problem(path: "/tmp/junctiond-1000", mode: mode, owner: owner, ownerName: name, trusted: [1000, 0])
    }

    @Test func ourOwnOrRootsPrivateDirectoryIsTrusted() {
        #expect(problem(mode: directory | 0o700, owner: 1000) == nil)
        #expect(problem(mode: directory | 0o755, owner: 1000) == nil)
        #expect(problem(mode: directory | 0o750, owner: 0) == nil)
    }

    @Test func anotherUsersDirectoryIsRefusedNamingOwnerAndMode() throws {
        let why = try #require(problem(mode: directory | 0o777, owner: 1001))
        #expect(why.contains("mallory (uid 1001)") && why.contains("0777") && why.contains("/tmp/junctiond-1000"))
        #expect(problem(mode: directory | 0o700, owner: 1001, name: nil)?.contains("uid 1001") == true)
    }

    /// Run as root, the caller's uid and root's are one: named once, not "uid 0 or uid 0".
    @Test func aTrustedUserIsNamedOnce() throws {
        let why = try #require(
            DirectoryTrust.problem(path: "/var/lib/junctiond", mode: directory | 0o700, owner: 65534, ownerName: "nobody", trusted: [0, 0]))
        #expect(why.contains("not by uid 0:"), "\(why)")
    }

    @Test func groupOrOtherWriteIsRefusedEvenForOurOwn() throws {
        let why = try #require(problem(mode: directory | 0o777, owner: 1000))
        #expect(why.contains("0777") && why.contains("chmod go-w"))
        #expect(problem(mode: directory | 0o775, owner: 1000) != nil)
        #expect(problem(mode: directory | 0o1777, owner: 0)?.contains("01777") == true)
    }

    @Test func symbolicLinksAndOtherFilesAreRefused() {
        #expect(problem(mode: link | 0o777, owner: 1000)?.contains("symbolic link") == true)
        #expect(problem(mode: 0o100600, owner: 1000)?.contains("not a directory") == true)
    }
}
