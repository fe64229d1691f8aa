/// A TOML table: its keys in the order the source first wrote them, each with its value.
///
/// Keys are unique (the parser refuses a key written twice). Where the table was defined (its
/// header, the first dotted key that made it, or its key) is the position of the `TOMLValue`
/// holding it.
public struct TOMLTable: Sendable, Equatable {
    /// The keys, in source order.
    public private(set) var keys: [String] = []
    private var values: [String: TOMLValue] = [:]

    /// An empty table.
    public init() {}

    /// The value at `key`, or nil when the table has no such key.
    public subscript(key: String) -> TOMLValue? { values[key] }

    /// How many keys the table has.
    public var count: Int { keys.count }

    /// Adds `value` at a key the table does not have yet; the parser checks that first.
    mutating func append(_ key: String, _ value: TOMLValue) {
        precondition(values[key] == nil, "TOMLTable.append: \(key) is already present")
        keys.append(key)
        values[key] = value
    }
}

extension TOMLTable: Sequence {
    /// The keys and values in source order.
    public func makeIterator() -> some IteratorProtocol<(key: String, value: TOMLValue)> {
        keys.lazy.map { (key: $0, value: values[$0]!) }.makeIterator()
    }
}
