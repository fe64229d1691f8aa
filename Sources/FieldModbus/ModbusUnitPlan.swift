import SignalCore
import SystemInterface

/// What the polling thread does for one unit, worked out once: which addresses to read and write in
/// which requests, the buffers they fill, and where each detector's and lamp's values sit in them.
/// Also the unit's polling schedule and health, which only its thread touches.
struct ModbusUnitPlan {
    /// A lamp's group and the positions of its coils in the coil buffers.
    struct Lamp {
        var point: ModbusWiring.LampPoint
        var coilIndices: [Int]
    }

    /// A detector's point and the positions of its values in the input buffers.
    struct Detector {
        var point: ModbusWiring.DetectorPoint
        var bitIndex: Int?
        var registerIndex: Int?
    }

    /// Index into `ModbusWiring.units`.
    let index: Int
    let unit: ModbusUnit
    let detectors: [Detector]
    let lamps: [Lamp]
    /// Position of the watchdog coil in the coil buffers.
    let watchdogIndex: Int?
    let inputRuns: [ModbusAddressRun]
    let registerRuns: [ModbusAddressRun]
    let coilRuns: [ModbusAddressRun]

    var inputBits: [UInt8]
    var registers: [UInt16]
    /// The coil levels last written, and as read back.
    var coilImage: [UInt8]
    var coilReadBack: [UInt8]
    var readings: [ModbusInputBoard.Reading]
    var groupResults: [ModbusOutputBoard.GroupReadBack]
    var watchdogLevel: UInt8 = 0

    /// When the next poll is due (CLOCK_MONOTONIC nanoseconds).
    var nextPoll = 0
    /// Start of the last exchange that succeeded.
    var lastSuccess: Int?
    /// Start of the first failure since the last success, nil while healthy.
    var failingSince: Int?
    /// Connection attempts since the last success.
    var attemptsSinceSuccess = 0
    /// Whether the stale warning for the current failure has been logged.
    var staleReported = false
    /// False until a reading follows another without a failure in between.
    var continuous = false
    /// Which lamp read-back results are worth a log line.
    var readBackLog = ReadBackLogGate()
    /// Lines about counters that jumped, about failures after a success, and about recoveries.
    var counterJumpLog = LogRateGate()
    var failureLog = LogRateGate()
    /// A failure after a success whose warning the gate held back, while the link stays down.
    var failureUnreported = false
    var recoveryLog = LogRateGate()

    /// Protocol maxima per request (Modbus application protocol v1.1b3, 6.1–6.4 and 6.11).
    static let readBitsLimit = 2000
    static let readRegistersLimit = 125
    static let writeCoilsLimit = 1968

    /// The plan for unit `index` with the detectors, lamps and watchdog it serves (any may be empty).
    init(
        index: Int, unit: ModbusUnit, detectors points: [ModbusWiring.DetectorPoint],
        lamps lampPoints: [ModbusWiring.LampPoint], watchdogCoil: Int?
    ) {
        self.index = index
        self.unit = unit
        let inputAddresses = Array(Set(points.compactMap(\.presenceInput))).sorted()
        let registerAddresses = Array(Set(points.compactMap(\.countRegister))).sorted()
        let coilAddresses = Array(Set(lampPoints.flatMap(\.coils.addresses) + (watchdogCoil.map { [$0] } ?? [])))
            .sorted()
        inputRuns = ModbusAddressRun.runs(covering: inputAddresses, limit: Self.readBitsLimit)
        registerRuns = ModbusAddressRun.runs(covering: registerAddresses, limit: Self.readRegistersLimit)
        coilRuns = ModbusAddressRun.runs(covering: coilAddresses, limit: Self.writeCoilsLimit)
        detectors = points.map { point in
            Detector(
                point: point, bitIndex: point.presenceInput.flatMap { inputAddresses.firstIndex(of: $0) },
                registerIndex: point.countRegister.flatMap { registerAddresses.firstIndex(of: $0) })
        }
        lamps = lampPoints.map { point in
            Lamp(point: point, coilIndices: point.coils.addresses.map { coilAddresses.firstIndex(of: $0)! })
        }
        watchdogIndex = watchdogCoil.flatMap { coilAddresses.firstIndex(of: $0) }
        inputBits = Array(repeating: 0, count: inputAddresses.count)
        registers = Array(repeating: 0, count: registerAddresses.count)
        coilImage = Array(repeating: 0, count: coilAddresses.count)
        coilReadBack = Array(repeating: 0, count: coilAddresses.count)
        readings = points.map { ModbusInputBoard.Reading(detector: $0.detector, presence: nil, counter: nil) }
        groupResults = lampPoints.map {
            ModbusOutputBoard.GroupReadBack(group: $0.group, written: .dark, shown: .dark, matched: false)
        }
    }

    /// Whether the unit has inputs to poll.
    var readsInputs: Bool { !detectors.isEmpty }
    /// Whether the unit has coils to drive (lamps or the watchdog).
    var drivesCoils: Bool { !coilRuns.isEmpty }

    var pollIntervalNanoseconds: Int { unit.pollIntervalMilliseconds * 1_000_000 }
    var staleAfterNanoseconds: Int { unit.staleAfterMilliseconds * 1_000_000 }

    /// Sets the coil image for `states` (indexed by group) at `tick`.
    mutating func drawLamps(_ states: [SignalState], tick: Tenths) {
        let flashOn = LampCoils.flashPhaseOn(tick: tick)
        for lamp in lamps {
            var levels: (UInt8, UInt8, UInt8) = (0, 0, 0)
            lamp.point.coils.pattern(states[lamp.point.group], flashPhaseOn: flashOn, into: &levels)
            let ordered = [levels.0, levels.1, levels.2]
            for (position, index) in lamp.coilIndices.enumerated() {
                coilImage[index] = ordered[position]
            }
        }
        if let watchdogIndex {
            coilImage[watchdogIndex] = watchdogLevel
        }
    }

    /// Compares the read-back with the image for `states` and fills `groupResults`. Returns the
    /// groups whose coils differ, for the log.
    mutating func judgeReadBack(_ states: [SignalState]) -> [String] {
        var differing: [String] = []
        for (position, lamp) in lamps.enumerated() {
            var matched = true
            var read: [UInt8] = [0, 0, 0]
            for (slot, index) in lamp.coilIndices.enumerated() {
                read[slot] = coilReadBack[index] == 0 ? 0 : 1
                matched = matched && (read[slot] == (coilImage[index] == 0 ? 0 : 1))
            }
            let state = states[lamp.point.group]
            groupResults[position] = ModbusOutputBoard.GroupReadBack(
                group: lamp.point.group, written: state,
                shown: lamp.point.coils.state(shown: (read[0], read[1], read[2])),
                matched: matched)
            if !matched {
                differing.append(lamp.point.name)
            }
        }
        return differing
    }

    /// Fills `readings` from the input buffers. Returns the detectors whose presence changed
    /// since the previous reading, for the debug log.
    mutating func takeReadings() -> [(name: String, occupied: Bool)] {
        var changes: [(name: String, occupied: Bool)] = []
        for (position, detector) in detectors.enumerated() {
            let presence = detector.bitIndex.map { inputBits[$0] != 0 }
            let counter = detector.registerIndex.map { registers[$0] }
            if let presence, presence != (readings[position].presence ?? false) {
                changes.append((detector.point.name, presence))
            }
            readings[position].presence = presence
            readings[position].counter = counter
        }
        return changes
    }
}
