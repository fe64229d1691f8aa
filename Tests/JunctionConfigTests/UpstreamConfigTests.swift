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

/// Addresses of centrals, the listening socket and neighbours: one reading, inet_pton's.
@Suite struct UpstreamAddressTests {
    @Test(arguments: ["010.0.0.1:4790", "10.0.0.1:+4790", "10.0.0.1:04790", "1.2.3.4:65536", "1.2.3:80", "1.2.3.4", "1.2.3.4: 80"])
    func anAddressReadDifferentlyElsewhereIsRefused(_ text: String) {
        #expect(UpstreamSettings.Address(parsing: text) == nil)
    }

    @Test func plainAddressesAreRead() {
        #expect(UpstreamSettings.Address(parsing: "10.0.0.1:4790")?.description == "10.0.0.1:4790")
        #expect(UpstreamSettings.Address(parsing: "0.0.0.0:0")?.description == "0.0.0.0:0")
        #expect(UpstreamSettings.Address(parsing: "localhost:4722")?.description == "127.0.0.1:4722")
        #expect(UpstreamSettings.Address(parsing: "255.255.255.254:65535")?.description == "255.255.255.254:65535")
    }
}

/// Centrals and keys that would report to no one, twice, or to anyone who guesses.
@Suite struct UpstreamCentralTests {
    static func problems(central: String, key: String = "00112233445566778899aabbccddeeff") -> [ConfigProblem] {
        ConfigFixture.problems(
            ConfigFixture.appending(
                """
                [upstream]
                junction_id = 1
                key = "\(key)"
                central = \(central)
                """))
    }

    @Test(arguments: [
        (#"["0.0.0.0:4700"]"#, "is no one central's address"), (#"["255.255.255.255:4700"]"#, "is no one central's address"),
        (#"["10.0.0.1:4700", "10.0.0.1:4700"]"#, "is listed twice"),
    ])
    func aCentralNoOneOrTwiceIsRefused(_ central: String, _ said: String) {
        let problems = Self.problems(central: central)
        #expect(problems.count == 1 && problems.first?.message.contains(said) == true, "\(problems)")
    }

    @Test func anAllZeroKeyIsRefused() {
        let problems = Self.problems(central: #"["10.0.0.1:4700"]"#, key: String(repeating: "0", count: 32))
        #expect(problems.count == 1 && problems.first?.field == "upstream.key", "\(problems)")
        #expect(problems.first?.message.contains("all zeros") == true)
    }
}
