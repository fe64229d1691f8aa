/// An SNMP object identifier as AgentX carries it: a list of sub-identifiers, plus the `include`
/// flag that a search range's start uses to say whether the start itself may be returned.
///
/// Ordering is lexicographic over the sub-identifiers (a prefix sorts first), which is the order
/// of a MIB walk; `include` takes no part in ordering or equality.
public struct OID: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// RFC 2741 §5.1 allows at most 128 sub-identifiers.
    public static let maximumLength = 128

    /// The sub-identifiers, most significant first.
    public var subidentifiers: [UInt32]
    /// In a search range's start: true when the start OID itself may be answered (RFC 2741 §5.2).
    public var include: Bool

    /// An OID from its sub-identifiers.
    public init(_ subidentifiers: [UInt32], include: Bool = false) {
        self.subidentifiers = subidentifiers
        self.include = include
    }

    /// Parses dotted text such as `1.3.6.1.4.1.1206`, with or without a leading dot; nil when a
    /// part is not a 32-bit number or there are more than `maximumLength` parts.
    public init?(_ text: String) {
        let trimmed = text.hasPrefix(".") ? String(text.dropFirst()) : text
        if trimmed.isEmpty {
            self.init([])
            return
        }
        var parts: [UInt32] = []
        for part in trimmed.split(separator: ".", omittingEmptySubsequences: false) {
            guard let value = UInt32(part) else { return nil }
            parts.append(value)
        }
        guard parts.count <= Self.maximumLength else { return nil }
        self.init(parts)
    }

    /// The null OID: no sub-identifiers; an open-ended search range ends with it.
    public static let null = OID([])

    /// True for the null OID.
    public var isNull: Bool { subidentifiers.isEmpty }

    /// This OID with `more` sub-identifiers appended.
    public func appending(_ more: UInt32...) -> OID { OID(subidentifiers + more) }

    /// This OID with `more` sub-identifiers appended.
    public func appending(contentsOf more: [UInt32]) -> OID { OID(subidentifiers + more) }

    /// True when `self` lies in the subtree rooted at `root` (`root` itself included).
    public func isInSubtree(_ root: OID) -> Bool {
        subidentifiers.count >= root.subidentifiers.count
            && subidentifiers.starts(with: root.subidentifiers)
    }

    /// Lexicographic order of the sub-identifiers: the order of a walk.
    public static func < (left: OID, right: OID) -> Bool {
        left.subidentifiers.lexicographicallyPrecedes(right.subidentifiers)
    }

    /// Equal sub-identifiers; `include` is ignored.
    public static func == (left: OID, right: OID) -> Bool { left.subidentifiers == right.subidentifiers }

    /// Hashes the sub-identifiers only, matching `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(subidentifiers) }

    /// Dotted text without a leading dot, as `snmpwalk -On` prints it after the dot.
    public var description: String { subidentifiers.map(String.init).joined(separator: ".") }
}
