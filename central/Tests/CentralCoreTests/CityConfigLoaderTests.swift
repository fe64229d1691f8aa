import CentralCore
import Foundation
import Testing

@Suite struct CityConfigLoaderTests {
    private let key = String(repeating: "ab", count: 32)

    @Test func aCompleteFileLoads() throws {
        let source = """
            [central]
            id = 2
            udp = "127.0.0.1:47810"
            http = "0.0.0.0:8090"
            database = "city.sqlite"
            poll_interval_seconds = 1.5

            [[junctions]]
            id = 101
            name = "Siliwangi x Kartini"
            key = "\(key)"
            poll = "127.0.0.1:47901"
            """
        let config = try CityConfigLoader().load(source: source, name: "city.toml", folder: "/srv/city")
        #expect(config.centralID == 2)
        #expect(config.udpAddress.description == "127.0.0.1:47810")
        #expect(config.httpPort == 8090)
        #expect(config.databasePath == "/srv/city/city.sqlite")
        #expect(config.pollIntervalMilliseconds == 1_500)
        #expect(config.junctions.map(\.id) == [101])
        #expect(config.junctions.first?.pollAddress?.port == 47901)
    }

    @Test func everyProblemIsNamedByItsField() {
        let source = """
            [central]
            udpp = "127.0.0.1:1"

            [[junctions]]
            id = 1
            name = "A"
            key = "xyz"

            [[junctions]]
            id = 1
            name = "B"
            key = "\(key)"
            """
        #expect {
            _ = try CityConfigLoader().load(source: source, name: "city.toml", folder: ".")
        } throws: { error in
            guard let error = error as? CityConfigError else { return false }
            let text = error.description
            return text.contains("central.udpp: unknown key") && text.contains("junctions[0].key:")
                && text.contains("junctions[1].id: id 1 is used twice")
        }
    }

    /// `check-config` passed what `serve` could not use: a host with a space, a device as the store.
    @Test func aHostServeCannotBindAndAStoreThatIsNoFileAreRefused() {
        for (line, said) in [
            (#"http = "evil host:8080""#, "central.http: expected a host and port"),
            (#"database = "/dev/zero""#, "central.database: /dev/zero is not a regular file"),
        ] {
            let source = "[central]\n\(line)\n\n[[junctions]]\nid = 1\nname = \"A\"\nkey = \"\(key)\"\n"
            #expect {
                _ = try CityConfigLoader().load(source: source, name: "city.toml", folder: ".")
            } throws: { error in
                (error as? CityConfigError)?.description.contains(said) == true
            }
        }
    }

    /// junctiond refuses an all-zero key as a placeholder; central took it, so the two ends disagreed.
    @Test func anAllZeroKeyIsRefusedAsAtTheJunction() {
        let source = """
            [[junctions]]
            id = 1
            name = "A"
            key = "\(String(repeating: "0", count: 64))"
            """
        #expect {
            _ = try CityConfigLoader().load(source: source, name: "city.toml", folder: ".")
        } throws: { error in
            (error as? CityConfigError)?.description.contains("junctions[0].key: the key is all zeros") == true
        }
    }

    @Test func positionsRoadsAndCongestionThresholdsLoad() throws {
        let source = """
            [central]
            congestion_busy_percent = 12.5
            congestion_congested_percent = 40
            congestion_window_seconds = 120

            [[junctions]]
            id = 1
            name = "A"
            key = "\(key)"
            latitude = -6.7063
            longitude = 108.557

            [[junctions]]
            id = 2
            name = "B"
            key = "\(key)"
            latitude = -6.71
            longitude = 108.56

            [[roads]]
            name = "Jl. Siliwangi"
            junctions = [1, 2]
            """
        let config = try CityConfigLoader().load(source: source, name: "city.toml", folder: ".")
        #expect(config.junctions[0].position == MapPosition(latitude: -6.7063, longitude: 108.557))
        #expect(config.roads == [MapRoad(name: "Jl. Siliwangi", junctions: [1, 2])])
        #expect(config.congestion == CongestionThresholds(busyPermille: 125, congestedPermille: 400, windowMilliseconds: 120_000))
    }

    @Test func badPositionsRoadsAndThresholdsAreNamed() {
        let source = """
            [central]
            congestion_busy_percent = 50
            congestion_congested_percent = 30

            [[junctions]]
            id = 1
            name = "A"
            key = "\(key)"
            latitude = -96.0
            longitude = 108.0

            [[junctions]]
            id = 2
            name = "B"
            key = "\(key)"
            latitude = -6.7

            [[roads]]
            name = "Jl. Siliwangi"
            junctions = [1, 7]
            """
        #expect {
            _ = try CityConfigLoader().load(source: source, name: "city.toml", folder: ".")
        } throws: { error in
            guard let error = error as? CityConfigError else { return false }
            let text = error.description
            return text.contains("central.congestion_congested_percent: must be above congestion_busy_percent")
                && text.contains("junctions[0].latitude: expected degrees in -90...90")
                && text.contains("junctions[1].longitude: give latitude and longitude together")
                && text.contains("roads[0].junctions: 7 is not the id of a [[junctions]] entry")
        }
    }

    /// The problems `load(path:)` names for the file at `path`.
    private func problems(loading path: String) -> String {
        do {
            _ = try CityConfigLoader().load(path: path)
            return "loaded"
        } catch {
            return error.description
        }
    }

    @Test func aCityFileThatIsNoRegularFileIsRefusedWithWhatItIsAndAFIFONeverBlocks() throws {
        let folder = NSTemporaryDirectory() + "city-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let fifo = folder + "/city.toml"
        #expect(mkfifo(fifo, 0o600) == 0)
        // No writer ever opens the FIFO: a loader that opened it blocking would never return.
        #expect(problems(loading: fifo).contains("is a FIFO (named pipe), not a regular file"))
        #expect(problems(loading: folder).contains("is a directory, not a regular file"))
        #expect(problems(loading: "/dev/zero").contains("is a device (character device), not a regular file"))
        #expect(problems(loading: folder + "/missing.toml").contains("no such file"))

        let city = folder + "/city-with-key-file.toml"
        let source = "[[junctions]]\nid = 1\nname = \"A\"\nkey_file = \"city.toml\"\n"
        try source.write(toFile: city, atomically: true, encoding: .utf8)
        #expect(problems(loading: city).contains("key file \(fifo): is a FIFO (named pipe), not a regular file"))
    }

    @Test func theExampleCityLoads() throws {
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../examples/city.toml"
        ).standardized.path
        let config = try CityConfigLoader().load(path: example)
        #expect(config.junctions.count >= 3)
        #expect(config.junctions.allSatisfy { $0.layout != nil })
    }
}
