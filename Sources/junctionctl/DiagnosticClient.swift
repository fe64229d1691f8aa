import Diagnostics
import SystemInterface
import SystemPackage

/// One connection to junctiond's diagnostic socket: writes request lines, reads reply and stream
/// lines, through SystemInterface's socket calls (which retry EINTR).
final class DiagnosticClient {
    let path: String
    private let descriptor: CInt
    private var buffer: [UInt8] = []
    private var nextID = 1

    /// Connects to `path`; `access` is what the command needs, for the permission-denied message.
    init(path: String, access: DiagnosticRequest.Access) throws(ClientError) {
        self.path = path
        let address: UnixSocketAddress
        do {
            address = try UnixSocketAddress(path: path)
        } catch {
            throw .connection(path: path, reason: "the path is longer than \(UnixSocketAddress.maxPathBytes) bytes")
        }
        do {
            descriptor = try Syscall.connectUnixStream(to: address)
        } catch {
            switch error.errno {
            case .noSuchFileOrDirectory: throw .socketMissing(searched: [path])
            case .permissionDenied, .notPermitted:
                throw .permissionDenied(path: path, group: SocketLocator.groupName(of: path), access: access)
            case .connectionRefused: throw .notListening(path: path)
            default: throw .connection(path: path, reason: error.reason)
            }
        }
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
            let ready: Bool
            do {
                ready = try Syscall.waitReadable(descriptor, timeoutMilliseconds: timeoutSeconds.map { CInt($0 * 1000) } ?? -1)
            } catch {
                throw .connection(path: path, reason: error.reason)
            }
            guard ready else { throw .timeout(seconds: timeoutSeconds ?? 0) }
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
