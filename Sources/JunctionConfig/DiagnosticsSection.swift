/// `[diagnostics]`: the groups that may read and control through the diagnostic sockets, and the
/// cap on clients.
enum DiagnosticsSection {
    static func read(_ reader: TableReader?, into draft: inout ConfigDraft) {
        guard let reader else { return }
        for (key, keyPath) in [("read_group", \DiagnosticsSettings.readGroup), ("admin_group", \.adminGroup)] {
            guard let name = reader.string(key) else { continue }
            if isGroupName(name) {
                draft.diagnostics[keyPath: keyPath] = name
            } else {
                reader.report(
                    .invalidValue, key,
                    "\(key) \"\(name)\" is not a group name (1–32 of a–z, 0–9, _ and -, starting with a letter or _)")
            }
        }
        if let clients = reader.integer("max_clients", in: DiagnosticsSettings.maxClientsRange) {
            draft.diagnostics.maxClients = clients
        }
        reader.rejectUnknownKeys()
    }

    /// The portable group names of useradd(8): the daemon looks them up, so anything else is a typo.
    private static func isGroupName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (1...32).contains(bytes.count) else { return false }
        func allowed(_ byte: UInt8, first: Bool) -> Bool {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "_"): return true
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"): return !first
            default: return false
            }
        }
        return bytes.enumerated().allSatisfy { allowed($1, first: $0 == 0) }
    }
}
