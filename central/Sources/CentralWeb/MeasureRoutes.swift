import CentralCore
import Foundation
import Hummingbird

/// `GET /api/junctions/:id/measures` (docs/central-measures.md) and `GET /assets/measures.js`, the view drawing it.
///
/// The range is `from`/`to` (Unix seconds) or `day` (`YYYY-MM-DD`, UTC: central has no time zone setting), at most
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
            let (from, to) = try Self.range(request)
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
                junctionID: id, fromMilliseconds: from * 1000, toMilliseconds: to * 1000)
            return try DashboardServer.json(
                SignalMeasures(
                    junctionID: id, fromSeconds: from, toSeconds: to, bins: MeasureBins(minutes: minutes),
                    events: events, layout: junction.layout))
        }
    }

    /// `[from, to)` in Unix seconds from the request's `day`, or its `from` and `to`, checked.
    static func range(_ request: Request) throws(APIError) -> (from: Int64, to: Int64) {
        let parameters = request.uri.queryParameters
        let day = parameters.get("day")
        let from = parameters.get("from")
        let to = parameters.get("to")
        if let day {
            guard from == nil, to == nil else { throw .badParameter("give either day or from and to, not both") }
            guard let start = dayStart(day) else {
                throw .badParameter("day: expected a date as YYYY-MM-DD, got \"\(day)\"")
            }
            return (start, start + 86_400)
        }
        guard let from, let to else {
            throw .badParameter("give a range: day=YYYY-MM-DD, or from and to in Unix seconds")
        }
        guard let start = Int64(from), start >= 0 else {
            throw .badParameter("from: expected Unix seconds (a whole number), got \"\(from)\"")
        }
        guard let end = Int64(to), end >= 0 else {
            throw .badParameter("to: expected Unix seconds (a whole number), got \"\(to)\"")
        }
        guard start < end else { throw .badParameter("from (\(start)) must be before to (\(end))") }
        guard end - start <= Self.maxRangeSeconds else {
            throw .badParameter("range of \(end - start) s is longer than 31 days (\(Self.maxRangeSeconds) s)")
        }
        return (start, end)
    }

    /// Unix seconds at 00:00 UTC of `text` (`YYYY-MM-DD`, a real date), or nil.
    static func dayStart(_ text: String) -> Int64? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]), year >= 1970
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components = DateComponents(year: year, month: month, day: day)
        guard components.isValidDate(in: calendar), let date = calendar.date(from: components) else { return nil }
        return Int64(date.timeIntervalSince1970)
    }
}
