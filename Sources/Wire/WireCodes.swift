import SignalCore

/// The pinned wire numbers of SignalCore's enums, so that reordering a Swift enum can never
/// change what goes over the network (docs/protocol.md lists the same tables).
public enum WireCodes {
    /// Aspect numbers 0–9, in `SignalState` declaration order as of protocol version 1.
    public static let aspects: [SignalState] = [
        .red, .redAmber, .green, .amber, .dontWalk, .walk, .flashingDontWalk, .flashingAmber, .flashingRed, .dark,
    ]
    /// Why a group's last green ended, 0–5.
    public static let terminations: [TerminationReason] = [.none, .gapOut, .maxOut, .forceOff, .manualAdvance, .flash]
    /// Detector health, 0–4.
    public static let health: [DetectorHealth] = [.ok, .noActivity, .maxPresence, .erratic, .communication]

    static func code<Value: Equatable>(of value: Value, in table: [Value]) -> UInt8 {
        // Every case is in its table (a unit test checks each table against CaseIterable).
        UInt8(table.firstIndex(of: value)!)
    }

    static func value<Value>(_ code: UInt8, in table: [Value], _ field: String) throws(WireError) -> Value {
        guard Int(code) < table.count else { throw .malformed(field: field) }
        return table[Int(code)]
    }
}
