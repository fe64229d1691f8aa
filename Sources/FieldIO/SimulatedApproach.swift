import SignalCore

/// The traffic of one signal group: arrivals, travel past the advance loop, the queue at the
/// stop line, discharge, and the loop and push-button states these produce.
///
/// Vehicles form a point queue at the stop line. The head of a stopped queue stands on the
/// stop-line loop; a departing vehicle occupies it for its occupancy time. A vehicle that moves
/// up behind a departed one reaches the loop only after the loop has been clear for a tick, so
/// every vehicle gives the stop-line loop exactly one rising edge.
struct SimulatedApproach {
    let kind: SignalGroupKind
    let flowPerHour: Int
    private var random: SplitMix64
    /// Past the advance loop, not yet at the stop line; `tick` is when each gets there.
    private var travelling = VehicleRing(capacity: 16)
    /// At the stop line (pedestrians: at the kerb); `tick` is when each joined.
    // Room for a queue of 256 (about 1.5 km of cars) from the start: a longer queue than ever
    // before makes the ring grow on the tick, and after a reload restarts the strategy the queues
    // of a demo junction can pass 64.
    private var queue = VehicleRing(capacity: 256)
    private(set) var counters = SimulatedGroupCounters()
    /// Whether the lamp let traffic go in the previous simulated tick, to find the start of green.
    private var moving = false
    private var goStartTick: Tenths = 0
    private var nextDepartureTick: Tenths = .min
    private var advanceClearTick: Tenths = .min
    private var stopLineClearTick: Tenths = .min
    private var headOnStopLine = false
    private var buttonClearTick: Tenths = .min

    init(kind: SignalGroupKind, flowPerHour: Int, seed: UInt64) {
        self.kind = kind
        self.flowPerHour = flowPerHour
        random = SplitMix64(seed: seed)
    }

    /// Moves the approach through `tick` with `state` on its lamps.
    mutating func step(tick: Tenths, state: SignalState, demand: SimulatedDemand) {
        switch kind {
        case .vehicle, .turnArrow:
            stepVehicles(tick: tick, state: state, demand: demand)
        case .pedestrian:
            stepPedestrians(tick: tick, state: state, demand: demand)
        }
        counters.queue = queue.count
        counters.approaching = travelling.count
        counters.delayTenths += queue.count
    }

    /// Whether a detector of this placement on this approach is occupied in the last simulated tick.
    /// Loops on pedestrian groups and push buttons on vehicle groups never see anyone.
    func presence(_ placement: DetectorPlacement, tick: Tenths) -> Bool {
        let isPedestrian = kind == .pedestrian
        switch placement {
        case .stopLine: return !isPedestrian && (headOnStopLine || tick < stopLineClearTick)
        case .advance: return !isPedestrian && tick < advanceClearTick
        case .pushButton: return isPedestrian && tick < buttonClearTick
        }
    }

    /// One Bernoulli trial per tick, drawn whatever the lamps show, so the arrival stream
    /// depends on the seed alone and two controllers can be compared on identical traffic.
    private mutating func arrives() -> Bool {
        random.next(below: 36_000) < UInt64(flowPerHour)
    }

    private mutating func stepVehicles(tick: Tenths, state: SignalState, demand: SimulatedDemand) {
        let go = Self.vehiclesMayGo(state)
        if go && !moving {
            goStartTick = tick
        }
        moving = go

        if arrives() {
            let isMotorcycle = random.next(below: 1000) < UInt64(demand.motorcyclePerMille)
            let profile = demand.profile(motorcycle: isMotorcycle)
            travelling.append(SimulatedVehicle(isMotorcycle: isMotorcycle, tick: tick + demand.advanceTravelTenths))
            advanceClearTick = max(advanceClearTick, tick + profile.advanceOccupancyTenths)
        }

        while let next = travelling.first, next.tick <= tick {
            travelling.removeFirst()
            queue.append(SimulatedVehicle(isMotorcycle: next.isMotorcycle, tick: tick))
            counters.arrived += 1
            if next.isMotorcycle {
                counters.motorcyclesArrived += 1
            }
        }

        if go, let head = queue.first, tick >= nextDepartureTick, tick >= goStartTick + demand.startLossTenths {
            queue.removeFirst()
            counters.departed += 1
            headOnStopLine = false
            let profile = demand.profile(motorcycle: head.isMotorcycle)
            stopLineClearTick = tick + profile.stopLineOccupancyTenths
            nextDepartureTick = tick + profile.headwayTenths
        }

        if !go && !headOnStopLine && !queue.isEmpty && tick > stopLineClearTick {
            headOnStopLine = true
        }
    }

    private mutating func stepPedestrians(tick: Tenths, state: SignalState, demand: SimulatedDemand) {
        let go = Self.pedestriansMayGo(state)
        if arrives() {
            counters.arrived += 1
            if go {
                counters.departed += 1
            } else {
                queue.append(SimulatedVehicle(isMotorcycle: false, tick: tick))
                // Someone arriving while the button is still held adds no new press.
                buttonClearTick = max(buttonClearTick, tick + demand.buttonPressTenths)
            }
        }
        if go && !queue.isEmpty {
            counters.departed += queue.count
            queue.removeAll()
        }
    }

    /// Amber and red+amber stop traffic. In flash or dark the junction runs on priority rules,
    /// and traffic keeps moving rather than queueing without end.
    private static func vehiclesMayGo(_ state: SignalState) -> Bool {
        switch state {
        case .green, .flashingAmber, .flashingRed, .dark: return true
        case .red, .redAmber, .amber, .dontWalk, .walk, .flashingDontWalk: return false
        }
    }

    /// Pedestrians start crossing on walk only (never on flashing don't walk), or at their own
    /// judgement when the heads are dark or flashing.
    private static func pedestriansMayGo(_ state: SignalState) -> Bool {
        switch state {
        case .walk, .flashingAmber, .flashingRed, .dark: return true
        case .red, .redAmber, .green, .amber, .dontWalk, .flashingDontWalk: return false
        }
    }
}
