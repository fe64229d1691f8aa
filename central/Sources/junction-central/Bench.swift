import ArgumentParser
import CentralCore
import Dispatch
import Foundation
import SignalCore
import Synchronization
import Wire

/// `junction-central bench`: central's ingest on one core, with loss counted, against a raw-receive baseline.
///
/// Pre-built authenticated status reports (one per junction per round, each junction's sequence ascending) are
/// sent over loopback by a sender thread pinned to one CPU while the receiver runs pinned to another:
/// 1. baseline: the receiver only takes datagrams off the socket (recvmmsg, no decoding, no authentication);
/// 2. ingest, flat out: the real receive path (frame, HMAC, replay window, decode, live board, SQLite commits);
/// 3. ingest at the goal rate: the same, with the sender paced at `--rate`, to show whether that rate is taken
///    without loss.
/// Loss is what was sent and never accepted; the kernel's own UDP receive-buffer drops are read from
/// /proc/net/snmp and printed beside it.
/// Each phase also prints the receiving thread's CPU time: reports per CPU-second is what one core can take, and,
/// unlike the wall-clock rate, it holds still when other processes share the machine.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Measure central's ingest rate on one core.")

    @Option(help: "Junctions reporting (each with its own key and replay window).")
    var junctions = 10_000

    @Option(help: "Seconds of traffic at the goal rate; the flat-out phases send the same datagrams.")
    var seconds = 5

    @Option(help: "The goal rate for phase 3, reports per second.")
    var rate = 50_000

    @Option(help: "CPU for the receiver (the one core measured).")
    var cpu: Int32 = 0

    @Option(help: "CPU for the sender.")
    var senderCPU: Int32 = 1

    @Option(help: "SQLite synchronous mode for the store: full (as junction-central runs) or normal.")
    var synchronous = "full"

    @Option(help: "Store file (deleted afterwards); default a file under the temporary folder.")
    var database: String?

    func validate() throws {
        guard junctions >= 1, junctions <= 100_000 else { throw ValidationError("--junctions: 1...100000") }
        guard seconds >= 1, seconds <= 120 else { throw ValidationError("--seconds: 1...120") }
        guard rate >= 100, rate <= 2_000_000 else { throw ValidationError("--rate: 100...2000000") }
        guard synchronous == "full" || synchronous == "normal" else { throw ValidationError("--synchronous: full or normal") }
    }

    func run() throws {
        let entries = (0..<junctions).map { index in
            JunctionEntry(id: UInt32(index + 1), name: "J\(index + 1)", key: BenchTraffic.key(for: index))
        }
        let total = max(rate * seconds, junctions)
        print("bench: \(junctions) junctions, \(total) pre-built status reports, receiver on CPU \(cpu), sender on CPU \(senderCPU)")
        let started = Date()
        let traffic = BenchTraffic.build(entries: entries, count: total)
        print(String(format: "  built and sealed in %.1f s; %d bytes each", Date().timeIntervalSince(started), traffic.lengths[0]))

        let baseline = try measure(phase: "1 raw UDP receive (no decode, no auth)", traffic: traffic, pacedRate: nil) { socket in
            RawReceiver(socket: socket)
        }
        let flatOut = try measure(phase: "2 ingest flat out", traffic: traffic, pacedRate: nil) { socket in
            try IngestReceiver(socket: socket, entries: entries, database: databasePath(2), synchronousFull: synchronous == "full")
        }
        let paced = try measure(phase: "3 ingest at \(rate)/s offered", traffic: traffic, pacedRate: rate) { socket in
            try IngestReceiver(socket: socket, entries: entries, database: databasePath(3), synchronousFull: synchronous == "full")
        }
        let ratio = baseline.acceptedPerSecond > 0 ? flatOut.acceptedPerSecond / baseline.acceptedPerSecond : 0
        print(
            String(
                format: "RESULT ingest %.0f reports/s accepted+stored on one core (raw receive %.0f/s, ratio %.2f); "
                    + "per CPU-second of the receiving thread: ingest %.0f, raw receive %.0f; "
                    + "at %d/s offered: %d sent, %d accepted, %d stored, %d lost (%.3f%%)",
                flatOut.acceptedPerSecond, baseline.acceptedPerSecond, ratio, flatOut.acceptedPerCPUSecond,
                baseline.acceptedPerCPUSecond, rate, paced.sent, paced.accepted, paced.stored, paced.sent - paced.accepted,
                Double(paced.sent - paced.accepted) * 100 / Double(max(paced.sent, 1))))
    }

    private func databasePath(_ phase: Int) -> String {
        if let database { return "\(database)-\(phase)" }
        return NSTemporaryDirectory() + "junction-central-bench-\(ProcessInfo.processInfo.processIdentifier)-\(phase).sqlite"
    }

    private func measure(
        phase: String, traffic: PackedDatagrams, pacedRate: Int?, makeReceiver: (UDPSocket) throws -> BenchReceiver
    ) throws -> BenchResult {
        let socket = try UDPSocket(bindingTo: SocketAddress("127.0.0.1:0")!, batchCapacity: 128, receiveTimeoutMilliseconds: 20)
        let receiver = try makeReceiver(socket)
        let kernelDropsBefore = KernelUDPCounters.receiveBufferErrors()
        let senderDone = BenchFlag()
        let sent = Mutex<Int>(0)
        let receiverCPU = cpu
        let result = Mutex<BenchResult?>(nil)
        let finished = DispatchSemaphore(value: 0)
        let receiverThread = Thread {
            CPUAffinity.pinCurrentThread(to: receiverCPU)
            result.withLock { $0 = receiver.run(until: senderDone) }
            finished.signal()
        }
        receiverThread.start()
        let destination = socket.localAddress
        let senderCPU = self.senderCPU
        let senderThread = Thread {
            CPUAffinity.pinCurrentThread(to: senderCPU)
            let count = BenchSender.send(traffic, to: destination, ratePerSecond: pacedRate)
            sent.withLock { $0 = count }
            senderDone.set()
            finished.signal()
        }
        senderThread.start()
        finished.wait()
        finished.wait()
        var outcome = result.withLock { $0 }!
        outcome.sent = sent.withLock { $0 }
        outcome.kernelDrops = KernelUDPCounters.receiveBufferErrors() - kernelDropsBefore
        print(outcome.line(phase: phase))
        return outcome
    }
}
