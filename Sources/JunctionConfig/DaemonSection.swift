/// `[daemon]`: real-time favours for the control loop, the log level, and the tick-stall and
/// clock-synchronisation alarm limits.
enum DaemonSection {
    static let logLevels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    static func read(_ reader: TableReader?, into draft: inout ConfigDraft) {
        guard let reader else { return }
        if let priority = reader.integer("fifo_priority", in: 1...99) {
            draft.daemon.fifoPriority = priority
        }
        if let slack = reader.integer("timer_slack_ns", in: 1...50_000) {
            draft.daemon.timerSlackNanoseconds = slack
        }
        draft.daemon.lockMemory = reader.bool("lock_memory") ?? false
        draft.daemon.holdCPUDMALatencyZero = reader.bool("cpu_dma_latency_zero") ?? false
        if let level = reader.string("log_level") {
            if logLevels.contains(level) {
                draft.daemon.logLevel = level
            } else {
                reader.report(.outOfRange, "log_level", "log_level \"\(level)\" is not one of \(logLevels.joined(separator: ", "))")
            }
        }
        if let limit = reader.integer("tick_stall_limit_ms", in: 200...60_000, unit: "ms") {
            draft.daemon.tickStallLimitMilliseconds = limit
        }
        if let limit = reader.integer("clock_unsynchronised_alarm_s", in: 10...604_800, unit: "s") {
            draft.daemon.clockUnsynchronisedAlarmSeconds = limit
        }
        reader.rejectUnknownKeys()
    }
}
