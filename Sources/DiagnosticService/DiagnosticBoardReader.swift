import Diagnostics
import FieldIO
import RealTimeEngine
import SignalCore
import SystemInterface

/// The diagnostic server's view of the running junction: the latest board snapshot, what the
/// `JunctionObserver` learnt from it, and the loop's timing, refreshed at most once a second.
///
/// Confined to the server's thread. It takes the board's lock only to copy (a detached status and
/// the new journal entries, once per tick at most), so the tick never waits on a client.
final class DiagnosticBoardReader {
    /// What one look at the board copied out.
    struct Sample {
        var status: ControllerStatus
        var counters: EngineCounters
        var journalLastSequence: UInt64
        var journalOverwritten: UInt64
        var ticks: UInt64
        var clock: ClockStatus
    }

    /// The loop statistics copy 80 KB under the loop's own lock; status is served from this cache.
    private static let loopRefreshNanoseconds = 1_000_000_000
    /// Journal entries taken per look; the observer catches up over several looks after a stall.
    private static let entriesPerLook = 2048

    private let engine: JunctionEngine
    private let loop: RealTimeLoop
    private let fieldBackends: (detectors: String, outputs: String)
    private(set) var sample: Sample
    private(set) var observer: JunctionObserver
    private(set) var builder: ReportBuilder
    private var observedSequence: UInt64
    private var loopReport: StatusReport.Loop?
    private var loopReportNanoseconds = 0

    init(engine: JunctionEngine, loop: RealTimeLoop, junction: Junction, fieldBackends: (detectors: String, outputs: String)) {
        self.engine = engine
        self.loop = loop
        self.fieldBackends = fieldBackends
        builder = ReportBuilder(junction: junction)
        observer = JunctionObserver(groupCount: junction.groups.count, detectorCount: junction.detectors.count)
        sample = engine.board.withLock { board in
            Sample(
                status: board.status.detached(), counters: board.counters, journalLastSequence: board.journal.lastSequence,
                journalOverwritten: board.journal.overwritten, ticks: board.ticks, clock: board.clock)
        }
        // Counting starts now; what happened before the server started is in the journal for `events`.
        observedSequence = sample.journalLastSequence
        observer.observe(sample.status)
    }

    /// Names come from `junction` from now on (after a reload; groups and detectors are unchanged).
    func junctionChanged(_ junction: Junction) {
        builder = ReportBuilder(junction: junction)
    }

    /// Copies the board if the loop has ticked since the last look, and feeds the observer.
    /// Returns whether there was a new tick.
    @discardableResult
    func refresh() -> Bool {
        let previousTicks = sample.ticks
        let after = observedSequence
        let look: (Sample, [EventJournal.Entry])? = engine.board.withLock { board in
            guard board.ticks != previousTicks else { return nil }
            let sample = Sample(
                status: board.status.detached(), counters: board.counters,
                journalLastSequence: board.journal.lastSequence, journalOverwritten: board.journal.overwritten,
                ticks: board.ticks, clock: board.clock)
            return (sample, board.journal.entries(after: after, limit: Self.entriesPerLook))
        }
        guard let (fresh, entries) = look else { return false }
        sample = fresh
        for entry in entries { observer.record(entry.event) }
        if let last = entries.last { observedSequence = last.sequence }
        observer.observe(fresh.status)
        return true
    }

    /// The status report of the latest sample.
    func status(server: ServerCounters, nowNanoseconds: Int) -> StatusReport {
        var report = builder.status(
            sample.status, observer: observer, loop: loopStatistics(nowNanoseconds: nowNanoseconds),
            counters: StatusReport.Counters(
                unconfirmedOutputTicks: sample.counters.unconfirmedOutputTicks,
                watchdogToggles: sample.counters.watchdogToggles, requestsDropped: sample.counters.requestsDropped,
                reloadsApplied: sample.counters.reloadsApplied, reloadsRefused: sample.counters.reloadsRefused,
                reloadWaitTicks: sample.counters.reloadWaitTicks, droppedEvents: sample.status.droppedEvents,
                journalLastSequence: sample.journalLastSequence, journalOverwritten: sample.journalOverwritten),
            field: StatusReport.Field(
                detectors: Self.backend(fieldBackends.detectors, sample.counters.detectors),
                outputs: Self.backend(fieldBackends.outputs, sample.counters.outputs)),
            server: server)
        report.schedule = engine.scheduleOutlook.withLock { $0 }.map { outlook in
            let decision = outlook.decision
            return StatusReport.Schedule(
                localTime: outlook.localTime.description, dayPlan: decision.dayPlan, plan: decision.selection.description,
                since: decision.since.description, nextChange: decision.next?.at.description,
                nextPlan: decision.next?.selection.description, refusals: outlook.refusals,
                lastRefusal: outlook.lastRefusal)
        }
        report.clock = Self.clock(sample.clock, sample.counters, monotonicNanoseconds: Clocks.monotonicNanoseconds())
        return report
    }

    /// Timekeeping for the status report; the time of day is read now, when the report is made.
    private static func clock(_ clock: ClockStatus, _ counters: EngineCounters, monotonicNanoseconds: Int)
        -> StatusReport.Clock
    {
        StatusReport.Clock(
            wallTimeMilliseconds: Clocks.realtimeNanoseconds() / 1_000_000,
            uptimeSeconds: max(0, monotonicNanoseconds - clock.startedMonotonicNanoseconds) / 1_000_000_000,
            synchronised: clock.isSynchronised, source: clock.source, unsynchronisedSeconds: clock.unsynchronisedSeconds,
            alarm: clock.alarm, stratum: clock.reading?.chrony?.stratum, reference: clock.reading?.chrony?.reference,
            offsetMicroseconds: clock.offsetNanoseconds.map { $0 / 1000 },
            maxErrorMicroseconds: clock.reading?.kernel?.maxErrorMicroseconds,
            estimatedErrorMicroseconds: clock.reading?.kernel?.estimatedErrorMicroseconds, leapStatus: clock.leapStatus,
            steps: clock.steps, lastStepMilliseconds: clock.lastStepMilliseconds, tickStalls: counters.tickStalls,
            lastTickStallMilliseconds: counters.lastTickStallMilliseconds,
            longestTickStallMilliseconds: counters.longestTickStallMilliseconds)
    }

    /// The journal's last sequence now, not as of the last sample: audit records are journalled
    /// between ticks, and while the loop is stalled no sample is taken.
    var journalLastSequenceNow: UInt64 { engine.board.withLock { $0.journal.lastSequence } }

    /// Journal events after `since`, oldest first, at most `limit`; without `since`, the newest `limit`.
    func events(since: UInt64?, limit: Int) -> EventsReport {
        let (entries, last, overwritten) = engine.board.withLock { board in
            let after = since ?? (board.journal.lastSequence > UInt64(limit) ? board.journal.lastSequence - UInt64(limit) : 0)
            return (board.journal.entries(after: after, limit: limit), board.journal.lastSequence, board.journal.overwritten)
        }
        var missed: UInt64 = 0
        if let since, let first = entries.first, first.sequence > since + 1 {
            missed = first.sequence - since - 1
        }
        return EventsReport(
            events: entries.map { builder.event(sequence: $0.sequence, $0.event, wallTimeMilliseconds: $0.wallMilliseconds) },
            lastSequence: last,
            overwritten: overwritten, missed: missed)
    }

    /// Appends the audit record of a control command to the journal; returns its sequence number.
    func recordAudit(_ audit: OperatorAudit) -> UInt64 {
        engine.board.withLock { board in
            let wallMilliseconds = Clocks.realtimeNanoseconds() / 1_000_000
            board.journalOffTick(audit.operatorEvent(tick:), wallMilliseconds: wallMilliseconds)
            board.journalOffTick(audit.event(tick:), wallMilliseconds: wallMilliseconds)
            return board.journal.lastSequence
        }
    }

    private func loopStatistics(nowNanoseconds: Int) -> StatusReport.Loop {
        if let loopReport, nowNanoseconds - loopReportNanoseconds < Self.loopRefreshNanoseconds {
            return loopReport
        }
        let statistics = loop.statistics()
        let report = StatusReport.Loop(
            ticks: statistics.ticks, overruns: statistics.overruns, missedTicks: statistics.missedTicks,
            latenessP50Nanoseconds: statistics.lateness.p50Nanoseconds,
            latenessP99Nanoseconds: statistics.lateness.p99Nanoseconds,
            latenessP999Nanoseconds: statistics.lateness.p999Nanoseconds,
            latenessMaxNanoseconds: statistics.lateness.maxNanoseconds,
            maxTickWorkNanoseconds: statistics.maxTickWorkNanoseconds)
        loopReport = report
        loopReportNanoseconds = nowNanoseconds
        return report
    }

    private static func backend(_ name: String, _ counters: FieldBackendCounters) -> StatusReport.Backend {
        StatusReport.Backend(
            backend: name, reads: counters.reads, writes: counters.writes, retries: counters.retries,
            drops: counters.drops, faults: counters.faults)
    }
}
