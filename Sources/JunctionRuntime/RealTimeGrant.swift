import SystemInterface
/// What `RealTimeOptions.apply` obtained from the kernel, for logs and status.
///
/// It owns the `/dev/cpu_dma_latency` request: the kernel drops the request when the grant is
/// released, so whoever keeps the loop keeps the grant.
public final class RealTimeGrant: Sendable {
    /// The SCHED_FIFO priority the loop thread runs at, or nil if it kept its inherited policy.
    public let fifoPriority: Int?
    /// Whether every page the process touches is locked in RAM.
    public let memoryLocked: Bool
    /// The resident bytes locked when the lock was taken (the rest lock as they are touched); 0
    /// when memory is not locked or the size could not be read.
    public let memoryLockedAtStartBytes: UInt
    /// The loop thread's timer slack as read back from the kernel, or nil if left unchanged.
    public let timerSlackNanoseconds: Int?
    /// Whether a 0 µs CPU DMA latency request is being held.
    public let cpuDMALatencyHeld: Bool
    /// One line per refused option (`"mlockall: EPERM"`), in the order they were tried.
    public let refusals: [String]
    private let cpuDMALatencyDescriptor: CInt?

    /// The mutable tally `apply` fills before freezing it into a grant.
    struct Facts {
        var fifoPriority: Int?
        var memoryLocked = false
        var memoryLockedAtStartBytes: UInt = 0
        var timerSlackNanoseconds: Int?
        var cpuDMALatencyDescriptor: CInt?
        var refusals: [String] = []
    }

    init(_ facts: Facts) {
        fifoPriority = facts.fifoPriority
        memoryLocked = facts.memoryLocked
        memoryLockedAtStartBytes = facts.memoryLockedAtStartBytes
        timerSlackNanoseconds = facts.timerSlackNanoseconds
        cpuDMALatencyDescriptor = facts.cpuDMALatencyDescriptor
        cpuDMALatencyHeld = facts.cpuDMALatencyDescriptor != nil
        refusals = facts.refusals
    }

    deinit {
        if let cpuDMALatencyDescriptor {
            Syscall.close(cpuDMALatencyDescriptor)
        }
    }

    /// `"fifo=80 mlock=17.9MB+onfault slack=1ns dma-latency=held"` (megabytes resident and locked
    /// at start; later pages lock when touched), or `"none"` when nothing was asked or granted.
    public var summary: String {
        var parts: [String] = []
        if let fifoPriority {
            parts.append("fifo=\(fifoPriority)")
        }
        if memoryLocked {
            parts.append("mlock=\(RealTimeOptions.megabytes(memoryLockedAtStartBytes))MB+onfault")
        }
        if let timerSlackNanoseconds {
            parts.append("slack=\(timerSlackNanoseconds)ns")
        }
        if cpuDMALatencyHeld {
            parts.append("dma-latency=held")
        }
        if !refusals.isEmpty {
            parts.append("refused=[\(refusals.joined(separator: ", "))]")
        }
        return parts.isEmpty ? "none" : parts.joined(separator: " ")
    }
}
