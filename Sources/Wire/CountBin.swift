/// Volume and occupancy of one detector over one bin period: the one definition of a count bin, kept by the
/// junction's store, carried upstream (docs/protocol.md, type 3) and kept by central.
public struct CountBin: WireRecord {
    /// The largest bin period, in seconds: a day.
    public static let maximumPeriodSeconds: UInt32 = 86_400

    /// The junction store's count-bin number: never reused, ascending, separate from events (0 until the store
    /// assigns it).
    public var recordNumber: UInt64
    /// Start of the bin in Unix seconds, a multiple of the period.
    public var binStartSeconds: UInt64
    /// Length of the bin, in seconds (1 to a day).
    public var periodSeconds: UInt32
    /// 1-based detector number.
    public var detector: UInt16
    /// Actuations in the bin.
    public var volume: UInt32
    /// Per mille of the observed time the detector was occupied (0–1000).
    public var occupancyPermille: UInt16
    /// Seconds of the bin the controller ran (≤ the period).
    public var observedSeconds: UInt32

    public init(
        recordNumber: UInt64 = 0, binStartSeconds: UInt64, periodSeconds: UInt32, detector: UInt16, volume: UInt32,
        occupancyPermille: UInt16, observedSeconds: UInt32
    ) {
        self.recordNumber = recordNumber
        self.binStartSeconds = binStartSeconds
        self.periodSeconds = periodSeconds
        self.detector = detector
        self.volume = volume
        self.occupancyPermille = occupancyPermille
        self.observedSeconds = observedSeconds
    }

    public static var messageType: MessageType { .counts }
    public static var encodedBytes: Int { 32 }

    public func encode(into writer: inout ByteWriter) {
        writer.write(recordNumber)
        writer.write(binStartSeconds)
        writer.write(periodSeconds)
        writer.write(detector)
        writer.write(volume)
        writer.write(occupancyPermille)
        writer.write(observedSeconds)
    }

    public static func decode(from reader: inout ByteReader) throws(WireError) -> CountBin {
        let bin = CountBin(
            recordNumber: try reader.read(UInt64.self, "count.record"),
            binStartSeconds: try reader.read(UInt64.self, "count.bin_start"),
            periodSeconds: try reader.read(UInt32.self, "count.period"),
            detector: try reader.read(UInt16.self, "count.detector"),
            volume: try reader.read(UInt32.self, "count.volume"),
            occupancyPermille: try reader.read(UInt16.self, "count.occupancy"),
            observedSeconds: try reader.read(UInt32.self, "count.observed"))
        guard bin.recordNumber > 0 else { throw .malformed(field: "count.record") }
        guard (1...maximumPeriodSeconds).contains(bin.periodSeconds) else { throw .malformed(field: "count.period") }
        guard bin.binStartSeconds % UInt64(bin.periodSeconds) == 0 else { throw .malformed(field: "count.bin_start") }
        guard bin.detector >= 1 else { throw .malformed(field: "count.detector") }
        guard bin.occupancyPermille <= 1000 else { throw .malformed(field: "count.occupancy") }
        guard bin.observedSeconds <= bin.periodSeconds else { throw .malformed(field: "count.observed") }
        return bin
    }
}
