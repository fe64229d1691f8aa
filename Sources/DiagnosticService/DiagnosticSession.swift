import Diagnostics
import SystemInterface
import RealTimeEngine

/// One client connection of the diagnostic server: its credentials, its bounded input and output
/// buffers, its subscriptions and the control request it is waiting on.
///
/// Confined to the server's thread.
final class DiagnosticSession {
    /// A control request posted to the loop's mailbox, waiting for the controller's answer.
    struct PendingControl {
        var ticket: RequestMailbox.RequestTicket
        var requestID: RequestID?
        var summary: String
        var auditSequence: UInt64
        var deadlineNanoseconds: Int
    }

    let descriptor: CInt
    let socket: AccessPolicy.Socket
    let peer: PeerIdentity

    /// Bytes received and not yet split into lines; never longer than the line limit plus one read.
    var input: [UInt8] = []
    /// Bytes queued for the client; `sent` of them have gone out.
    private(set) var output: [UInt8] = []
    private var sent = 0

    /// The client closed its side (or the connection failed); nothing more will be read.
    var inputClosed = false
    /// Close once the queued output is sent (after a fatal error reply).
    var closeAfterFlush = false
    /// Close now, without sending anything more.
    var closed = false

    /// When the last request was read (or the connection accepted), for the idle timeout.
    var lastRequestNanoseconds: Int
    /// When the bytes now in `input` (without a newline) started arriving.
    var partialLineSinceNanoseconds: Int?
    var lastWriteProgressNanoseconds: Int
    var consecutiveErrors = 0

    var pending: PendingControl?
    /// The state stream's interval, when subscribed, and when its next frame is due.
    var stateIntervalNanoseconds: Int?
    var nextStateNanoseconds = 0
    var lastStateTick = -1
    /// The events stream's cursor (the last sequence sent), when subscribed.
    var eventsCursor: UInt64?

    init(descriptor: CInt, socket: AccessPolicy.Socket, peer: PeerIdentity, nowNanoseconds: Int) {
        self.descriptor = descriptor
        self.socket = socket
        self.peer = peer
        lastRequestNanoseconds = nowNanoseconds
        lastWriteProgressNanoseconds = nowNanoseconds
    }

    /// Bytes queued and not yet sent.
    var pendingOutputBytes: Int { output.count - sent }

    var isSubscribed: Bool { stateIntervalNanoseconds != nil || eventsCursor != nil }

    /// Queues `line` for sending.
    func queue(_ line: [UInt8]) {
        if sent > 0 && sent == output.count {
            output.removeAll(keepingCapacity: true)
            sent = 0
        }
        output.append(contentsOf: line)
    }

    /// Takes the next complete line out of `input`, without its newline.
    func nextLine() -> ArraySlice<UInt8>? {
        guard let newline = input.firstIndex(of: 0x0A) else { return nil }
        let line = input[..<newline]
        input.removeSubrange(...newline)
        return line
    }

    /// Sends what the socket takes now. Returns false when the connection has failed.
    func flush(nowNanoseconds: Int) -> Bool {
        while sent < output.count {
            let written: Int
            do {
                written = try output.withUnsafeBytes { bytes throws(SystemError) in
                    try Syscall.sendNow(descriptor, UnsafeRawBufferPointer(rebasing: bytes[sent...]))
                }
            } catch {
                return false
            }
            if written == 0 { break }
            sent += written
            lastWriteProgressNanoseconds = nowNanoseconds
        }
        if sent == output.count {
            output.removeAll(keepingCapacity: output.capacity <= 64 << 10)
            sent = 0
        } else if sent > 256 << 10 {
            // Keep the buffer from growing by the part already sent.
            output.removeSubrange(..<sent)
            sent = 0
        }
        return true
    }

    /// Closes the descriptor; call once, when the session leaves the server.
    func closeDescriptor() {
        Syscall.close(descriptor)
    }
}
