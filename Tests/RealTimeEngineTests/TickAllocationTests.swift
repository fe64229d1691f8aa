import CMallocCounter
import Coordination
import FieldIO
import Glibc
import JunctionConfig
import SignalCore
import Synchronization
import SystemInterface
import Testing

@testable import FieldGPIO
@testable import FieldModbus
@testable import RealTimeEngine

#if DEBUG
    private let isReleaseBuild = false
#else
    private let isReleaseBuild = true
#endif

/// The tick contract: `JunctionEngine.tick` allocates nothing, for every adaptive strategy the
/// junction file can name and every field backend, while a reload is pending (and applied at
/// stage rests) and a diagnostic reader copies the board from another thread.
///
/// It runs in release (scripts/test.sh's RELEASE_SUITES): debug Swift allocates in code that
/// release does not (`SignalController.step` alone about 70 times a tick), and the contract is
/// about the build that ships. `swift test -c release --filter TickAllocationTests` runs it.
///
/// The malloc counter (CMallocCounter, linked into this test bundle) counts only the ticking
/// thread's allocations, so the reader, the supervisor and the backends' threads may allocate as
/// they like. What each backend's tick path covers (no peer, no hardware):
/// - simulated: `SimulatedJunction` as inputs and outputs, all in the tick;
/// - Modbus: the real `ModbusDetectorInputs` and `ModbusSignalOutputs` over their boards, with a
///   thread standing in for the link worker (as the boards' unit tests drive them): it waits on
///   the wake event the tick signals, takes the command, publishes a matching read-back and fresh
///   detector readings. The tick's path is the boards' copies under their locks and the wake-pipe
///   write; the worker's libmodbus exchange is not on the tick and is not run;
/// - GPIO: the real `GPIODetectorInputs` with its event thread (`GPIOEventReader`) over no lines,
///   so that thread only keeps the heartbeat, and a thread adding debounced edges to the exchange
///   as the event thread does; the tick's path is the exchange's drain. The GPIO lamp
///   outputs are ioctls into buffers sized at start and need a chip, so the simulated junction
///   drives the lamps in this case.
@Suite(.serialized, .enabled(if: isReleaseBuild, "counts only in release: debug Swift allocates in step"))
struct TickAllocationTests {
    enum Backend: String, CaseIterable, Sendable {
        case simulated, modbus, gpio
    }

    static let warmUpTicks = 3_000
    static let measuredTicks = 10_000

    static func junction() throws -> Junction {
        try JunctionConfigLoader().load(source: BuiltInJunctions.cirebon4Arm, name: "built-in").junction
    }

    @Test(arguments: AdaptiveSettings.Strategy.allCases, Backend.allCases)
    func aTickAllocatesNothing(strategy: AdaptiveSettings.Strategy, backend: Backend) throws {
        let junction = try Self.junction()
        let field = try FieldRig(backend, junction: junction)
        defer { field.stop() }
        let engine = JunctionEngine(
            junction: junction, inputs: field.inputs, outputs: field.outputs,
            adaptive: AdaptiveSettings(strategy: strategy))
        let others = OtherThreads(engine: engine, junction: junction, strategy: strategy)
        defer { others.stop() }
        Self.measure(engine, others, label: "\(strategy.rawValue) \(backend.rawValue)")
    }

    /// Preemption on the tick: the Cirebon file's emergency-vehicle input is called every 300 s of
    /// ticks (as `junctionctl call` does), besides the rotating calls of `OtherThreads`, so the
    /// measured ticks run preempt entries, track clearances, dwells and exits; a thread samples the
    /// board to prove a preempt was being served while they ran.
    @Test func aTickThroughPreemptionAllocatesNothing() throws {
        let junction = try Self.junction()
        let input = try #require(junction.preempts.first?.input)
        let field = try FieldRig(.simulated, junction: junction)
        defer { field.stop() }
        let engine = JunctionEngine(junction: junction, inputs: field.inputs, outputs: field.outputs)
        let others = OtherThreads(engine: engine, junction: junction, strategy: .actuated)
        defer { others.stop() }
        let caller = PreemptCaller(engine: engine, detector: input)
        defer { caller.stop() }
        Self.measure(engine, others, label: "actuated simulated, preempt called")
        #expect(caller.seenPreempting.load(ordering: .relaxed) > 0, "a preempt was served during the run")
    }

    /// A junction with two neighbours: every tick projects its outflow, and once a second the tick
    /// trades profiles for the forecast with a thread standing in for the neighbour service, which
    /// takes the profiles and offers a forecast it keeps merging new profiles into.
    @Test(arguments: AdaptiveSettings.Strategy.allCases)
    func aTickWithNeighboursAllocatesNothing(strategy: AdaptiveSettings.Strategy) throws {
        let junction = try Self.junction()
        let field = try FieldRig(.simulated, junction: junction)
        defer { field.stop() }
        let adaptive = AdaptiveSettings(strategy: strategy)
        let settings = Self.neighbours(of: junction)
        let engine = JunctionEngine(
            junction: junction, inputs: field.inputs, outputs: field.outputs, adaptive: adaptive, neighbours: settings)
        let link = try #require(engine.neighbours)
        let others = OtherThreads(engine: engine, junction: junction, strategy: strategy)
        defer { others.stop() }
        let service = NeighbourStandIn(engine: engine, link: link, junction: junction)
        defer { service.stop() }
        let before = service.trades.load(ordering: .relaxed)
        Self.measure(engine, others, label: "\(strategy.rawValue) simulated, 2 neighbours")
        #expect(service.trades.load(ordering: .relaxed) > before, "profiles were traded during the measured ticks")
    }

    /// Cirebon's west and east neighbours, each fed by and feeding the arterial's through groups.
    static func neighbours(of junction: Junction) -> NeighbourSettings {
        let east = try! #require(junction.groupIndex(named: "E"))
        let west = try! #require(junction.groupIndex(named: "W"))
        let address = UpstreamSettings.Address(octets: [127, 0, 0, 1], port: 4721)
        return NeighbourSettings(
            junctionId: 1, listen: address,
            neighbours: [
                .init(junctionId: 2, address: address, key: .hex(""), outflow: [(west, 0.9)], inflow: [(east, 0.9)], travelTenths: 300),
                .init(junctionId: 3, address: address, key: .hex(""), outflow: [(east, 0.9)], inflow: [(west, 0.9)], travelTenths: 450),
            ])
    }

    /// Runs the engine until the threads around it are at work, then counts the ticking thread's
    /// allocations over `measuredTicks` ticks: 0 expected, with a reload pending and applied and
    /// the board read meanwhile.
    static func measure(_ engine: JunctionEngine, _ others: OtherThreads, label: String) {
        // Warm up (the first ticks allocate lazily) until the threads around the tick are at work.
        var tick: Tenths = 0
        while tick < Self.warmUpTicks
            || engine.board.withLock({ $0.counters.reloadsApplied }) == 0 || others.boardReads.load(ordering: .relaxed) == 0
        {
            tick += 1
            engine.tick(tick)
            if tick % 100 == 0 { usleep(100) }
        }
        let before = engine.board.withLock { $0.counters }
        malloc_counter_start_thread()
        for _ in 0..<Self.measuredTicks {
            tick += 1
            // Now and then a tick wakes a second late: the stall event is journalled on the tick too.
            engine.tick(tick, wakeDelayNanoseconds: tick % 997 == 0 ? 1_000_000_000 : 0)
            // A release tick takes microseconds: a pause lets the other threads interleave with
            // every part of the cycle (usleep does not allocate), so reloads also meet clearances.
            usleep(20)
        }
        malloc_counter_stop_thread()
        let allocations = malloc_counter_thread_count()
        let bytes = malloc_counter_thread_bytes()
        let after = engine.board.withLock { $0.counters }
        let reads = others.boardReads.load(ordering: .relaxed)

        print(
            "tick allocations: \(label): \(allocations) allocations (\(bytes) bytes) "
                + "in \(Self.measuredTicks) ticks; reloads applied \(after.reloadsApplied - before.reloadsApplied), "
                + "waiting ticks \(after.reloadWaitTicks - before.reloadWaitTicks), board reads \(reads)")
        #expect(allocations == 0, "\(label): \(allocations) allocations")
        #expect(after.reloadWaitTicks > before.reloadWaitTicks, "a reload was pending during the measured ticks")
        #expect(after.reloadsApplied > before.reloadsApplied, "a reload was applied during the measured ticks")
        #expect(reads > 0, "the diagnostic reader ran during the measured ticks")
        #expect(after.tickStalls > before.tickStalls, "a stall was journalled during the measured ticks")
    }
}

/// The neighbour service's side of the exchange, without a socket: takes each second's profiles
/// and offers a forecast it keeps merging a profile into, as the service does on receiving one.
private final class NeighbourStandIn: Sendable {
    let trades = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    private let thread = Mutex<TestThread?>(nil)

    init(engine: JunctionEngine, link: NeighbourLink, junction: Junction) {
        let count = link.settings.neighbours.count
        nonisolated(unsafe) let forecast = NeighbourArrivals(
            groupCount: junction.groups.count, neighbours: link.settings)
        thread.withLock {
            $0 = TestThread { [self] in
                var profiles = NeighbourExchange.emptyProfiles(count)
                var incoming = OutflowProfile(startTenths: -10, bins: 61)
                for i in incoming.vehicles.indices { incoming.vehicles[i] = Double(i % 3) }
                var last: Tenths?
                while !stopping.load(ordering: .acquiring) {
                    if let made = link.exchange.takeOutflow(madeAfter: last, into: &profiles) {
                        last = made
                        trades.add(1, ordering: .relaxed)
                    }
                    let tick = Tenths(engine.board.withLock { $0.ticks })
                    for n in 0..<count { forecast.merge(neighbour: n, profile: incoming, ageTenths: 2, tick: tick) }
                    link.exchange.offer(forecast)
                    usleep(5_000)
                }
            }
        }
    }

    func stop() {
        stopping.store(true, ordering: .releasing)
        thread.withLock { $0 }?.join()
    }
}

/// Calls a preempt input every 3,000 ticks through the engine's mailbox, and counts the samples of
/// the board that show a preempt being served.
private final class PreemptCaller: Sendable {
    let seenPreempting = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    private let thread = Mutex<TestThread?>(nil)

    init(engine: JunctionEngine, detector: Int) {
        thread.withLock {
            $0 = TestThread { [self] in
                var lastCall: UInt64?
                while !stopping.load(ordering: .acquiring) {
                    let (ticks, preempting) = engine.board.withLock { ($0.ticks, $0.status.preempt != nil) }
                    if preempting { seenPreempting.add(1, ordering: .relaxed) }
                    if lastCall.map({ ticks >= $0 + 3_000 }) ?? true {
                        _ = engine.mailbox.post(.forceCall(detector: detector))
                        lastCall = ticks
                    }
                    usleep(5_000)
                }
            }
        }
    }

    func stop() {
        stopping.store(true, ordering: .releasing)
        thread.withLock { $0 }?.join()
    }
}

/// The field of one case: its inputs, its outputs, and the threads standing in for its workers.
private final class FieldRig {
    let inputs: DetectorInputs
    let outputs: SignalOutputs
    private let stopping: StopFlag
    private var worker: TestThread?
    private let gpio: GPIODetectorInputs?

    init(_ backend: TickAllocationTests.Backend, junction: Junction) throws {
        let simulated = SimulatedJunction(junction: junction, seed: 11)
        let stopping = StopFlag()
        self.stopping = stopping
        switch backend {
        case .simulated:
            inputs = simulated
            outputs = simulated
            gpio = nil
        case .modbus:
            let detectors = junction.detectors.count
            let groups = junction.groups.count
            let second = 1_000_000_000
            let wake = try WakePipe()
            let inputBoard = ModbusInputBoard(
                unitOfDetector: Array(repeating: 0, count: detectors), staleAfterNanoseconds: [second])
            let outputBoard = ModbusOutputBoard(
                unitOfGroup: Array(repeating: 0, count: groups), staleAfterNanoseconds: [second], wakes: [wake])
            // A field with no units: no thread, no connection; it only keeps the sides alive.
            let field = try ModbusField.open(
                wiring: ModbusWiring(units: [], detectors: [], lamps: [], watchdog: nil, statisticsLogSeconds: 0),
                detectorCount: detectors, groupCount: groups, servesDetectors: false, servesLamps: false,
                log: .silent)
            inputs = ModbusDetectorInputs(field: field, board: inputBoard)
            outputs = ModbusSignalOutputs(field: field, board: outputBoard)
            gpio = nil
            // Preempt inputs stay quiet: flickering with the loops, they would call a preempt every few
            // polls and leave no stage rest for the reloads (aTickThroughPreemptionAllocatesNothing
            // calls one at a pace that does).
            let quiet = Set(junction.preempts.map(\.input))
            worker = TestThread {
                Self.modbusWorker(
                    inputBoard, outputBoard, wake: wake, groups: groups, quiet: quiet, stopping: stopping)
            }
        case .gpio:
            let names = junction.detectors.map(\.name)
            let exchange = GPIOInputExchange(
                accumulator: EdgeAccumulator(
                    levels: Array(repeating: false, count: names.count),
                    nowNanoseconds: Clocks.monotonicNanoseconds()),
                wake: try WakePipe())
            let reader = GPIOEventReader(
                lines: [], detectorOfLine: [], filters: [], exchange: exchange, names: names, report: nil,
                reportIntervalSeconds: 0)
            let detectorInputs = try GPIODetectorInputs(
                names: names, staleAfterMilliseconds: 1_000, exchange: exchange, reader: reader)
            inputs = detectorInputs
            outputs = simulated
            gpio = detectorInputs
            worker = TestThread {
                Self.gpioEdges(exchange, detectors: names.count, stopping: stopping)
            }
        }
    }

    func stop() {
        stopping.flag.store(true, ordering: .releasing)
        worker?.join()
        gpio?.stop()
    }

    /// What the GPIO event thread does with the debounced edges of a pass: vehicles arriving and
    /// leaving on every detector in turn, added to the exchange under its lock.
    private static func gpioEdges(_ exchange: GPIOInputExchange, detectors: Int, stopping: StopFlag) {
        var levels = Array(repeating: false, count: detectors)
        var next = 0
        while !stopping.flag.load(ordering: .acquiring) {
            usleep(1_000)
            let detector = next % detectors
            next += 1
            levels[detector].toggle()
            let transition = DebounceFilter.Transition(
                level: levels[detector], edgeNanoseconds: Clocks.monotonicNanoseconds())
            exchange.state.withLock { $0.accept(transition, detector: detector) }
        }
    }

    /// What a Modbus link worker does between its exchanges, without the exchanges: take the
    /// command when woken, publish a read-back showing it, and publish fresh detector readings.
    private static func modbusWorker(
        _ inputBoard: ModbusInputBoard, _ outputBoard: ModbusOutputBoard, wake: WakePipe, groups: Int,
        quiet: Set<Int>, stopping: StopFlag
    ) {
        var command = Array(repeating: SignalState.dark, count: groups)
        var counter: UInt16 = 0
        while !stopping.flag.load(ordering: .acquiring) {
            _ = wake.wait(timeoutMilliseconds: 5)
            let now = Clocks.monotonicNanoseconds()
            if outputBoard.takeCommand(into: &command) != nil {
                outputBoard.countWrite()
                outputBoard.publish(
                    readNanoseconds: now,
                    groups: command.enumerated().map {
                        .init(group: $0.offset, written: $0.element, shown: $0.element, matched: true)
                    })
            }
            counter &+= 1
            _ = inputBoard.publish(
                unit: 0, sampledNanoseconds: now,
                readings: inputBoard.unitOfDetector.indices.map {
                    .init(
                        detector: $0, presence: !quiet.contains($0) && (Int(counter) + $0) % 7 == 0,
                        counter: quiet.contains($0) ? 0 : counter / 3)
                },
                continuous: true)
        }
    }
}

private final class StopFlag: Sendable {
    let flag = Atomic<Bool>(false)
}

/// The threads around the tick: a supervisor that keeps a reload pending (posting the next as
/// soon as the last has an outcome, cycling through the strategies) and posts a diagnostic
/// request now and then, plan switches by the schedule and by a technician, and a diagnostic reader that copies the board as the diagnostic server does.
final class OtherThreads: Sendable {
    let boardReads = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    private let threads = Mutex<[TestThread]>([])

    init(engine: JunctionEngine, junction: Junction, strategy: AdaptiveSettings.Strategy) {
        let supervisor = TestThread { [self] in
            var pending: RequestMailbox.ReloadTicket?
            var round = 0
            var pass = 0
            while !stopping.load(ordering: .acquiring) {
                pass += 1
                if pending.map({ engine.mailbox.reloadOutcome(of: $0) != nil }) ?? true {
                    round += 1
                    let next = AdaptiveSettings.Strategy.allCases[round % AdaptiveSettings.Strategy.allCases.count]
                    pending = engine.postReload(junction, adaptive: AdaptiveSettings(strategy: next))
                }
                // A call on a rotating detector now and then: stage changes even without traffic
                // (GPIO over no lines), so reloads also wait through clearances.
                if pass % 5 == 0 {
                    _ = engine.mailbox.post(.forceCall(detector: (pass / 5) % junction.detectors.count))
                }
                // The schedule's switches and a technician's override and release, as the schedule
                // driver and the diagnostic socket post them: switching plans allocates nothing either.
                if pass % 7 == 0 {
                    let plans = junction.plans.map { PlanSelection.fixedTime($0.name) } + [.actuated, .adaptive]
                    _ = engine.mailbox.post(.schedule(plans[(pass / 7) % plans.count]))
                }
                if pass % 31 == 0 {
                    _ = engine.mailbox.post((pass / 31) % 2 == 0 ? .selectPlan(junction.plans.first?.name) : .releaseOverride)
                }
                usleep(2_000)
            }
        }
        let reader = TestThread { [self] in
            var after: UInt64 = 0
            while !stopping.load(ordering: .acquiring) {
                let (status, entries, totals) = engine.board.withLock { board in
                    (board.status.detached(), board.journal.entries(after: after, limit: 64),
                     board.detectorTotals.detached())
                }
                after = entries.last?.sequence ?? after
                precondition(status.signals.count == junction.groups.count && totals.actuations.count > 0)
                boardReads.add(1, ordering: .relaxed)
                usleep(500)
            }
        }
        threads.withLock { $0 = [supervisor, reader] }
    }

    func stop() {
        stopping.store(true, ordering: .releasing)
        for thread in threads.withLock({ $0 }) { thread.join() }
    }
}

/// A plain pthread for the threads around the tick (not the cooperative pool, which the test
/// cases themselves occupy).
private final class TestThread: @unchecked Sendable {
    private final class Body {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }

    private var handle = pthread_t()

    init(_ run: @escaping @Sendable () -> Void) {
        let body = Unmanaged.passRetained(Body(run)).toOpaque()
        let created = pthread_create(&handle, nil, { raw in
            Unmanaged<Body>.fromOpaque(raw!).takeRetainedValue().run()
            return nil
        }, body)
        precondition(created == 0, "pthread_create failed: \(created)")
    }

    func join() {
        pthread_join(handle, nil)
    }
}
