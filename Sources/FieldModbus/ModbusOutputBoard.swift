import FieldIO
import SignalCore
import Synchronization
import SystemInterface

/// The lamp command handed from the control loop to the polling threads, and the read-back they
/// hand back; plus the watchdog request.
///
/// Modbus read-back lags the command by up to one exchange, while the control loop checks
/// read-back against the same tick's command. So a group counts as confirmed while its unit's
/// latest read-back, at most the staleness limit old, showed exactly the coils written for the
/// command of that exchange; `readBack` then reports the current command for it. A read-back that
/// differs from what was written is reported as read, for the safety monitor to latch. The lock
/// is held only for copies; times are CLOCK_MONOTONIC nanoseconds passed in by the caller.
final class ModbusOutputBoard: Sendable {
    /// One group's result from one exchange.
    struct GroupReadBack: Sendable, Equatable {
        var group: Int
        /// The state whose coils were written.
        var written: SignalState
        /// The state the coils read back show (steady aspects only; see `LampCoils.state(shown:)`).
        var shown: SignalState
        /// Whether every coil read back as written.
        var matched: Bool
    }

    private struct State {
        var command: [SignalState]
        var commandTick: Tenths = 0
        var flashPhaseOn = true
        /// Rises with every change of the coils the command asks for; 0 before the first command.
        var version: UInt64 = 0
        var lastTakenVersion: UInt64 = 0
        /// When each group's latest read-back was taken, nil before the first.
        var confirmedAt: [Int?]
        var matched: [Bool]
        /// The last known aspect of each group: as written when matched, else as read.
        var shown: [SignalState]
        var healthy: [Bool]
        var counters = FieldBackendCounters()
    }

    /// The unit driving each group's lamps, or nil for a group without Modbus lamps (never confirmed).
    let unitOfGroup: [Int?]
    /// Per unit, the age beyond which its read-back no longer confirms anything.
    let staleAfterNanoseconds: [Int]
    private let state: Mutex<State>
    private let wakes: [WakePipe]
    private let published = Atomic<UInt64>(0)
    private let watchdogRequested = Atomic<Bool>(false)

    /// - Parameter wakes: the wake-ups of the polling threads that drive lamps, signalled when the
    ///   command changes so new lamps go out at once rather than at the next poll.
    init(unitOfGroup: [Int?], staleAfterNanoseconds: [Int], wakes: [WakePipe]) {
        self.unitOfGroup = unitOfGroup
        self.staleAfterNanoseconds = staleAfterNanoseconds
        self.wakes = wakes
        let count = unitOfGroup.count
        state = Mutex(
            State(
                command: Array(repeating: .dark, count: count), confirmedAt: Array(repeating: nil, count: count),
                matched: Array(repeating: false, count: count), shown: Array(repeating: .dark, count: count),
                healthy: Array(repeating: true, count: count)))
    }

    /// Takes the control loop's command for `tick`. Signals the polling threads when the coils
    /// it asks for changed (a new aspect, or a flash half-second passing). Allocates nothing.
    func apply(_ states: [SignalState], tick: Tenths) {
        let changed = state.withLock { state in
            var changed = state.version == 0
            var flashing = false
            for g in 0..<state.command.count {
                if state.command[g] != states[g] {
                    state.command[g] = states[g]
                    changed = true
                }
                flashing = flashing || LampCoils.flashes(states[g])
            }
            let phase = LampCoils.flashPhaseOn(tick: tick)
            if flashing && phase != state.flashPhaseOn {
                changed = true
            }
            state.flashPhaseOn = phase
            state.commandTick = tick
            if changed {
                state.version += 1
            }
            return changed
        }
        if changed {
            published.wrappingAdd(1, ordering: .releasing)
            for wake in wakes {
                wake.wake()
            }
        }
    }

    /// A number that changes whenever the command does, cheap enough to check on every loop.
    var commandVersion: UInt64 { published.load(ordering: .acquiring) }

    /// Copies the latest command into `states` and returns its tick, or nil before the first.
    /// Commands that came and went without being taken by any thread count as dropped.
    func takeCommand(into states: inout [SignalState]) -> Tenths? {
        state.withLock { state in
            guard state.version > 0 else { return nil }
            if state.version > state.lastTakenVersion {
                state.counters.drops += Int(state.version - state.lastTakenVersion - 1)
                state.lastTakenVersion = state.version
            }
            for g in 0..<state.command.count {
                states[g] = state.command[g]
            }
            return state.commandTick
        }
    }

    /// Counts one completed write of a unit's lamp coils.
    func countWrite() {
        state.withLock { $0.counters.writes += 1 }
    }

    /// Stores one unit's read-back, taken at `readNanoseconds`.
    func publish(readNanoseconds: Int, groups: [GroupReadBack]) {
        state.withLock { state in
            for result in groups {
                state.confirmedAt[result.group] = readNanoseconds
                state.matched[result.group] = result.matched
                state.shown[result.group] = result.matched ? result.written : result.shown
            }
            state.counters.reads += 1
        }
    }

    /// Writes what the field shows into `states` and returns whether every group is confirmed at
    /// `nowNanoseconds` (see the type's description). Counts each group's fall from confirmed to
    /// unconfirmed once. Allocates nothing.
    func readBack(into states: inout [SignalState], nowNanoseconds: Int) -> Bool {
        var counters = FieldBackendCounters()
        return readBack(into: &states, nowNanoseconds: nowNanoseconds, counters: &counters)
    }

    /// `readBack(into:nowNanoseconds:)` that also copies the counters in the same lock, so the
    /// tick needs no second lock for them. Allocates nothing.
    func readBack(into states: inout [SignalState], nowNanoseconds: Int, counters: inout FieldBackendCounters) -> Bool {
        state.withLock { state in
            var allConfirmed = true
            for g in 0..<unitOfGroup.count {
                var fresh = false
                if let unit = unitOfGroup[g], let confirmedAt = state.confirmedAt[g] {
                    fresh = nowNanoseconds - confirmedAt <= staleAfterNanoseconds[unit]
                }
                states[g] = fresh && state.matched[g] ? state.command[g] : state.shown[g]
                if !fresh {
                    allConfirmed = false
                    if state.healthy[g] {
                        state.counters.faults += 1
                    }
                }
                state.healthy[g] = fresh
            }
            counters = state.counters
            return allConfirmed
        }
    }

    /// Asks for the watchdog coil to change level at the next poll of its unit.
    func requestWatchdogToggle() {
        watchdogRequested.store(true, ordering: .releasing)
    }

    /// Whether a toggle was asked for since the last call.
    func takeWatchdogToggle() -> Bool {
        watchdogRequested.exchange(false, ordering: .acquiringAndReleasing)
    }

    /// Counts one reconnect attempt of a unit driving lamps.
    func countRetry() {
        state.withLock { $0.counters.retries += 1 }
    }

    /// Totals for status.
    var counters: FieldBackendCounters {
        state.withLock { $0.counters }
    }
}
