/// What one link's polling thread has measured since start, for status and the statistics log.
public struct ModbusLinkStatistics: Sendable, Equatable {
    /// The link, as `tcp 10.0.0.5:502` or `rtu /dev/ttyS1 19200 8E1`.
    public var link: String
    /// Requests answered in full.
    public var requests: UInt64 = 0
    /// Exchanges that failed (timeouts, refusals, bad answers), each closing the connection.
    public var failures: UInt64 = 0
    /// Connections opened after the first one.
    public var reconnects: UInt64 = 0
    /// Bytes found waiting before a request and dropped: copies of answers or trailing bytes a
    /// device (or gateway) sent beyond the answer asked for. Never used as an answer, but a sign of
    /// a misbehaving device. Counted over TCP only (a serial flush does not say how much it dropped).
    public var staleBytesDropped: UInt64 = 0
    /// Round-trip time of each request answered in full.
    public var latency = PollLatencyHistogram()

    /// Empty statistics for `link`.
    public init(link: String) {
        self.link = link
    }
}
