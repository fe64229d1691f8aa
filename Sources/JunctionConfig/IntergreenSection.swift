/// `[intergreen]`: for each leaving group, an inline table of entering groups and the least
/// time in seconds from the end of the leaving group's green to the start of the entering one's.
enum IntergreenSection {
    static func read(_ reader: TableReader?, into draft: inout ConfigDraft) {
        guard let reader else { return }
        for from in reader.keys {
            guard let row = reader.table(from) else { continue }
            let rowReader = TableReader(table: row, path: reader.path + [.key(from)], log: reader.log)
            for to in rowReader.keys {
                if let value = rowReader.seconds(to) {
                    draft.intergreens.append(.init(from: from, to: to, value: value))
                }
            }
        }
        reader.rejectUnknownKeys()
    }
}
