import Wire

/// One junction the city knows: its id, the key its reports are authenticated with, and how to reach it.
public struct JunctionEntry: Sendable {
    /// The id the junction puts in every datagram; unique within the city.
    public var id: UInt32
    /// The name the dashboard shows.
    public var name: String
    /// The shared secret for this junction's datagrams in both directions.
    public var key: WireKey
    /// Where the junction answers polls; nil means "the address its reports come from".
    public var pollAddress: SocketAddress?
    /// Group, stage and detector names for the dashboard; nil draws generic names.
    public var layout: JunctionLayout?
    /// Where the city map draws the junction; nil leaves it off the map.
    public var position: MapPosition?

    /// An entry as the config loader or a test builds it.
    public init(
        id: UInt32, name: String, key: WireKey, pollAddress: SocketAddress? = nil, layout: JunctionLayout? = nil,
        position: MapPosition? = nil
    ) {
        self.position = position
        self.id = id
        self.name = name
        self.key = key
        self.pollAddress = pollAddress
        self.layout = layout
    }
}
