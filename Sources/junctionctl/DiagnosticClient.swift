import Diagnostics
import Glibc

/// One connection to junctiond's diagnostic socket: writes request lines, reads reply and stream
/// lines. The only file in junctionctl that calls libc for sockets; EINTR is retried everywhere.
final class DiagnosticClient {
    let path: String
    private let descriptor: CInt
    private var buffer: [UInt8] = []
    private var nextID = 1

    /// Connects to `path`; `access` is what the command needs, for the permission-denied message.
    init(path: String, access: DiagnosticRequest.Access) throws(ClientError) {
        self.path = path
        descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw .connection(path: path, reason: String(cString: strerror(errno))) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        let bytes = Array(path.utf8)
        guard bytes.count < capacity else {
            close(descriptor)
            throw .connection(path: path, reason: "the path is longer than \(capacity - 1) bytes")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { target in
            for (index, byte) in bytes.enumerated() { target[index] = byte }
        }
        let length = socklen_t(MemoryLayout<sockaddr_un>.size)
        var result: CInt
        repeat {
            result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, length) }
            }
        } while result == -1 && errno == EINTR
        if result == -1 {
            let code = errno
            close(descriptor)
            switch code {
            case ENOENT: throw .socketMissing(searched: [path])
            case EACCES, EPERM:
                throw .permissionDenied(path: path, group: SocketLocator.groupName(of: path), access: access)
            case ECONNREFUSED: throw .notListening(path: path)
            default: throw .connection(path: path, reason: String(cString: strerror(code)))
            }
        }
    }

    deinit {
        close(descriptor)
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
                Glibc.send(descriptor, bytes.baseAddress! + sent, bytes.count - sent, CInt(MSG_NOSIGNAL))
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw .connection(path: path, reason: String(cString: strerror(errno)))
            }
            sent += written
        }
        return id
    }

    /// The next line from the daemon; waits at most `timeoutSeconds` (nil: as long as it takes).
    func next(timeoutSeconds: Int?) throws(ClientError) -> ResponseMessage {
        let limit = JSONLimits.response.maxBytes
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = Array(buffer[..<newline])
                buffer.removeSubrange(...newline)
                do {
                    return try ResponseMessage.parse(line)
                } catch {
                    throw .protocolError(error.description)
                }
            }
            guard buffer.count <= limit else { throw .protocolError("a reply line longer than \(limit) bytes") }
            var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&entry, 1, timeoutSeconds.map { CInt($0 * 1000) } ?? -1)
            if ready == -1 {
                if errno == EINTR { continue }
                throw .connection(path: path, reason: String(cString: strerror(errno)))
            }
            if ready == 0 { throw .timeout(seconds: timeoutSeconds ?? 0) }
            var chunk = [UInt8](repeating: 0, count: 64 << 10)
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .connection(path: path, reason: String(cString: strerror(errno)))
            }
            if count == 0 { throw .closed(path: path) }
            buffer.append(contentsOf: chunk[..<count])
        }
    }

    /// Sends `request` and returns its reply, skipping stream lines; an error reply throws.
    func call(_ request: DiagnosticRequest, timeoutSeconds: Int) throws(ClientError) -> ResponseMessage {
        let id: RequestID
        do {
            id = try send(request)
        } catch {
            // The daemon may have turned us away (busy, forbidden) and closed before the request
            // went out: its reason is still waiting to be read.
            if let reason = try? next(timeoutSeconds: 1), case .error(_, let code, let text) = reason.kind {
                throw .daemon(code: code, message: text)
            }
            throw error
        }
        while true {
            let message = try next(timeoutSeconds: timeoutSeconds)
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
