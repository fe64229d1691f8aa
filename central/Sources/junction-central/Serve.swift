import ArgumentParser
import CentralCore
import CentralWeb
import Foundation
import Logging

/// Runs central until SIGTERM or SIGINT: the ingest thread and the dashboard.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Receive, poll, store and serve the dashboard (default).")

    @Option(name: .shortAndLong, help: "The city TOML file (see central/examples/city.toml).")
    var config: String

    @Option(help: "Override [central] http, for example 127.0.0.1:0 in tests.")
    var http: String?

    @Option(help: "Override [central] udp.")
    var udp: String?

    @Option(help: "Override [central] database.")
    var database: String?

    @Option(help: "The city's name in the dashboard's title.")
    var city = "Cirebon"

    func run() async throws {
        var logger = Logger(label: "junction-central")
        logger.logLevel = .info
        var settings: CityConfig
        do {
            settings = try CityConfigLoader().load(path: config)
        } catch {
            throw ValidationError(error.description)
        }
        if let udp {
            guard let address = SocketAddress(udp) else { throw ValidationError("--udp: expected a.b.c.d:port") }
            settings.udpAddress = address
        }
        if let http {
            let parts = http.split(separator: ":")
            guard parts.count == 2, let port = Int(parts[1]), (0...65535).contains(port) else {
                throw ValidationError("--http: expected host:port, the port 0–65535")
            }
            settings.httpHost = String(parts[0])
            settings.httpPort = port
        }
        if let database { settings.databasePath = database }

        let store = try CentralStore(path: settings.databasePath)
        let bootID = try store.nextBootID(candidate: WallClock.nowMicroseconds())
        let board = CityBoard(
            junctions: settings.junctions, startedMilliseconds: WallClock.nowMilliseconds(), roads: settings.roads,
            congestion: settings.congestion)
        // Before the first alarm review, so an alarm still standing after the restart gets its acknowledgement back.
        let acknowledgements = try AcknowledgementStore(path: settings.databasePath)
        let carried = try acknowledgements.newest()
        board.update { $0.alarms.carryOver(carried) }
        let ingest = try CentralIngest(config: settings, store: store, board: board, bootID: bootID)
        let socket = try UDPSocket(bindingTo: settings.udpAddress)
        let loop = IngestLoop(socket: socket, ingest: ingest)
        loop.start()
        let reader = try StoreReader(path: settings.databasePath)
        let server = DashboardServer(
            board: board, reader: reader, acknowledgements: acknowledgements, storePath: settings.databasePath,
            staleAfterMilliseconds: settings.staleAfterMilliseconds, cityName: city)
        let announcement = "junction-central: \(settings.junctions.count) junctions, UDP \(socket.localAddress), dashboard"
        let host = settings.httpHost
        let application = server.application(
            host: settings.httpHost, port: settings.httpPort, logger: logger,
            onRunning: { port in
                // One line that scripts and tests wait for, with the port actually bound; unbuffered.
                FileHandle.standardOutput.write(Data("\(announcement) http://\(host):\(port)/\n".utf8))
            })
        logger.info("store \(settings.databasePath), boot id \(bootID)")
        do {
            try await application.runService()
        } catch {
            loop.stop()
            throw error
        }
        loop.stop()
        logger.info("stopped; \(ingest.centralCounters.statusReports) reports, \(ingest.dropCounters.total) drops")
    }
}
