/// `[conflicts]`: for each group, the list of groups it may never run with.
///
/// Every conflict is written from both sides, like the rows of a conflict matrix; the validator
/// reports a pair written from one side only, which catches a row forgotten or mistyped.
enum ConflictsSection {
    static func read(_ reader: TableReader?, into draft: inout ConfigDraft) {
        guard let reader else { return }
        for group in reader.keys {
            let others = reader.names(group, limit: ConfigSection.groups.entryLimit) ?? []
            draft.conflicts.append(.init(group: group, others: others))
        }
        reader.rejectUnknownKeys()
    }
}
