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

    @Test func anAbsoluteStoreIsTaken() throws {
        let configuration = try JunctionConfigLoader().load(source: Self.source(store: #""/var/lib/junctiond/j.db""#))
        #expect(configuration.upstream?.storePath == "/var/lib/junctiond/j.db")
    }
}
