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
        }
    }
}
