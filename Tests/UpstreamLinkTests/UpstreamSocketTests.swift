import JunctionConfig
import Testing
import UpstreamLink

/// The socket both UDP services use: what the kernel drops in a flood is counted, to the last one.
@Suite struct UpstreamSocketTests {
    static let loopback = UpstreamSettings.Address(octets: [127, 0, 0, 1], port: 0)

    @Test func datagramsDroppedAfterTheLastOneQueuedAreCountedOnceTheQueueIsEmpty() throws {
        let receiver = try UpstreamSocket(binding: Self.loopback)
        let sender = try UpstreamSocket(binding: Self.loopback)
        let target = UpstreamSettings.Address(octets: [127, 0, 0, 1], port: receiver.localPort())
        // Far more than the receive buffer holds: the kernel drops the rest once it is full, after
        // the last datagram it queued, so no queued datagram carries those drops.
        let sent = 3_000
        var accepted = 0
        for _ in 0..<sent where sender.send(Array(repeating: 0x55, count: 64), to: target) { accepted += 1 }
        #expect(accepted == sent, "loopback sends are not refused, only dropped at the receiver")
        var buffer = [UInt8](repeating: 0, count: 2048)
        var received = 0
        while receiver.receive(into: &buffer) != nil { received += 1 }
        #expect(received > 0 && received < sent, "the flood filled the queue: \(received) of \(sent) queued")
        #expect(receiver.kernelDrops == UInt64(sent - received))
    }
}
