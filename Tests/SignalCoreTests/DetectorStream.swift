import SignalCore

/// The input of one detector over time: arrivals at a rate that changes every few minutes,
/// platoons, presence that is short for motorcycles and long for stopped vehicles, and faults.
struct DetectorStream {
    private let isButton: Bool
    private let baseRatePerHour: Double
    private var arrivalThreshold: UInt64 = 0
    private var nextRateChange: Tenths = 0
    private var presenceUntil: Tenths = 0
    private var wasPresent = false

    private var platoonLeft = 0
    private var platoonHeadway: Tenths = 0
    private var nextPlatoonArrival: Tenths = 0
    private let platoonThreshold: UInt64

    private let faultThreshold: UInt64
    private var fault: DetectorFault?
    private var faultUntil: Tenths = 0
    private var chatterPeriod: Tenths = 1

    /// Counts of injected faults, to show the property exercised them.
    private(set) var faultsInjected = 0

    init(isButton: Bool, random: inout SeededRandom) {
        self.isButton = isButton
        baseRatePerHour = Double(isButton ? random.int(0...150) : random.int(0...1500))
        platoonThreshold = isButton ? 0 : SeededRandom.threshold(probability: Double(random.int(0...20)) / 36_000)
        // Half the detectors never fail; the others fail from a few times a day to a few times an hour.
        let perMinute = random.chance(percent: 50) ? 0 : Double(random.int(1...50)) / 1000
        faultThreshold = SeededRandom.threshold(probability: perMinute / 600)
    }

    /// The detector's reading for `tick`.
    mutating func read(tick: Tenths, random: inout SeededRandom) -> (presence: Bool, actuations: UInt8, fault: Bool) {
        if tick >= nextRateChange { changeRate(tick: tick, random: &random) }
        if fault == nil, faultThreshold > 0, random.next() < faultThreshold {
            startFault(tick: tick, random: &random)
        }
        if let current = fault {
            if tick < faultUntil { return faulty(current, tick: tick, random: &random) }
            fault = nil
        }
        var edges: UInt8 = 0
        if random.next() < arrivalThreshold { edges += arrive(tick: tick, random: &random) }
        if platoonLeft == 0, platoonThreshold > 0, random.next() < platoonThreshold {
            platoonLeft = random.int(3...20)
            platoonHeadway = random.int(8...25)
            nextPlatoonArrival = tick
        }
        if platoonLeft > 0 && tick >= nextPlatoonArrival {
            platoonLeft -= 1
            nextPlatoonArrival = tick + platoonHeadway
            edges += arrive(tick: tick, random: &random)
        }
        let present = tick < presenceUntil
        wasPresent = present
        return (present, edges, false)
    }

    /// The walk-up of a vehicle or a pedestrian; returns 1 for a new rising edge, 0 while still occupied.
    private mutating func arrive(tick: Tenths, random: inout SeededRandom) -> UInt8 {
        let hold: Tenths
        if isButton {
            hold = random.int(1...8)
        } else {
            switch random.int(0...99) {
            case 0..<60: hold = random.int(1...5)  // motorcycles
            case 60..<95: hold = random.int(4...15)  // cars
            default: hold = random.int(30...600)  // stopped at the line
            }
        }
        let edge: UInt8 = tick < presenceUntil ? 0 : 1
        presenceUntil = max(presenceUntil, tick + hold)
        return edge
    }

    /// Every 3–15 minutes demand moves between quiet, normal and peak.
    private mutating func changeRate(tick: Tenths, random: inout SeededRandom) {
        let multiplier = [0.0, 0.0, 0.25, 0.5, 1.0, 1.0, 2.0, 3.0][random.int(0...7)]
        arrivalThreshold = SeededRandom.threshold(probability: baseRatePerHour * multiplier / 36_000)
        nextRateChange = tick + random.int(1800...9000)
    }

    private mutating func startFault(tick: Tenths, random: inout SeededRandom) {
        let kind = DetectorFault.allCases[random.int(0...(DetectorFault.allCases.count - 1))]
        fault = kind
        faultsInjected += 1
        switch kind {
        case .stuckOn: faultUntil = tick + random.int(600...54_000)
        case .chattering:
            faultUntil = tick + random.int(50...12_000)
            chatterPeriod = random.int(1...4)
        case .silent: faultUntil = tick + random.int(3000...72_000)
        case .communication: faultUntil = tick + random.int(5...6000)
        }
    }

    private mutating func faulty(_ kind: DetectorFault, tick: Tenths, random: inout SeededRandom)
        -> (presence: Bool, actuations: UInt8, fault: Bool)
    {
        let present: Bool
        var edges: UInt8 = 0
        switch kind {
        case .stuckOn:
            present = true
            if !wasPresent { edges = 1 }
        case .chattering:
            present = (tick / chatterPeriod) % 2 == 0
            // Edges faster than the tick: the backend counts several per snapshot.
            if present && !wasPresent { edges = UInt8(random.int(1...3)) }
        case .silent:
            present = false
        case .communication:
            // Garbage that must never be used: the snapshot says it is stale.
            return (random.chance(percent: 50), UInt8(random.int(0...3)), true)
        }
        presenceUntil = 0
        wasPresent = present
        return (present, edges, false)
    }
}
