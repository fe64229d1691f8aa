/// Why the junction is flashing, as NTCIP `unitFlashStatus` distinguishes.
public enum FlashReason: UInt8, Sendable, CaseIterable {
    case startup = 1
    case manual = 2
    case automatic = 3
    case faultMonitor = 4
}

/// A request from a technician, the central system or the runtime.
///
/// Requests only ask: the controller applies them at the next safe point, and never in a
/// way that shortens a minimum, a clearance or an intergreen.
public enum ControlRequest: Sendable, Equatable {
    /// Keep the current stage green until released (manual hold).
    case hold(Bool)
    /// End the current stage as soon as every minimum allows, and move to the next stage.
    case advance
    /// Enter flash by the automatic-flash rule (`on: true`) or leave it through all-red.
    case flash(on: Bool, reason: FlashReason)
    /// A technician's choice: run the named fixed-time plan, or free operation when `nil`
    /// (actuated, with the `[adaptive]` strategy when the junction has one). It overrides the
    /// schedule until `releaseOverride`.
    case selectPlan(String?)
    /// The time-of-day schedule's choice; held back while a technician's override is in force.
    case schedule(PlanSelection)
    /// Ends a technician's override (`plan auto`): the schedule's last choice runs again, or
    /// free operation when there is no schedule.
    case releaseOverride
    /// Place a call as if the detector had been actuated (testing a loop from the cabinet).
    case forceCall(detector: Int)
    /// Clear a latched safety-monitor fault; the junction restarts through startup flash.
    case resetFault
}

/// Whether the controller took a request, and why not when it did not.
public enum RequestOutcome: Sendable, Equatable {
    case accepted
    case refused(String)
}
