/// One `[[stages]]` entry: a name and the groups that run green together.
enum StageSection {
    static func read(_ reader: TableReader) -> ConfigDraft.StageEntry {
        let name = reader.readName()
        let groups = reader.names("groups", required: true, limit: ConfigSection.groups.entryLimit) ?? []
        reader.rejectUnknownKeys()
        return .init(name: name, groups: groups)
    }
}
