/// The alarm bits of a status report (docs/protocol.md, "Alarms").
public struct StatusAlarms: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32

    /// Alarms from their wire bits; unknown bits are kept.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// The safety monitor latched a fault: fault flash until a technician resets it.
    public static let safetyFault = StatusAlarms(rawValue: 1 << 0)
    /// The junction is flashing, for any reason.
    public static let flashing = StatusAlarms(rawValue: 1 << 1)
    /// At least one detector is faulty.
    public static let detectorFault = StatusAlarms(rawValue: 1 << 2)
    /// Lamp read-back could not be confirmed during the last report interval.
    public static let outputUnconfirmed = StatusAlarms(rawValue: 1 << 3)
    /// The store's disk is full; new records wait in memory and are then dropped and counted.
    public static let storeFull = StatusAlarms(rawValue: 1 << 4)
    /// The store fails or could not be opened.
    public static let storeFailing = StatusAlarms(rawValue: 1 << 5)
    /// Events were lost before reaching the store.
    public static let eventsLost = StatusAlarms(rawValue: 1 << 6)
    /// No acknowledgement from central for 30 s while records wait.
    public static let centralSilent = StatusAlarms(rawValue: 1 << 7)
    /// The clock has been unsynchronised longer than `clock_unsynchronised_alarm_s`: event and
    /// count times may be wrong.
    public static let clockUnsynchronised = StatusAlarms(rawValue: 1 << 8)

    /// Every alarm with its snake_case name, for logs and dashboards.
    public static let named: [(StatusAlarms, String)] = [
        (.safetyFault, "safety_fault"), (.flashing, "flashing"), (.detectorFault, "detector_fault"),
        (.outputUnconfirmed, "output_unconfirmed"), (.storeFull, "store_full"), (.storeFailing, "store_failing"),
        (.eventsLost, "events_lost"), (.centralSilent, "central_silent"),
        (.clockUnsynchronised, "clock_unsynchronised"),
    ]

    /// The names of the alarms set, in bit order.
    public var names: [String] { Self.named.filter { contains($0.0) }.map(\.1) }
}
