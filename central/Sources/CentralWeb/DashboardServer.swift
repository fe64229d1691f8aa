import CentralCore
import Foundation
import Hummingbird
import Logging
import Synchronization

/// The web dashboard: the page, its JSON API and the live stream of changes (server-sent events).
///
/// Routes:
/// - `GET /` the page; `GET /assets/app.js`, `GET /assets/style.css` its script and style (embedded, no CDN);
/// - `GET /api/status` central's counters and drops by reason;
/// - `GET /api/junctions` and `GET /api/junctions/{id}` live state;
/// - `GET /api/junctions/{id}/counts?hours=24` count bins, `GET /api/junctions/{id}/events?limit=200` events
///   (`&actuations=0` leaves out detector on/off);
/// - `GET /api/stream` server-sent events: `central` about every second, `junctions` with what changed.
public struct DashboardServer: Sendable {
    /// The most dashboards streaming at once; more get 503, so a stuck browser cannot pile up tasks.
    public static let streamLimit = 64
    /// How often a stream looks for changes, in milliseconds.
    public static let streamIntervalMilliseconds = 500

    private let board: CityBoard
    private let reader: StoreReader
    private let staleAfterMilliseconds: Int
    private let cityName: String
    private let streams = Streams()

    private final class Streams: Sendable {
        let open = Atomic<Int>(0)
    }

    /// A dashboard over `board` (live state) and `reader` (history); `cityName` titles the page.
    public init(board: CityBoard, reader: StoreReader, staleAfterMilliseconds: Int, cityName: String) {
        self.board = board
        self.reader = reader
        self.staleAfterMilliseconds = staleAfterMilliseconds
        self.cityName = cityName
    }

    /// The hummingbird application serving on `host:port`; run it with `runService()`. `onRunning` gets the port
    /// actually bound (port 0 asks the kernel for a free one).
    public func application(
        host: String, port: Int, logger: Logger, onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let router = Router()
        router.get("/") { _, _ in
            Self.text(DashboardAssets.indexHTML.replacingOccurrences(of: "{{CITY}}", with: cityName), "text/html; charset=utf-8")
        }
        router.get("/assets/app.js") { _, _ in Self.text(DashboardAssets.appJS, "text/javascript; charset=utf-8") }
        router.get("/assets/style.css") { _, _ in Self.text(DashboardAssets.styleCSS, "text/css; charset=utf-8") }
        router.get("/api/status") { _, _ in try Self.json(centralView()) }
        router.get("/api/junctions") { _, _ in try Self.json(junctionViews(board.snapshot().junctions)) }
        router.get("/api/junctions/:id") { _, context in
            let id = try context.parameters.require("id", as: UInt32.self)
            guard let junction = board.snapshot().junctions.first(where: { $0.id == id }) else {
                throw HTTPError(.notFound, message: "no junction \(id)")
            }
            return try Self.json(junctionViews([junction])[0])
        }
        router.get("/api/junctions/:id/counts") { request, context in
            let id = try context.parameters.require("id", as: UInt32.self)
            let hours = request.uri.queryParameters.get("hours", as: Int.self).map { min(max($0, 1), 24 * 31) } ?? 24
            let since = WallClock.nowMilliseconds() / 1000 - Int64(hours) * 3600
            let counts = try reader.counts(junctionID: id, sinceSeconds: since)
            let layout = board.snapshot().junctions.first(where: { $0.id == id })?.layout
            return try Self.json(CountsView(sinceSeconds: since, counts: counts, detectorNames: layout?.detectors ?? []))
        }
        router.get("/api/junctions/:id/events") { request, context in
            let id = try context.parameters.require("id", as: UInt32.self)
            let limit = request.uri.queryParameters.get("limit", as: Int.self).map { min(max($0, 1), 5000) } ?? 200
            let actuations = request.uri.queryParameters.get("actuations", as: Int.self) != 0
            let events = try reader.recentEvents(junctionID: id, limit: limit, actuations: actuations)
            let layout = board.snapshot().junctions.first(where: { $0.id == id })?.layout
            return try Self.json(events.map { EventView($0, layout: layout) })
        }
        router.get("/api/stream") { _, _ in try stream() }
        return Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "junction-central"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) },
            logger: logger)
    }

    private func centralView() -> CentralView {
        CentralView(board.snapshot(), nowMilliseconds: WallClock.nowMilliseconds(), staleAfterMilliseconds: staleAfterMilliseconds)
    }

    private func junctionViews(_ junctions: [LiveJunction]) -> [JunctionView] {
        let now = WallClock.nowMilliseconds()
        return junctions.map { JunctionView($0, nowMilliseconds: now, staleAfterMilliseconds: staleAfterMilliseconds) }
    }

    /// A never-ending event stream: every junction once, then what changed every half second, central's
    /// counters every second, and every junction again every 5 s so "online" turns to "offline" even when
    /// nothing arrives.
    private func stream() throws -> Response {
        guard streams.open.wrappingAdd(1, ordering: .relaxed).newValue <= Self.streamLimit else {
            streams.open.wrappingSubtract(1, ordering: .relaxed)
            throw HTTPError(.serviceUnavailable, message: "too many live dashboards")
        }
        let headers: HTTPFields = [.contentType: "text/event-stream", .cacheControl: "no-cache"]
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { [self] writer in
                defer { streams.open.wrappingSubtract(1, ordering: .relaxed) }
                var version: UInt64 = 0
                var round = 0
                try await writer.write(ByteBuffer(string: "retry: 2000\n\n"))
                while !Task.isCancelled {
                    let changed: [LiveJunction]
                    if round % 10 == 0 {
                        let snapshot = board.snapshot()
                        (changed, version) = (snapshot.junctions, snapshot.version)
                    } else {
                        (changed, version) = board.changes(since: version)
                    }
                    if !changed.isEmpty {
                        try await writer.write(Self.event("junctions", junctionViews(changed)))
                    }
                    if round % 2 == 0 {
                        try await writer.write(Self.event("central", centralView()))
                    }
                    round += 1
                    try await Task.sleep(for: .milliseconds(Self.streamIntervalMilliseconds))
                }
                try await writer.finish(nil)
            })
    }

    private static func event(_ name: String, _ value: some Encodable) throws -> ByteBuffer {
        let data = try JSONEncoder().encode(value)
        var buffer = ByteBuffer(string: "event: \(name)\ndata: ")
        buffer.writeBytes(data)
        buffer.writeString("\n\n")
        return buffer
    }

    private static func json(_ value: some Encodable) throws -> Response {
        let data = try JSONEncoder().encode(value)
        return Response(
            status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-cache"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    private static func text(_ text: String, _ type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
