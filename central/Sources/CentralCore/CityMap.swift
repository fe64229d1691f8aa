/// Where a junction sits on the city map, in WGS 84 degrees, as the city file gives it.
public struct MapPosition: Sendable, Equatable, Codable {
    public var latitude: Double
    public var longitude: Double

    public init(latitude: Double, longitude: Double) {
        self.latitude = latitude
        self.longitude = longitude
    }
}

/// A road the city map draws as a line through junctions, in the order given. Every id names a configured
/// junction with a position (the loader refuses any other).
public struct MapRoad: Sendable, Equatable, Codable {
    public var name: String
    public var junctions: [UInt32]

    public init(name: String, junctions: [UInt32]) {
        self.name = name
        self.junctions = junctions
    }
}
