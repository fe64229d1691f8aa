import Foundation
import JunctionConfig
import Testing

/// `[upstream]`'s store: a database file that survives a restart, or the default one.
@Suite struct UpstreamConfigTests {
    static func source(store: String) -> String {
        ConfigFixture.appending(
            """
            [upstream]
            junction_id = 1
            key = "00112233445566778899aabbccddeeff"
            central = ["127.0.0.1:4700"]
            store = \(store)
            """)
    }

    /// "" and ":memory:" gave SQLite's temporary databases (the store and its boot id gone at the
    /// next restart, with nothing said); a relative path depends on the directory junctiond starts in.
    @Test(arguments: [#""""#, #"":memory:""#, #""junctiond.db""#, #""/var/lib/junctiond/""#])
    func aStoreARestartWouldLoseIsRefused(_ store: String) {
        let problems = ConfigFixture.problems(Self.source(store: store))
        #expect(problems.count == 1, "\(problems)")
        #expect(problems.first?.field == "upstream.store" && problems.first?.message.contains("absolute path") == true)
    }

    /// An empty key_file was reported as "key file : no such file".
    @Test func anEmptyKeyFileIsSaidToBeEmpty() {
        let text = Self.source(store: #""/var/lib/junctiond/j.db""#)
            .replacingOccurrences(of: #"key = "00112233445566778899aabbccddeeff""#, with: "key_file = \"\"")
        let problems = ConfigFixture.problems(text)
        #expect(problems.count == 1 && problems.first?.field == "upstream.key_file", "\(problems)")
        #expect(problems.first?.message == "key_file must name a file; it is empty")
    }

    @Test func anAbsoluteStoreIsTaken() throws {
        let configuration = try JunctionConfigLoader().load(source: Self.source(store: #""/var/lib/junctiond/j.db""#))
        #expect(configuration.upstream?.storePath == "/var/lib/junctiond/j.db")
    }
}
