import Wire

/// The time bins the measures count in: a bin starts at `floor(t / length) * length`, aligned to the Unix epoch,
/// which is where DuckDB's `time_bucket(interval 'N minutes', t)` (atspm's binning) puts them for lengths that
/// divide an hour.
public struct MeasureBins: Sendable, Equatable {
    /// Bin lengths in minutes the API takes: those dividing an hour, so epoch alignment equals `time_bucket`'s.
    public static let allowedMinutes = [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60]

    public let minutes: Int
    let milliseconds: Int64

    public init(minutes: Int) {
        precondition(Self.allowedMinutes.contains(minutes), "bin of \(minutes) min")
        self.minutes = minutes
        milliseconds = Int64(minutes) * 60_000
    }

    /// The start, in Unix milliseconds, of the bin holding `time` (Unix milliseconds).
    func startMilliseconds(of time: Int64) -> Int64 {
        let remainder = time % milliseconds
        return time - (remainder < 0 ? remainder + milliseconds : remainder)
    }

    /// The start, in Unix seconds, of the bin holding `time` (Unix milliseconds): the API's `bin_start`.
    func start(of time: Int64) -> Int64 { startMilliseconds(of: time) / 1000 }
}

/// One event reduced to what the measures read, with the time as a signed number of milliseconds.
struct Stamp: Sendable, Equatable {
    var time: Int64
    var code: UInt16

    /// Sorts by time, then code: the `ORDER BY TimeStamp, EventId` atspm's window queries use.
    static func ordered(_ stamps: [Stamp]) -> [Stamp] {
        stamps.sorted { ($0.time, $0.code) < ($1.time, $1.code) }
    }
}

extension EventRecord {
    var time: Int64 { Int64(clamping: timeMilliseconds) }
}

/// A key of the per-bin, per-phase (or per-detector) tables the measures build before sorting them into rows.
struct BinKey: Hashable, Comparable {
    var binStart: Int64
    var number: Int

    static func < (a: BinKey, b: BinKey) -> Bool { (a.binStart, a.number) < (b.binStart, b.number) }
}
