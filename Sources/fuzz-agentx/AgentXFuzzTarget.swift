import AgentX
import FuzzDriver

/// One fuzz target per way bytes from a master enter the subagent. Any result is fine except a
/// crash, a hang or a read out of bounds; a message that decodes must re-encode to a message that
/// decodes to the same value (the encoder and decoder agree).
enum AgentXFuzzTarget: String, CaseIterable, FuzzTarget {
    /// One whole PDU through `AgentXMessage.decode`, then the round trip.
    case message
    /// Arbitrary stream chunks through the framer, as the socket delivers them.
    case stream
    /// Decoded PDUs fed to an open session answering from a small table.
    case session

    private static let table = MIBTable(
        (1...20).map {
            VarBind(name: OID([1, 3, 6, 1, 4, 1, 1206, 4, 2, 1, 1, 4, 1, 2, UInt32($0)]), value: .integer(Int32($0)))
        })

    func run(_ bytes: [UInt8]) {
        switch self {
        case .message:
            guard let message = try? AgentXMessage.decode(bytes) else { return }
            let again = try? AgentXMessage.decode(message.encode())
            precondition(again == message, "re-encoded message decodes differently")
        case .stream:
            var framer = AgentXFramer()
            var offset = 0
            // The first byte sets the chunk size, so the fuzzer also explores split headers.
            let chunk = max(1, Int(bytes.first ?? 1) % 64)
            while offset < bytes.count {
                framer.append(bytes[offset..<min(bytes.count, offset + chunk)])
                offset += chunk
                while let pdu = try? framer.nextPDU() { _ = try? AgentXMessage.decode(pdu) }
            }
        case .session:
            var session = AgentXSession(
                subtrees: [OID([1, 3, 6, 1, 4, 1, 1206])], description: "fuzz", timeoutSeconds: 5)
            _ = session.open()
            _ = session.handle(AgentXMessage(pdu: .response(AgentXResponse()), sessionID: 9, packetID: 1)) {
                Self.table
            }
            _ = session.handle(AgentXMessage(pdu: .response(AgentXResponse()), sessionID: 9, packetID: 2)) {
                Self.table
            }
            var framer = AgentXFramer()
            framer.append(bytes)
            while let pdu = try? framer.nextPDU() {
                guard let message = try? AgentXMessage.decode(pdu) else { continue }
                _ = session.handle(message) { Self.table }
            }
        }
    }
}
