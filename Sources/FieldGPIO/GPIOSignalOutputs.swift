import FieldIO
import SignalCore

/// Lamp outputs and the cabinet watchdog on GPIO lines, through libgpiod (1.6 or 2.x).
///
/// Each group's head has one output line per lamp (red, amber, green; don't walk, walk), per the
/// wiring. The lamp lines of one chip are one request, so `apply` switches them all in one call:
/// a head never shows a dark or doubly lit moment between its old and new lamps. GPIO writes and
/// reads are single ioctls on memory-mapped controllers, so `apply`, `readBack` and
/// `toggleWatchdog` run on the control tick itself, with no thread and no queue (lamps wired
/// through a slow I2C expander would not suit this backend).
///
/// - Flash: flashing aspects are driven from the tick (`LampPattern.isFlashOn`), 1 Hz at 50%
///   duty; every tick writes every line, so a flashing lamp needs nothing between ticks.
/// - Read-back: `readBack` reads the lines' levels and decodes them per head
///   (`LampPattern.shown`). A head whose lamps differ from the command is reported as the aspect
///   its lamps show, never as the command, and the safety monitor judges it. With open-drain
///   drive a line released high reads what the load and pull make of it, so a shorted driver is
///   seen. A failed write or read makes `readBack` return false (outputs unconfirmed).
/// - Watchdog: its own push-pull line, flipped by each `toggleWatchdog`.
///
/// After `init` nothing allocates; all buffers are sized once.
public final class GPIOSignalOutputs: SignalOutputs {
    /// Where one lamp's value sits: which request, which position in it.
    private struct Slot {
        var lamp: GPIOLamp
        var request: Int
        var position: Int
    }

    /// The number of signal groups wired.
    public let groupCount: Int
    private let kinds: [SignalGroupKind]
    private let requests: [LibGPIOD.OutputRequest]
    private let written: [UnsafeMutableBufferPointer<CInt>]
    private let read: [UnsafeMutableBufferPointer<CInt>]
    private let slots: [[Slot]]
    private let watchdog: LibGPIOD.OutputRequest
    private let watchdogLevel: UnsafeMutableBufferPointer<CInt>
    private var commanded: [SignalState]
    private var flashOn = true
    private var writeFailed = false
    private var confirmed = true
    private var watchdogFailed = false
    private var counters = FieldBackendCounters()

    /// Opens every lamp line and the watchdog line of `wiring`, all off.
    ///
    /// Throws when the wiring misses a group or a lamp of a group's head, when a chip or line
    /// does not exist on this machine, when two entries are the same line, or when the kernel
    /// refuses a line; the message names the chip, the line and the lamp.
    public init(junction: Junction, wiring: GPIOOutputWiring) throws(GPIOError) {
        groupCount = junction.groups.count
        kinds = junction.groups.map(\.kind)
        commanded = Array(repeating: .dark, count: groupCount)
        let entries = try Self.entryPerGroup(wiring.lamps, groups: junction.groups)

        var resolver = GPIOLineResolver(catalog: LibGPIOD.SystemCatalog())
        var chipOrder: [String] = []
        var offsets: [String: [Int]] = [:]
        var purposes: [String: [String]] = [:]
        var pending: [[(lamp: GPIOLamp, chip: String, position: Int)]] = []
        for (group, entry) in entries.enumerated() {
            var heads: [(lamp: GPIOLamp, chip: String, position: Int)] = []
            for lamp in GPIOLamp.lamps(of: junction.groups[group].kind) {
                guard let address = entry.lines[lamp] else { continue }
                let purpose = "lamp \(junction.groups[group].name) \(lamp)"
                let location = try resolver.resolve(address, for: purpose)
                if offsets[location.chipName] == nil { chipOrder.append(location.chipName) }
                heads.append((lamp, location.chipName, offsets[location.chipName, default: []].count))
                offsets[location.chipName, default: []].append(location.offset)
                purposes[location.chipName, default: []].append(purpose)
            }
            pending.append(heads)
        }
        let watchdogLocation = try resolver.resolve(wiring.watchdog, for: "watchdog")

        let flags = LibGPIOD.requestFlags(activeLow: wiring.activeLow, bias: wiring.bias, drive: wiring.drive)
        var chips = LibGPIOD.ChipSet()
        var requests: [LibGPIOD.OutputRequest] = []
        for name in chipOrder {
            let chipPurposes = purposes[name] ?? []
            let chip = try chips.open(name, purpose: chipPurposes.first ?? "lamps")
            let chipOffsets = offsets[name] ?? []
            requests.append(
                try LibGPIOD.OutputRequest(
                    chip: chip, offsets: chipOffsets, purposes: chipPurposes, flags: flags,
                    initialValues: Array(repeating: 0, count: chipOffsets.count)))
        }
        let watchdogChip = try chips.open(watchdogLocation.chipName, purpose: "watchdog")
        watchdog = try LibGPIOD.OutputRequest(
            chip: watchdogChip, offsets: [watchdogLocation.offset], purposes: ["watchdog"],
            flags: LibGPIOD.requestFlags(activeLow: false, bias: .asIs), initialValues: [0])

        self.requests = requests
        written = requests.map { Self.buffer(count: $0.locations.count) }
        read = requests.map { Self.buffer(count: $0.locations.count) }
        watchdogLevel = Self.buffer(count: 1)
        slots = pending.map { heads in
            heads.map { Slot(lamp: $0.lamp, request: chipOrder.firstIndex(of: $0.chip) ?? 0, position: $0.position) }
        }
    }

    deinit {
        for buffer in written + read + [watchdogLevel] {
            buffer.deallocate()
        }
    }

    /// Writes every lamp line for `states` at `tick`: one bulk write per chip, flash phase from the tick.
    public func apply(_ states: [SignalState], tick: Tenths) {
        precondition(states.count == groupCount, "one state per signal group")
        flashOn = LampPattern.isFlashOn(tick: tick)
        for group in 0..<groupCount {
            commanded[group] = states[group]
            let lit = LampPattern.lamps(for: states[group], kind: kinds[group], flashOn: flashOn)
            for slot in slots[group] {
                written[slot.request][slot.position] = lit.contains(slot.lamp) ? 1 : 0
            }
        }
        writeFailed = false
        for index in requests.indices {
            if requests[index].set(UnsafeBufferPointer(written[index])) == 0 {
                counters.writes += 1
            } else {
                writeFailed = true
            }
        }
    }

    /// Reads every lamp line and decodes each head; false when a write or a read failed.
    public func readBack(into states: inout [SignalState]) -> Bool {
        precondition(states.count == groupCount, "one state per signal group")
        var ok = !writeFailed
        for index in requests.indices where requests[index].get(into: read[index]) != 0 {
            ok = false
        }
        if ok {
            for group in 0..<groupCount {
                var lit = LampSet()
                for slot in slots[group] where read[slot.request][slot.position] != 0 {
                    lit.insert(LampSet(slot.lamp))
                }
                states[group] = LampPattern.shown(
                    lit: lit, commanded: commanded[group], kind: kinds[group], flashOn: flashOn)
            }
            counters.reads += 1
        } else if confirmed {
            counters.faults += 1
        }
        confirmed = ok
        return ok
    }

    /// Flips the watchdog line (a failed write is counted as a fault onset).
    public func toggleWatchdog() {
        watchdogLevel[0] ^= 1
        let failed = watchdog.set(UnsafeBufferPointer(watchdogLevel)) != 0
        if failed && !watchdogFailed {
            counters.faults += 1
        }
        watchdogFailed = failed
    }

    /// Writes are lamp requests written (one per chip per tick); reads are complete read-backs;
    /// faults are onsets of unconfirmed outputs or of a failing watchdog line.
    public var outputCounters: FieldBackendCounters { counters }

    private static func buffer(count: Int) -> UnsafeMutableBufferPointer<CInt> {
        let buffer = UnsafeMutableBufferPointer<CInt>.allocate(capacity: count)
        buffer.initialize(repeating: 0)
        return buffer
    }

    /// The wiring entries ordered by group, one per group, each with exactly its head's lamps.
    private static func entryPerGroup(_ entries: [GPIOLampWiring], groups: [SignalGroup]) throws(GPIOError)
        -> [GPIOLampWiring]
    {
        var byGroup: [GPIOLampWiring?] = Array(repeating: nil, count: groups.count)
        for entry in entries {
            guard groups.indices.contains(entry.group) else {
                throw .wiringIncomplete("group index \(entry.group) is not a group of the junction")
            }
            guard byGroup[entry.group] == nil else {
                throw .wiringIncomplete("group \(groups[entry.group].name) is wired twice")
            }
            byGroup[entry.group] = entry
        }
        var ordered: [GPIOLampWiring] = []
        for (index, entry) in byGroup.enumerated() {
            let group = groups[index]
            guard let entry else { throw .wiringIncomplete("group \(group.name) has no lamp lines") }
            let expected = GPIOLamp.lamps(of: group.kind)
            for lamp in expected where entry.lines[lamp] == nil {
                throw .wiringIncomplete("group \(group.name) has no \(lamp) line")
            }
            for lamp in entry.lines.keys where !expected.contains(lamp) {
                throw .wiringIncomplete("group \(group.name) (\(group.kind.rawValue)) has no \(lamp) lamp")
            }
            ordered.append(entry)
        }
        return ordered
    }
}
