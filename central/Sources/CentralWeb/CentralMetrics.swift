import CentralCore
import Foundation
import Prometheus
import Synchronization
import Wire

/// `/metrics`: central's counters, drops by reason, junctions online, the store's size and the API's latency, in
/// Prometheus text format.
///
/// The ingest path does no work for it: counters are the ones central already keeps (`CentralCounters`,
/// `DropCounters` on the board) and are copied into the registry when Prometheus scrapes. Scrapes are serialised,
/// so a counter is never seen half copied. Latency is recorded per route by the dashboard's handlers.
final class CentralMetrics: Sendable {
    /// The API routes whose latency is measured, by the path pattern the router knows them by.
    static let routes = [
        "/api/status", "/api/alarms", "/api/alarms/:id/ack", "/api/junctions", "/api/junctions/:id",
        "/api/junctions/:id/counts", "/api/junctions/:id/events", "/api/junctions/:id/counts.csv",
        "/api/junctions/:id/events.csv",
    ]
    /// Latency buckets: a live query answers in a millisecond or two, a day's CSV or measures in seconds.
    static let buckets: [Duration] = [1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000].map {
        .microseconds(Int64($0 * 1000))
    }

    /// The counters of `CentralCounters` exported, with their Prometheus names (`central_<name>_total`).
    private static let counted: [(name: String, help: String, value: @Sendable (CentralCounters) -> UInt64)] = [
        ("datagrams_received", "Datagrams taken off the socket, before any check.", { $0.datagramsReceived }),
        ("datagrams_dropped_by_kernel", "Datagrams the kernel dropped because central's receive queue was full.",
            { $0.datagramsDroppedByKernel }),
        ("datagrams_accepted", "Datagrams that passed every check.", { $0.datagramsAccepted }),
        ("status_reports", "Status reports ingested.", { $0.statusReports }),
        ("events_stored", "Events written to the store.", { $0.eventsStored }),
        ("count_bins_stored", "Detector count bins written to the store.", { $0.countsStored }),
        ("duplicate_records", "Records that arrived again after they were held.", { $0.duplicateRecords }),
        ("records_lost_at_junction", "Records a junction's retention removed before central got them.",
            { $0.recordsLostAtJunction }),
        ("stores_replaced", "Junction stores seen replaced (numbering anew), per stream; records kept.",
            { $0.storesReplaced }),
        ("records_stamped_ahead", "Records stamped more than a minute ahead of central's clock: a wrong junction clock.",
            { $0.recordsStampedAhead }),
        ("records_beyond_layout", "Records naming a group or detector the junction's layout does not have.",
            { $0.recordsBeyondLayout }),
        ("records_out_of_range", "Records numbered beyond 2^48 or beyond central's 63-bit numbering: not stored.",
            { $0.recordsOutOfRange }),
        ("commits", "Store commits.", { $0.commits }),
        ("store_errors", "Failed store commits.", { $0.storeErrors }),
    ]

    private let registry: PrometheusCollectorRegistry
    private let counters: [(Counter, @Sendable (CentralCounters) -> UInt64)]
    private let drops: [(Counter, DropReason)]
    private let online: Gauge
    private let configured: Gauge
    private let storeBytes: Gauge
    private let latency: [String: DurationHistogram]
    private let scrapeLock = Mutex(())

    init() {
        let registry = PrometheusCollectorRegistry()
        self.registry = registry
        counters = Self.counted.map { entry in
            (registry.makeCounter(descriptor: .init(
                namespace: "central", metricName: entry.name, unitName: "total", helpText: entry.help)), entry.value)
        }
        let dropped = MetricNameDescriptor(
            namespace: "central", metricName: "datagrams_dropped", unitName: "total",
            helpText: "Datagrams dropped, by reason.")
        drops = DropReason.allCases.map { reason in
            let label = CentralView.snakeCase("\(reason)")
            return (registry.makeCounter(descriptor: dropped, labels: [("reason", label)]), reason)
        }
        online = registry.makeGauge(descriptor: .init(
            namespace: "central", metricName: "junctions_online", unitName: "",
            helpText: "Junctions heard from within the stale limit."))
        configured = registry.makeGauge(descriptor: .init(
            namespace: "central", metricName: "junctions_configured", unitName: "",
            helpText: "Junctions in the city file."))
        storeBytes = registry.makeGauge(descriptor: .init(
            namespace: "central", metricName: "store_size", unitName: "bytes",
            helpText: "Size of the SQLite store on disk, its write-ahead log included."))
        let duration = MetricNameDescriptor(
            namespace: "central", metricName: "api_request_duration", unitName: "seconds",
            helpText: "Time to answer an API request, by route.")
        var latency: [String: DurationHistogram] = [:]
        for route in Self.routes {
            latency[route] = registry.makeDurationHistogram(
                descriptor: duration, labels: [("route", route)], buckets: Self.buckets)
        }
        self.latency = latency
    }

    /// Records one answer of `route` (one of `routes`).
    func record(route: String, _ duration: Duration) {
        latency[route]?.record(duration)
    }

    /// The text Prometheus scrapes: the board's counters, `junctionsOnline`, and the size of the store at `storePath`.
    func scrape(_ state: CityBoard.State, junctionsOnline: Int, storePath: String?) -> [UInt8] {
        scrapeLock.withLock { _ in
            for (counter, value) in counters { Self.set(counter, value(state.counters)) }
            for (counter, reason) in drops { Self.set(counter, state.drops[reason]) }
            online.set(Int64(junctionsOnline))
            configured.set(Int64(state.junctions.count))
            if let storePath { storeBytes.set(Self.fileBytes(storePath) + Self.fileBytes(storePath + "-wal")) }
            return registry.emitToBuffer()
        }
    }

    /// Counters only go up, so the registry's copy is replaced whole rather than incremented.
    private static func set(_ counter: Counter, _ value: UInt64) {
        counter.reset()
        counter.increment(by: Int64(clamping: value))
    }

    private static func fileBytes(_ path: String) -> Int64 {
        let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber
        return size?.int64Value ?? 0
    }
}
