import FieldIO
import SignalCore
import Synchronization
import SystemInterface

/// The Modbus part of a junction's field: one polling thread per link (TCP endpoint or serial
/// bus), the boards those threads share with the control loop, and a thread that logs statistics.
///
/// `open` reaches every unit once before returning, so an unreachable device or a wrong address
/// fails startup with the unit's name and address instead of showing up later as a detector
/// fault. The control loop then talks only to `detectorInputs()` and `signalOutputs()`, whose
/// calls copy under short locks and never wait on the network or the serial line.
public final class ModbusField: Sendable {
    private let workers: [ModbusLinkWorker]
    private let inputBoard: ModbusInputBoard?
    private let outputBoard: ModbusOutputBoard?
    private let log: ModbusLog
    private let statisticsLogSeconds: Int
    private let reporterWake: WakePipe
    private let reporter = Mutex<PosixThread?>(nil)
    private let stopping = Atomic<Bool>(false)

    private init(
        workers: [ModbusLinkWorker], inputBoard: ModbusInputBoard?, outputBoard: ModbusOutputBoard?, log: ModbusLog,
        statisticsLogSeconds: Int
    ) throws(ModbusError) {
        self.workers = workers
        self.inputBoard = inputBoard
        self.outputBoard = outputBoard
        self.log = log
        self.statisticsLogSeconds = statisticsLogSeconds
        do {
            reporterWake = try WakePipe()
        } catch {
            throw ModbusError(error)
        }
    }

    /// Connects to every unit the served side needs, reads each once, and starts polling.
    ///
    /// - Parameters:
    ///   - detectorCount: `Junction.detectors.count`; detectors without a point are always faulted.
    ///   - groupCount: `Junction.groups.count`; groups without lamps are never confirmed.
    ///   - servesDetectors: whether the junction's detectors come from Modbus (`[field] detectors`).
    ///   - servesLamps: whether its lamps and watchdog go to Modbus (`[field] outputs`).
    /// - Throws: the first unit that cannot be reached or read, with its name and address.
    public static func open(
        wiring: ModbusWiring, detectorCount: Int, groupCount: Int, servesDetectors: Bool, servesLamps: Bool,
        log: ModbusLog
    ) throws(ModbusError) -> ModbusField {
        let detectors = servesDetectors ? wiring.detectors.filter { (0..<detectorCount).contains($0.detector) } : []
        let lamps = servesLamps ? wiring.lamps.filter { (0..<groupCount).contains($0.group) } : []
        let watchdog = servesLamps ? wiring.watchdog : nil
        let staleAfter = wiring.units.map { $0.staleAfterMilliseconds * 1_000_000 }

        var links: [(transport: ModbusTransport, units: [Int])] = []
        for (index, unit) in wiring.units.enumerated() {
            if let link = links.firstIndex(where: { $0.transport.linkKey == unit.transport.linkKey }) {
                links[link].units.append(index)
            } else {
                links.append((unit.transport, [index]))
            }
        }
        var wakes: [WakePipe] = []
        for _ in links {
            do {
                wakes.append(try WakePipe())
            } catch {
                throw ModbusError(error)
            }
        }

        var inputBoard: ModbusInputBoard?
        if servesDetectors {
            var unitOfDetector = [Int?](repeating: nil, count: detectorCount)
            for point in detectors { unitOfDetector[point.detector] = point.unit }
            inputBoard = ModbusInputBoard(unitOfDetector: unitOfDetector, staleAfterNanoseconds: staleAfter)
        }
        var outputBoard: ModbusOutputBoard?
        if servesLamps {
            var unitOfGroup = [Int?](repeating: nil, count: groupCount)
            for point in lamps { unitOfGroup[point.group] = point.unit }
            outputBoard = ModbusOutputBoard(unitOfGroup: unitOfGroup, staleAfterNanoseconds: staleAfter, wakes: wakes)
        }

        var workers: [ModbusLinkWorker] = []
        for (link, wake) in zip(links, wakes) {
            let plans = link.units.map { index in
                ModbusUnitPlan(
                    index: index, unit: wiring.units[index], detectors: detectors.filter { $0.unit == index },
                    lamps: lamps.filter { $0.unit == index },
                    watchdogCoil: watchdog.flatMap { $0.unit == index ? $0.coil : nil })
            }.filter { $0.readsInputs || $0.drivesCoils }
            guard !plans.isEmpty else { continue }
            workers.append(
                try ModbusLinkWorker(
                    transport: link.transport, plans: plans, inputs: inputBoard, outputs: outputBoard,
                    groupCount: groupCount, wake: wake, log: log))
        }
        for worker in workers {
            try worker.open()
        }
        let field = try ModbusField(
            workers: workers, inputBoard: inputBoard, outputBoard: outputBoard, log: log,
            statisticsLogSeconds: wiring.statisticsLogSeconds)
        do {
            for worker in workers {
                try worker.start()
            }
            try field.startReporter()
        } catch {
            field.close()
            throw error
        }
        return field
    }

    /// The detector side, when this field serves detectors.
    public func detectorInputs() -> ModbusDetectorInputs? {
        inputBoard.map { ModbusDetectorInputs(field: self, board: $0) }
    }

    /// The lamp side, when this field serves lamps.
    public func signalOutputs() -> ModbusSignalOutputs? {
        outputBoard.map { ModbusSignalOutputs(field: self, board: $0) }
    }

    /// What each link's thread has measured, for status.
    public func linkStatistics() -> [ModbusLinkStatistics] {
        workers.map { $0.currentStatistics() }
    }

    /// Stops every thread, each after its current request, and closes the connections. Idempotent.
    public func close() {
        guard !stopping.exchange(true, ordering: .acquiringAndReleasing) else { return }
        reporterWake.wake()
        reporter.withLock({ $0 })?.join()
        for worker in workers {
            worker.stop()
        }
    }

    // MARK: - Statistics log

    private func startReporter() throws(ModbusError) {
        guard statisticsLogSeconds > 0 else { return }
        let thread: PosixThread
        do {
            thread = try PosixThread(name: "modbus-stats") { [self] in
                while !stopping.load(ordering: .acquiring) {
                    _ = reporterWake.wait(timeoutMilliseconds: statisticsLogSeconds * 1_000)
                    if stopping.load(ordering: .acquiring) { break }
                    logStatistics()
                }
            }
        } catch {
            throw ModbusError(error)
        }
        reporter.withLock { $0 = thread }
    }

    /// One line per link (requests, failures, reconnects, stale bytes dropped, latency) and one with
    /// the backend counters.
    func logStatistics() {
        for statistics in linkStatistics() {
            log.info(
                "modbus link statistics",
                [
                    "link": statistics.link, "requests": "\(statistics.requests)", "failed": "\(statistics.failures)",
                    "reconnects": "\(statistics.reconnects)",
                    "stale_bytes_dropped": "\(statistics.staleBytesDropped)",
                    "p50_us": "\(statistics.latency.p50Microseconds)",
                    "p99_us": "\(statistics.latency.p99Microseconds)",
                    "max_us": "\(statistics.latency.maxMicroseconds)",
                ])
        }
        var metadata: [String: String] = [:]
        for (side, counters) in [("detectors", inputBoard?.counters), ("lamps", outputBoard?.counters)] {
            guard let counters else { continue }
            metadata["\(side)_reads"] = "\(counters.reads)"
            metadata["\(side)_writes"] = "\(counters.writes)"
            metadata["\(side)_retries"] = "\(counters.retries)"
            metadata["\(side)_drops"] = "\(counters.drops)"
            metadata["\(side)_faults"] = "\(counters.faults)"
        }
        log.info("modbus counters", metadata)
    }
}
