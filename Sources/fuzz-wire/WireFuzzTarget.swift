import FuzzDriver
import SignalCore
import Wire

/// One fuzz target per decoder. Each feeds arbitrary bytes to exactly one decoder; any result is
/// fine except a crash, a hang or a read out of bounds.
enum WireFuzzTarget: String, CaseIterable, FuzzTarget {
    /// The frame decoder (header, length, tag) under a fixed key.
    case frame
    /// The whole receiver (frame, role, replay, payload) of a junction.
    case receiver
    case status
    case events
    case counts
    case poll
    case ack
    /// The neighbour outflow payload (type 32).
    case neighbourOutflow

    private static let key = try! WireKey(hex: String(repeating: "5a", count: 32))

    func run(_ bytes: [UInt8]) {
        var reader = ByteReader(bytes)
        switch self {
        case .frame:
            _ = try? DatagramOpener.open(bytes[...]) { _ in Self.key }
        case .receiver:
            var receiver = WireReceiver(role: .junction(id: 7), keys: [7: Self.key])
            _ = receiver.receive(bytes[...])
        case .status:
            _ = try? StatusReport.decode(from: &reader)
        case .events:
            _ = try? EventBatch.decode(from: &reader)
        case .counts:
            _ = try? CountBatch.decode(from: &reader)
        case .poll:
            _ = try? PollRequest.decode(from: &reader)
        case .ack:
            _ = try? Acknowledgement.decode(from: &reader)
        case .neighbourOutflow:
            _ = try? OutflowProfile.decode(from: &reader)
        }
    }
}
