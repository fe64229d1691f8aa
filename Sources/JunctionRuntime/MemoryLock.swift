import Glibc
import SystemInterface

/// The real-time loop's memory lock: every page the process has touched, or touches later, stays
/// in RAM, without paying RAM for the many pages it never touches.
///
/// `mlockall(MCL_CURRENT | MCL_FUTURE)` alone faults in every mapping, including the 30 MB of ICU
/// locale data Foundation maps (linked only because swift-crypto imports Foundation): RSS went
/// from about 18 MB to 73 MB. With `MCL_ONFAULT` added, the pages already resident are locked at
/// once and every other page when it is first touched; `MemoryLockPlan` names what is faulted in
/// ahead of the first tick (the loop thread's stack).
enum MemoryLock {
    /// What the lock did, for the log and the grant.
    struct Outcome: Sendable, Equatable {
        /// Bytes faulted in and locked ahead of the first tick (the loop thread's stack).
        var populatedBytes: UInt
        /// The process's resident (and so locked) bytes once the lock is taken; nil if
        /// /proc/self/statm could not be read.
        var lockedResidentBytes: UInt?
        /// Mappings that could not be populated, with the error; their pages are still locked as
        /// they are touched.
        var failures: [SystemError]
    }

    /// Locks memory as described above. Call it on the loop thread, whose stack is populated.
    ///
    /// Throws only if `mlockall` is refused (no CAP_IPC_LOCK and a LimitMEMLOCK below the
    /// process's size, or a kernel older than 4.4 without MCL_ONFAULT); nothing is locked then.
    static func apply() throws(SystemError) -> Outcome {
        try Syscall.lockAllMemory(flags: CInt(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT))
        var outcome = Outcome(populatedBytes: 0, lockedResidentBytes: nil, failures: [])
        do {
            var marker = 0
            let stackAddress = withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
            let plan = MemoryLockPlan(mappings: try ProcessMaps.readOwn(), stackAddress: stackAddress)
            for mapping in plan.populated {
                do {
                    try Syscall.lockMemory(startAddress: mapping.startAddress, byteCount: mapping.byteCount)
                    outcome.populatedBytes += mapping.byteCount
                } catch {
                    outcome.failures.append(error)
                }
            }
        } catch {
            // The lock itself holds; only the pre-faulting is lost.
            outcome.failures.append(error)
        }
        outcome.lockedResidentBytes = try? ProcessMaps.ownResidentBytes()
        return outcome
    }
}
