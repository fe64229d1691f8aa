import SignalCore

/// A deterministic simulated junction behind both field protocols: the embedded default for
/// `junctiond --demo`, and the traffic source of tests and benches.
///
/// Each vehicle and turn-arrow group gets a stream of cars and motorcycles that pass its advance
/// loop, travel to the stop line, queue, and discharge at saturation headway while the group
/// shows green. Pedestrian groups get pedestrians who press the push button and cross on walk.
/// Detectors are driven by placement from the first group they serve.
///
/// Time is only the tick passed in: `fill(_:tick:)` moves the traffic through every tick up to
/// `tick` under the lamps last passed to `apply(_:tick:)`, so the lamps commanded at tick `t`
/// govern ticks `t + 1` onward. The same junction, demand and seed give the same traffic, and
/// the arrivals do not depend on the lamps. The lamps are perfect (read-back equals the command)
/// unless a fault is injected with `inject(_:)`. Not thread-safe: drive it from one thread.
public final class SimulatedJunction: DetectorInputs, SignalOutputs {
    /// A detector fault in force, as `inject(_:)` set it.
    private enum DetectorOverride {
        case stuckOn
        case chattering(periodTenths: Tenths)
        case silent
        case communicationLost
    }

    /// The junction simulated.
    public let junction: Junction
    /// The traffic generated.
    public let demand: SimulatedDemand
    /// The seed all arrival streams derive from.
    public let seed: UInt64

    private var approaches: [SimulatedApproach]
    /// The group whose traffic drives each detector, or nil for a detector wired to no group.
    private let detectorSources: [Int?]
    private var commanded: [SignalState]
    private var stuckReadBack: [SignalState?]
    private var readBackLost = false
    private var detectorOverrides: [DetectorOverride?]
    private var shownPresence: [Bool]
    private var pendingActuations: [UInt8]

    /// The last tick simulated, or nil before the first `fill` or `advance`.
    public private(set) var simulatedTick: Tenths?
    /// The tick of the last `apply`, or nil before the first.
    public private(set) var lastAppliedTick: Tenths?
    /// The level of the simulated watchdog output line.
    public private(set) var watchdogLevel = false
    /// How many times the watchdog line has been toggled.
    public private(set) var watchdogToggles = 0
    /// Snapshot fills, and detector-fault onsets injected.
    public private(set) var detectorCounters = FieldBackendCounters()
    /// Lamp commands, read-backs, and output-fault onsets injected.
    public private(set) var outputCounters = FieldBackendCounters()

    /// A simulator for `junction` with `demand` (default flows per group kind when nil).
    ///
    /// The demand must have one flow per group within `0...36000`, a motorcycle share within
    /// `0...1000`, positive headways with occupancies below them, and non-negative times;
    /// anything else is a programmer error and traps.
    public init(junction: Junction, seed: UInt64, demand: SimulatedDemand? = nil) {
        let demand = demand ?? SimulatedDemand(junction: junction)
        Self.check(demand, groupCount: junction.groups.count)
        self.junction = junction
        self.demand = demand
        self.seed = seed

        // One stream per group, so a change to one group's flow leaves the others' traffic as it was.
        var seeds = SplitMix64(seed: seed)
        approaches = junction.groups.indices.map { index in
            SimulatedApproach(
                kind: junction.groups[index].kind, flowPerHour: demand.flowsPerHour[index], seed: seeds.next()
            )
        }
        detectorSources = junction.detectors.map { detector in
            detector.groups.first.flatMap { junction.groups.indices.contains($0) ? $0 : nil }
        }
        commanded = junction.groups.map { $0.kind == .pedestrian ? .dontWalk : .red }
        stuckReadBack = Array(repeating: nil, count: junction.groups.count)
        detectorOverrides = Array(repeating: nil, count: junction.detectors.count)
        shownPresence = Array(repeating: false, count: junction.detectors.count)
        pendingActuations = Array(repeating: 0, count: junction.detectors.count)
    }

    // MARK: DetectorInputs

    /// `junction.detectors.count`.
    public var detectorCount: Int { junction.detectors.count }

    /// Simulates through `tick`, then reports presence and the actuations since the last fill.
    /// A tick not after the last one simulated reports the current state with no new actuations.
    public func fill(_ snapshot: inout DetectorSnapshot, tick: Tenths) {
        precondition(snapshot.count == detectorCount, "snapshot sized for another junction")
        advance(to: tick)
        for index in 0..<detectorCount {
            let lost: Bool
            if case .communicationLost = detectorOverrides[index] {
                lost = true
            } else {
                lost = false
            }
            snapshot.communicationFault[index] = lost
            snapshot.presence[index] = !lost && shownPresence[index]
            snapshot.actuations[index] = lost ? 0 : pendingActuations[index]
            pendingActuations[index] = 0
        }
        detectorCounters.reads += 1
    }

    // MARK: SignalOutputs

    /// `junction.groups.count`.
    public var groupCount: Int { junction.groups.count }

    /// Sets the lamps the traffic obeys from the next simulated tick on.
    public func apply(_ states: [SignalState], tick: Tenths) {
        precondition(states.count == groupCount, "states sized for another junction")
        for index in 0..<groupCount {
            commanded[index] = states[index]
        }
        lastAppliedTick = tick
        outputCounters.writes += 1
    }

    /// The commanded states, except where a stuck read-back was injected. Returns false, leaving
    /// `states` untouched, while `readBackLost` is injected.
    public func readBack(into states: inout [SignalState]) -> Bool {
        precondition(states.count == groupCount, "states sized for another junction")
        outputCounters.reads += 1
        if readBackLost {
            return false
        }
        for index in 0..<groupCount {
            states[index] = stuckReadBack[index] ?? commanded[index]
        }
        return true
    }

    /// Flips `watchdogLevel` and counts the toggle.
    public func toggleWatchdog() {
        watchdogLevel.toggle()
        watchdogToggles += 1
    }

    // MARK: Simulation

    /// Simulates every tick after the last one simulated up to and including `tick`; the first
    /// call simulates `tick` alone. Benches that need no snapshot call this directly.
    public func advance(to tick: Tenths) {
        guard let last = simulatedTick else {
            simulate(tick)
            return
        }
        var next = last + 1
        while next <= tick {
            simulate(next)
            next += 1
        }
    }

    /// The traffic totals of group `group` (an index into `junction.groups`).
    public func counters(group: Int) -> SimulatedGroupCounters {
        approaches[group].counters
    }

    /// The traffic totals summed over all groups.
    public var totals: SimulatedGroupCounters {
        approaches.reduce(SimulatedGroupCounters()) { $0 + $1.counters }
    }

    /// The queue at each group's stop line now, for displays (allocates; not for the tick).
    public var queueLengths: [Int] {
        approaches.map { $0.counters.queue }
    }

    /// Starts showing `fault`, replacing any earlier fault on the same group or detector, and
    /// counts one fault onset. An index out of range is a programmer error and traps.
    public func inject(_ fault: SimulatedFault) {
        switch fault {
        case .readBackStuck(let group, let state):
            precondition(stuckReadBack.indices.contains(group), "no group \(group)")
            stuckReadBack[group] = state
            outputCounters.faults += 1
        case .readBackLost:
            readBackLost = true
            outputCounters.faults += 1
        case .detectorStuckOn(let detector):
            override(detector, with: .stuckOn)
        case .detectorChattering(let detector, let periodTenths):
            precondition(periodTenths > 0, "chattering period must be positive")
            override(detector, with: .chattering(periodTenths: periodTenths))
        case .detectorSilent(let detector):
            override(detector, with: .silent)
        case .detectorCommunicationLost(let detector):
            override(detector, with: .communicationLost)
        }
    }

    /// Ends every injected fault; the lamps and detectors report the traffic again.
    public func clearFaults() {
        for index in stuckReadBack.indices {
            stuckReadBack[index] = nil
        }
        for index in detectorOverrides.indices {
            detectorOverrides[index] = nil
        }
        readBackLost = false
    }

    private func override(_ detector: Int, with fault: DetectorOverride) {
        precondition(detectorOverrides.indices.contains(detector), "no detector \(detector)")
        detectorOverrides[detector] = fault
        detectorCounters.faults += 1
    }

    private func simulate(_ tick: Tenths) {
        for index in approaches.indices {
            approaches[index].step(tick: tick, state: commanded[index], demand: demand)
        }
        for index in 0..<detectorCount {
            let traffic = detectorSources[index].map {
                approaches[$0].presence(junction.detectors[index].placement, tick: tick)
            } ?? false
            let shown: Bool
            switch detectorOverrides[index] {
            case nil: shown = traffic
            case .stuckOn: shown = true
            case .chattering(let periodTenths): shown = (tick / periodTenths) & 1 == 0
            case .silent, .communicationLost: shown = false
            }
            if shown && !shownPresence[index] && pendingActuations[index] < UInt8.max {
                pendingActuations[index] += 1
            }
            shownPresence[index] = shown
        }
        simulatedTick = tick
    }

    private static func check(_ demand: SimulatedDemand, groupCount: Int) {
        precondition(demand.flowsPerHour.count == groupCount, "demand needs one flow per group")
        precondition(demand.flowsPerHour.allSatisfy { (0...36_000).contains($0) }, "flows must be in 0...36000")
        precondition((0...1000).contains(demand.motorcyclePerMille), "motorcycle share must be in 0...1000")
        for profile in [demand.car, demand.motorcycle] {
            precondition(profile.headwayTenths > 0, "headway must be positive")
            precondition(
                profile.stopLineOccupancyTenths > 0 && profile.stopLineOccupancyTenths < profile.headwayTenths,
                "stop-line occupancy must be positive and below the headway"
            )
            precondition(profile.advanceOccupancyTenths > 0, "advance occupancy must be positive")
        }
        precondition(
            demand.startLossTenths >= 0 && demand.advanceTravelTenths >= 0 && demand.buttonPressTenths > 0,
            "start loss and travel time must not be negative, button press must be positive"
        )
    }
}
