import RealTimeEngine
import SignalCore
import SystemInterface

/// Judges the clock once a second, off the tick: wall-clock steps (against CLOCK_MONOTONIC) and
/// synchronisation (from a `ClockStateSource` reading), and says what to journal and log.
///
/// Pure: the caller hands in both clocks' readings and the source's, so a test drives it with a
/// `ManualWallClock`, a made-up monotonic time and a fake source. Guarantees:
/// - a step is the wall clock moving more than `stepThresholdNanoseconds` further (or less far)
///   than the monotonic clock since the last observation, however long apart the observations
///   were: a stopped process (both clocks run on) is never a step;
/// - event 209 is emitted on each change of the judged state only: parameter 0 once the clock has
///   been unsynchronised without a break for `alarmAfterSeconds` (counted from start or from the
///   loss), parameter 1 when it is synchronised again (and at the first synchronised reading).
struct ClockDiscipline {
    /// What one observation found, in order.
    enum Finding: Equatable {
        /// The wall clock stepped by this many nanoseconds (negative: back).
        case step(nanoseconds: Int)
        /// The clock lost (false) or regained (true) synchronisation; no event, a log line.
        case synchronisationChanged(synchronised: Bool)
        /// Event 209: the alarm was raised (false) or the clock is synchronised (true).
        case synchronisationEvent(synchronised: Bool)
    }

    /// Chrony and timesyncd slew at most 500 ppm (0.5 ms a second) and step only when far off;
    /// the monotonic clock is slewed alike, so one second's difference beyond this is a step.
    static let stepThresholdNanoseconds = 1_000_000_000

    let alarmAfterSeconds: Int
    private(set) var status: ClockStatus
    private var last: (wall: Int, monotonic: Int)?
    /// Monotonic time since when the clock has been unsynchronised; nil while synchronised.
    private var unsynchronisedSince: Int?
    /// The last event 209 parameter; nil before the first.
    private var reported: Bool?

    init(alarmAfterSeconds: Int, status: ClockStatus) {
        self.alarmAfterSeconds = alarmAfterSeconds
        self.status = status
        // Until a reading says otherwise the clock is not known to be synchronised: a board that
        // never synchronises raises the alarm `alarmAfterSeconds` after start.
        unsynchronisedSince = status.startedMonotonicNanoseconds
    }

    /// Takes one pair of clock readings, made together, and the source's reading (nil: not read
    /// this time), and returns what changed.
    mutating func observe(
        wallNanoseconds: Int, monotonicNanoseconds: Int, reading: ClockSynchronisationReading?
    ) -> [Finding] {
        var findings: [Finding] = []
        if let last {
            let drift = (wallNanoseconds - last.wall) - (monotonicNanoseconds - last.monotonic)
            if abs(drift) > Self.stepThresholdNanoseconds {
                status.steps += 1
                status.lastStepMilliseconds = drift / 1_000_000
                findings.append(.step(nanoseconds: drift))
            }
        }
        last = (wallNanoseconds, monotonicNanoseconds)
        guard let reading else { return findings }

        let wasSynchronised = status.reading.map(\.isSynchronised)
        status.reading = reading
        if reading.isSynchronised {
            unsynchronisedSince = nil
        } else if unsynchronisedSince == nil {
            unsynchronisedSince = monotonicNanoseconds
        }
        if let wasSynchronised, wasSynchronised != reading.isSynchronised {
            findings.append(.synchronisationChanged(synchronised: reading.isSynchronised))
        }
        status.unsynchronisedSeconds = unsynchronisedSince.map { max(0, monotonicNanoseconds - $0) / 1_000_000_000 } ?? 0
        status.alarm = unsynchronisedSince != nil && status.unsynchronisedSeconds >= alarmAfterSeconds
        let judged: Bool? = reading.isSynchronised ? true : status.alarm ? false : nil
        if let judged, judged != reported {
            reported = judged
            findings.append(.synchronisationEvent(synchronised: judged))
        }
        return findings
    }

    /// The journal event of a finding, if it has one.
    static func event(_ finding: Finding, tick: Tenths) -> ControllerEvent? {
        switch finding {
        case .step(let nanoseconds):
            // Whole seconds, rounded to the nearest, within the parameter's Int32 range.
            let seconds = (nanoseconds + (nanoseconds < 0 ? -500_000_000 : 500_000_000)) / 1_000_000_000
            return ControllerEvent(
                tick: tick, code: .clockStep, parameter: min(max(seconds, Int(Int32.min)), Int(Int32.max)))
        case .synchronisationEvent(let synchronised):
            return ControllerEvent(tick: tick, code: .clockSynchronisation, parameter: synchronised ? 1 : 0)
        case .synchronisationChanged:
            return nil
        }
    }
}
