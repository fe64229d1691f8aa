import Foundation
import FieldIO
import Glibc
import JunctionConfig
import RealTimeEngine
import RuntimeTestSupport
import SignalCore
import Synchronization
import Testing

@testable import JunctionRuntime

@Suite struct ConfigReloadTests {
    /// A loader that blocks until the test opens its gate, as reading a FIFO or a very slow file
    /// does, and counts its calls.
    final class GatedLoader: Sendable {
        let open = Atomic<Bool>(false)
        let calls = Atomic<Int>(0)
        let finished = Atomic<Int>(0)
        let refuse: Atomic<Bool>

        init(refuse: Bool = false) { self.refuse = Atomic(refuse) }

        func load(_ path: String) -> Result<JunctionConfiguration, ConfigReload.Refusal> {
            calls.add(1, ordering: .relaxed)
            while !open.load(ordering: .acquiring) { usleep(1_000) }
            defer { finished.add(1, ordering: .relaxed) }
            if refuse.load(ordering: .acquiring) { return .failure(.init(report: "\(path): line 1: unexpected end of file")) }
            return Result { try JunctionConfigLoader().load(source: Self.reloadedSource, name: path) }
                .mapError { .init(report: "\($0)") }
        }

        /// The built-in junction under another name, so a test can tell the file it loads from the
        /// junction the engine started with.
        static let reloadedName = "Cirebon - reloaded"
        static let reloadedSource = BuiltInJunctions.cirebon4Arm.replacingOccurrences(
            of: #"name = "Cirebon - Jl. Siliwangi x Jl. Kartini""#, with: #"name = "\#(reloadedName)""#)
    }

    /// What `advance` sent to systemd, in order: "RELOADING" or "READY".
    final class Notes {
        var sent: [String] = []
        func note(_ reloading: Bool) { sent.append(reloading ? "RELOADING" : "READY") }
    }

    static func engine() throws -> JunctionEngine {
        let junction = try JunctionConfigLoader().load(source: BuiltInJunctions.cirebon4Arm).junction
        let field = SimulatedJunction(junction: junction, seed: 3)
        return JunctionEngine(junction: junction, inputs: field, outputs: field)
    }

    @Test func aReadThatNeverEndsNeverHoldsUpTheSupervisor() throws {
        let engine = try Self.engine()
        let loader = GatedLoader()
        let (logger, logs) = CapturingLogHandler.logger()
        var reload = ConfigReload(path: "junction.toml", engine: engine, logger: logger, load: loader.load)
        let notes = Notes()
        reload.request()
        // Every pass returns at once while the read is stuck; on the base the supervisor sat in
        // the read (and then in a 30 s wait loop) and handled no SIGTERM meanwhile.
        for pass in 0..<200 {
            reload.advance(now: pass * 200_000_000, notify: notes.note) { _ in }
        }
        #expect(reload.isBusy)
        #expect(notes.sent == ["RELOADING"])
        #expect(logs.all.contains { $0.contains("still not read after 30 s") }, "\(logs.all)")
        loader.open.store(true, ordering: .releasing)
    }

    @Test func aValidFileIsHandedOverAndReportedWhenTheLoopAppliesIt() throws {
        let engine = try Self.engine()
        let loader = GatedLoader()
        loader.open.store(true, ordering: .releasing)
        let (logger, logs) = CapturingLogHandler.logger()
        var reload = ConfigReload(path: "junction.toml", engine: engine, logger: logger, load: loader.load)
        let notes = Notes()
        var applied = 0
        reload.request()
        var tick: Tenths = 0
        while reload.isBusy && tick < 50_000 {
            tick += 1
            engine.tick(tick)
            reload.advance(now: tick * 100_000_000, notify: notes.note) { _ in applied += 1 }
            if tick % 10 == 0 { usleep(1_000) }
        }
        #expect(applied == 1, "\(logs.all)")
        #expect(logs.all.contains { $0.contains("reload applied at the rest of stage") }, "\(logs.all)")
        #expect(notes.sent.first == "RELOADING" && notes.sent.last == "READY", "\(notes.sent)")
    }

    @Test func anInvalidFileIsRefusedAndASignalDuringTheReadIsServedAfterIt() throws {
        let engine = try Self.engine()
        let loader = GatedLoader(refuse: true)
        let (logger, logs) = CapturingLogHandler.logger()
        var reload = ConfigReload(path: "junction.toml", engine: engine, logger: logger, load: loader.load)
        let notes = Notes()
        reload.request()
        reload.advance(now: 0, notify: notes.note) { _ in }
        reload.request()
        reload.advance(now: 1, notify: notes.note) { _ in }
        #expect(eventually { loader.calls.load(ordering: .relaxed) == 1 })
        reload.advance(now: 2, notify: notes.note) { _ in }
        #expect(loader.calls.load(ordering: .relaxed) == 1, "one read at a time")
        loader.open.store(true, ordering: .releasing)
        #expect(eventually {
            reload.advance(now: 2, notify: notes.note) { _ in }
            return !reload.isBusy
        })
        #expect(loader.calls.load(ordering: .relaxed) == 2, "the second SIGHUP read the file again")
        #expect(logs.all.filter { $0.contains("reload refused, the running plan continues") }.count == 2, "\(logs.all)")
        #expect(notes.sent == ["RELOADING", "READY"], "\(notes.sent)")
    }

    /// A valid file waits for a stage rest; then the file is broken and SIGHUP sent again. The
    /// refusal says the running plan continues, so the waiting file must not take over after it.
    /// (Once, it did, at the next stage rest.)
    @Test func aRefusedFileWithdrawsTheValidOneStillWaiting() throws {
        let rig = try WaitingReload()
        rig.loader.refuse.store(true, ordering: .releasing)
        rig.reload.request()
        #expect(eventually {
            rig.advance(now: 1)
            return !rig.reload.isBusy
        })
        for tick in 1...3_000 {
            rig.engine.tick(tick)
            rig.advance(now: 2 + tick)
        }
        #expect(rig.applied == 0, "\(rig.logs.all)")
        #expect(rig.engine.board.withLock { $0.counters.reloadsApplied } == 0)
        #expect(rig.logs.all.contains { $0.contains("withdrawn") }, "\(rig.logs.all)")
    }

    /// A second SIGHUP while the first file waits for a stage rest, and the loop takes the first
    /// just before the second is posted: the first is still reported applied, before the second.
    /// (Once, the newer file took its place unwatched: the services never heard of the first.)
    @Test func aJunctionTakenJustBeforeANewerFileIsStillReportedApplied() throws {
        let rig = try WaitingReload()
        let (engine, loader) = (rig.engine, rig.loader)
        // The second read is held until the loop has taken the first.
        loader.open.store(false, ordering: .releasing)
        rig.reload.request()
        rig.advance(now: 1)
        #expect(eventually { loader.calls.load(ordering: .relaxed) == 2 })
        var tick: Tenths = 0
        while engine.board.withLock({ $0.counters.reloadsApplied }) == 0, tick < 50_000 {
            tick += 1
            engine.tick(tick)
        }
        tick += 1
        engine.tick(tick)
        loader.open.store(true, ordering: .releasing)
        #expect(eventually { loader.finished.load(ordering: .relaxed) == 2 })
        // The next pass finds the second file read and the first's outcome in together.
        while rig.reload.isBusy, tick < 100_000 {
            tick += 1
            engine.tick(tick)
            rig.advance(now: 2 + Int(tick))
        }
        #expect(rig.applied == 2, "\(rig.logs.all)")
        #expect(rig.logs.all.filter { $0.contains("reload applied at the rest of stage") }.count == 2, "\(rig.logs.all)")
    }

    /// A second valid file while the first still waits, untaken: the first is withdrawn, not
    /// watched for an outcome it can never have (once, every such pair left one entry behind, looked
    /// up on every supervisor pass until a reload was applied), and only the second is applied.
    @Test func aFileReplacedBeforeTheLoopTookItIsNotWatched() throws {
        let rig = try WaitingReload()
        rig.reload.request()
        #expect(eventually {
            rig.advance(now: 1)
            return rig.logs.all.filter { $0.contains("waiting for the next stage rest") }.count == 2
        })
        #expect(rig.reload.supersededWatched == 0)
        rig.tickUntilSettled()
        #expect(rig.applied == 1, "\(rig.logs.all)")
        #expect(rig.engine.board.withLock { $0.counters.reloadsApplied } == 1)
    }

    /// The stop bounds its wait for flash by every junction the loop may be running: one handed
    /// over and not yet reported may have been taken a tick ago.
    @Test func aJunctionHandedOverCountsForTheStopUntilItsOutcomeIsReported() throws {
        let rig = try WaitingReload()
        #expect(rig.engine.junction.name != GatedLoader.reloadedName)
        #expect(rig.reload.junctionsTheLoopMayHaveTaken.map(\.name) == [GatedLoader.reloadedName])
        rig.tickUntilSettled()
        #expect(rig.applied == 1, "\(rig.logs.all)")
        #expect(rig.reload.junctionsTheLoopMayHaveTaken.isEmpty)
    }

    /// A file that renames a detector or a group is refused by the loop at any moment: once, that
    /// was logged "valid; waiting for the next stage rest" and refused a moment later. It is
    /// refused when read, and no ticket is posted.
    @Test(arguments: [(#"\bN_stop\b"#, "the detectors changed"), (#"\bN\b"#, "the signal groups changed")])
    func changedDetectorsOrGroupsAreRefusedWhenTheFileIsRead(_ name: String, _ said: String) throws {
        let engine = try Self.engine()
        let (logger, logs) = CapturingLogHandler.logger()
        // Renamed everywhere the file names it, so the file itself stays valid.
        let source = BuiltInJunctions.cirebon4Arm.replacingOccurrences(of: name, with: "X$0", options: .regularExpression)
        var reload = ConfigReload(path: "junction.toml", engine: engine, logger: logger) { path in
            Result { try JunctionConfigLoader().load(source: source, name: path) }.mapError { .init(report: "\($0)") }
        }
        reload.request()
        #expect(eventually {
            reload.advance(now: 1, notify: { _ in }) { _ in }
            return !reload.isBusy
        })
        #expect(logs.all.contains { $0.contains("reload refused") && $0.contains(said) }, "\(logs.all)")
        #expect(!logs.all.contains { $0.contains("waiting for the next stage rest") }, "\(logs.all)")
    }

    /// Flash asked for rules a handover out (the way into flash keeps the timings it was bounded
    /// with). The flash request comes in the very tick the reload would have been taken, the first
    /// stage rest after start (found on a twin engine, which runs the same simulated junction):
    /// taken before the request, the reload was refused for good. It waits, says why after 30 s,
    /// and applies once flash is released.
    @Test func aReloadWaitsOutAFlashRequestAndSaysSo() throws {
        let twin = try Self.engine()
        var lastBeforeRest: Tenths = 0
        while lastBeforeRest < 50_000 {
            lastBeforeRest += 1
            twin.tick(lastBeforeRest)
            let status = twin.board.withLock { $0.status }
            if status.mode == .normal && !status.inTransition && status.preempt == nil { break }
        }
        let rig = try WaitingReload()
        for tick in 1...lastBeforeRest { rig.engine.tick(tick) }
        #expect(rig.applied == 0 && rig.reload.isBusy)
        #expect(rig.engine.mailbox.post(.flash(on: true, reason: .manual)) != nil)
        for tick in (lastBeforeRest + 1)...(lastBeforeRest + 600) {
            rig.engine.tick(tick)
            rig.advance(now: Int(tick) * 100_000_000)
        }
        #expect(rig.applied == 0, "\(rig.logs.all)")
        #expect(!rig.logs.all.contains { $0.contains("reload refused") }, "\(rig.logs.all)")
        #expect(rig.logs.all.contains { $0.contains("flash is asked for; it will apply at the first stage rest after flash is released") }, "\(rig.logs.all)")
        #expect(rig.engine.mailbox.post(.flash(on: false, reason: .manual)) != nil)
        rig.tickUntilSettled(after: lastBeforeRest + 600)
        #expect(rig.applied == 1, "\(rig.logs.all)")
    }

    /// A reload whose first file, valid, has been read and handed over and waits for a stage rest
    /// (the loop has not ticked); `applied` counts the configurations reported applied.
    final class WaitingReload {
        let engine: JunctionEngine
        let loader = GatedLoader()
        let logs: CapturingLogHandler.Store
        var reload: ConfigReload
        var applied = 0

        init() throws {
            engine = try ConfigReloadTests.engine()
            loader.open.store(true, ordering: .releasing)
            let (logger, logs) = CapturingLogHandler.logger()
            self.logs = logs
            reload = ConfigReload(path: "junction.toml", engine: engine, logger: logger, load: loader.load)
            reload.request()
            #expect(eventually {
                advance(now: 0)
                return logs.all.contains { $0.contains("waiting for the next stage rest") }
            })
        }

        func advance(now: Int) {
            reload.advance(now: now, notify: { _ in }) { _ in self.applied += 1 }
        }

        /// Ticks the loop on from `after`, with a supervisor pass at each tick's time, until the
        /// reload has settled (at most 5,000 simulated seconds).
        func tickUntilSettled(after start: Tenths = 0) {
            var tick = start
            while reload.isBusy, tick < start + 50_000 {
                tick += 1
                engine.tick(tick)
                advance(now: Int(tick) * 100_000_000)
            }
        }
    }
}
