/// `[daemon]`: real-time favours for the control loop and the log level.
enum DaemonSection {
    static let logLevels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    static func read(_ reader: TableReader?, into draft: inout ConfigDraft) {
        guard let reader else { return }
        if let priority = reader.integer("fifo_priority") {
            if (1...99).contains(priority) {
                draft.daemon.fifoPriority = priority
            } else {
                reader.report(.outOfRange, "fifo_priority", "fifo_priority \(priority) is outside 1–99")
            }
        }
        if let slack = reader.integer("timer_slack_ns") {
            if (1...50_000).contains(slack) {
                draft.daemon.timerSlackNanoseconds = slack
            } else {
                reader.report(.outOfRange, "timer_slack_ns", "timer_slack_ns \(slack) is outside 1–50000")
            }
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
        reader.rejectUnknownKeys()
    }
}
