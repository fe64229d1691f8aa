/// `[upstream]`: the junction's id, key and centrals, and its store (docs/protocol.md).
enum UpstreamSection {
    static func read(_ reader: TableReader?, into draft: inout ConfigDraft) {
        guard let reader else { return }
        let id = reader.integer("junction_id", required: true)
        if let id, !(1...Int(UInt32.max)).contains(id) {
            reader.report(.outOfRange, "junction_id", "junction_id \(id) is outside 1–\(UInt32.max)")
        }
        let key = readKey(reader)
        var centrals: [UpstreamSettings.Address] = []
        if let list = reader.array("central", required: true, limit: 8) {
            for element in list {
                guard let text = element.string, let address = UpstreamSettings.Address(parsing: text) else {
                    reader.report(.invalidValue, "central", "central addresses are \"a.b.c.d:port\" or \"localhost:port\"")
                    continue
                }
                if address.port == 0 { reader.report(.invalidValue, "central", "a central's port cannot be 0") }
                if address.octets == [0, 0, 0, 0] || address.octets == [255, 255, 255, 255] {
                    reader.report(.invalidValue, "central", "central \(address) is no one central's address")
                } else if centrals.contains(address) {
                    reader.report(.invalidValue, "central", "central \(address) is listed twice")
                }
                centrals.append(address)
            }
            if list.isEmpty { reader.report(.invalidValue, "central", "at least one central address is needed") }
        }
        var settings = UpstreamSettings(junctionId: UInt32(clamping: id ?? 1), key: key ?? .hex(""), centrals: centrals)
        if let text = reader.string("listen") {
            if let address = UpstreamSettings.Address(parsing: text) {
                settings.listen = address
            } else {
                reader.report(.invalidValue, "listen", "listen is \"a.b.c.d:port\" (port 0: any free port)")
            }
        }
        if let interval = reader.seconds("report_interval") {
            if (1...600).contains(interval) {
                settings.reportIntervalTenths = interval
            } else {
                reader.report(.outOfRange, "report_interval", "report_interval must be 0.1–60 s")
            }
        }
        if let store = reader.string("store") {
            // SQLite takes "" and ":memory:" for databases that vanish with the process, and a
            // relative path for one in whatever directory junctiond started in (/ under systemd):
            // either would lose the store and the boot id kept in it at the next restart.
            if store.hasPrefix("/") && !store.hasSuffix("/") {
                settings.storePath = store
            } else {
                reader.report(
                    .invalidValue, "store",
                    "store must be an absolute path to the database file (\"\" and \":memory:\" are SQLite's temporary databases, which a restart loses)")
            }
        }
        settings.countPeriodSeconds = reader.integer("count_period", in: 1...86_400, unit: "s") ?? 900
        settings.commitIntervalMilliseconds = reader.integer("commit_interval_ms", in: 50...600_000, unit: "ms") ?? 5000
        settings.retentionDays = reader.integer("retention_days", in: 7...3650, unit: "days") ?? 30
        settings.maximumStoreMegabytes = reader.integer("max_store_mb", in: 4...1_000_000, unit: "MiB") ?? 256
        settings.burst = reader.integer("burst", in: 1...256, unit: "datagrams") ?? 16
        reader.rejectUnknownKeys()
        draft.upstream = settings
    }

    /// `key` (hexadecimal) or `key_file`, exactly one of them; `[[neighbours.junction]]` reads its pair key so too.
    static func readKey(_ reader: TableReader) -> UpstreamSettings.KeySource? {
        let hex = reader.string("key")
        let file = reader.string("key_file")
        switch (hex, file) {
        case (let hex?, nil):
            // The rule of `WireKey(hex:)`, which reads the key at start: ASCII hexadecimal digits, with
            // spaces, tabs and line breaks between them ignored (Unicode's fullwidth digits are not hex).
            // By scalar: "\r\n" is one Character, which a Character filter would keep.
            let digits = String(String.UnicodeScalarView(hex.unicodeScalars.filter { !" \t\n\r".unicodeScalars.contains($0) }))
            guard digits.count % 2 == 0, (32...128).contains(digits.count),
                digits.allSatisfy({ $0.isASCII && $0.isHexDigit })
            else {
                reader.report(.invalidValue, "key", "key must be 16–64 bytes written as hexadecimal digits")
                return nil
            }
            if let problem = KeyFile.placeholderProblem(hex: digits) {
                reader.report(.invalidValue, "key", problem)
                return nil
            }
            return .hex(digits)
        case (nil, let file?):
            guard !file.isEmpty else {
                reader.report(.invalidValue, "key_file", "key_file must name a file; it is empty")
                return nil
            }
            return .file(file)
        case (.some, .some):
            reader.report(.invalidValue, "key_file", "give key or key_file, not both")
            return nil
        case (nil, nil):
            reader.report(.missingKey, "key", "missing required key \"key\" (or \"key_file\")")
            return nil
        }
    }

}
