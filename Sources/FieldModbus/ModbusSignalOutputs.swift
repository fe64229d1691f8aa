import FieldIO
import SignalCore
import SystemInterface

/// Lamp outputs on Modbus I/O modules: one coil per lamp, written by the polling threads of its
/// `ModbusField` and read back after every write; plus an optional watchdog coil.
///
/// `apply` copies the command and wakes the threads that drive lamps, so a new aspect goes out
/// within one exchange instead of waiting for the next poll; it never blocks. Every poll rewrites
/// the coils (restoring them if a module restarted) and reads them back.
///
/// `readBack` and the lag of a remote output: the control loop compares the read-back with the
/// command of the same tick, while a Modbus read-back is at least one exchange behind. So a group
/// counts as confirmed while its unit's latest read-back, at most `staleAfterMilliseconds` old,
/// showed exactly the coils written for its command; the current command is then reported for it.
/// A read-back unlike what was written is reported as read (the monitor latches the mismatch), and
/// a read-back older than the limit makes `readBack` return false with the last known states.
///
/// `toggleWatchdog` flips the watchdog coil at the next poll of its unit (one flip per poll while
/// the calls keep coming); without a watchdog coil it does nothing.
public final class ModbusSignalOutputs: SignalOutputs {
    /// The field whose threads drive this side; kept alive as long as the outputs are.
    public let field: ModbusField
    private let board: ModbusOutputBoard
    private var counters = FieldBackendCounters()

    init(field: ModbusField, board: ModbusOutputBoard) {
        self.field = field
        self.board = board
    }

    /// `Junction.groups.count` of the junction the field was opened for.
    public var groupCount: Int { board.unitOfGroup.count }

    /// Hands the command to the polling threads. Allocates nothing.
    public func apply(_ states: [SignalState], tick: Tenths) {
        precondition(states.count == groupCount, "states sized for another junction")
        board.apply(states, tick: tick)
    }

    /// See the type's description. Allocates nothing.
    public func readBack(into states: inout [SignalState]) -> Bool {
        precondition(states.count == groupCount, "states sized for another junction")
        return board.readBack(into: &states, nowNanoseconds: Clocks.monotonicNanoseconds(), counters: &counters)
    }

    /// Asks for the watchdog coil to change level at its unit's next poll.
    public func toggleWatchdog() {
        board.requestWatchdogToggle()
    }

    /// Command exchanges written, read-backs completed, reconnect attempts, commands superseded
    /// before any thread took them, and group confirmation losses; as of the last `readBack`, which
    /// copies them in the same lock as the read-back.
    public var outputCounters: FieldBackendCounters { counters }
}
