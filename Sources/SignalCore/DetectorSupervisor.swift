/// Per-detector diagnostics (NTCIP 1202): no activity, max presence, erratic counts and
/// communication faults, with the events that report a fault and its recovery.
///
/// It filters the raw snapshot: a detector in communication fault contributes no presence
/// and no actuations, because its data is stale.
struct DetectorSupervisor {
    private static let ticksPerMinute: Tenths = 600

    private let detectors: [Detector]
    private(set) var health: [DetectorHealth]
    /// Presence as last accepted (false while faulted for communication).
    private(set) var presence: [Bool]
    /// Actuations accepted this tick, including technicians' forced calls.
    private(set) var actuations: [Int]
    private var lastChange: [Tenths]
    private var presenceSince: [Tenths]
    private var minuteStart: [Tenths]
    private var minuteCount: [Int]
    private var forced: [Bool]

    init(detectors: [Detector], startTick: Tenths) {
        self.detectors = detectors
        let count = detectors.count
        health = Array(repeating: .ok, count: count)
        presence = Array(repeating: false, count: count)
        actuations = Array(repeating: 0, count: count)
        lastChange = Array(repeating: startTick, count: count)
        presenceSince = Array(repeating: startTick, count: count)
        minuteStart = Array(repeating: startTick, count: count)
        minuteCount = Array(repeating: 0, count: count)
        forced = Array(repeating: false, count: count)
    }

    /// Starts over at `startTick` as a new supervisor would, in place and without allocating.
    mutating func restart(at startTick: Tenths) {
        for d in detectors.indices {
            health[d] = .ok
            presence[d] = false
            actuations[d] = 0
            lastChange[d] = startTick
            presenceSince[d] = startTick
            minuteStart[d] = startTick
            minuteCount[d] = 0
            forced[d] = false
        }
    }

    /// A call placed by hand; it counts as one actuation on the next tick.
    mutating func force(_ detector: Int) { forced[detector] = true }

    mutating func update(tick: Tenths, snapshot: DetectorSnapshot, events: inout EventBuffer) {
        for d in detectors.indices {
            let number = d + 1
            let extra = forced[d] ? 1 : 0
            forced[d] = false
            if snapshot.communicationFault[d] {
                presence[d] = false
                actuations[d] = extra
                setHealth(d, .communication, tick: tick, events: &events)
                continue
            }
            if health[d] == .communication {
                setHealth(d, .ok, tick: tick, events: &events)
                lastChange[d] = tick
                minuteStart[d] = tick
                minuteCount[d] = 0
            }
            let now = snapshot.presence[d]
            let count = Int(snapshot.actuations[d])
            if now != presence[d] {
                events.emit(tick, now ? .detectorOn : .detectorOff, number)
                if now { presenceSince[d] = tick }
            }
            if now != presence[d] || count > 0 {
                lastChange[d] = tick
            }
            presence[d] = now
            actuations[d] = count + extra
            minuteCount[d] += count
            diagnose(d, tick: tick, events: &events)
        }
    }

    private mutating func diagnose(_ d: Int, tick: Tenths, events: inout EventBuffer) {
        let limits = detectors[d].diagnostics
        var verdict = DetectorHealth.ok
        if limits.maxPresenceMinutes > 0 && presence[d]
            && tick - presenceSince[d] >= Tenths(limits.maxPresenceMinutes) * Self.ticksPerMinute
        {
            verdict = .maxPresence
        } else if limits.noActivityMinutes > 0
            && tick - lastChange[d] >= Tenths(limits.noActivityMinutes) * Self.ticksPerMinute
        {
            verdict = .noActivity
        }
        if tick - minuteStart[d] >= Self.ticksPerMinute {
            let erratic = limits.erraticCountsPerMinute > 0 && minuteCount[d] > limits.erraticCountsPerMinute
            minuteStart[d] = tick
            minuteCount[d] = 0
            if erratic {
                verdict = .erratic
            } else if verdict == .ok && health[d] == .erratic {
                verdict = .ok
            }
        } else if verdict == .ok && health[d] == .erratic {
            // An erratic verdict stands until a whole calm minute has passed.
            verdict = .erratic
        }
        setHealth(d, verdict, tick: tick, events: &events)
    }

    private mutating func setHealth(_ d: Int, _ verdict: DetectorHealth, tick: Tenths, events: inout EventBuffer) {
        guard verdict != health[d] else { return }
        if verdict == .ok {
            events.emit(tick, .detectorRestored, d + 1)
        } else {
            events.emit(tick, verdict.eventCode, d + 1)
        }
        health[d] = verdict
    }
}
