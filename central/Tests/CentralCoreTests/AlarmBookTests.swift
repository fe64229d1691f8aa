import CentralCore
import Testing
import Wire

@Suite struct AlarmBookTests {
    /// Runs central's service rounds for `milliseconds`, a round every 50 ms as its thread does when idle.
    private func run(_ central: TestCentral, for milliseconds: Int64) {
        for _ in 0..<(milliseconds / 50) { _ = central.advance(milliseconds: 50) }
    }

    private func standing(_ central: TestCentral) -> [CityAlarm] {
        central.board.snapshot().alarms.alarms.filter { $0.clearedMilliseconds == nil }
    }

    @Test func aJunctionThatFallsSilentIsRaisedOfflineAndClearedWhenItIsBack() throws {
        var junction = TestJunction(id: 7)
        let central = try TestCentral(junctions: [junction.entry])
        defer { central.removeFiles() }
        let reported = central.now
        central.receive(junction.status(), from: junction.address)
        _ = central.advance(milliseconds: 300)
        #expect(standing(central).isEmpty)
        let versionBefore = try #require(central.board.snapshot().junctions.first).version
        // Past the stale limit (3 s in TestCentral) with no report.
        run(central, for: 3_500)
        let offline = try #require(standing(central).first)
        #expect(offline.kind == .offline)
        #expect(offline.severity == .critical)
        #expect(offline.junctionID == 7)
        // Raised by the first review past the stale limit (3 s), reviews being 250 ms apart.
        #expect(offline.raisedMilliseconds > reported + 3_000)
        #expect(offline.raisedMilliseconds <= reported + 3_000 + CentralIngest.alarmReviewIntervalMilliseconds + 50)
        // The card is pushed again the moment it goes offline, not at the next full refresh.
        #expect(try #require(central.board.snapshot().junctions.first).version > versionBefore)

        central.receive(junction.status(), from: junction.address)
        _ = central.advance(milliseconds: 300)
        #expect(standing(central).isEmpty)
        let history = central.board.snapshot().alarms.alarms
        #expect(history.count == 1)
        #expect(history[0].clearedMilliseconds == central.now)
    }

    @Test func flashAndFaultsAreRaisedWithTheirReasonAndListedWorstFirst() throws {
        var calm = TestJunction(id: 7)
        var flashing = TestJunction(id: 8)
        let central = try TestCentral(junctions: [calm.entry, flashing.entry])
        defer { central.removeFiles() }
        central.receive(calm.status(), from: calm.address)
        var report = StatusReport()
        report.mode = .flash
        report.controllerMode = .flash
        report.flashReason = .manual
        report.alarms = [.flashing, .centralSilent]
        central.receive(flashing.sealer.seal(.status(report), timeMilliseconds: 1_700_000_000_000), from: flashing.address)
        _ = central.advance(milliseconds: 300)
        // Junction 7 falls silent; 8 keeps reporting its flash.
        run(central, for: 2_000)
        central.receive(flashing.sealer.seal(.status(report), timeMilliseconds: 1_700_000_002_000), from: flashing.address)
        run(central, for: 1_500)
        let list = central.board.snapshot().alarms.worstFirst
        #expect(list.map(\.kind) == [.offline, .flash, .centralSilent])
        #expect(list.map(\.junctionID) == [7, 8, 8])
        #expect(list[1].detail == "manual")
        #expect(list[1].severity == .major)

        // The flash ends: its alarm is cleared and moves below the standing ones.
        report.mode = .normal
        report.flashReason = nil
        report.alarms = []
        central.receive(flashing.sealer.seal(.status(report), timeMilliseconds: 1_700_000_004_000), from: flashing.address)
        _ = central.advance(milliseconds: 300)
        let after = central.board.snapshot().alarms.worstFirst
        // Cleared together: the later raised (higher number) first.
        #expect(after.map(\.kind) == [.offline, .flash, .centralSilent])
        #expect(after[0].clearedMilliseconds == nil)
        #expect(after.dropFirst().allSatisfy { $0.clearedMilliseconds == central.now })
    }

    @Test func anUnsynchronisedClockAndASilentNeighbourAreAlarmsUntilTheyRecover() throws {
        var junction = TestJunction(id: 9)
        let central = try TestCentral(junctions: [junction.entry])
        defer { central.removeFiles() }
        var report = StatusReport()
        report.mode = .normal
        report.alarms = [.clockUnsynchronised]
        report.counters[StatusCounter.neighboursStale.rawValue] = 1
        report.counters[StatusCounter.neighboursFresh.rawValue] = 2
        central.receive(junction.sealer.seal(.status(report), timeMilliseconds: 1_700_000_000_000), from: junction.address)
        _ = central.advance(milliseconds: 300)
        let raised = standing(central).sorted { $0.kind.rawValue < $1.kind.rawValue }
        #expect(raised.map(\.kind) == [.clockUnsynchronised, .neighbourLost])
        #expect(raised[1].detail == "1 of 3 silent; adapting on its own loops")
        report.alarms = []
        report.counters[StatusCounter.neighboursStale.rawValue] = 0
        central.receive(junction.sealer.seal(.status(report), timeMilliseconds: 1_700_000_001_000), from: junction.address)
        _ = central.advance(milliseconds: 300)
        #expect(standing(central).isEmpty)
    }

    @Test func neighbourCountersWhoseSumOverflowsAreShownSaturatedNotATrap() throws {
        var junction = TestJunction(id: 9)
        let central = try TestCentral(junctions: [junction.entry])
        defer { central.removeFiles() }
        var report = StatusReport()
        report.mode = .normal
        report.counters[StatusCounter.neighboursStale.rawValue] = 1
        report.counters[StatusCounter.neighboursFresh.rawValue] = UInt64.max
        central.receive(junction.sealer.seal(.status(report), timeMilliseconds: 1_700_000_000_000), from: junction.address)
        _ = central.advance(milliseconds: 300)
        #expect(standing(central).map(\.detail) == ["1 of \(UInt64.max) silent; adapting on its own loops"])
    }

    @Test func aStallOfCentralItselfDoesNotCallEveryJunctionOffline() throws {
        var junction = TestJunction(id: 7)
        let central = try TestCentral(junctions: [junction.entry])
        defer { central.removeFiles() }
        central.receive(junction.status(), from: junction.address)
        run(central, for: 300)
        // central's thread stops for 5 s while the junction keeps reporting; the report waits in the socket.
        _ = central.advance(milliseconds: 5_000)
        central.receive(junction.status(), from: junction.address)
        run(central, for: 500)
        #expect(central.board.snapshot().alarms.alarms.isEmpty)
    }

    @Test func anOfflineJunctionKeepsTheAlarmsItHad() throws {
        var flashing = TestJunction(id: 8)
        let central = try TestCentral(junctions: [flashing.entry])
        defer { central.removeFiles() }
        var report = StatusReport()
        report.mode = .flash
        report.flashReason = .faultMonitor
        report.alarms = [.flashing, .safetyFault]
        report.faultKind = .conflict
        central.receive(flashing.sealer.seal(.status(report), timeMilliseconds: 1_700_000_000_000), from: flashing.address)
        _ = central.advance(milliseconds: 300)
        run(central, for: 4_000)
        let list = central.board.snapshot().alarms.worstFirst
        #expect(Set(list.map(\.kind)) == [.offline, .monitorFault, .flash])
        #expect(list.allSatisfy { $0.clearedMilliseconds == nil && $0.severity == .critical })
        #expect(list.first { $0.kind == .monitorFault }?.detail == "conflict")
    }
}
