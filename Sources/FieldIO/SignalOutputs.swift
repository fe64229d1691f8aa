import SignalCore

/// A way of driving the junction's lamps, reading back what they show, and toggling the
/// cabinet watchdog line.
///
/// The control loop calls, once per tick and in this order: `apply` with the commanded states,
/// `readBack` for the safety monitor, and `toggleWatchdog` only while the controller is healthy.
/// The guarantees every backend gives:
/// - **Non-blocking:** none of the calls waits on I/O; a backend with slow hardware hands the
///   command to its own thread and reports the latest confirmed read-back.
/// - **No allocation in steady state:** commands are copied into the backend's own buffers and
///   read-back is written into the caller's array in place.
/// - **Faults are never hidden:** when the field cannot be confirmed in time (a lost output
///   module, a read-back older than the staleness limit), `readBack` returns false; the runtime
///   then stops toggling the watchdog line so the cabinet's monitor flashes the junction.
///   A read-back that disagrees with the command is reported as read, for the monitor to judge.
public protocol SignalOutputs: AnyObject {
    /// The number of signal groups, equal to `Junction.groups.count` of the junction served.
    var groupCount: Int { get }

    /// Commands one state per signal group for `tick` (tenths of a second).
    ///
    /// `states.count` must equal `groupCount` (a programmer error otherwise).
    func apply(_ states: [SignalState], tick: Tenths)

    /// Writes what the field actually shows, one state per group, into `states` in place.
    ///
    /// Returns true when every group's state is a fresh confirmation from the field; false when
    /// any could not be confirmed, in which case `states` holds the last known values and the
    /// caller must treat the outputs as failed.
    func readBack(into states: inout [SignalState]) -> Bool

    /// Flips the hardware watchdog line. Called once per healthy tick; when the calls stop, the
    /// line stops toggling and the cabinet's conflict monitor or flasher takes over.
    func toggleWatchdog()

    /// Totals for status: writes, read-backs, retries, dropped commands, output-fault onsets.
    var outputCounters: FieldBackendCounters { get }
}
