import Glibc
import Logging
import RuntimeTestSupport
import SignalCore
import SystemInterface
import Testing

@testable import JunctionRuntime

@Suite struct FaultRecorderTests {
    static let pass = 200_000_000

    /// A recorder whose state directory is a regular file: every write fails (ENOTDIR), standing
    /// for a full or read-only disk. Removing the file at `stateDirectory` takes the obstacle away.
    private struct UnwritableState {
        let scratch: ScratchDirectory
        let stateDirectory: String
        let logger: Logger
        let logs: CapturingLogHandler.Store
        let clock: ManualClock
        var recorder: FaultRecorder

        init(startNanoseconds: Int = 0) throws {
            scratch = try ScratchDirectory()
            stateDirectory = scratch.path + "/state"
            try scratch.write("state", "not a directory")
            (logger, logs) = CapturingLogHandler.logger()
            clock = ManualClock(startNanoseconds: startNanoseconds)
            recorder = FaultRecorder(
                store: FaultStore(directory: stateDirectory), restored: nil, logger: logger, clock: clock)
        }
    }

    @Test func aFailingRecordIsLoggedOnceThenOncePerMinuteAndItsRecoveryOnce() throws {
        var state = try UnwritableState()
        let (stateDirectory, logs, clock) = (state.stateDirectory, state.logs, state.clock)
        // 130 s of supervisor passes, five a second.
        for _ in 0..<650 {
            state.recorder.record(FaultStoreTests.violation)
            clock.advance(by: Self.pass)
        }
        let lines = logs.all
        #expect(lines.filter { $0.hasPrefix("critical") }.count == 1, "\(lines)")
        #expect(lines.filter { $0.contains("cannot persist the latched-fault record") }.count == 3, "\(lines)")
        #expect(lines.last?.contains("after 601 attempts") == true, "\(lines)")
        #expect(lines.count == 4, "\(lines)")
        #expect(state.recorder.health.serviceReport == .init(name: "fault-record", state: "unwritable", counters: ["failed_writes": 650]))

        // The obstacle goes: the directory is made, the record written, and that said once.
        #expect(unlink(stateDirectory) == 0)
        state.recorder.record(FaultStoreTests.violation)
        clock.advance(by: Self.pass)
        state.recorder.record(FaultStoreTests.violation)
        let after = Array(logs.all.dropFirst(lines.count))
        #expect(after.count == 2, "\(after)")
        #expect(after.contains { $0.contains("had vanished; made it again") }, "\(after)")
        #expect(after.contains { $0.contains("persisted after 650 failed attempts") }, "\(after)")
        #expect(state.recorder.health.serviceReport.state == "writable")
        guard case .latched = FaultStore(directory: stateDirectory).load() else {
            Issue.record("the record was not written once the directory could be made")
            return
        }
    }

    /// A state directory that cannot be written is said at start, while no fault needs it, and
    /// shown until a probe a minute later finds it put right.
    @Test func anUnwritableStateDirectoryIsSaidAtStartAndProbedUntilItIsPutRight() throws {
        var state = try UnwritableState()
        let (stateDirectory, logs, clock) = (state.stateDirectory, state.logs, state.clock)
        state.recorder.probeAtStart()
        #expect(logs.all.count == 1 && logs.all[0].contains("cannot be written"), "\(logs.all)")
        #expect(state.recorder.health.serviceReport == .init(name: "fault-record", state: "unwritable", counters: ["failed_writes": 1]))

        // The obstacle goes and leaves no directory: the probe makes it again, as a record's write does.
        #expect(unlink(stateDirectory) == 0)
        clock.advance(by: FaultRecorder.reminderNanoseconds - 1)
        state.recorder.record(nil)
        #expect(state.recorder.health.serviceReport.state == "unwritable", "probed again before the minute")
        clock.advance(by: 1)
        state.recorder.record(nil)
        #expect(state.recorder.health.serviceReport == .init(name: "fault-record", state: "writable", counters: ["failed_writes": 1]))
        #expect(logs.all.last?.contains("can be written again") == true, "\(logs.all)")
        for leftover in ["write-probe", "write-probe.new"] {
            #expect(access(stateDirectory + "/" + leftover, F_OK) != 0, "the probe left \(leftover) behind")
        }

        var healthy = FaultRecorder(store: FaultStore(directory: stateDirectory), restored: nil, logger: state.logger, clock: clock)
        healthy.probeAtStart()
        #expect(healthy.health.serviceReport.state == "writable")
    }

    @Test func aResetRemovesTheRecordAndALatchIsNotLoggedTwice() throws {
        let scratch = try ScratchDirectory()
        let store = FaultStore(directory: scratch.path)
        try store.save(FaultStoreTests.violation)
        guard case .latched(let restored) = store.load() else {
            Issue.record("no record to start from")
            return
        }
        let (logger, logs) = CapturingLogHandler.logger()
        let clock = ManualClock()
        var recorder = FaultRecorder(store: store, restored: restored, logger: logger, clock: clock)
        recorder.record(restored)
        #expect(logs.all.isEmpty, "the restored fault was already reported at start: \(logs.all)")
        clock.advance(by: Self.pass)
        recorder.record(nil)
        #expect(logs.all.count == 1 && logs.all[0].contains("latched fault cleared by reset"), "\(logs.all)")
        #expect(store.load() == .clear)
    }

    @Test func theReminderComesWhenTheClockReachesTheMinuteAndNotANanosecondBefore() throws {
        var state = try UnwritableState(startNanoseconds: 5_000_000_000)
        let (logs, clock) = (state.logs, state.clock)
        state.recorder.record(FaultStoreTests.violation)
        let reminders = { logs.all.filter { $0.contains("cannot persist the latched-fault record") }.count }
        #expect(reminders() == 1)

        clock.advance(by: FaultRecorder.reminderNanoseconds - 1)
        state.recorder.record(FaultStoreTests.violation)
        #expect(reminders() == 1, "one nanosecond short of the minute: \(logs.all)")

        clock.advance(by: 1)
        state.recorder.record(FaultStoreTests.violation)
        #expect(reminders() == 2, "at the minute: \(logs.all)")
        #expect(logs.all.last?.contains("after 3 attempts") == true, "\(logs.all)")

        // The minute is counted from that reminder, not from the first failure.
        clock.advance(by: FaultRecorder.reminderNanoseconds - 1)
        state.recorder.record(FaultStoreTests.violation)
        #expect(reminders() == 2, "\(logs.all)")
    }
}
