import Glibc
import JunctionConfig
import RuntimeTestSupport
import SystemInterface
import Testing

@testable import UpstreamLink

/// One receive pass of the upstream service on a real loopback socket, made by the test rather than
/// the service's thread, so what a single pass leaves behind can be seen.
@Suite struct UpstreamReceivePassTests {
    @Test func aPassThatStopsAtItsLimitStillCountsWhatTheKernelDropped() throws {
        let scratch = try ScratchDirectory()
        let central = try UpstreamClockTests.Central()
        // Not started: this test makes the one pass itself.
        let (service, _) = try UpstreamClockTests.service(
            clock: ManualClock(), central: central, store: nil, in: scratch, start: false)
        // A queue that holds more than one pass takes (the kernel doubles the size asked for, capped
        // by net.core.rmem_max), and a flood larger than it, so the kernel drops the rest after the
        // last datagram it queued and no queued datagram carries those drops.
        try Syscall.setSocketOption(
            service.socket.descriptor, level: SOL_SOCKET, name: SO_RCVBUF, value: 262_144, "SO_RCVBUF")
        let sender = try UpstreamSocket(binding: UpstreamSocketTests.loopback)
        let target = UpstreamSettings.Address(octets: [127, 0, 0, 1], port: service.localPort)
        for _ in 0..<4_000 { _ = sender.send(Array(repeating: 0x55, count: 64), to: target) }
        // Loopback delivery may lag the sends on a busy machine; whatever it has dropped by now
        // the pass must count.
        let dropped = { UInt64(SocketDrops.count(service.socket.descriptor) ?? 0) }
        try #require(eventually { dropped() > 0 }, "the flood overflowed the queue")
        let before = dropped()

        service.receiveSome()

        let counted = service.socket.kernelDrops
        #expect(before <= counted && counted <= dropped(), "counted \(counted), the kernel's count \(before)")
        // The pass did stop at its limit with datagrams still queued (the case under test).
        var buffer = [UInt8](repeating: 0, count: 2048)
        #expect(service.socket.receive(into: &buffer) != nil, "the queue held no more than one pass")
    }
}
