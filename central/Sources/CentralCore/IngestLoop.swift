import Foundation
import Synchronization

/// Runs a `CentralIngest` on a thread of its own: receive a batch, take it in, and every few milliseconds commit,
/// acknowledge and poll. The socket and the ingest belong to that thread alone.
public final class IngestLoop: @unchecked Sendable {
    /// How often `CentralIngest.service` runs (commits still follow the configured commit interval).
    public static let serviceIntervalMilliseconds: Int64 = 20

    private let socket: UDPSocket
    private let ingest: CentralIngest
    private let running = Atomic<Bool>(false)
    private let finished = Mutex<Bool>(false)
    private let done = NSCondition()
    /// CPU to pin the thread to, or nil to let the scheduler choose.
    private let cpu: Int32?

    /// A loop over `socket` feeding `ingest`; `cpu` pins its thread (the benchmark's "one core").
    public init(socket: UDPSocket, ingest: CentralIngest, cpu: Int32? = nil) {
        self.socket = socket
        self.ingest = ingest
        self.cpu = cpu
    }

    /// Starts the thread.
    public func start() {
        running.store(true, ordering: .sequentiallyConsistent)
        let thread = Thread { [self] in run() }
        thread.name = "ingest"
        thread.start()
    }

    /// Asks the thread to stop, waits until it has committed what it holds, and returns.
    public func stop() {
        running.store(false, ordering: .sequentiallyConsistent)
        done.lock()
        while !finished.withLock({ $0 }) { done.wait() }
        done.unlock()
    }

    private func run() {
        if let cpu { CPUAffinity.pinCurrentThread(to: cpu) }
        var lastService: Int64 = 0
        while running.load(ordering: .relaxed) {
            var now: Int64 = 0
            do {
                try socket.receiveBatch { bytes, source in
                    if now == 0 { now = WallClock.nowMilliseconds() }
                    ingest.receive(bytes, from: source, nowMilliseconds: now)
                }
            } catch {
                // A receive error other than a timeout (rare: ENOMEM) loses nothing already taken in; go on.
                FileHandle.standardError.write(Data("junction-central: \(error)\n".utf8))
            }
            now = WallClock.nowMilliseconds()
            if now - lastService >= Self.serviceIntervalMilliseconds {
                lastService = now
                if let kernelDrops = socket.kernelDrops() { ingest.noteKernelDrops(kernelDrops) }
                send(ingest.service(nowMilliseconds: now))
            } else {
                ingest.publish()
            }
        }
        ingest.commit(nowMilliseconds: WallClock.nowMilliseconds())
        send(ingest.service(nowMilliseconds: WallClock.nowMilliseconds()))
        finished.withLock { $0 = true }
        done.lock()
        done.broadcast()
        done.unlock()
    }

    private func send(_ datagrams: [CentralIngest.Outgoing]) {
        for datagram in datagrams {
            do { try socket.send(datagram.bytes, to: datagram.address) } catch { ingest.countSendError() }
        }
    }
}
