import Glibc
import Logging
import SystemInterface

/// The operating-system favours the real-time loop asks for. Every one is optional, and a refusal
/// (no privilege, no device) is logged and skipped: the loop then runs with ordinary latency.
public struct RealTimeOptions: Sendable, Equatable {
    /// SCHED_FIFO priority for the loop thread (1...99 on Linux); nil keeps the inherited policy.
    public var fifoPriority: Int?
    /// Whether to keep every page the process has touched, or touches later, in RAM (see
    /// `MemoryLock`), so a tick never waits for a page to be read back from an SD card.
    public var lockMemory: Bool
    /// The loop thread's timer slack; 1 stops the kernel from deferring its wake-up to batch timers
    /// (the default slack is 50 µs). nil leaves the slack alone.
    public var timerSlackNanoseconds: Int?
    /// Whether to hold `/dev/cpu_dma_latency` open at 0, which keeps CPUs out of deep idle states
    /// whose exit takes milliseconds on some boards.
    public var holdCPUDMALatencyZero: Bool

    /// Asks for the given favours; the defaults ask for none.
    public init(
        fifoPriority: Int? = nil,
        lockMemory: Bool = false,
        timerSlackNanoseconds: Int? = nil,
        holdCPUDMALatencyZero: Bool = false
    ) {
        self.fifoPriority = fifoPriority
        self.lockMemory = lockMemory
        self.timerSlackNanoseconds = timerSlackNanoseconds
        self.holdCPUDMALatencyZero = holdCPUDMALatencyZero
    }

    /// Every favour, at the priority the unit file allows (LimitRTPRIO): what a roadside board runs.
    public static let full = RealTimeOptions(
        fifoPriority: 80,
        lockMemory: true,
        timerSlackNanoseconds: 1,
        holdCPUDMALatencyZero: true
    )

    /// Where the kernel's PM QoS interface lives.
    static let cpuDMALatencyPath = "/dev/cpu_dma_latency"

    /// Applies the options. Scheduling and timer slack belong to the calling thread, so the loop
    /// calls this from its own thread; the memory lock and the DMA-latency request are process-wide.
    ///
    /// Never fails: each refusal is logged as a warning and listed in the returned grant, which
    /// also holds the DMA-latency request open for as long as it lives.
    public func apply(logger: Logger) -> RealTimeGrant {
        var grant = RealTimeGrant.Facts()
        func refuse(_ what: String, _ error: SystemError, hint: String) {
            grant.refusals.append("\(what): \(error.codeName)")
            logger.warning(
                "real-time option refused, continuing without it",
                metadata: ["option": "\(what)", "error": "\(error)", "hint": "\(hint)"]
            )
        }

        if lockMemory {
            do {
                let outcome = try MemoryLock.apply()
                grant.memoryLocked = true
                grant.memoryLockedAtStartBytes = outcome.lockedResidentBytes ?? 0
                logger.info(
                    "memory locked: resident pages now, every other page when first touched",
                    metadata: [
                        "locked_resident_mb": "\(outcome.lockedResidentBytes.map(Self.megabytes) ?? "unknown")",
                        "loop_stack_populated_kb": "\(outcome.populatedBytes / 1024)",
                    ]
                )
                for failure in outcome.failures {
                    logger.warning(
                        "could not fault in the loop's stack ahead of time; its pages lock as they are touched",
                        metadata: ["error": "\(failure)"]
                    )
                }
            } catch {
                refuse("mlockall", error, hint: "raise LimitMEMLOCK (infinity in the unit) or grant CAP_IPC_LOCK")
            }
        }
        if let fifoPriority {
            let range = Syscall.fifoPriorityRange()
            if let priority = CInt(exactly: fifoPriority), range.contains(priority) {
                do {
                    try Syscall.setCurrentThreadFIFO(priority: priority)
                    grant.fifoPriority = fifoPriority
                } catch {
                    refuse("SCHED_FIFO \(fifoPriority)", error, hint: "raise LimitRTPRIO or grant CAP_SYS_NICE")
                }
            } else {
                refuse(
                    "SCHED_FIFO \(fifoPriority)",
                    SystemError(call: "range check", code: EINVAL),
                    hint: "priority must lie in \(range.lowerBound)...\(range.upperBound)"
                )
            }
        }
        if let timerSlackNanoseconds {
            do {
                try Syscall.setCurrentThreadTimerSlack(nanoseconds: UInt(max(timerSlackNanoseconds, 1)))
                grant.timerSlackNanoseconds = try Syscall.currentThreadTimerSlackNanoseconds()
            } catch {
                refuse("timer slack \(timerSlackNanoseconds) ns", error, hint: "prctl(PR_SET_TIMERSLACK) unavailable")
            }
        }
        if holdCPUDMALatencyZero {
            do {
                grant.cpuDMALatencyDescriptor = try Self.requestZeroDMALatency()
            } catch {
                refuse(
                    Self.cpuDMALatencyPath, error,
                    hint: "the deb's udev rule gives group junctiond write access; DeviceAllow must list it"
                )
            }
        }
        let result = RealTimeGrant(grant)
        logger.info("real-time options applied", metadata: ["applied": "\(result.summary)"])
        return result
    }

    /// `bytes` in megabytes with one decimal, for logs.
    static func megabytes(_ bytes: UInt) -> String {
        let tenths = (bytes * 10 + 524_288) / 1_048_576
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// Writes a 0 µs latency request. The kernel honours it only while the descriptor stays open.
    private static func requestZeroDMALatency() throws(SystemError) -> CInt {
        let descriptor = try Syscall.open(cpuDMALatencyPath, flags: O_WRONLY)
        var zero: Int32 = 0
        do {
            _ = try withUnsafeBytes(of: &zero) { bytes throws(SystemError) in try Syscall.write(descriptor, bytes) }
        } catch {
            Syscall.close(descriptor)
            throw error
        }
        return descriptor
    }
}
