import FieldIO
import SignalCore
import SystemInterface

/// Loop detectors and push buttons on GPIO lines, read through libgpiod edge events
/// (1.6 or 2.x, through the `CGPIOShim` C shim).
///
/// Every detector line is requested for both-edge events (active-low and bias as wired), so the
/// kernel timestamps each edge on CLOCK_MONOTONIC as it happens. An event thread reads the edges,
/// debounces each line by time (`DebounceFilter`) and accumulates presence and rising-edge counts;
/// `fill` only copies that (and the counters) under one short lock, so the tick never waits on a line. What the tick
/// gets:
/// - presence: the debounced level of the line;
/// - actuations: the debounced rising edges since the previous tick (each delivered once);
/// - communicationFault: set for every input when the event thread has not checked in for
///   `staleAfterMilliseconds`, and for a line whose events can no longer be read.
///
/// The latency from each edge's kernel timestamp to the tick that consumes it is kept in a
/// histogram (`statistics`), and reported every `reportIntervalSeconds` through `report`.
public final class GPIODetectorInputs: DetectorInputs {
    /// The number of detectors of the junction, each with one line.
    public let detectorCount: Int
    /// Detector names, in junction order.
    public let names: [String]
    private let exchange: GPIOInputExchange
    private let staleAfterNanoseconds: Int
    private var thread: PosixThread?
    private var counters = FieldBackendCounters()

    /// Opens every detector line of `wiring` and starts the event thread.
    ///
    /// Throws when the wiring misses or repeats a detector, when a chip or line does not exist on
    /// this machine, or when the kernel refuses a line (held by another process); the message
    /// names the chip, the line and the detector. `report` receives a one-line summary
    /// (`GPIOInputStatistics`) from the event thread every `wiring.reportIntervalSeconds`.
    public convenience init(
        junction: Junction, wiring: GPIOInputWiring, report: (@Sendable (String) -> Void)? = nil
    ) throws(GPIOError) {
        let names = junction.detectors.map(\.name)
        let detectorCount = names.count
        let entries = try Self.entryPerDetector(wiring.detectors, names: names)

        var resolver = GPIOLineResolver(catalog: LibGPIOD.SystemCatalog())
        var chips = LibGPIOD.ChipSet()
        var lines: [LibGPIOD.EventLine] = []
        var filters: [DebounceFilter] = []
        var levels = Array(repeating: false, count: detectorCount)
        for entry in entries {
            let purpose = "detector \(names[entry.detector])"
            let location = try resolver.resolve(entry.address, for: purpose)
            let chip = try chips.open(location.chipName, purpose: purpose)
            let flags = LibGPIOD.requestFlags(activeLow: entry.activeLow, bias: entry.bias)
            let line = try LibGPIOD.EventLine(chip: chip, offset: location.offset, purpose: purpose, flags: flags)
            let level = try line.level().get()
            levels[entry.detector] = level
            lines.append(line)
            filters.append(
                DebounceFilter(
                    level: level, debounceNanoseconds: entry.debounceMilliseconds * 1_000_000,
                    nowNanoseconds: Clocks.monotonicNanoseconds()))
        }
        let exchange: GPIOInputExchange
        do throws(SystemError) {
            exchange = GPIOInputExchange(
                accumulator: EdgeAccumulator(levels: levels, nowNanoseconds: Clocks.monotonicNanoseconds()),
                wake: try WakePipe())
        } catch {
            throw .threadStartFailed(code: error.code)
        }
        let reader = GPIOEventReader(
            lines: lines, detectorOfLine: entries.map(\.detector), filters: filters, exchange: exchange, names: names,
            report: report, reportIntervalSeconds: wiring.reportIntervalSeconds)
        try self.init(
            names: names, staleAfterMilliseconds: wiring.staleAfterMilliseconds, exchange: exchange, reader: reader)
    }

    /// Inputs fed through `exchange` by `reader`, whose thread starts here. The public initialiser
    /// opens the lines; a test gives a reader without lines, whose thread only keeps the heartbeat.
    init(
        names: [String], staleAfterMilliseconds: Int, exchange: GPIOInputExchange, reader: sending GPIOEventReader
    ) throws(GPIOError) {
        self.names = names
        detectorCount = names.count
        staleAfterNanoseconds = staleAfterMilliseconds * 1_000_000
        self.exchange = exchange
        do throws(SystemError) {
            thread = try PosixThread(name: "junction-gpio") { reader.run() }
        } catch {
            throw .threadStartFailed(code: error.code)
        }
    }

    deinit {
        stop()
    }

    /// Stops the event thread and releases the lines. Later ticks see every input as stale.
    public func stop() {
        guard let thread else { return }
        exchange.stopping.store(true, ordering: .releasing)
        exchange.wake.wake()
        thread.join()
        self.thread = nil
    }

    /// Copies the accumulated levels and rising edges into `snapshot`, and the counters with them:
    /// the tick's one exchange with the event thread, a short lock that never waits on I/O.
    public func fill(_ snapshot: inout DetectorSnapshot, tick: Tenths) {
        let now = Clocks.monotonicNanoseconds()
        counters = exchange.state.withLock { accumulator in
            accumulator.drain(into: &snapshot, nowNanoseconds: now, staleAfterNanoseconds: staleAfterNanoseconds)
            return accumulator.counters
        }
    }

    /// Reads are edges read from the kernel; drops are missed edges and actuations discarded
    /// while stale; faults are onsets of staleness or of a failed line. As of the last `fill`.
    public var detectorCounters: FieldBackendCounters { counters }

    /// Levels, counts and edge-to-tick latency since start. Allocates: call outside the tick.
    public var statistics: GPIOInputStatistics {
        GPIOEventReader.statistics(names: names, exchange: exchange)
    }

    /// The wiring entries ordered by detector, one per detector of the junction.
    private static func entryPerDetector(_ entries: [GPIODetectorWiring], names: [String]) throws(GPIOError)
        -> [GPIODetectorWiring]
    {
        var byDetector: [GPIODetectorWiring?] = Array(repeating: nil, count: names.count)
        for entry in entries {
            guard names.indices.contains(entry.detector) else {
                throw .wiringIncomplete("detector index \(entry.detector) is not a detector of the junction")
            }
            guard byDetector[entry.detector] == nil else {
                throw .wiringIncomplete("detector \(names[entry.detector]) is wired twice")
            }
            byDetector[entry.detector] = entry
        }
        var ordered: [GPIODetectorWiring] = []
        for (detector, entry) in byDetector.enumerated() {
            guard let entry else { throw .wiringIncomplete("detector \(names[detector]) has no line") }
            ordered.append(entry)
        }
        return ordered
    }
}
