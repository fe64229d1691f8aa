/// Indiana / Purdue high-resolution controller event codes (as ATSPM reads them).
///
/// The parameter of phase and pedestrian events is the 1-based signal group number; of
/// detector events the 1-based detector number; of flash events the `FlashReason` raw value.
public enum EventCode: UInt16, Sendable, CaseIterable {
    case phaseOn = 0
    case phaseBeginGreen = 1
    case phaseCheck = 2
    case phaseMinComplete = 3
    case phaseGapOut = 4
    case phaseMaxOut = 5
    case phaseForceOff = 6
    case phaseGreenTermination = 7
    case phaseBeginAmber = 8
    case phaseEndAmber = 9
    case phaseBeginRedClearance = 10
    case phaseEndRedClearance = 11
    case phaseInactive = 12
    case pedBeginWalk = 21
    case pedBeginClearance = 22
    case pedBeginDontWalk = 23
    case phaseCallRegistered = 43
    case phaseCallDropped = 44
    case pedCallRegistered = 45
    case detectorOff = 81
    case detectorOn = 82
    case detectorRestored = 83
    case detectorFaultOther = 84
    case detectorFaultWatchdog = 85
    /// A preempt input turned on (parameter: preempt number).
    case preemptCallInputOn = 102
    /// A preempt input turned off (parameter: preempt number).
    case preemptCallInputOff = 104
    /// The controller began leaving normal service for a preempt (parameter: preempt number).
    case preemptEntryStarted = 105
    /// The clearances before the preempt stage began (parameter: preempt number).
    case preemptBeginTrackClearance = 106
    /// The preempt stage is served and dwells (parameter: preempt number).
    case preemptBeginDwell = 107
    /// The input held longer than the preempt's maximum presence and is ignored (parameter: preempt number).
    case preemptMaxPresenceExceeded = 110
    /// The preempt ended and the controller returns to normal service (parameter: preempt number).
    case preemptBeginExitInterval = 111
    case patternChange = 131
    case flashStatus = 173
    case alarmStatus = 174
    case manualControl = 200
    /// Vendor range: the adaptive strategy held a green past the actuated gap-out (parameter: group).
    case adaptiveGreenExtended = 201
    /// Vendor range: the adaptive strategy ended a green the actuated rule would have kept (group).
    case adaptiveGreenCut = 202
    /// Vendor range: the cycle-by-cycle strategy raised a group's max green (group).
    case adaptiveMaxGreenRaised = 203
    /// Vendor range: the cycle-by-cycle strategy lowered a group's max green (group).
    case adaptiveMaxGreenLowered = 204
    /// Vendor range: a group waited its `max_wait` on red, so the stage serving it was taken next
    /// over the strategy's choice (parameter: group).
    case maxWaitService = 205
    /// Vendor range: the junction left flash for normal service (parameter: the `FlashReason` of
    /// the flash that ended).
    case flashEnded = 206
    /// Vendor range: a tick ran later than the configured stall bound (parameter: the measured
    /// stall in milliseconds, capped at `Int32.max`).
    case tickStall = 207
    /// Vendor range: the wall clock stepped (parameter: the step in whole seconds, negative for a
    /// step back, capped at `Int32` range).
    case clockStep = 208
    /// Vendor range: the clock's synchronisation changed (parameter: 1 synchronised, 0 not
    /// synchronised beyond the configured limit).
    case clockSynchronisation = 209
    /// Vendor range: a technician's plan override began (parameter: the plan number, 1-based) or
    /// was released to the schedule (parameter 0).
    case scheduleOverride = 210
    /// Vendor range: a control command from the diagnostic socket, written just before the
    /// `manualControl` record of what was asked (parameter: the peer's uid; the wire carries it
    /// capped at 65,535, docs/protocol.md).
    case operatorCommand = 211
}

/// One entry of the high-resolution event log.
public struct ControllerEvent: Sendable, Equatable {
    public var tick: Tenths
    public var code: EventCode
    public var parameter: Int

    public init(tick: Tenths, code: EventCode, parameter: Int) {
        self.tick = tick
        self.code = code
        self.parameter = parameter
    }
}
