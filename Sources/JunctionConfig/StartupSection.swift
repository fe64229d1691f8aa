/// `[startup]`: startup flash and the all-red after it, in seconds. Ranges are the validator's.
enum StartupSection {
    static func read(_ reader: TableReader?, into draft: inout ConfigDraft) {
        guard let reader else { return }
        if let flash = reader.seconds("flash") { draft.startup.flashTime = flash }
        if let allRed = reader.seconds("all_red") { draft.startup.allRedTime = allRed }
        reader.rejectUnknownKeys()
    }
}
