import SignalCore
import TOML

/// `[neighbours]` and its `[[neighbours.junction]]` entries: the junctions this one exchanges
/// outflow forecasts with (docs/configuration.md). Group names in `outflow` and `inflow` are
/// resolved once the junction is assembled, by `resolve`, which also ties the section to
/// `[upstream]`: its `junction_id` is this junction's id on the neighbour link.
enum NeighboursSection {
    /// The most neighbours a junction may name: a junction has a few arms, each with one neighbour.
    static let largestNeighbourCount = 16
    /// The longest horizon a message may project, in tenths: what one `OutflowProfile` holds.
    static let longestHorizon = OutflowProfile.binTenths * Tenths(OutflowProfile.maximumBins)
    /// Free-flow travel times accepted, in tenths (0.1 s to 10 minutes).
    static let travelRange: ClosedRange<Tenths> = 1...6000

    /// What the section said, by name, before the junction exists.
    struct Draft {
        /// One `[[neighbours.junction]]` entry.
        struct Neighbour {
            var junctionId: UInt32
            var address: UpstreamSettings.Address
            var key: UpstreamSettings.KeySource
            /// Group name → share, in file order.
            var outflow: [(group: String, share: Double)]
            var inflow: [(group: String, share: Double)]
            var travelTenths: Tenths
            /// Where the entry is, for problems found when resolving it.
            var path: [JunctionProblem.PathComponent]
        }

        var listen: UpstreamSettings.Address
        var horizonTenths: Tenths
        var staleAfterTenths: Tenths
        var lateAfterTenths: Tenths
        var neighbours: [Neighbour]
    }

    static func read(_ reader: TableReader?, into draft: inout ConfigDraft) {
        guard let reader else { return }
        let listen = address(reader, "listen", required: true)
        let defaults = NeighbourSettings(junctionId: 1, listen: UpstreamSettings.Address(octets: [0, 0, 0, 0], port: 0), neighbours: [])
        let horizon = seconds(reader, "horizon", in: 10...longestHorizon) ?? defaults.horizonTenths
        // A neighbour sends every second: a shorter silence would clear its forecast (vehicles
        // in transit included) between any two messages.
        let staleAfter = seconds(reader, "stale_after", in: 20...600) ?? defaults.staleAfterTenths
        let lateAfter = seconds(reader, "late_after", in: 1...600) ?? defaults.lateAfterTenths
        var neighbours: [Draft.Neighbour] = []
        var firstEntryOfId: [UInt32: Int] = [:]
        let entries = reader.entries("junction", limit: largestNeighbourCount)
        if entries.isEmpty && !reader.has("junction") {
            reader.report(.missingKey, "junction", "[neighbours] needs at least one [[neighbours.junction]] entry")
        }
        for (index, entry) in entries {
            guard let neighbour = readNeighbour(entry) else { continue }
            if let first = firstEntryOfId[neighbour.junctionId] {
                let firstLine = reader.log.line(of: reader.path + [.key("junction"), .entry(name: "", index: first)])
                entry.report(
                    .invalidValue, "junction_id",
                    "junction \(neighbour.junctionId) is already a neighbour"
                        + (firstLine.map { " (line \($0))" } ?? "") + "; name each neighbour once")
                continue
            }
            firstEntryOfId[neighbour.junctionId] = index
            neighbours.append(neighbour)
        }
        reader.rejectUnknownKeys()
        guard let listen else { return }
        draft.neighbours = Draft(
            listen: listen, horizonTenths: horizon, staleAfterTenths: staleAfter, lateAfterTenths: lateAfter,
            neighbours: neighbours)
    }

    /// The settings for `junction`: every group name resolved, the inflow shares summed, and the
    /// section tied to `[upstream]` (`upstream` nil is reported: the link needs this junction's id).
    static func resolve(
        _ section: Draft, junction: Junction, upstream: UpstreamSettings?, log: ProblemLog
    ) -> NeighbourSettings? {
        guard let upstream else {
            log.report(
                .missingKey, [.key("neighbours")],
                "[neighbours] needs [upstream]: its junction_id is this junction's id on the neighbour link")
            return nil
        }
        if section.listen.port != 0 && section.listen.port == upstream.listen.port
            && (section.listen.octets == upstream.listen.octets || section.listen.octets == [0, 0, 0, 0]
                || upstream.listen.octets == [0, 0, 0, 0])
        {
            log.report(
                .invalidValue, [.key("neighbours"), .key("listen")],
                "listen \(section.listen) takes the port of [upstream] listen \(upstream.listen); each needs a socket of its own")
        }
        var neighbours: [NeighbourSettings.Neighbour] = []
        for entry in section.neighbours {
            if entry.junctionId == upstream.junctionId {
                log.report(
                    .invalidValue, entry.path + [.key("junction_id")],
                    "junction \(entry.junctionId) is this junction ([upstream] junction_id); a neighbour is another one")
                continue
            }
            let outflow = groups(entry.outflow, of: junction, at: entry.path + [.key("outflow")], log: log)
            let inflow = groups(entry.inflow, of: junction, at: entry.path + [.key("inflow")], log: log)
            let inflowTotal = inflow.reduce(0) { $0 + $1.share }
            if inflowTotal > 1 + 1e-9 {
                log.report(
                    .outOfRange, entry.path + [.key("inflow")],
                    "the inflow shares add up to \(inflowTotal); the vehicles arriving on a road are shared out at most once (≤ 1)")
            }
            neighbours.append(
                NeighbourSettings.Neighbour(
                    junctionId: entry.junctionId, address: entry.address, key: entry.key, outflow: outflow,
                    inflow: inflow, travelTenths: entry.travelTenths))
        }
        var settings = NeighbourSettings(junctionId: upstream.junctionId, listen: section.listen, neighbours: neighbours)
        settings.horizonTenths = section.horizonTenths
        settings.staleAfterTenths = section.staleAfterTenths
        settings.lateAfterTenths = section.lateAfterTenths
        return settings
    }

    // MARK: - One neighbour

    private static func readNeighbour(_ reader: TableReader) -> Draft.Neighbour? {
        let id = reader.integer("junction_id", required: true)
        if let id, !(1...Int(UInt32.max)).contains(id) {
            reader.report(.outOfRange, "junction_id", "junction_id \(id) is outside 1–\(UInt32.max)")
        }
        let address = address(reader, "address", required: true)
        let key = UpstreamSection.readKey(reader)
        let outflow = shares(reader, "outflow")
        let inflow = shares(reader, "inflow")
        let travel = travelTenths(reader)
        reader.rejectUnknownKeys(context: "a [[neighbours.junction]] entry")
        guard let id, (1...Int(UInt32.max)).contains(id), let address, let key, let travel else { return nil }
        return Draft.Neighbour(
            junctionId: UInt32(id), address: address, key: key, outflow: outflow, inflow: inflow, travelTenths: travel,
            path: reader.path)
    }

    /// `travel` in seconds, or `distance` (m) at `speed` (km/h): exactly one of the two ways.
    private static func travelTenths(_ reader: TableReader) -> Tenths? {
        let hasTravel = reader.has("travel")
        let hasDistance = reader.has("distance") || reader.has("speed")
        switch (hasTravel, hasDistance) {
        case (true, false):
            return seconds(reader, "travel", in: travelRange)
        case (false, true):
            let distance = number(reader, "distance", in: 1...10_000, unit: "m")
            let speed = number(reader, "speed", in: 5...130, unit: "km/h")
            guard let distance, let speed else { return nil }
            let tenths = Tenths((distance / (speed / 3.6) * 10).rounded())
            guard travelRange.contains(tenths) else {
                reader.report(.outOfRange, "distance", "\(distance) m at \(speed) km/h is not a travel time of 0.1–600 s")
                return nil
            }
            return tenths
        case (true, true):
            _ = reader.value("distance")
            _ = reader.value("speed")
            reader.report(.invalidValue, "travel", "give travel, or distance and speed, not both")
            return nil
        case (false, false):
            reader.report(.missingKey, "travel", "missing required key \"travel\" (or \"distance\" and \"speed\")")
            return nil
        }
    }

    /// An inline table of group name → share in 0...1 (absent: empty). Names are checked by `resolve`.
    private static func shares(_ reader: TableReader, _ key: String) -> [(group: String, share: Double)] {
        guard let table = reader.table(key) else { return [] }
        let inner = TableReader(table: table, path: reader.path + [.key(key)], log: reader.log)
        var shares: [(group: String, share: Double)] = []
        for group in inner.keys {
            guard let share = number(inner, group, in: 0...1, unit: nil) else { continue }
            shares.append((group, share))
        }
        return shares
    }

    /// Group name → share as group index → share; a name that is not a group is reported.
    private static func groups(
        _ shares: [(group: String, share: Double)], of junction: Junction, at path: [JunctionProblem.PathComponent],
        log: ProblemLog
    ) -> [(group: Int, share: Double)] {
        shares.compactMap { name, share in
            guard let index = junction.groupIndex(named: name) else {
                log.report(.unknownName, path + [.key(name)], "\"\(name)\" is not a signal group")
                return nil
            }
            return (index, share)
        }
    }

    // MARK: - Values

    private static func address(_ reader: TableReader, _ key: String, required: Bool) -> UpstreamSettings.Address? {
        guard let text = reader.string(key, required: required) else { return nil }
        guard let address = UpstreamSettings.Address(parsing: text), address.port != 0 else {
            reader.report(.invalidValue, key, "\(key) is \"a.b.c.d:port\" or \"localhost:port\", with a port other than 0")
            return nil
        }
        return address
    }

    /// A time in seconds that must lie in `range` (tenths); outside it, reported and nil.
    private static func seconds(_ reader: TableReader, _ key: String, in range: ClosedRange<Tenths>) -> Tenths? {
        guard let value = reader.seconds(key) else { return nil }
        guard range.contains(value) else {
            reader.report(
                .outOfRange, key,
                "\(key) \(JunctionValidator.seconds(value)) is outside "
                    + "\(JunctionValidator.seconds(range.lowerBound))–\(JunctionValidator.seconds(range.upperBound))")
            return nil
        }
        return value
    }

    /// A number (whole or not) that must lie in `range`; missing or outside it, reported and nil.
    private static func number(
        _ reader: TableReader, _ key: String, in range: ClosedRange<Double>, unit: String?
    ) -> Double? {
        guard let value = reader.number(key, required: true) else { return nil }
        guard value.isFinite, range.contains(value) else {
            let suffix = unit.map { " \($0)" } ?? ""
            reader.report(
                .outOfRange, key,
                "\(key) \(value) is outside \(range.lowerBound.formatted)–\(range.upperBound.formatted)\(suffix)")
            return nil
        }
        return value
    }
}

extension Double {
    /// Whole numbers without a decimal point (`1`, not `1.0`), others as Swift prints them.
    fileprivate var formatted: String {
        self == rounded() && magnitude < 1e15 ? String(Int(self)) : String(self)
    }
}
