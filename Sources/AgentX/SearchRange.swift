/// One search range of a Get, GetNext or GetBulk (RFC 2741 §5.2): where to look from, and the
/// OID the answer must stay below (the null OID: no bound).
public struct SearchRange: Sendable, Equatable {
    /// The first OID of the range; `start.include` says whether it may be the answer itself.
    public var start: OID
    /// Exclusive upper bound; null for none.
    public var end: OID

    /// A range from `start`, unbounded unless `end` is given.
    public init(start: OID, end: OID = .null) {
        self.start = start
        self.end = end
    }
}
