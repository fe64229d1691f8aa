/// `[snmp]`: the NTCIP 1202 AgentX subagent (docs/snmp.md).
enum SNMPSection {
    static func read(_ reader: TableReader?, into draft: inout ConfigDraft) {
        guard let reader else { return }
        var settings = SNMPSettings()
        if let enabled = reader.bool("enabled") { settings.enabled = enabled }
        if let text = reader.string("agentx") {
            if let endpoint = SNMPSettings.Endpoint(parsing: text) {
                settings.agentX = endpoint
            } else {
                reader.report(
                    .invalidValue, "agentx",
                    "agentx is an absolute socket path (\"/var/agentx/master\") or \"tcp:host:port\"")
            }
        }
        if let timeout = reader.integer("timeout_ms") {
            let range = SNMPSettings.timeoutRange
            if range.contains(timeout) {
                settings.timeoutMilliseconds = timeout
            } else {
                reader.report(
                    .outOfRange, "timeout_ms",
                    "timeout_ms \(timeout) is outside \(range.lowerBound)–\(range.upperBound) ms")
            }
        }
        if let period = reader.integer("volume_period") {
            let range = SNMPSettings.volumePeriodRange
            if range.contains(period) {
                settings.volumePeriodSeconds = period
            } else {
                reader.report(
                    .outOfRange, "volume_period",
                    "volume_period \(period) is outside \(range.lowerBound)–\(range.upperBound) s")
            }
        }
        reader.rejectUnknownKeys()
        draft.snmp = settings
    }
}
