import CentralCore
import CentralWeb
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Wire

/// A dashboard as the web tests drive it: a board with junction 7 (the Cirebon layout) over a store in a fresh
/// temporary file, served through hummingbird's in-process test client. `remove()` deletes the files.
struct TestDashboard {
    static let layoutPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../hardware/junctions/cirebon-4arm.toml").standardized.path
    static let key = try! WireKey(bytes: Array(repeating: 1, count: 32))

    /// One request: a GET by its URI (a string literal), or a POST with a body.
    struct Call: ExpressibleByStringLiteral {
        var method: HTTPRequest.Method
        var uri: String
        var body: String?

        init(stringLiteral uri: String) { self.init(get: uri) }

        init(get uri: String) {
            method = .get
            self.uri = uri
            body = nil
        }

        static func post(_ uri: String, _ body: String) -> Call {
            var call = Call(get: uri)
            call.method = .post
            call.body = body
            return call
        }
    }

    /// One answer: status code, body as text and headers.
    struct Answer {
        var status: Int
        var body: String
        var headers: HTTPFields
    }

    let path = NSTemporaryDirectory() + "dashboard-\(UUID().uuidString).sqlite"
    let store: CentralStore
    let board: CityBoard
    let entry: JunctionEntry

    init() throws {
        store = try CentralStore(path: path)
        entry = JunctionEntry(
            id: 7, name: "Test junction", key: Self.key, layout: try JunctionLayout.load(path: Self.layoutPath))
        board = CityBoard(junctions: [entry], startedMilliseconds: 0)
    }

    /// Stores `events` and `bins` as junction 7's.
    func commit(events: [EventRecord] = [], bins: [CountBin] = []) throws {
        var batch = StoreBatch()
        batch.events = events.map { (7, $0) }
        batch.counts = bins.map { (7, $0) }
        _ = try store.commit(batch)
    }

    /// Makes `status` junction 7's newest report, received now, and reviews the alarms.
    func report(_ status: StatusReport) {
        board.update { state in
            state.updateJunction(7) {
                $0.status = status
                $0.lastReportMilliseconds = WallClock.nowMilliseconds()
            }
            state.reviewAlarms(nowMilliseconds: WallClock.nowMilliseconds(), staleAfterMilliseconds: 5_000)
        }
    }

    /// A server over this board and store.
    func server() throws -> DashboardServer {
        DashboardServer(
            board: board, reader: try StoreReader(path: path), acknowledgements: try AcknowledgementStore(path: path),
            storePath: path, staleAfterMilliseconds: 5_000, cityName: "Cirebon")
    }

    /// The answers of a server over this board and store to `calls`, in order.
    func answers(_ calls: [Call]) async throws -> [Answer] {
        let application = try server().application(host: "127.0.0.1", port: 0, logger: Logger(label: "test"))
        return try await application.test(.router) { client in
            var answers: [Answer] = []
            for call in calls {
                let response = try await client.execute(
                    uri: call.uri, method: call.method, body: call.body.map { ByteBuffer(string: $0) })
                answers.append(Answer(status: Int(response.status.code), body: String(buffer: response.body),
                    headers: response.headers))
            }
            return answers
        }
    }

    func remove() {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}
