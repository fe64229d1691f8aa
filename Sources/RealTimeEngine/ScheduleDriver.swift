import Logging
import SignalCore
import Synchronization
import SystemInterface

/// Runs the time-of-day schedule beside the control loop: once a second it reads the wall clock,
/// asks the schedule what runs now, and posts a changed choice to the engine's mailbox as
/// `ControlRequest.schedule`. The controller applies it at its next safe point, or keeps it for
/// later while a technician's override holds.
///
/// Guarantees: the tick never waits on it (it only posts, as the diagnostic socket does); it reads
/// the time of day only through the `WallClock` it was given, so a clock step, forward or back,
/// reaches the junction as one more choice at the next look and never changes a green; a choice the
/// full mailbox refused, or whose answer was lost, is posted again at the next look. A choice the
/// controller refused (a plan the running junction lacks, as in the moment between a reload's
/// take-over and `replace`) is logged, counted in the outlook, and posted again once `replace`
/// gives it the reloaded schedule.
/// It logs each choice it posts and each change of the running plan (whoever chose it) with the
/// plan's name.
public final class ScheduleDriver: Sendable {
    private struct State {
        var schedule: TimeOfDaySchedule
        /// Bumped by `replace`, so a look that read the old schedule posts nothing after it.
        var generation = 0
        /// The last choice the mailbox took.
        var posted: PlanSelection?
        /// That choice's request, until the loop reports its outcome.
        var awaiting: (ticket: RequestMailbox.RequestTicket, selection: PlanSelection)?
        /// Choices the controller refused, and the latest refusal.
        var refusals: UInt64 = 0
        var lastRefusal: String?
        /// The running plan as last seen: number, source, strategy on.
        var running: (number: Int, source: PlanSource, adaptive: Bool)?
    }

    private let clock: any WallClock
    private let engine: JunctionEngine
    private let logger: Logger
    private let state: Mutex<State>
    private let worker = Mutex<PeriodicThread?>(nil)

    public init(schedule: TimeOfDaySchedule, clock: any WallClock, engine: JunctionEngine, logger: Logger) {
        state = Mutex(State(schedule: schedule))
        self.clock = clock
        self.engine = engine
        self.logger = logger
    }

    /// The timetable the driver follows.
    public var schedule: TimeOfDaySchedule { state.withLock { $0.schedule } }

    /// Follows `schedule` from the next look on, posting its choice even when unchanged: called once
    /// a reloaded junction runs, so the choice is resolved against that junction's plans.
    public func replace(_ schedule: TimeOfDaySchedule) {
        state.withLock { state in
            state.schedule = schedule
            state.generation += 1
            state.posted = nil
            state.awaiting = nil
        }
    }

    /// Looks at the clock once: publishes the outlook, posts the schedule's choice when it differs
    /// from the last one posted, and logs a change of the running plan. Returns the outlook.
    @discardableResult
    public func poll() -> ScheduleOutlook {
        noteRefusal()
        let nanoseconds = clock.nanosecondsSinceEpoch()
        // Floor, so an instant before 1970 still falls in the right second.
        let seconds = nanoseconds >= 0 ? nanoseconds / 1_000_000_000 : (nanoseconds + 1) / 1_000_000_000 - 1
        let (schedule, generation, refusals, lastRefusal) = state.withLock {
            ($0.schedule, $0.generation, $0.refusals, $0.lastRefusal)
        }
        let now = schedule.localTime(secondsSinceEpoch: seconds)
        let outlook = ScheduleOutlook(
            localTime: now, decision: schedule.selection(at: now), refusals: refusals, lastRefusal: lastRefusal)
        engine.scheduleOutlook.withLock { $0 = outlook }
        let selection = outlook.decision.selection
        // Checked and posted under the driver's lock, so a `replace` comes wholly before or after.
        let posted = state.withLock { state in
            guard state.generation == generation, state.posted != selection,
                let ticket = engine.mailbox.post(.schedule(selection))
            else { return false }
            state.posted = selection
            state.awaiting = (ticket, selection)
            return true
        }
        if posted {
            let decision = outlook.decision
            let next = decision.next.map { "; next \($0.selection) at \($0.at)" } ?? ""
            let choice = "plan \(selection) from \(decision.since) (day plan \(decision.dayPlan))\(next)"
            logger.notice("schedule: \(choice); local time \(now), applied at the next safe point")
        }
        noteRunningPlan()
        return outlook
    }

    /// Logs and counts the refusal of the choice last posted, once the loop has answered it. A choice
    /// whose answer other requests pushed out of the mailbox is posted again at this look: selecting
    /// the plan already in force changes nothing, and one refused is then counted.
    private func noteRefusal() {
        guard let awaiting = state.withLock({ $0.awaiting }) else { return }
        let answer = engine.mailbox.answer(for: awaiting.ticket)
        guard answer != .pending else { return }
        let refusal: String? = state.withLock { state in
            // A `replace` in between made this answer moot.
            guard state.awaiting?.ticket == awaiting.ticket else { return nil }
            state.awaiting = nil
            if answer == .forgotten { state.posted = nil }
            guard case .answered(.refused(let why)) = answer else { return nil }
            state.refusals += 1
            state.lastRefusal = "plan \(awaiting.selection): \(why)"
            return why
        }
        if answer == .forgotten {
            logger.warning("schedule: the answer to plan \(awaiting.selection) was lost among other requests; posting it again")
        }
        guard let refusal else { return }
        logger.error(
            "schedule: plan \(awaiting.selection) refused (\(refusal)); the running plan continues until the schedule is reloaded")
    }

    /// Logs the running plan when it changed since the last look.
    private func noteRunningPlan() {
        let (number, name, source, adaptive) = engine.board.withLock { board in
            (board.status.planNumber, board.status.planName, board.status.planSource, board.status.adaptiveActive)
        }
        let changed = state.withLock { state in
            defer { state.running = (number, source, adaptive) }
            guard let running = state.running else { return true }
            return running.number != number || running.source != source || running.adaptive != adaptive
        }
        guard changed else { return }
        let plan = name ?? (adaptive ? "adaptive" : "actuated")
        logger.notice("plan \(plan) (pattern \(number)) runs, chosen by the \(source.rawValue)")
    }

    /// Calls `poll()` every `intervalNanoseconds` on a thread of its own until `stop()`, the first
    /// time at once.
    public func start(intervalNanoseconds: Int = 1_000_000_000) throws(SystemError) {
        precondition(worker.withLock { $0 == nil }, "a schedule driver starts once")
        let polling = try PeriodicThread(
            name: "junction-sched", intervalNanoseconds: intervalNanoseconds, firstPassAtOnce: true
        ) { [self] in poll() }
        worker.withLock { $0 = polling }
    }

    /// Ends the thread and waits for it.
    public func stop() {
        worker.withLock { $0 }?.stop()
    }
}
