import Diagnostics
import Glibc
import JunctionConfig
import SystemInterface
import SystemPackage

/// One connection to junctiond's diagnostic socket: writes request lines, reads reply and stream
/// lines, through SystemInterface's socket calls (which retry EINTR).
///
/// Guarantees: a wait for a reply ends by its deadline however the daemon drips other lines, and
/// each received byte is scanned for the end of its line once.
final class DiagnosticClient {
    /// When a wait for the daemon gives up: a point on CLOCK_MONOTONIC, and the timeout it was set
    /// from, for the message.
    struct Deadline {
        let seconds: Int
        let monotonicNanoseconds: Int

        /// `seconds` from now.
        init(seconds: Int) {
            self.seconds = seconds
            monotonicNanoseconds = Clocks.monotonicNanoseconds() + seconds * 1_000_000_000
        }

        /// Milliseconds left, rounded up; 0 once the deadline has passed.
        var millisecondsLeft: CInt {
            CInt(max(0, (monotonicNanoseconds - Clocks.monotonicNanoseconds() + 999_999) / 1_000_000))
        }
    }

    let path: String
    private let descriptor: CInt
    private var buffer: [UInt8] = []
    /// How many leading bytes of `buffer` are known to hold no newline.
    private var scanned = 0
    private var nextID = 1

    /// Connects to `path`; `access` is what the command needs, for the permission-denied message.
    init(path: String, access: DiagnosticRequest.Access) throws(ClientError) {
        self.path = path
        let address: UnixSocketAddress
        do {
            address = try UnixSocketAddress(path: path)
        } catch {
            switch error {
            case .tooLong:
                throw .connection(path: path, reason: "the path is longer than \(UnixSocketAddress.maxPathBytes) bytes")
            case .unsupported: throw .connection(path: path, reason: "the socket path is empty")
            }
        }
        do {
            descriptor = try Syscall.connectUnixStream(to: address)
        } catch {
            switch error.errno {
            case .noSuchFileOrDirectory: throw .socketMissing(searched: [path])
            case .permissionDenied, .notPermitted:
                throw .permissionDenied(path: path, group: SocketLocator.groupName(of: path), access: access)
            default:
                // Linux refuses a connect to a regular file or a directory as it does one to a socket
                // nobody listens on: only the file's type tells "wrong path" from "daemon gone".
                if let kind = Self.nonSocketKind(path) {
                    throw .connection(path: path, reason: "it is \(kind), not a socket")
                }
                if error.errno == .connectionRefused { throw .notListening(path: path) }
                throw .connection(path: path, reason: error.reason)
            }
        }
    }

    /// What the file at `path` is in words when it is there and not a socket; nil otherwise.
    private static func nonSocketKind(_ path: String) -> String? {
        guard let status = try? Syscall.status(path), status.st_mode & S_IFMT != S_IFSOCK else { return nil }
        return JunctionFile.kind(status.st_mode)
    }

    deinit {
        Syscall.close(descriptor)
    }

    /// Sends `request` with a fresh id and returns the id.
    @discardableResult
    func send(_ request: DiagnosticRequest) throws(ClientError) -> RequestID {
        let id = RequestID.integer(nextID)
        nextID += 1
        let line = Array(RequestEnvelope(id: id, request: request).line.utf8)
        var sent = 0
        while sent < line.count {
            let written = line.withUnsafeBytes { bytes in
                Result { () throws(SystemError) in try Syscall.send(descriptor, UnsafeRawBufferPointer(rebasing: bytes[sent...])) }
            }
            switch written {
            case .success(let count): sent += count
            case .failure(let error): throw .connection(path: path, reason: error.reason)
            }
        }
        return id
    }

    /// The next line from the daemon; waits until `deadline` at most (nil: as long as it takes).
    func next(until deadline: Deadline?) throws(ClientError) -> ResponseMessage {
        let limit = JSONLimits.response.maxBytes
        while true {
            if let newline = buffer[scanned...].firstIndex(of: 0x0A) {
                let line = Array(buffer[..<newline])
                buffer.removeSubrange(...newline)
                scanned = 0
                do {
                    return try ResponseMessage.parse(line)
                } catch {
                    throw .protocolError(error.description)
                }
            }
            scanned = buffer.count
            guard buffer.count <= limit else { throw .protocolError("a reply line longer than \(limit) bytes") }
            let wait = deadline.map(\.millisecondsLeft) ?? -1
            // A passed deadline is not waited on at all, so a daemon that keeps sending other lines
            // cannot keep the wait going.
            var ready = false
            if wait != 0 {
                do {
                    ready = try Syscall.waitReadable(descriptor, timeoutMilliseconds: wait)
                } catch {
                    throw .connection(path: path, reason: error.reason)
                }
            }
            guard ready else { throw .timeout(seconds: deadline?.seconds ?? 0) }
            var chunk = [UInt8](repeating: 0, count: 64 << 10)
            let received = chunk.withUnsafeMutableBytes { raw in
                Result { () throws(SystemError) in try Syscall.receive(descriptor, into: raw) }
            }
            let count: Int
            switch received {
            case .success(let bytes): count = bytes
            case .failure(let error): throw .connection(path: path, reason: error.reason)
            }
            if count == 0 { throw .closed(path: path) }
            buffer.append(contentsOf: chunk[..<count])
        }
    }

    /// Sends `request` and returns its reply, skipping stream lines and replies to other ids; an
    /// error reply throws, and so does no reply within `timeoutSeconds` of the call.
    func call(_ request: DiagnosticRequest, timeoutSeconds: Int) throws(ClientError) -> ResponseMessage {
        let id: RequestID
        do {
            id = try send(request)
        } catch {
            // The daemon may have turned us away (busy, forbidden) and closed before the request
            // went out: its reason is still waiting to be read.
            if let reason = try? next(until: Deadline(seconds: 1)), case .error(_, let code, let text) = reason.kind {
                throw .daemon(code: code, message: text)
            }
            throw error
        }
        let deadline = Deadline(seconds: timeoutSeconds)
        while true {
            let message = try next(until: deadline)
            switch message.kind {
            case .stream:
                continue
            case .error(_, let code, let text):
                // An error without an id (busy, forbidden at connect) answers whatever we sent.
                if message.id == nil || message.id == id { throw .daemon(code: code, message: text) }
            case .reply:
                if message.id == id { return message }
            }
        }
    }
}
