/// The counters a status report carries, by their position on the wire (docs/protocol.md).
///
/// New counters are only ever appended, so an older decoder still reads the ones it knows.
public enum StatusCounter: Int, Sendable, CaseIterable {
    case controllerEventsDropped
    case journalOverwritten
    case loopOverruns
    case unconfirmedOutputTicks
    case requestsDropped
    case detectorErrors
    case outputErrors
    case datagramsSent
    case sendErrors
    case datagramsAccepted
    case dropTruncated
    case dropOversized
    case dropBadMagic
    case dropUnsupportedVersion
    case dropUnknownType
    case dropLengthMismatch
    case dropUnknownJunction
    case dropBadTag
    case dropStaleBoot
    case dropDuplicate
    case dropOutsideWindow
    case dropMalformed
    case dropUnexpectedType
    case dropUnknownPeer
    case recordsResent
    case storeCommits
    case storeFull
    case storeErrors
    case eventsStored
    case countBinsStored
    case eventsDroppedBeforeStore
    case unackedRecordsRetired
    case pollsAnswered
    case dropKernelOverflow
    case replayStateSaveErrors
    // The neighbour link (`[neighbours]`), summed over the neighbours; per neighbour in `junctionctl status`.
    case neighbourProfilesSent
    case neighbourSendErrors
    case neighbourProfilesAccepted
    case neighbourDropMalformed
    case neighbourDropUnauthenticated
    case neighbourDropUnknownSender
    case neighbourDropNotForMe
    case neighbourDropReplayed
    case neighbourDropLate
    case neighbourDropSuperseded
    case neighbourDropKernelOverflow
    /// Times a neighbour fell silent past `stale_after` (the junction then runs without its forecast).
    case neighbourStaleEvents
    /// Times a silent neighbour was heard again.
    case neighbourRecoveries
    /// Neighbours whose forecast is in use now (a gauge, not a count).
    case neighboursFresh
    /// Neighbours whose forecast is not in use now: silent past `stale_after`, or never heard (a gauge).
    case neighboursStale
    // The plan (issue 16): gauges of what runs and who chose it.
    /// The running plan's pattern number, as event 131 reports it: 1-based `[[plans]]` index, 0 free.
    case planPattern
    /// Who chose it: 0 startup, 1 the time-of-day schedule, 2 a technician's override.
    case planSource
    /// Seconds from the schedule's last look to its next change; 0 without a schedule or a change within a week.
    case nextPlanChangeSeconds
    // Timekeeping (`[daemon]` clock and stall limits).
    /// Ticks later than `tick_stall_limit_ms` since start (events 207).
    case tickStalls
    /// Wall-clock steps seen since start (events 208).
    case clockSteps
    /// 1 while every clock source read says synchronised, else 0 (a gauge).
    case clockSynchronised
    /// Seconds unsynchronised without a break, 0 while synchronised (a gauge).
    case clockUnsynchronisedSeconds
    /// The clock's offset from its reference, absolute, in µs (a gauge; 0 when unknown).
    case clockOffsetMicroseconds
    /// The kernel's maximum error estimate (adjtimex), in µs (a gauge; 0 when unknown).
    case clockMaxErrorMicroseconds

    /// A short snake_case name for logs, JSON and dashboards.
    public var name: String {
        switch self {
        case .controllerEventsDropped: return "controller_events_dropped"
        case .journalOverwritten: return "journal_overwritten"
        case .loopOverruns: return "loop_overruns"
        case .unconfirmedOutputTicks: return "unconfirmed_output_ticks"
        case .requestsDropped: return "requests_dropped"
        case .detectorErrors: return "detector_errors"
        case .outputErrors: return "output_errors"
        case .datagramsSent: return "datagrams_sent"
        case .sendErrors: return "send_errors"
        case .datagramsAccepted: return "datagrams_accepted"
        case .dropTruncated: return "drop_truncated"
        case .dropOversized: return "drop_oversized"
        case .dropBadMagic: return "drop_bad_magic"
        case .dropUnsupportedVersion: return "drop_unsupported_version"
        case .dropUnknownType: return "drop_unknown_type"
        case .dropLengthMismatch: return "drop_length_mismatch"
        case .dropUnknownJunction: return "drop_unknown_junction"
        case .dropBadTag: return "drop_bad_tag"
        case .dropStaleBoot: return "drop_stale_boot"
        case .dropDuplicate: return "drop_duplicate"
        case .dropOutsideWindow: return "drop_outside_window"
        case .dropMalformed: return "drop_malformed"
        case .dropUnexpectedType: return "drop_unexpected_type"
        case .dropUnknownPeer: return "drop_unknown_peer"
        case .recordsResent: return "records_resent"
        case .storeCommits: return "store_commits"
        case .storeFull: return "store_full"
        case .storeErrors: return "store_errors"
        case .eventsStored: return "events_stored"
        case .countBinsStored: return "count_bins_stored"
        case .eventsDroppedBeforeStore: return "events_dropped_before_store"
        case .unackedRecordsRetired: return "unacked_records_retired"
        case .pollsAnswered: return "polls_answered"
        case .dropKernelOverflow: return "drop_kernel_overflow"
        case .replayStateSaveErrors: return "replay_state_save_errors"
        case .neighbourProfilesSent: return "neighbour_profiles_sent"
        case .neighbourSendErrors: return "neighbour_send_errors"
        case .neighbourProfilesAccepted: return "neighbour_profiles_accepted"
        case .neighbourDropMalformed: return "neighbour_drop_malformed"
        case .neighbourDropUnauthenticated: return "neighbour_drop_unauthenticated"
        case .neighbourDropUnknownSender: return "neighbour_drop_unknown_sender"
        case .neighbourDropNotForMe: return "neighbour_drop_not_for_me"
        case .neighbourDropReplayed: return "neighbour_drop_replayed"
        case .neighbourDropLate: return "neighbour_drop_late"
        case .neighbourDropSuperseded: return "neighbour_drop_superseded"
        case .neighbourDropKernelOverflow: return "neighbour_drop_kernel_overflow"
        case .neighbourStaleEvents: return "neighbour_stale_events"
        case .neighbourRecoveries: return "neighbour_recoveries"
        case .neighboursFresh: return "neighbours_fresh"
        case .neighboursStale: return "neighbours_stale"
        case .planPattern: return "plan_pattern"
        case .planSource: return "plan_source"
        case .nextPlanChangeSeconds: return "next_plan_change_seconds"
        case .tickStalls: return "tick_stalls"
        case .clockSteps: return "clock_steps"
        case .clockSynchronised: return "clock_synchronised"
        case .clockUnsynchronisedSeconds: return "clock_unsynchronised_seconds"
        case .clockOffsetMicroseconds: return "clock_offset_us"
        case .clockMaxErrorMicroseconds: return "clock_max_error_us"
        }
    }
}
