import CentralCore
import Hummingbird

/// `GET /api/junctions/:id/measures` (docs/central-measures.md) and `GET /assets/measures.js`, the view drawing it.
///
/// The range is a `HistoryRange` (`from`/`to` in Unix seconds up to the year 2100, or a `day` before 2100), at most
/// 31 days; `bin` is minutes from `MeasureBins.allowedMinutes`. Anything else is a 400 naming the parameter.
struct MeasureRoutes: Sendable {
    /// The longest range one request may read.
    static let maxRangeSeconds: Int64 = 31 * 86_400
    static let parameters = ["from", "to", "day", "bin"]

    let board: CityBoard
    let reader: StoreReader

    func register<Context: RequestContext>(on router: Router<Context>) {
        router.get("/assets/measures.js") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/javascript; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: DashboardAssets.measuresJS)))
        }
        router.get("/api/junctions/:id/measures") { request, context in
            let query = try APIQuery(request, accepted: Self.parameters)
            guard let range = try HistoryRange.parse(query, longestSeconds: Self.maxRangeSeconds) else {
                throw APIError.badParameter("give a range: day=YYYY-MM-DD, or from and to in Unix seconds")
            }
            let minutes = try query.integer("bin", in: 1...60, default: 15)
            guard MeasureBins.allowedMinutes.contains(minutes) else {
                let allowed = MeasureBins.allowedMinutes.map(String.init).joined(separator: ", ")
                throw APIError.badParameter("bin: expected one of \(allowed) minutes, got \(minutes)")
            }
            let id = try APIQuery.junctionID(context)
            guard let junction = board.snapshot().junctions.first(where: { $0.id == id }) else {
                throw APIError.notFound("no junction \(id) in the city file")
            }
            let events = try reader.events(
                junctionID: id, fromMilliseconds: range.fromMilliseconds, toMilliseconds: range.toMilliseconds)
            return try DashboardServer.json(
                SignalMeasures(
                    junctionID: id, fromSeconds: range.fromSeconds, toSeconds: range.toSeconds,
                    bins: MeasureBins(minutes: minutes), events: events, layout: junction.layout))
        }
    }
}
