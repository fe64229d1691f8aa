/// The `status` reply and the `state` stream line: what the junction is doing, why, and how well
/// the daemon keeps up. Times are in tenths of a second of controller ticks unless named otherwise.
public struct StatusReport: Codable, Sendable, Equatable {
    /// A stage by its 1-based number in the junction file and its name.
    public struct StageReference: Codable, Sendable, Equatable {
        public var number: Int
        public var name: String

        public init(number: Int, name: String) {
            self.number = number
            self.name = name
        }
    }

    /// One signal group now.
    public struct Group: Codable, Sendable, Equatable {
        public var number: Int
        public var name: String
        /// `vehicle`, `pedestrian` or `turnArrow`.
        public var kind: String
        /// The aspect (`SignalState.wireName`).
        public var state: String
        /// How long the group has shown `state`, as the server observed it (within a tick); nil
        /// until the server has seen the state begin.
        public var intervalTenths: Int?
        /// A call is present for the group.
        public var call: Bool
        /// Why its last green ended (`gap-out`, `max-out`, `force-off`, `advance`, `flash`); nil before.
        public var lastTermination: String?

        public init(
            number: Int, name: String, kind: String, state: String, intervalTenths: Int?, call: Bool,
            lastTermination: String?
        ) {
            self.number = number
            self.name = name
            self.kind = kind
            self.state = state
            self.intervalTenths = intervalTenths
            self.call = call
            self.lastTermination = lastTermination
        }
    }

    /// One detector now, with its activity over the last minute.
    public struct Detector: Codable, Sendable, Equatable {
        public var number: Int
        public var name: String
        public var occupied: Bool
        /// `ok`, `no-activity`, `max-presence`, `erratic` or `communication`.
        public var health: String
        /// Vehicles (detector-on events) in the last 60 s.
        public var recentActuations: Int
        /// Occupancy over the last 60 s, in tenths of a percent (0–1000).
        public var recentOccupancyPermille: Int

        public init(
            number: Int, name: String, occupied: Bool, health: String, recentActuations: Int,
            recentOccupancyPermille: Int
        ) {
            self.number = number
            self.name = name
            self.occupied = occupied
            self.health = health
            self.recentActuations = recentActuations
            self.recentOccupancyPermille = recentOccupancyPermille
        }
    }

    /// The latched safety-monitor fault.
    public struct Fault: Codable, Sendable, Equatable {
        public var tick: Int
        /// `SafetyViolation.Kind.wireName`.
        public var kind: String
        public var groups: [String]
        public var description: String

        public init(tick: Int, kind: String, groups: [String], description: String) {
            self.tick = tick
            self.kind = kind
            self.groups = groups
            self.description = description
        }
    }

    /// The control loop's timing, from `RealTimeLoop.Statistics` (refreshed at most once a second).
    public struct Loop: Codable, Sendable, Equatable {
        public var ticks: UInt64
        /// Ticks whose work ended after the following deadline.
        public var overruns: UInt64
        /// Deadlines skipped because of overruns.
        public var missedTicks: UInt64
        /// Wake-up lateness percentiles and maximum, in nanoseconds (upper bounds, 1 µs buckets).
        public var latenessP50Nanoseconds: Int
        public var latenessP99Nanoseconds: Int
        public var latenessP999Nanoseconds: Int
        public var latenessMaxNanoseconds: Int
        /// The longest tick's work, wake-up to end, in nanoseconds.
        public var maxTickWorkNanoseconds: Int

        public init(
            ticks: UInt64, overruns: UInt64, missedTicks: UInt64, latenessP50Nanoseconds: Int,
            latenessP99Nanoseconds: Int, latenessP999Nanoseconds: Int, latenessMaxNanoseconds: Int,
            maxTickWorkNanoseconds: Int
        ) {
            self.ticks = ticks
            self.overruns = overruns
            self.missedTicks = missedTicks
            self.latenessP50Nanoseconds = latenessP50Nanoseconds
            self.latenessP99Nanoseconds = latenessP99Nanoseconds
            self.latenessP999Nanoseconds = latenessP999Nanoseconds
            self.latenessMaxNanoseconds = latenessMaxNanoseconds
            self.maxTickWorkNanoseconds = maxTickWorkNanoseconds
        }
    }

    /// What the engine and controller counted (`EngineCounters`, dropped events, the journal).
    public struct Counters: Codable, Sendable, Equatable {
        public var unconfirmedOutputTicks: UInt64
        public var watchdogToggles: UInt64
        public var requestsDropped: UInt64
        public var reloadsApplied: UInt64
        public var reloadsRefused: UInt64
        public var reloadWaitTicks: UInt64
        /// Controller events that did not fit a tick's buffer (should stay 0).
        public var droppedEvents: Int
        /// The newest journal sequence number; `events --since` counts from here.
        public var journalLastSequence: UInt64
        /// Journal events overwritten before every reader could see them.
        public var journalOverwritten: UInt64

        public init(
            unconfirmedOutputTicks: UInt64, watchdogToggles: UInt64, requestsDropped: UInt64, reloadsApplied: UInt64,
            reloadsRefused: UInt64, reloadWaitTicks: UInt64, droppedEvents: Int, journalLastSequence: UInt64,
            journalOverwritten: UInt64
        ) {
            self.unconfirmedOutputTicks = unconfirmedOutputTicks
            self.watchdogToggles = watchdogToggles
            self.requestsDropped = requestsDropped
            self.reloadsApplied = reloadsApplied
            self.reloadsRefused = reloadsRefused
            self.reloadWaitTicks = reloadWaitTicks
            self.droppedEvents = droppedEvents
            self.journalLastSequence = journalLastSequence
            self.journalOverwritten = journalOverwritten
        }
    }

    /// One field backend's totals (`FieldBackendCounters`).
    public struct Backend: Codable, Sendable, Equatable {
        /// `simulated`, `gpio`, `modbus` or `sumo`.
        public var backend: String
        public var reads: Int
        public var writes: Int
        public var retries: Int
        public var drops: Int
        public var faults: Int

        public init(backend: String, reads: Int, writes: Int, retries: Int, drops: Int, faults: Int) {
            self.backend = backend
            self.reads = reads
            self.writes = writes
            self.retries = retries
            self.drops = drops
            self.faults = faults
        }
    }

    /// Detector inputs and signal outputs.
    public struct Field: Codable, Sendable, Equatable {
        public var detectors: Backend
        public var outputs: Backend

        public init(detectors: Backend, outputs: Backend) {
            self.detectors = detectors
            self.outputs = outputs
        }
    }

    /// A side service of the daemon (the SNMP subagent, for example): its state and its counts.
    ///
    /// One shape for every service, so a script reads them all the same way and a new service
    /// needs no new report type.
    public struct Service: Codable, Sendable, Equatable {
        /// The service's name in logs and config (`snmp`).
        public var name: String
        /// One word for where it stands (`registered`, `connecting`).
        public var state: String
        /// Counts since the daemon started, by stable key (`reconnects`, `malformed_pdus`).
        public var counters: [String: UInt64]

        /// A report as given.
        public init(name: String, state: String, counters: [String: UInt64]) {
            self.name = name
            self.state = state
            self.counters = counters
        }
    }

    /// What the time-of-day schedule selects and when it next changes, in the junction's local time.
    public struct Schedule: Codable, Sendable, Equatable {
        /// The local time the schedule last read (`2027-08-17 06:30:05`).
        public var localTime: String
        /// The day plan in force and the plan it selects (which a technician's override may hold back).
        public var dayPlan: String
        public var plan: String
        /// When that plan was selected (local time).
        public var since: String
        /// The next change and its plan; nil when none within a week.
        public var nextChange: String?
        public var nextPlan: String?
        /// Choices the controller refused since start and the latest; nil from a server that does
        /// not report them.
        public var refusals: UInt64?
        public var lastRefusal: String?

        public init(
            localTime: String, dayPlan: String, plan: String, since: String, nextChange: String?, nextPlan: String?,
            refusals: UInt64? = nil, lastRefusal: String? = nil
        ) {
            self.localTime = localTime
            self.dayPlan = dayPlan
            self.plan = plan
            self.since = since
            self.nextChange = nextChange
            self.nextPlan = nextPlan
            self.refusals = refusals
            self.lastRefusal = lastRefusal
        }
    }

    /// Timekeeping: the time of day and uptime (to match a status with events and other logs), the
    /// clock's synchronisation, its steps, and the control loop's stalls.
    public struct Clock: Codable, Sendable, Equatable {
        /// Wall-clock milliseconds since the epoch when the report was made.
        public var wallTimeMilliseconds: Int
        /// Seconds since the daemon started, on CLOCK_MONOTONIC (a clock step does not move it).
        public var uptimeSeconds: Int
        /// Every source read says the clock is synchronised.
        public var synchronised: Bool
        /// Where the verdict comes from: `chrony`, `kernel` (adjtimex alone) or `none` yet.
        public var source: String
        /// Seconds unsynchronised without a break (0 while synchronised).
        public var unsynchronisedSeconds: Int
        /// Unsynchronised longer than `clock_unsynchronised_alarm_s`.
        public var alarm: Bool
        /// chrony's stratum and reference (name or address); nil without chrony.
        public var stratum: Int?
        public var reference: String?
        /// The offset from the reference as best known (chrony's, else the kernel's), in µs.
        public var offsetMicroseconds: Int?
        /// The kernel's maximum and estimated error (adjtimex), in µs.
        public var maxErrorMicroseconds: Int?
        public var estimatedErrorMicroseconds: Int?
        /// `normal`, `insert-second`, `delete-second`, `leap-in-progress` or `not-synchronised`.
        public var leapStatus: String?
        /// Wall-clock steps seen since start, and the last one in ms (negative: back).
        public var steps: UInt64
        public var lastStepMilliseconds: Int
        /// Ticks later than `tick_stall_limit_ms` since start, the last and the longest stall in ms.
        public var tickStalls: UInt64
        public var lastTickStallMilliseconds: Int
        public var longestTickStallMilliseconds: Int

        public init(
            wallTimeMilliseconds: Int, uptimeSeconds: Int, synchronised: Bool, source: String,
            unsynchronisedSeconds: Int, alarm: Bool, stratum: Int?, reference: String?, offsetMicroseconds: Int?,
            maxErrorMicroseconds: Int?, estimatedErrorMicroseconds: Int?, leapStatus: String?, steps: UInt64,
            lastStepMilliseconds: Int, tickStalls: UInt64, lastTickStallMilliseconds: Int,
            longestTickStallMilliseconds: Int
        ) {
            self.wallTimeMilliseconds = wallTimeMilliseconds
            self.uptimeSeconds = uptimeSeconds
            self.synchronised = synchronised
            self.source = source
            self.unsynchronisedSeconds = unsynchronisedSeconds
            self.alarm = alarm
            self.stratum = stratum
            self.reference = reference
            self.offsetMicroseconds = offsetMicroseconds
            self.maxErrorMicroseconds = maxErrorMicroseconds
            self.estimatedErrorMicroseconds = estimatedErrorMicroseconds
            self.leapStatus = leapStatus
            self.steps = steps
            self.lastStepMilliseconds = lastStepMilliseconds
            self.tickStalls = tickStalls
            self.lastTickStallMilliseconds = lastTickStallMilliseconds
            self.longestTickStallMilliseconds = longestTickStallMilliseconds
        }
    }

    /// The preempt being served.
    public struct Preempt: Codable, Sendable, Equatable {
        /// The preempt's number in the junction file (its priority: lower wins).
        public var number: Int
        public var name: String
        /// `PreemptPhase.rawValue`: entry, track-clearance, dwell or exit.
        public var phase: String
        /// Time since the phase began.
        public var timeInPhaseTenths: Int

        public init(number: Int, name: String, phase: String, timeInPhaseTenths: Int) {
            self.number = number
            self.name = name
            self.phase = phase
            self.timeInPhaseTenths = timeInPhaseTenths
        }
    }

    public var junction: String
    /// The controller's tick (tenths of a second since the daemon started).
    public var tick: Int
    /// `ControllerMode.name`: startup, all-red, normal, entering-flash, flash or fault.
    public var mode: String
    /// Why the junction is (or is going into) flash, in flash modes.
    public var flashReason: String?
    /// The stage running or being entered; nil outside normal mode.
    public var stage: StageReference?
    public var inTransition: Bool
    /// Time since the stage's last group came on; nil outside normal mode.
    public var timeInStageTenths: Int?
    /// The fixed-time plan running, or nil for actuated control.
    public var plan: String?
    /// Who chose the running plan: `startup`, `schedule` or `override` (a technician's `plan NAME`).
    public var planSource: String?
    /// The running plan's NTCIP pattern number (1-based `[[plans]]` index; 0 for actuated/free).
    public var planNumber: Int?
    /// The time-of-day schedule's view; nil without a `[schedule]`.
    public var schedule: Schedule?
    public var hold: Bool
    /// A flash request in force (`manual`, `automatic`), even before flash is reached.
    public var flashRequest: String?
    /// The latched safety-monitor fault, if any.
    public var fault: Fault?
    /// Detectors whose health is not `ok`.
    public var detectorFaults: [Detector]
    public var groups: [Group]
    public var detectors: [Detector]
    public var loop: Loop
    public var counters: Counters
    public var field: Field
    public var server: ServerCounters
    /// Side services running beside the controller, in start order; empty when none runs.
    public var services: [Service] = []
    /// Timekeeping; nil from a server that does not report it.
    public var clock: Clock?
    /// The preempt being served, if any; while it enters and dwells, `stage` is its dwell stage.
    public var preempt: Preempt?
    /// During a stage change, the stage being left (`stage` is the one being entered); absent
    /// otherwise.
    public var leavingStage: StageReference? = nil
    /// During a stage change, tenths until the last intergreen into `stage` has run (0 once it has,
    /// while red+amber finishes); absent outside a stage change.
    public var intergreenRemainingTenths: Int? = nil

    public init(
        junction: String, tick: Int, mode: String, flashReason: String?, stage: StageReference?, inTransition: Bool,
        timeInStageTenths: Int?, plan: String?, planSource: String? = nil, planNumber: Int? = nil, hold: Bool, flashRequest: String?, fault: Fault?,
        detectorFaults: [Detector], groups: [Group], detectors: [Detector], loop: Loop, counters: Counters,
        field: Field, server: ServerCounters
    ) {
        self.junction = junction
        self.tick = tick
        self.mode = mode
        self.flashReason = flashReason
        self.stage = stage
        self.inTransition = inTransition
        self.timeInStageTenths = timeInStageTenths
        self.plan = plan
        self.planSource = planSource
        self.planNumber = planNumber
        self.hold = hold
        self.flashRequest = flashRequest
        self.fault = fault
        self.detectorFaults = detectorFaults
        self.groups = groups
        self.detectors = detectors
        self.loop = loop
        self.counters = counters
        self.field = field
        self.server = server
    }
}
