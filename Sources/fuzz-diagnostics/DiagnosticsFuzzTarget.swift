import Diagnostics
import FuzzDriver

/// One fuzz target per decoder of the diagnostic protocol. Any result is fine except a crash, a
/// hang, a read out of bounds, or a request that does not survive its own round trip.
enum DiagnosticsFuzzTarget: String, CaseIterable, FuzzTarget {
    /// `RequestDecoder`: what the daemon reads from every client line.
    case request
    /// `ResponseMessage.parse`: what junctionctl reads from the daemon.
    case response

    private static let decoder = RequestDecoder()

    func run(_ bytes: [UInt8]) {
        switch self {
        case .request:
            guard let envelope = try? Self.decoder.decode(bytes) else { return }
            // Whatever the decoder accepts, the client's encoder must write back as the same request.
            let again = try? Self.decoder.decode(Array(envelope.line.utf8.dropLast()))
            precondition(again == envelope, "a decoded request did not survive its round trip")
        case .response:
            _ = try? ResponseMessage.parse(bytes)
        }
    }
}
