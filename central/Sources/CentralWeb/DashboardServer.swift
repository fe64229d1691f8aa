import CentralCore
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import Synchronization
import Wire

/// The web dashboard: the page, its JSON API, CSV downloads, Prometheus metrics and the live stream of changes
/// (server-sent events).
///
/// Routes (docs/central-api.md documents each, with parameters, errors and an example; JSON keys are snake_case, as
/// junctionctl's):
/// - `GET /` the page; `GET /assets/app.js`, `GET /assets/style.css` its script and style (embedded, no CDN);
/// - `GET /api/status` central's counters and drops by reason; `GET /api/alarms` the city's alarms, worst first;
///   `POST /api/alarms/{number}/ack` acknowledges one (`{"by": "name", "note": "..."}`), kept in the store;
/// - `GET /api/junctions` and `GET /api/junctions/{id}` live state;
/// - `GET /api/junctions/{id}/counts?hours=24` count bins (1–744 hours) or `?from=&to=` (Unix seconds) or
///   `?day=YYYY-MM-DD` (UTC), up to 31 days; `GET /api/junctions/{id}/events?limit=200` the newest events (1–5000;
///   `&actuations=0` leaves out detector on/off), or with a range of at most a day the newest `limit` (up to 50,000)
///   in it;
/// - `GET /api/junctions/{id}/counts.csv` and `GET /api/junctions/{id}/events.csv` the same ranges as files (events
///   in the Indiana high-resolution format, up to 7 days), streamed a window at a time;
/// - `GET /api/stream` server-sent events: `central` about every second, `junctions` with what changed, `alarms`
///   when the list changed;
/// - `GET /metrics` Prometheus text format (`CentralMetrics`).
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
    /// `limit` of `/api/junctions/{id}/events` with a range: a busy day's phase events fit, a day of detector
    /// on/off does not (the CSV carries that).
    static let rangeEventLimitRange = 1...50_000
    /// The longest range of the count routes, JSON and CSV: 31 days, as `hours`.
    static let longestCountsSeconds: Int64 = 31 * 86_400
    /// The longest range of the events JSON: a day.
    static let longestEventsSeconds: Int64 = 86_400
    /// The longest range of events.csv: a week, streamed.
    static let longestEventsCSVSeconds: Int64 = 7 * 86_400
    /// Ranges are read from the store this much at a time, so a request holds one window's rows, not the range's:
    /// ten minutes of events and a day of count bins.
    static let eventWindowMilliseconds: Int64 = 600_000
    static let countWindowSeconds: Int64 = 86_400
    /// The longest body `POST /api/alarms/{number}/ack` reads, in bytes.
    static let acknowledgementBodyLimit = 4096
    /// A connection that sends no request, or stops in the middle of one, for this long is closed, so idle sockets
    /// cannot pile up until central runs out of file descriptors. A stream being answered is not idle.
    public static let idleTimeoutMilliseconds: Int64 = 30_000
    /// The most HTTP connections open at once, well under central's file limit; more wait in the kernel's accept
    /// queue until one closes.
    public static let connectionLimit = 1024

    private let board: CityBoard
    private let reader: StoreReader
    private let acknowledgements: AcknowledgementStore
    private let storePath: String?
    private let staleAfterMilliseconds: Int
    private let cityName: String

    /// `text` for HTML text or an attribute: `--city` is typed by whoever starts central, and lands in the page.
    static func htmlEscaped(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }
    private let streams = Streams()
    private let metrics = CentralMetrics()

    private final class Streams: Sendable {
        let open = Atomic<Int>(0)
    }

    /// One of the `streamLimit` stream slots, held while this object lives. The response body owns it, so the slot
    /// is given back however the connection ends, also when the body never runs (a client reset before the answer
    /// started), which a `defer` inside the body missed.
    private final class StreamSlot: Sendable {
        private let streams: Streams

        /// A slot of `streams`, or nil when all are taken.
        init?(of streams: Streams) {
            guard streams.open.wrappingAdd(1, ordering: .relaxed).newValue <= DashboardServer.streamLimit else {
                streams.open.wrappingSubtract(1, ordering: .relaxed)
                return nil
            }
            self.streams = streams
        }

        deinit { streams.open.wrappingSubtract(1, ordering: .relaxed) }
    }

    /// A dashboard over `board` (live state) and `reader` (history); acknowledgements are written to
    /// `acknowledgements`; `storePath`, when given, is the store file whose size `/metrics` reports; `cityName`
    /// titles the page.
    public init(
        board: CityBoard, reader: StoreReader, acknowledgements: AcknowledgementStore, storePath: String?,
        staleAfterMilliseconds: Int, cityName: String
    ) {
        self.board = board
        self.reader = reader
        self.acknowledgements = acknowledgements
        self.storePath = storePath
        self.staleAfterMilliseconds = staleAfterMilliseconds
        self.cityName = cityName
    }

    /// The hummingbird application serving on `host:port`; run it with `runService()`. `onRunning` gets the port
    /// actually bound (port 0 asks the kernel for a free one); `idleTimeoutMilliseconds` is for tests.
    public func application(
        host: String, port: Int, logger: Logger, idleTimeoutMilliseconds: Int64 = Self.idleTimeoutMilliseconds,
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let router = Router()
        router.add(middleware: APIErrorMiddleware())
        router.get("/") { _, _ in
            Self.text(
                DashboardAssets.indexHTML.replacingOccurrences(of: "{{CITY}}", with: Self.htmlEscaped(cityName)),
                "text/html; charset=utf-8")
        }
        router.get("/assets/app.js") { _, _ in Self.text(DashboardAssets.appJS, "text/javascript; charset=utf-8") }
        router.get("/assets/style.css") { _, _ in Self.text(DashboardAssets.styleCSS, "text/css; charset=utf-8") }
        router.get("/api/status") { request, _ in
            try timed("/api/status") {
                _ = try APIQuery(request, accepted: [])
                return try Self.json(centralView())
            }
        }
        router.get("/api/alarms") { request, _ in
            try timed("/api/alarms") {
                _ = try APIQuery(request, accepted: [])
                return try Self.json(board.snapshot().alarms.worstFirst)
            }
        }
        router.post("/api/alarms/:id/ack") { request, context in
            let started = ContinuousClock.now
            defer { metrics.record(route: "/api/alarms/:id/ack", started.duration(to: .now)) }
            _ = try APIQuery(request, accepted: [])
            let body: ByteBuffer
            do {
                body = try await request.body.collect(upTo: Self.acknowledgementBodyLimit)
            } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
                throw APIError(.contentTooLarge, message: "body: at most \(Self.acknowledgementBodyLimit) bytes")
            }
            return try acknowledge(context, body: body)
        }
        router.get("/api/junctions") { request, _ in
            try timed("/api/junctions") {
                _ = try APIQuery(request, accepted: [])
                return try Self.json(junctionViews(board.snapshot().junctions))
            }
        }
        router.get("/api/junctions/:id") { request, context in
            try timed("/api/junctions/:id") {
                _ = try APIQuery(request, accepted: [])
                return try Self.json(junctionViews([try configuredJunction(context)])[0])
            }
        }
        router.get("/api/junctions/:id/counts") { request, context in
            try timed("/api/junctions/:id/counts") {
                let (junction, range, recent) = try countsQuery(request, context)
                let whole = range ?? recent
                let counts = try reader.counts(
                    junctionID: junction.id, fromSeconds: whole.fromSeconds, toSeconds: whole.toSeconds)
                return try Self.json(
                    CountsView(sinceSeconds: whole.fromSeconds, toSeconds: range?.toSeconds, counts: counts,
                        layout: junction.layout))
            }
        }
        router.get("/api/junctions/:id/events") { request, context in
            try timed("/api/junctions/:id/events") {
                let query = try APIQuery(request, accepted: ["limit", "actuations"] + HistoryRange.parameters)
                let range = try HistoryRange.parse(query, longestSeconds: Self.longestEventsSeconds)
                let limits = range == nil ? Self.eventLimitRange : Self.rangeEventLimitRange
                let limit = try query.integer("limit", in: limits, default: range == nil ? 200 : limits.upperBound)
                let actuations = try query.integer("actuations", in: 0...1, default: 1) == 1
                let junction = try configuredJunction(context)
                let events: [EventRecord]
                if let range {
                    events = try newestEvents(junction.id, in: range, limit: limit, actuations: actuations)
                } else {
                    events = try reader.recentEvents(junctionID: junction.id, limit: limit, actuations: actuations)
                }
                return try Self.json(events.map { EventView($0, layout: junction.layout) })
            }
        }
        router.get("/api/junctions/:id/counts.csv") { request, context in
            let started = ContinuousClock.now
            let (junction, range, recent) = try countsQuery(request, context)
            let whole = range ?? recent
            let detectors = (junction.layout?.detectors ?? []).map { (name: $0.name, placement: $0.placement) }
            return csv(
                route: "/api/junctions/:id/counts.csv", started: started,
                filename: "junction-\(junction.id)-counts-\(whole.fromSeconds)-\(whole.toSeconds).csv",
                header: HistoryCSV.countsHeader, windows: whole.windows(of: Self.countWindowSeconds)
            ) { window in
                try reader.counts(junctionID: junction.id, fromSeconds: window.fromSeconds, toSeconds: window.toSeconds)
                    .map { HistoryCSV.countLine(junctionID: junction.id, $0, detectors: detectors) }.joined()
            }
        }
        router.get("/api/junctions/:id/events.csv") { request, context in
            let started = ContinuousClock.now
            let query = try APIQuery(request, accepted: HistoryRange.parameters)
            let now = WallClock.nowMilliseconds() / 1000
            let whole = try HistoryRange.parse(query, longestSeconds: Self.longestEventsCSVSeconds)
                ?? HistoryRange(fromSeconds: now - 3600, toSeconds: now + 1)
            let junction = try configuredJunction(context)
            return csv(
                route: "/api/junctions/:id/events.csv", started: started,
                filename: "junction-\(junction.id)-events-\(whole.fromSeconds)-\(whole.toSeconds).csv",
                header: HistoryCSV.eventsHeader, windows: whole.windows(of: Self.eventWindowMilliseconds / 1000)
            ) { window in
                try reader.events(
                    junctionID: junction.id, fromMilliseconds: window.fromMilliseconds,
                    toMilliseconds: window.toMilliseconds
                ).map { HistoryCSV.eventLine(junctionID: junction.id, $0) }.joined()
            }
        }
        router.get("/api/stream") { _, _ in try stream() }
        router.get("/metrics") { request, _ in
            _ = try APIQuery(request, accepted: [])
            let state = board.snapshot()
            let online = CentralView(
                state, nowMilliseconds: WallClock.nowMilliseconds(), staleAfterMilliseconds: staleAfterMilliseconds
            ).junctionsOnline
            let text = metrics.scrape(state, junctionsOnline: online, storePath: storePath)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: text)))
        }
        MeasureRoutes(board: board, reader: reader).register(on: router)
        return Application(
            router: router, server: .http1(configuration: .init(idleTimeout: .milliseconds(idleTimeoutMilliseconds))),
            configuration: .init(
                address: .hostname(host, port: port), serverName: "junction-central",
                availableConnectionsDelegate: MaximumAvailableConnections(Self.connectionLimit, logger: logger)),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) },
            logger: logger)
    }

    /// Runs `body`, the whole answer of `route`, and records how long it took, refusals included.
    private func timed(_ route: String, _ body: () throws -> Response) throws -> Response {
        let started = ContinuousClock.now
        defer { metrics.record(route: route, started.duration(to: .now)) }
        return try body()
    }

    /// The junction and range of a counts route: a chosen range, or else `recent`, the last `hours` (the default 24).
    ///
    /// `recent` ends where ingest starts counting bins as stamped ahead (`DetectorActivity.aheadToleranceMilliseconds`
    /// after now), so a bin from a junction clock far ahead, which is stored, is not drawn as the newest traffic.
    private func countsQuery(_ request: Request, _ context: some RequestContext) throws(APIError)
        -> (junction: LiveJunction, range: HistoryRange?, recent: HistoryRange)
    {
        let query = try APIQuery(request, accepted: ["hours"] + HistoryRange.parameters)
        let range = try HistoryRange.parse(query, longestSeconds: Self.longestCountsSeconds)
        if range != nil && query.text("hours") != nil {
            throw .badParameter("hours: give either hours or a range (from and to, or day), not both")
        }
        let hours = try query.integer("hours", in: Self.hoursRange, default: 24)
        let junction = try configuredJunction(context)
        let now = WallClock.nowMilliseconds()
        let recent = HistoryRange(
            fromSeconds: now / 1000 - Int64(hours) * 3600,
            toSeconds: (now + DetectorActivity.aheadToleranceMilliseconds) / 1000 + 1)
        return (junction, range, recent)
    }

    /// The newest `limit` events of `range`, newest first, read a window at a time from the end back.
    private func newestEvents(_ junctionID: UInt32, in range: HistoryRange, limit: Int, actuations: Bool)
        throws -> [EventRecord]
    {
        var newestFirst: [EventRecord] = []
        let windows = range.windows(of: Self.eventWindowMilliseconds / 1000)
        for window in windows.reversed() where newestFirst.count < limit {
            let events = try reader.events(
                junctionID: junctionID, fromMilliseconds: window.fromMilliseconds,
                toMilliseconds: window.toMilliseconds)
            newestFirst += events.reversed().lazy.filter { actuations || !Self.isActuation($0.code) }
                .prefix(limit - newestFirst.count)
        }
        return newestFirst
    }

    /// Detector on and off (Indiana 81, 82): most of a busy junction's log.
    private static func isActuation(_ code: UInt16) -> Bool { code == 81 || code == 82 }

    /// A CSV file streamed window by window: `lines` reads one window's rows from the store and formats them.
    private func csv(
        route: String, started: ContinuousClock.Instant, filename: String, header: String, windows: [HistoryRange],
        lines: @escaping @Sendable (HistoryRange) throws -> String
    ) -> Response {
        let headers: HTTPFields = [
            .contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(filename)\"",
            .cacheControl: "no-cache",
        ]
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { [metrics] writer in
                defer { metrics.record(route: route, started.duration(to: .now)) }
                try await writer.write(ByteBuffer(string: header))
                for window in windows {
                    let text = try lines(window)
                    if !text.isEmpty { try await writer.write(ByteBuffer(string: text)) }
                }
                try await writer.finish(nil)
            })
    }

    /// Acknowledges the alarm the path names with the JSON `body`; stored before it shows, so a restart keeps it.
    private func acknowledge(_ context: some RequestContext, body: ByteBuffer) throws -> Response {
        let text = context.parameters.get("id").map { String($0) } ?? ""
        guard let number = UInt64(text) else {
            throw APIError.badParameter("alarm number: expected a whole number, got \"\(text)\"")
        }
        let data = Data(body.readableBytesView)
        guard let decoded = try? JSONDecoder().decode(AcknowledgementBody.self, from: data) else {
            throw APIError.badParameter("body: expected JSON {\"by\": \"name\", \"note\": \"...\"}")
        }
        guard let by = decoded.by, !by.allSatisfy({ $0.isWhitespace || $0.isNewline }) else {
            throw APIError.badParameter("by: the name of who acknowledges is required")
        }
        guard let acknowledgement = AlarmAcknowledgement(
            by: by, note: decoded.note, atMilliseconds: WallClock.nowMilliseconds())
        else {
            throw APIError.badParameter(
                "by: 1 to \(AlarmAcknowledgement.nameLimit) characters, and note: at most "
                    + "\(AlarmAcknowledgement.noteLimit) characters (line breaks and tabs allowed), neither with "
                    + "control, bidirectional or invisible characters")
        }
        guard let alarm = board.snapshot().alarms.alarms.first(where: { $0.number == number }) else {
            throw APIError.notFound("no alarm \(number) in the list")
        }
        if let earlier = alarm.acknowledgement {
            throw APIError.conflict("alarm \(number) was acknowledged by \(earlier.by) already")
        }
        try acknowledgements.record(
            .init(junctionID: alarm.junctionID, kind: alarm.kind, acknowledgement: acknowledgement))
        switch board.update({ $0.alarms.acknowledge(number: number, acknowledgement) }) {
        case .acknowledged(let alarm):
            return try Self.json(alarm)
        case .alreadyAcknowledged(let alarm):
            let by = alarm.acknowledgement?.by ?? "someone"
            throw APIError.conflict("alarm \(number) was acknowledged by \(by) already")
        case .unknown:
            throw APIError.notFound("no alarm \(number) in the list")
        }
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
    func stream() throws -> Response {
        guard let slot = StreamSlot(of: streams) else {
            throw HTTPError(.serviceUnavailable, message: "too many live dashboards")
        }
        let headers: HTTPFields = [.contentType: "text/event-stream", .cacheControl: "no-cache"]
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { [self, slot] writer in
                _ = slot  // the closure holds the slot until it ends or is dropped unrun
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

/// The body of `POST /api/alarms/{number}/ack`; both optional here so a missing name gets its own message.
private struct AcknowledgementBody: Decodable {
    var by: String?
    var note: String?
}
