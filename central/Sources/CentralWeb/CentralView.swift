import CentralCore
import Wire

/// central's own state as `/api/status` and the dashboard's header show it: counters, drops by reason, the store.
struct CentralView: Codable, Sendable {
    var startedMilliseconds: Int64
    var nowMilliseconds: Int64
    var junctionsConfigured: Int
    /// A junction not heard from for this long is offline (and its offline alarm raised).
    var staleAfterMilliseconds: Int
    var junctionsOnline: Int
    var counters: CentralCounters
    /// Every drop reason (snake_case, `bad_tag`) with its count, zeros included, so a reader sees which reasons exist.
    var drops: [String: UInt64]
    var dropsTotal: UInt64
    /// Set while the store fails, for example "disk full".
    var storeProblem: String?
    /// Roads the city map draws through junction positions.
    var roads: [MapRoad]

    init(_ state: CityBoard.State, nowMilliseconds: Int64, staleAfterMilliseconds: Int) {
        startedMilliseconds = state.startedMilliseconds
        self.nowMilliseconds = nowMilliseconds
        junctionsConfigured = state.junctions.count
        self.staleAfterMilliseconds = staleAfterMilliseconds
        junctionsOnline = state.junctions.filter {
            $0.lastReportMilliseconds > 0 && nowMilliseconds - $0.lastReportMilliseconds <= Int64(staleAfterMilliseconds)
        }.count
        counters = state.counters
        var drops: [String: UInt64] = [:]
        for reason in DropReason.allCases { drops[Self.snakeCase("\(reason)")] = state.drops[reason] }
        self.drops = drops
        dropsTotal = state.drops.total
        storeProblem = state.storeProblem
        roads = state.roads
    }

    /// `badTag` as `bad_tag`: dictionary keys are data to the JSON encoder, so its key strategy leaves them alone.
    static func snakeCase(_ name: String) -> String {
        name.reduce(into: "") { result, character in
            if character.isUppercase { result += "_" + character.lowercased() } else { result.append(character) }
        }
    }
}
