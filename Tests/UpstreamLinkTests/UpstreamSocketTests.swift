import Glibc
import JunctionConfig
import RuntimeTestSupport
import SystemInterface
import Testing
import UpstreamLink

/// The socket both UDP services use: a port already taken is an error, and what the kernel drops
/// in a flood is counted, to the last datagram.
@Suite struct UpstreamSocketTests {
    static let loopback = UpstreamSettings.Address(octets: [127, 0, 0, 1], port: 0)

    @Test func aPortAnotherProgramHoldsIsAnErrorNotACrash() throws {
        // Whoever binds the port first (another user's program, the previous instance still
        // flashing out) must leave the daemon a startup error to report, not a trap.
        let holder = try UpstreamSocket(binding: Self.loopback)
        let taken = UpstreamSettings.Address(octets: [127, 0, 0, 1], port: holder.localPort())
        #expect(throws: SystemError.self) { _ = try UpstreamSocket(binding: taken) }
        // The port is still the holder's.
        #expect(holder.localPort() == taken.port)
    }

    @Test func datagramsDroppedAfterTheLastOneQueuedAreCountedOnceTheQueueIsEmpty() throws {
        let receiver = try UpstreamSocket(binding: Self.loopback)
        // The smallest receive buffer the kernel allows holds a few datagrams, whatever the
        // machine's default, so a small flood overflows it (and stays within the loopback
        // device's own backlog, whose drops no socket counts).
        try Syscall.setSocketOption(receiver.descriptor, level: SOL_SOCKET, name: SO_RCVBUF, value: 1, "SO_RCVBUF")
        let sender = try UpstreamSocket(binding: Self.loopback)
        let target = UpstreamSettings.Address(octets: [127, 0, 0, 1], port: receiver.localPort())
        // The kernel drops the rest once the queue is full, after the last datagram it queued, so no
        // queued datagram carries those drops.
        let sent = 200
        for _ in 0..<sent { #expect(sender.send(Array(repeating: 0x55, count: 64), to: target)) }
        var buffer = [UInt8](repeating: 0, count: 2048)
        var received = 0
        // Loopback delivery may lag the sends on a busy machine: every datagram is received or
        // counted dropped once it has all arrived.
        #expect(eventually {
            while receiver.receive(into: &buffer) != nil { received += 1 }
            return received + Int(receiver.kernelDrops) == sent
        }, "received \(received), counted dropped \(receiver.kernelDrops), of \(sent)")
        #expect(received > 0 && received < sent, "the flood overflowed the queue: \(received) of \(sent) queued")
    }
}
