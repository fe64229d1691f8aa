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
                    "agentx is an absolute socket path (\"/var/agentx/master\") or \"tcp:address:port\" with an IPv4 address "
                        + "or localhost")
            }
        }
        if let timeout = reader.integer("timeout_ms", in: SNMPSettings.timeoutRange, unit: "ms") {
            settings.timeoutMilliseconds = timeout
        }
        if let period = reader.integer("volume_period", in: SNMPSettings.volumePeriodRange, unit: "s") {
            settings.volumePeriodSeconds = period
        }
        reader.rejectUnknownKeys()
        draft.snmp = settings
    }
}
