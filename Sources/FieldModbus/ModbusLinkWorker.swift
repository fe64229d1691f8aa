import SignalCore
import Synchronization
import SystemInterface

/// The polling thread of one link (a TCP endpoint or a serial bus) and the units on it.
///
/// Each unit is polled at its own interval: lamp coils written and read back, then inputs read.
/// A lamp command that changes between polls is written at once (the control loop signals the
/// thread), so lamps follow the controller within one exchange rather than one poll. Any failure
/// closes the connection; the unit is retried at its next poll, and its data simply ages until
/// the boards report it stale. The thread logs the first failure, the moment a unit's data goes
/// stale, and the recovery. The first time bytes are found waiting before a request (a device that
/// answers twice or adds trailing bytes) it logs a warning; after that they are only counted in the
/// link statistics, since such a device would otherwise fill the log at every poll.
///
/// `@unchecked Sendable`: after `start`, everything but `statistics` and the stop flag belongs to
/// the thread; before it, to the opener.
final class ModbusLinkWorker: @unchecked Sendable {
    let transport: ModbusTransport
    /// Wakes the thread early: for a changed lamp command, and to stop.
    let wake: WakePipe
    private let connection: ModbusConnection
    private var plans: [ModbusUnitPlan]
    private let inputs: ModbusInputBoard?
    private let outputs: ModbusOutputBoard?
    private let log: ModbusLog
    private let statistics: Mutex<ModbusLinkStatistics>
    private let stopRequested = Atomic<Bool>(false)
    private var thread: PosixThread?
    private var commandStates: [SignalState]
    private var lastCommandVersion: UInt64 = .max
    /// Whether stale bytes on the link have been logged.
    private var staleBytesReported = false

    init(
        transport: ModbusTransport, plans: [ModbusUnitPlan], inputs: ModbusInputBoard?, outputs: ModbusOutputBoard?,
        groupCount: Int, wake: WakePipe, log: ModbusLog
    ) throws(ModbusError) {
        self.transport = transport
        self.plans = plans
        self.inputs = inputs
        self.outputs = outputs
        self.wake = wake
        self.log = log
        connection = try ModbusConnection(transport: transport)
        statistics = Mutex(ModbusLinkStatistics(link: transport.description))
        commandStates = Array(repeating: .dark, count: groupCount)
    }

    /// Whether any unit of this link drives coils.
    var drivesCoils: Bool { plans.contains { $0.drivesCoils } }

    /// Connects and reads every unit once (inputs, and coils to prove they exist) before the
    /// junction starts, so a wrong address or an unreachable device stops startup with its name.
    /// The input readings become the first ones the control loop sees. Writes nothing.
    func open() throws(ModbusError) {
        let now = Clocks.monotonicNanoseconds()
        for i in plans.indices {
            let label = plans[i].unit.label
            do {
                if !connection.isConnected {
                    try connection.connect(timeoutMilliseconds: plans[i].unit.timeoutMilliseconds)
                }
                for run in plans[i].coilRuns {
                    try timed(plans[i].unit) { () throws(ModbusError) in
                        try connection.readCoils(
                            unit: plans[i].unit.unitID, run: run, into: &plans[i].coilReadBack,
                            timeoutMilliseconds: plans[i].unit.timeoutMilliseconds)
                    }
                }
                try pollInputs(i)
            } catch {
                connection.close()
                throw error.within(label)
            }
            plans[i].lastSuccess = now
            plans[i].continuous = true
            plans[i].nextPoll = now + plans[i].pollIntervalNanoseconds
        }
    }

    /// Starts the polling thread.
    func start() throws(ModbusError) {
        let name = "modbus-" + (plans.first?.unit.name ?? "link")
        do {
            thread = try PosixThread(name: name) { [self] in run() }
        } catch {
            throw ModbusError(error)
        }
    }

    /// Stops the thread after its current request (at most one response timeout) and waits for it.
    func stop() {
        stopRequested.store(true, ordering: .releasing)
        wake.wake()
        if let thread {
            thread.join()
            self.thread = nil
        }
        connection.close()
    }

    /// A copy of what the thread has measured.
    func currentStatistics() -> ModbusLinkStatistics {
        statistics.withLock { $0 }
    }

    // MARK: - The loop

    private func run() {
        while !stopRequested.load(ordering: .acquiring) {
            let now = Clocks.monotonicNanoseconds()
            var commandChanged = false
            if let outputs {
                let version = outputs.commandVersion
                commandChanged = version != lastCommandVersion
                lastCommandVersion = version
            }
            for i in plans.indices {
                let due = now >= plans[i].nextPoll
                if due {
                    plans[i].nextPoll += plans[i].pollIntervalNanoseconds
                    if plans[i].nextPoll <= now {
                        // Behind (a slow device): skip the missed polls rather than bunch them.
                        plans[i].nextPoll = now + plans[i].pollIntervalNanoseconds
                    }
                }
                let driveLamps = outputs != nil && plans[i].drivesCoils && (due || commandChanged)
                let readInputs = inputs != nil && plans[i].readsInputs && due
                if driveLamps || readInputs {
                    exchange(i, driveLamps: driveLamps, readInputs: readInputs, toggleWatchdog: due)
                }
            }
            reportStaleUnits(now: Clocks.monotonicNanoseconds())
            var earliest = Int.max
            for plan in plans {
                earliest = min(earliest, plan.nextPoll)
            }
            let remaining = earliest - Clocks.monotonicNanoseconds()
            if remaining > 0 {
                // Rounded up, so the wait never ends just before the poll is due.
                _ = wake.wait(timeoutMilliseconds: (remaining + 999_999) / 1_000_000)
            }
        }
    }

    private func exchange(_ i: Int, driveLamps: Bool, readInputs: Bool, toggleWatchdog: Bool) {
        let started = Clocks.monotonicNanoseconds()
        do {
            if !connection.isConnected {
                plans[i].attemptsSinceSuccess += 1
                if plans[i].readsInputs { inputs?.countRetry() }
                if plans[i].drivesCoils { outputs?.countRetry() }
                try connection.connect(timeoutMilliseconds: plans[i].unit.timeoutMilliseconds)
                statistics.withLock { $0.reconnects += 1 }
            }
            if driveLamps {
                try driveCoils(i, toggleWatchdog: toggleWatchdog)
            }
            if readInputs {
                try pollInputs(i)
            }
        } catch {
            failed(i, error, at: started)
            return
        }
        succeeded(i, at: started)
    }

    private func driveCoils(_ i: Int, toggleWatchdog: Bool) throws(ModbusError) {
        guard let outputs, let tick = outputs.takeCommand(into: &commandStates) else { return }
        if toggleWatchdog, plans[i].watchdogIndex != nil, outputs.takeWatchdogToggle() {
            plans[i].watchdogLevel ^= 1
        }
        plans[i].drawLamps(commandStates, tick: tick)
        let unit = plans[i].unit
        for run in plans[i].coilRuns {
            try timed(unit) { () throws(ModbusError) in
                try connection.writeCoils(
                    unit: unit.unitID, run: run, from: plans[i].coilImage, timeoutMilliseconds: unit.timeoutMilliseconds
                )
            }
        }
        outputs.countWrite()
        let readAt = Clocks.monotonicNanoseconds()
        for run in plans[i].coilRuns {
            try timed(unit) { () throws(ModbusError) in
                try connection.readCoils(
                    unit: unit.unitID, run: run, into: &plans[i].coilReadBack,
                    timeoutMilliseconds: unit.timeoutMilliseconds)
            }
        }
        let differing = plans[i].judgeReadBack(commandStates)
        outputs.publish(readNanoseconds: readAt, groups: plans[i].groupResults)
        switch plans[i].readBackLog.note(differing, at: readAt) {
        case .mismatch(let alikeBefore):
            let alike = alikeBefore > 0 ? " (and on \(alikeBefore) polls since the last such line)" : ""
            log.warning("\(unit.label): lamp coils of \(differing.joined(separator: ", ")) read back unlike written\(alike)")
        case .matchesAgain:
            log.notice("\(unit.label): lamp coils read back as written again")
        case nil:
            break
        }
    }

    private func pollInputs(_ i: Int) throws(ModbusError) {
        guard let inputs, plans[i].readsInputs else { return }
        let unit = plans[i].unit
        let sampledAt = Clocks.monotonicNanoseconds()
        for run in plans[i].inputRuns {
            try timed(unit) { () throws(ModbusError) in
                try connection.readDiscreteInputs(
                    unit: unit.unitID, run: run, into: &plans[i].inputBits,
                    timeoutMilliseconds: unit.timeoutMilliseconds)
            }
        }
        for run in plans[i].registerRuns {
            try timed(unit) { () throws(ModbusError) in
                try connection.readInputRegisters(
                    unit: unit.unitID, run: run, into: &plans[i].registers,
                    timeoutMilliseconds: unit.timeoutMilliseconds)
            }
        }
        let changes = plans[i].takeReadings()
        let resets = inputs.publish(
            unit: plans[i].index, sampledNanoseconds: sampledAt, readings: plans[i].readings,
            continuous: plans[i].continuous)
        if log.debugEnabled {
            for change in changes {
                log.debug("\(unit.label): detector \(change.name) \(change.occupied ? "occupied" : "clear")")
            }
        }
        if !resets.isEmpty, let passedOver = plans[i].counterJumpLog.admit(at: sampledAt) {
            let names = resets.map(detectorName).joined(separator: ", ")
            log.warning(
                "\(unit.label): the counter of \(names) jumped; taken as a reset"
                    + LogRateGate.suffix(passedOver, "polls with a jump"))
        }
    }

    /// Runs one request of `unit`, counting it, its latency and the stale bytes dropped before it.
    private func timed(_ unit: ModbusUnit, _ request: () throws(ModbusError) -> Void) throws(ModbusError) {
        let start = Clocks.monotonicNanoseconds()
        let droppedBefore = connection.staleBytesDropped
        let outcome = Result { () throws(ModbusError) in try request() }
        let elapsed = Clocks.monotonicNanoseconds() - start
        let dropped = connection.staleBytesDropped
        statistics.withLock { statistics in
            statistics.staleBytesDropped = dropped
            if case .success = outcome {
                statistics.requests += 1
                statistics.latency.record(microseconds: (elapsed + 999) / 1000)
            }
        }
        if dropped > droppedBefore && !staleBytesReported {
            staleBytesReported = true
            log.warning(
                "\(unit.label): dropped \(dropped - droppedBefore) bytes found waiting before a request: the "
                    + "device or gateway on this link sends more than the answers asked for (answers twice or adds "
                    + "bytes); they are never used as an answer, and from now on only counted "
                    + "(stale_bytes_dropped in the link statistics)")
        }
        try outcome.get()
    }

    // MARK: - Health

    private func succeeded(_ i: Int, at started: Int) {
        if let since = plans[i].failingSince, let passedOver = plans[i].recoveryLog.admit(at: started) {
            let seconds = Double((started - since) / 1_000_000) / 1000
            log.notice(
                "\(plans[i].unit.label): communication restored after \(seconds) s and "
                    + "\(plans[i].attemptsSinceSuccess) connection attempts"
                    + LogRateGate.suffix(passedOver, "recoveries"))
        }
        plans[i].failingSince = nil
        plans[i].failureUnreported = false
        plans[i].attemptsSinceSuccess = 0
        plans[i].staleReported = false
        plans[i].lastSuccess = started
        plans[i].continuous = true
    }

    private func failed(_ i: Int, _ error: ModbusError, at started: Int) {
        connection.close()
        statistics.withLock { $0.failures += 1 }
        plans[i].continuous = false
        let message = "\(plans[i].unit.label): \(error); closed the connection, retrying every "
            + "\(plans[i].unit.pollIntervalMilliseconds) ms"
        if plans[i].failingSince == nil {
            plans[i].failingSince = started
            if let passedOver = plans[i].failureLog.admit(at: started) {
                log.warning("\(message)\(LogRateGate.suffix(passedOver, "failures"))")
            } else {
                // Held back as a flap; if the link stays down, the warning follows once the gate opens.
                plans[i].failureUnreported = true
                log.debug("\(message)")
            }
        } else if plans[i].failureUnreported, let passedOver = plans[i].failureLog.admit(at: started) {
            plans[i].failureUnreported = false
            log.warning("\(message)\(LogRateGate.suffix(passedOver, "failures"))")
        } else {
            log.debug("\(plans[i].unit.label): still failing: \(error)")
        }
    }

    /// Logs once per failure when a unit's data passes its staleness limit: from then on its
    /// detectors are in communication fault and its lamps unconfirmed.
    private func reportStaleUnits(now: Int) {
        for i in plans.indices where plans[i].failingSince != nil && !plans[i].staleReported {
            guard let last = plans[i].lastSuccess, now - last > plans[i].staleAfterNanoseconds else { continue }
            plans[i].staleReported = true
            var affected: [String] = []
            if inputs != nil, plans[i].readsInputs {
                affected.append(
                    "detectors " + plans[i].detectors.map(\.point.name).joined(separator: ", ")
                        + " in communication fault")
            }
            if outputs != nil, !plans[i].lamps.isEmpty {
                affected.append("lamps of " + plans[i].lamps.map(\.point.name).joined(separator: ", ") + " unconfirmed")
            }
            if outputs != nil, plans[i].watchdogIndex != nil {
                affected.append("watchdog coil stopped")
            }
            log.warning(
                "\(plans[i].unit.label): no answer for \((now - last) / 1_000_000) ms "
                    + "(stale after \(plans[i].unit.staleAfterMilliseconds) ms): \(affected.joined(separator: "; "))",
                ["unit": plans[i].unit.name, "event": "stale"])
        }
    }

    private func detectorName(_ detector: Int) -> String {
        for plan in plans {
            if let found = plan.detectors.first(where: { $0.point.detector == detector }) {
                return found.point.name
            }
        }
        return "\(detector + 1)"
    }
}
