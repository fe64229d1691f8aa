/// A table while the document is read: mutable, and remembering how it was made, because TOML's
/// rules on adding to a table depend on that. Only the parser sees it; `freeze` turns it into the
/// plain `TOMLTable` callers get. Builders refer only downwards, so they form no cycles.
final class TableBuilder {
    /// How the table came to exist.
    enum Origin {
        /// Named on the way to a header's last key (`a` in `[a.b]`); a header may still define it.
        case implicit
        /// Defined by its own `[header]` or `[[header]]`.
        case header
        /// Made by a dotted key (`a.b = 1` makes `a`); no header may define it, sub-tables may.
        case dotted
    }

    /// What a key of the table holds.
    enum Slot {
        case value(TOMLValue)
        case table(TableBuilder)
        case tableArray(TableArrayBuilder)
    }

    var origin: Origin
    var position: TOMLPosition
    private(set) var keys: [String] = []
    private(set) var slots: [String: Slot] = [:]

    init(origin: Origin, position: TOMLPosition) {
        self.origin = origin
        self.position = position
    }

    subscript(key: String) -> Slot? { slots[key] }

    func add(_ key: String, _ slot: Slot) {
        keys.append(key)
        slots[key] = slot
    }

    /// The finished table. Recursion follows the key path, whose depth the parser bounds.
    func freeze() -> TOMLTable {
        var table = TOMLTable()
        for key in keys {
            switch slots[key]! {
            case .value(let value):
                table.append(key, value)
            case .table(let builder):
                table.append(key, TOMLValue(.table(builder.freeze()), at: builder.position))
            case .tableArray(let list):
                let elements = list.tables.map { TOMLValue(.table($0.freeze()), at: $0.position) }
                table.append(key, TOMLValue(.array(elements), at: list.position))
            }
        }
        return table
    }
}

/// An array of tables (`[[name]]`) while the document is read; its position is its first header.
final class TableArrayBuilder {
    let position: TOMLPosition
    var tables: [TableBuilder] = []

    init(position: TOMLPosition) {
        self.position = position
    }
}
