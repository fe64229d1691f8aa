/// One alarm of the city's list: what, where, how bad, and when it was raised and cleared (central's clock).
public struct CityAlarm: Sendable, Equatable, Codable {
    /// What is wrong. The words are the API's.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// No status report for longer than the stale limit (or never, once central has run that long).
        case offline
        /// The junction's safety monitor latched a fault: fault flash until a technician resets it.
        case monitorFault = "monitor-fault"
        /// The junction flashes (startup, manual, automatic or fault monitor: see `detail`).
        case flash
        case detectorFault = "detector-fault"
        /// Lamp read-back could not be confirmed.
        case outputUnconfirmed = "output-unconfirmed"
        /// The junction's own store is full or failing, or it lost events before storing them.
        case junctionStoreFull = "junction-store-full"
        case junctionStoreFailing = "junction-store-failing"
        case eventsLost = "events-lost"
        /// The junction hears no acknowledgement from central.
        case centralSilent = "central-silent"
        /// The junction's clock has been unsynchronised past its configured limit: its event times may be wrong.
        case clockUnsynchronised = "clock-unsynchronised"
        /// At least one configured neighbour is silent (`neighbours_stale`): the junction plans on its own loops.
        case neighbourLost = "neighbour-lost"
        /// central's own store fails (no junction): records are not acknowledged and the junctions resend them.
        case centralStore = "central-store"
    }

    /// How urgently an engineer should look; sorts the list and the overview.
    public enum Severity: String, Sendable, Codable, Comparable {
        case minor
        case major
        case critical

        private var rank: Int {
            switch self {
            case .minor: return 1
            case .major: return 2
            case .critical: return 3
            }
        }

        public static func < (left: Severity, right: Severity) -> Bool { left.rank < right.rank }
    }

    /// Unique within one run of central, in the order alarms were raised.
    public var number: UInt64
    /// nil for central's own alarms.
    public var junctionID: UInt32?
    public var junctionName: String
    public var kind: Kind
    public var severity: Severity
    /// The reason or the items concerned in words: a flash reason, a fault kind, detector names.
    public var detail: String?
    /// Unix milliseconds.
    public var raisedMilliseconds: Int64
    /// nil while the alarm stands.
    public var clearedMilliseconds: Int64?
    /// Who acknowledged the alarm and when; nil until someone does.
    public var acknowledgement: AlarmAcknowledgement?

    public init(
        number: UInt64, junctionID: UInt32?, junctionName: String, kind: Kind, severity: Severity, detail: String?,
        raisedMilliseconds: Int64
    ) {
        self.number = number
        self.junctionID = junctionID
        self.junctionName = junctionName
        self.kind = kind
        self.severity = severity
        self.detail = detail
        self.raisedMilliseconds = raisedMilliseconds
    }
}
