import FieldIO
import SignalCore
import Synchronization

/// The latest complete detector readings, written by the polling threads and copied into the
/// control loop's snapshot.
///
/// The lock is held only to copy values in or out, never across I/O, so the control loop waits
/// at most for another thread's copy. Times are CLOCK_MONOTONIC nanoseconds passed in by the
/// caller, which is what lets tests move the clock by hand.
final class ModbusInputBoard: Sendable {
    /// One detector's values from one poll; nil where the detector has no such input.
    struct Reading: Sendable, Equatable {
        var detector: Int
        var presence: Bool?
        var counter: UInt16?
    }

    private struct State {
        var presence: [Bool]
        /// Actuations seen since the last `fill`, not yet reported.
        var pending: [Int]
        var trackers: [ActuationTracker]
        /// Whether each detector was reported fresh by the last `fill`, to count fault onsets once.
        var healthy: [Bool]
        /// When each unit's latest reading was sampled (the start of its first request).
        var sampled: [Int?]
        var counters = FieldBackendCounters()
    }

    /// The unit serving each detector, or nil for a detector with no Modbus input (always faulted).
    let unitOfDetector: [Int?]
    /// Per unit, the age beyond which its reading is not used.
    let staleAfterNanoseconds: [Int]
    private let state: Mutex<State>

    init(unitOfDetector: [Int?], staleAfterNanoseconds: [Int]) {
        self.unitOfDetector = unitOfDetector
        self.staleAfterNanoseconds = staleAfterNanoseconds
        let count = unitOfDetector.count
        state = Mutex(
            State(
                presence: Array(repeating: false, count: count), pending: Array(repeating: 0, count: count),
                trackers: Array(repeating: ActuationTracker(), count: count),
                healthy: Array(repeating: true, count: count),
                sampled: Array(repeating: nil, count: staleAfterNanoseconds.count)))
    }

    /// Stores one unit's complete reading, sampled at `sampledNanoseconds`. `continuous` is false
    /// for the first reading after start or after a failure, which only sets counter baselines.
    /// Returns the detectors whose counter was taken to have been reset, for the caller to log.
    func publish(unit: Int, sampledNanoseconds: Int, readings: [Reading], continuous: Bool) -> [Int] {
        state.withLock { state in
            var resets: [Int] = []
            for reading in readings {
                let d = reading.detector
                let outcome = state.trackers[d].observe(
                    presence: reading.presence, counter: reading.counter, continuous: continuous)
                state.presence[d] = reading.presence ?? false
                state.pending[d] += outcome.counted
                state.counters.drops += outcome.discarded
                if outcome.counterReset {
                    state.counters.drops += 1
                    resets.append(d)
                }
            }
            state.sampled[unit] = sampledNanoseconds
            state.counters.reads += 1
            return resets
        }
    }

    /// Writes every detector's state at `nowNanoseconds` into `snapshot`: the latest reading when
    /// its unit's reading is within the staleness limit, else a communication fault with no
    /// presence and no actuations. Actuations are handed over once, at most 255 per call.
    /// Returns the counters after the fill, so the tick needs no second lock for them. Allocates nothing.
    @discardableResult
    func fill(_ snapshot: inout DetectorSnapshot, nowNanoseconds: Int) -> FieldBackendCounters {
        state.withLock { state in
            for d in 0..<unitOfDetector.count {
                var fresh = false
                if let unit = unitOfDetector[d], let sampled = state.sampled[unit] {
                    fresh = nowNanoseconds - sampled <= staleAfterNanoseconds[unit]
                }
                let pending = state.pending[d]
                state.pending[d] = 0
                if fresh {
                    let reported = min(pending, Int(UInt8.max))
                    state.counters.drops += pending - reported
                    snapshot.presence[d] = state.presence[d]
                    snapshot.actuations[d] = UInt8(reported)
                    snapshot.communicationFault[d] = false
                } else {
                    state.counters.drops += pending
                    snapshot.presence[d] = false
                    snapshot.actuations[d] = 0
                    snapshot.communicationFault[d] = true
                    if state.healthy[d] {
                        state.counters.faults += 1
                    }
                }
                state.healthy[d] = fresh
            }
            return state.counters
        }
    }

    /// Counts one reconnect attempt of a unit serving detectors.
    func countRetry() {
        state.withLock { $0.counters.retries += 1 }
    }

    /// Totals for status.
    var counters: FieldBackendCounters {
        state.withLock { $0.counters }
    }

    /// When `unit`'s latest reading was sampled, or nil before the first.
    func sampled(unit: Int) -> Int? {
        state.withLock { $0.sampled[unit] }
    }
}
