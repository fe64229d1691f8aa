import FieldIO
import SignalCore
import SystemInterface

/// Detector inputs read from Modbus detector cards and I/O modules: discrete inputs for presence,
/// input registers for actuation counters.
///
/// The polling threads of its `ModbusField` read the units at their configured rates; `fill` only
/// copies the latest complete reading (and the counters) under one short lock. A unit whose latest reading is older than
/// its `staleAfterMilliseconds` puts its detectors in communication fault (no presence, no
/// actuations), so the controller applies their failed-detector action and never uses stale data.
/// Actuations come from counter deltas (wrapping at 65536) when a detector has a counter, else from
/// presence rising edges seen between polls; each is reported once, at most 255 per tick, and the
/// excess is counted as dropped.
public final class ModbusDetectorInputs: DetectorInputs {
    /// The field whose threads feed this side; kept alive as long as the inputs are.
    public let field: ModbusField
    private let board: ModbusInputBoard
    private var counters = FieldBackendCounters()

    init(field: ModbusField, board: ModbusInputBoard) {
        self.field = field
        self.board = board
    }

    /// `Junction.detectors.count` of the junction the field was opened for.
    public var detectorCount: Int { board.unitOfDetector.count }

    /// Copies the latest readings, judged for staleness against CLOCK_MONOTONIC now. Never blocks on
    /// I/O and allocates nothing; `tick` is not needed since readings carry their own times.
    public func fill(_ snapshot: inout DetectorSnapshot, tick: Tenths) {
        precondition(snapshot.count == detectorCount, "snapshot sized for another junction")
        counters = board.fill(&snapshot, nowNanoseconds: Clocks.monotonicNanoseconds())
    }

    /// Polls completed, reconnect attempts, actuations dropped (stale, beyond 255 per tick, counted
    /// across a gap, counter resets) and detector communication-fault onsets; as of the last `fill`,
    /// which copies them in the same lock as the readings.
    public var detectorCounters: FieldBackendCounters { counters }
}
