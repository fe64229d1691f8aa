import CentralCore
import Foundation
import Hummingbird
import Logging
import Synchronization

/// The web dashboard: the page, its JSON API and the live stream of changes (server-sent events).
///
/// Routes (central/README.md documents each; JSON keys are snake_case, as junctionctl's):
/// - `GET /` the page; `GET /assets/app.js`, `GET /assets/style.css` its script and style (embedded, no CDN);
/// - `GET /api/status` central's counters and drops by reason; `GET /api/alarms` the city's alarms, worst first;
/// - `GET /api/junctions` and `GET /api/junctions/{id}` live state;
/// - `GET /api/junctions/{id}/counts?hours=24` count bins (1–744 hours), `GET /api/junctions/{id}/events?limit=200`
///   events (1–5000; `&actuations=0` leaves out detector on/off);
/// - `GET /api/stream` server-sent events: `central` about every second, `junctions` with what changed, `alarms`
///   when the list changed.
///
/// A parameter a route does not take, or a value out of its range, is a 400 with a JSON error (`APIError`).
public struct DashboardServer: Sendable {
    /// The most dashboards streaming at once; more get 503, so a stuck browser cannot pile up tasks.
    public static let streamLimit = 64
    /// How often a stream looks for changes, in milliseconds.
    public static let streamIntervalMilliseconds = 500
    /// `hours` of `/api/junctions/{id}/counts`: one hour to 31 days.
    static let hoursRange = 1...(24 * 31)
    /// `limit` of `/api/junctions/{id}/events`.
    static let eventLimitRange = 1...5000

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
        router.get("/api/status") { request, _ in
            _ = try APIQuery(request, accepted: [])
            return try Self.json(centralView())
        }
        router.get("/api/alarms") { request, _ in
            _ = try APIQuery(request, accepted: [])
            return try Self.json(board.snapshot().alarms.worstFirst)
        }
        router.get("/api/junctions") { request, _ in
            _ = try APIQuery(request, accepted: [])
            return try Self.json(junctionViews(board.snapshot().junctions))
        }
        router.get("/api/junctions/:id") { request, context in
            _ = try APIQuery(request, accepted: [])
            return try Self.json(junctionViews([try configuredJunction(context)])[0])
        }
        router.get("/api/junctions/:id/counts") { request, context in
            let hours = try APIQuery(request, accepted: ["hours"]).integer("hours", in: Self.hoursRange, default: 24)
            let junction = try configuredJunction(context)
            let since = WallClock.nowMilliseconds() / 1000 - Int64(hours) * 3600
            let counts = try reader.counts(junctionID: junction.id, sinceSeconds: since)
            return try Self.json(CountsView(sinceSeconds: since, counts: counts, layout: junction.layout))
        }
        router.get("/api/junctions/:id/events") { request, context in
            let query = try APIQuery(request, accepted: ["limit", "actuations"])
            let limit = try query.integer("limit", in: Self.eventLimitRange, default: 200)
            let actuations = try query.integer("actuations", in: 0...1, default: 1) == 1
            let junction = try configuredJunction(context)
            let events = try reader.recentEvents(junctionID: junction.id, limit: limit, actuations: actuations)
            return try Self.json(events.map { EventView($0, layout: junction.layout) })
        }
        router.get("/api/stream") { _, _ in try stream() }
        MeasureRoutes(board: board, reader: reader).register(on: router)
        return Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "junction-central"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) },
            logger: logger)
    }

    /// The configured junction the path names.
    private func configuredJunction(_ context: some RequestContext) throws(APIError) -> LiveJunction {
        let id = try APIQuery.junctionID(context)
        guard let junction = board.snapshot().junctions.first(where: { $0.id == id }) else {
            throw .notFound("no junction \(id) in the city file")
        }
        return junction
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
                var alarmsVersion: UInt64? = nil
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
                    let alarms = board.snapshot().alarms
                    if alarms.version != alarmsVersion {
                        alarmsVersion = alarms.version
                        try await writer.write(Self.event("alarms", alarms.worstFirst))
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
        let data = try encoder().encode(value)
        var buffer = ByteBuffer(string: "event: \(name)\ndata: ")
        buffer.writeBytes(data)
        buffer.writeString("\n\n")
        return buffer
    }

    /// snake_case keys in sorted order, as junctionctl writes them; an absent key means "none".
    private static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try encoder().encode(value)
        return Response(
            status: status, headers: [.contentType: "application/json", .cacheControl: "no-cache"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    private static func text(_ text: String, _ type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
