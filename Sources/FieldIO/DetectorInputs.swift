import SignalCore

/// A way of reading the junction's detectors (loops, push buttons) into the controller.
///
/// Backends that talk to slow hardware (Modbus, GPIO edge queues) poll on their own threads and
/// keep the latest complete reading; `fill` only copies that reading. The guarantees every
/// backend gives the control loop:
/// - **Non-blocking:** `fill` never waits on I/O, a lock held across I/O, or another thread.
/// - **No allocation in steady state:** it writes into the caller's snapshot in place.
/// - **No stale data:** an input whose latest reading is older than the backend's staleness
///   limit is reported with `communicationFault` set, presence false and no actuations, so the
///   controller applies the detector's failed-detector action instead of trusting old data.
/// - **Every actuation once:** rising edges seen since the previous `fill` are reported in that
///   call's `actuations` (saturating at 255) and never again.
///
/// Backends are reference types because they own threads, handles and buffers; a backend is
/// driven from one thread (the control loop) and synchronises internally with its own workers.
public protocol DetectorInputs: AnyObject {
    /// The number of detector inputs, equal to `Junction.detectors.count` of the junction served.
    var detectorCount: Int { get }

    /// Overwrites `snapshot` with the detector states for `tick` (tenths of a second).
    ///
    /// `snapshot.count` must equal `detectorCount` (a programmer error otherwise). Calls come
    /// with increasing ticks, normally one apart; a backend that simulates time catches up over
    /// skipped ticks.
    func fill(_ snapshot: inout DetectorSnapshot, tick: Tenths)

    /// Totals for status: polls, retries, dropped readings, communication-fault onsets.
    var detectorCounters: FieldBackendCounters { get }
}
