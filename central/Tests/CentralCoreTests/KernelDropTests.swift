@testable import CentralCore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Datagrams the kernel drops before central takes them are counted, not lost without a trace.
@Suite struct KernelDropTests {
    /// A flood into the smallest receive queue the kernel allows: every datagram sent is either received or
    /// counted as a kernel drop, and the flood is too much for the queue, so some are.
    @Test func everyDatagramSentIsReceivedOrCountedAsAKernelDrop() throws {
        let receiver = try UDPSocket(
            bindingTo: SocketAddress("127.0.0.1:0")!, receiveBufferBytes: 1, receiveTimeoutMilliseconds: 10)
        let sender = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        #expect(sender >= 0)
        defer { close(sender) }
        var target = receiver.localAddress.sockaddr
        let payload = [UInt8](repeating: 0x5A, count: 200)
        let sent = 3_000
        for _ in 0..<sent {
            _ = withUnsafePointer(to: &target) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(sender, payload, payload.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        var received = 0
        while true {
            let batch = try receiver.receiveBatch { _, _ in }
            if batch == 0 { break }
            received += batch
        }
        let dropped = try #require(receiver.kernelDrops())
        #expect(dropped > 0, "the flood fit the queue: nothing shows the count works")
        #expect(received + Int(dropped) == sent, "received \(received), kernel drops \(dropped)")
    }

    @Test func readingsAddWhatIsNewAcrossTheWrapOfTheKernelsCount() throws {
        let central = try TestCentral(junctions: [TestJunction(id: 7).entry])
        defer { central.removeFiles() }
        central.ingest.noteKernelDrops(10)
        central.ingest.noteKernelDrops(10)
        #expect(central.ingest.centralCounters.datagramsDroppedByKernel == 10)
        central.ingest.noteKernelDrops(UInt32.max)
        central.ingest.noteKernelDrops(4)  // wrapped: 5 more
        #expect(central.ingest.centralCounters.datagramsDroppedByKernel == UInt64(UInt32.max) + 5)
    }
}
