import SystemInterface
/// Which of the process's mappings the memory lock faults in and locks at once; every other page
/// is locked when it is first touched (`MCL_ONFAULT`), and pages already resident are locked at
/// once.
///
/// Only the loop thread's stack is populated. Populating code and data as well was measured and
/// rejected (docs/realtime.md): every file mapping but ICU's data is 37 MB in the dynamic build,
/// and the packaged `--static-swift-stdlib` binary is a single 25 MB text mapping of which the
/// daemon ever touches about 10 MB, so either would double the RSS the board pays. The pages the
/// tick uses are faulted in by the first ticks and stay locked; a path first taken later costs one
/// page fault, once, and is locked from then on. Nothing the tick has touched can be paged out.
///
/// The stack is different: its pages past the deepest call so far have never been touched, a
/// rare deep call chain would fault them in mid-tick, and the whole stack is small (`PosixThread`).
struct MemoryLockPlan: Sendable, Equatable {
    /// Why a mapping is not populated.
    enum Deferral: Sendable, Equatable {
        /// No access is allowed (guard pages, address space malloc has reserved): nothing to lock.
        case inaccessible
        /// `[vvar]`, `[vdso]`, `[vsyscall]`: the kernel's pages, which mlock skips or refuses.
        case kernelProvided
        /// Resident pages are locked now and the others as they are first touched.
        case lockedWhenTouched
    }

    /// What the plan does with one mapping.
    enum Decision: Sendable, Equatable {
        /// Fault every page in now and lock it (`mlock`).
        case populate
        /// Leave the mapping's untouched pages where they are.
        case deferred(Deferral)
    }

    /// One mapping and what the plan does with it.
    struct Entry: Sendable, Equatable {
        var mapping: ProcessMapping
        var decision: Decision
    }

    /// Every mapping with its decision, in address order.
    let entries: [Entry]

    /// Decides for each of `mappings`.
    ///
    /// - Parameters:
    ///   - mappings: the process's mappings, as `ProcessMaps` reads them.
    ///   - stackAddress: an address on the calling (loop) thread's stack; the anonymous mapping
    ///     holding it is populated. nil populates nothing.
    init(mappings: [ProcessMapping], stackAddress: UInt?) {
        entries = mappings.map { mapping in
            Entry(mapping: mapping, decision: Self.decide(mapping, stackAddress: stackAddress))
        }
    }

    /// The mappings to fault in and lock now.
    var populated: [ProcessMapping] {
        entries.compactMap { $0.decision == .populate ? $0.mapping : nil }
    }

    /// Total length of the populated mappings: what populating adds to RSS at most.
    var populatedBytes: UInt {
        populated.reduce(0) { $0 + $1.byteCount }
    }

    /// Total length of the mappings deferred for `reason`.
    func deferredBytes(_ reason: Deferral) -> UInt {
        entries.reduce(0) { total, entry in
            entry.decision == .deferred(reason) ? total + entry.mapping.byteCount : total
        }
    }

    private static func decide(_ mapping: ProcessMapping, stackAddress: UInt?) -> Decision {
        if !mapping.isAccessible {
            return .deferred(.inaccessible)
        }
        if mapping.isKernelProvided {
            return .deferred(.kernelProvided)
        }
        // The main thread's stack is `[stack]`; a pthread's is anonymous memory glibc mapped.
        if let stackAddress, mapping.isAnonymous, mapping.writable, mapping.contains(stackAddress) {
            return .populate
        }
        return .deferred(.lockedWhenTouched)
    }
}
