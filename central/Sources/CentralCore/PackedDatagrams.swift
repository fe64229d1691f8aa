/// Many datagrams in one contiguous buffer, for sending in batches without a copy (the benchmark's sender).
public struct PackedDatagrams: Sendable {
    public private(set) var bytes: [UInt8] = []
    public private(set) var offsets: [Int] = []
    public private(set) var lengths: [Int] = []

    public init() {}

    /// Appends one datagram.
    public mutating func append(_ datagram: [UInt8]) {
        offsets.append(bytes.count)
        lengths.append(datagram.count)
        bytes.append(contentsOf: datagram)
    }

    public var count: Int { offsets.count }
}
