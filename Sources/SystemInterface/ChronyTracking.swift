/// chrony's `tracking` report, parsed from `chronyc -c tracking` (one CSV line of 14 fields).
///
/// Guarantees: a line is accepted only whole (14 fields, each of its type), so a truncated or
/// foreign output is an error, never a half-read state. The parser does no I/O; `ChronyClient`
/// runs the command.
public struct ChronyTracking: Sendable, Equatable {
    /// Why a line is not a tracking report.
    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// The reference ID in hex (`C0A80101`; `7F7F0101` is the local clock).
    public var referenceID: String
    /// The reference's name or address, as chronyc prints it.
    public var reference: String
    /// NTP stratum: 1 next to a reference clock, 0 when chrony has no source.
    public var stratum: Int
    /// Seconds since the epoch of the last update from the reference (0 before the first).
    public var referenceTimeSeconds: Double
    /// chronyc's "System time" field: the offset chrony is still slewing out, in seconds.
    public var systemTimeOffsetSeconds: Double
    /// The offset measured at the last update, in seconds.
    public var lastOffsetSeconds: Double
    /// The root dispersion, in seconds: with half the root delay, the bound on the clock's error.
    public var rootDelaySeconds: Double
    public var rootDispersionSeconds: Double
    /// `Normal`, `Insert second`, `Delete second` or `Not synchronised`.
    public var leapStatus: String

    /// Parses the first line of `text`.
    public init(csv text: String) throws(ParseError) {
        let line = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 14 else {
            throw ParseError(description: "expected 14 fields, found \(fields.count)")
        }
        func number(_ index: Int, _ name: String) throws(ParseError) -> Double {
            guard let value = Double(fields[index]), value.isFinite else {
                throw ParseError(description: "\(name) \"\(fields[index])\" is not a number")
            }
            return value
        }
        guard fields[0].count <= 8, !fields[0].isEmpty, fields[0].allSatisfy({ $0.isASCII && $0.isHexDigit }) else {
            throw ParseError(description: "reference ID \"\(fields[0])\" is not hexadecimal")
        }
        guard let stratum = Int(fields[2]), (0...16).contains(stratum) else {
            throw ParseError(description: "stratum \"\(fields[2])\" is not 0–16")
        }
        guard Self.leapStatuses.contains(fields[13]) else {
            throw ParseError(description: "leap status \"\(fields[13])\" is unknown")
        }
        referenceID = fields[0]
        reference = fields[1]
        self.stratum = stratum
        referenceTimeSeconds = try number(3, "reference time")
        systemTimeOffsetSeconds = try number(4, "system time")
        lastOffsetSeconds = try number(5, "last offset")
        rootDelaySeconds = try number(10, "root delay")
        rootDispersionSeconds = try number(11, "root dispersion")
        leapStatus = fields[13]
        // Fields 6-9 and 12 (RMS offset, frequency, residual frequency, skew, update interval)
        // are checked as numbers but not kept: nothing reports them.
        for (index, name) in [(6, "RMS offset"), (7, "frequency"), (8, "residual frequency"), (9, "skew"), (12, "update interval")] {
            _ = try number(index, name)
        }
    }

    /// The leap statuses chronyc prints.
    public static let leapStatuses = ["Normal", "Insert second", "Delete second", "Not synchronised"]

    /// Whether chrony counts itself synchronised: a source selected (stratum above 0) and a leap
    /// status other than `Not synchronised`.
    public var isSynchronised: Bool {
        stratum > 0 && leapStatus != "Not synchronised"
    }

    /// The leap status as a wire word (`normal`, `insert-second`, `not-synchronised`).
    public var leapStatusWord: String {
        leapStatus.lowercased().split(separator: " ").joined(separator: "-")
    }
}
