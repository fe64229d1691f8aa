/// junction-central's settings and the junctions it knows, as read from the city TOML file.
public struct CityConfig: Sendable {
    /// This central's sender id on the wire (≥ 1), so junctions tell several centrals apart.
    public var centralID: UInt32
    /// Where reports arrive and poll requests leave from.
    public var udpAddress: SocketAddress
    /// The dashboard's HTTP listener.
    public var httpHost: String
    public var httpPort: Int
    /// The SQLite file, resolved against the config file's folder when relative.
    public var databasePath: String
    /// How often received records and reports are committed (and then acknowledged), in milliseconds.
    public var commitIntervalMilliseconds: Int
    /// How often each junction is asked for events and count bins it has not yet delivered.
    public var pollIntervalMilliseconds: Int
    /// A junction not heard from for this long is shown offline and asked for its status.
    public var staleAfterMilliseconds: Int
    /// Stored status reports older than this are deleted.
    public var reportRetentionHours: Int
    /// Stored events and count bins older than this are deleted.
    public var recordRetentionDays: Int
    /// Every junction allowed to report, by id.
    public var junctions: [JunctionEntry]
    /// Roads the city map draws between junctions.
    public var roads: [MapRoad] = []
    /// When the overview calls a junction busy or congested.
    public var congestion = CongestionThresholds()

    /// Settings with the defaults and no junctions; tests and the benchmark fill in what they need.
    public init(
        centralID: UInt32 = 1, udpAddress: SocketAddress = SocketAddress("127.0.0.1:47800")!, httpHost: String = "127.0.0.1",
        httpPort: Int = 8080, databasePath: String = "central.sqlite", commitIntervalMilliseconds: Int = 250,
        pollIntervalMilliseconds: Int = 2_000,
        staleAfterMilliseconds: Int = 3_500, reportRetentionHours: Int = 24, recordRetentionDays: Int = 400,
        junctions: [JunctionEntry] = []
    ) {
        self.centralID = centralID
        self.commitIntervalMilliseconds = commitIntervalMilliseconds
        self.udpAddress = udpAddress
        self.httpHost = httpHost
        self.httpPort = httpPort
        self.databasePath = databasePath
        self.pollIntervalMilliseconds = pollIntervalMilliseconds
        self.staleAfterMilliseconds = staleAfterMilliseconds
        self.reportRetentionHours = reportRetentionHours
        self.recordRetentionDays = recordRetentionDays
        self.junctions = junctions
    }
}
