import SignalCore

/// The payload of a `neighbourOutflow` datagram (docs/protocol.md, type 32): one `OutflowProfile`
/// as start (Int16 tenths), bin count (UInt8, at most `OutflowProfile.maximumBins`) and each bin
/// as UInt16 hundredths of a vehicle (at most `OutflowProfile.maximumVehiclesPerBin`).
///
/// The decoder reads nothing past the payload and refuses any count, value or length outside
/// those bounds as `WireError.malformed`; the encoder clamps instead, so whatever it is given
/// fits one datagram and decodes again.
extension OutflowProfile {
    /// Bytes of a payload with `bins` bins.
    public static func payloadBytes(bins: Int) -> Int { 2 + 1 + 2 * bins }

    /// Appends the payload: start clamped to Int16, at most `maximumBins` bins, each rounded to
    /// hundredths and clamped to `0...maximumVehiclesPerBin` (not-a-number as 0).
    public func encode(into writer: inout ByteWriter) {
        let start = Int16(clamping: startTenths)
        writer.write(UInt16(bitPattern: start))
        let bins = min(vehicles.count, Self.maximumBins)
        writer.write(UInt8(bins))
        for index in 0..<bins {
            writer.write(Self.hundredths(vehicles[index]))
        }
    }

    /// Reads a whole payload.
    public static func decode(from reader: inout ByteReader) throws(WireError) -> OutflowProfile {
        let start = Int16(bitPattern: try reader.read(UInt16.self, "outflow.start"))
        let bins = Int(try reader.read(UInt8.self, "outflow.bins"))
        guard bins <= maximumBins else { throw .malformed(field: "outflow.bins: \(bins) > \(maximumBins)") }
        guard reader.remaining == 2 * bins else {
            throw .malformed(field: "outflow: \(bins) bins in \(reader.remaining) bytes")
        }
        var profile = OutflowProfile(startTenths: Tenths(start), bins: bins)
        for index in 0..<bins {
            let value = try reader.read(UInt16.self, "outflow.bin")
            guard value <= maximumHundredths else { throw .malformed(field: "outflow.bin: \(value) hundredths") }
            profile.vehicles[index] = Double(value) / 100
        }
        try reader.expectEnd("outflow")
        return profile
    }

    private static let maximumHundredths = UInt16(maximumVehiclesPerBin * 100)

    private static func hundredths(_ vehicles: Double) -> UInt16 {
        guard vehicles > 0 else { return 0 }  // also not-a-number
        return UInt16(min((vehicles * 100).rounded(), Double(maximumHundredths)))
    }
}
