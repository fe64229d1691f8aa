import Synchronization
import SystemInterface
import Testing

@testable import JunctionRuntime

@Suite struct MemoryLockPlanTests {
    /// A sample like the daemon's own maps (dynamic Swift runtime, Foundation pulled in).
    private static let sample = """
        5603c0e00000-5603c1200000 r--p 00000000 fe:01 100 /usr/bin/junctiond
        5603c1200000-5603c1f00000 r-xp 00400000 fe:01 100 /usr/bin/junctiond
        5603c1f00000-5603c2000000 rw-p 01100000 fe:01 100 /usr/bin/junctiond
        5603c3000000-5603c3400000 rw-p 00000000 00:00 0   [heap]
        7f1000000000-7f1004000000 ---p 00000000 00:00 0
        7f2000000000-7f2002000000 r--p 00000000 fe:01 200 /usr/lib/swift/linux/lib_FoundationICU.so
        7f2002000000-7f2002300000 r-xp 02000000 fe:01 200 /usr/lib/swift/linux/lib_FoundationICU.so
        7f3000000000-7f3000040000 rw-p 00000000 00:00 0
        7f3000040000-7f3000041000 ---p 00000000 00:00 0
        7f3000041000-7f3000082000 rw-p 00000000 00:00 0
        7f4000000000-7f4000200000 r-xp 00000000 fe:01 300 /usr/lib/x86_64-linux-gnu/libc.so.6
        7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0   [stack]
        7ffd00100000-7ffd00104000 r--p 00000000 00:00 0   [vvar]
        7ffd00104000-7ffd00106000 r-xp 00000000 00:00 0   [vdso]
        ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0 [vsyscall]
        """

    private func decisions(stackAddress: UInt?) -> [String: MemoryLockPlan.Decision] {
        let plan = MemoryLockPlan(mappings: ProcessMaps.parse(Self.sample), stackAddress: stackAddress)
        var byStart: [String: MemoryLockPlan.Decision] = [:]
        for entry in plan.entries {
            byStart[String(entry.mapping.startAddress, radix: 16)] = entry.decision
        }
        return byStart
    }

    @Test func populatesOnlyTheCallingThreadsStack() {
        // An address inside the second thread stack (above its guard page).
        let decided = decisions(stackAddress: 0x7f30_0008_0f00)
        #expect(decided.count == 15)
        #expect(decided.filter { $0.value == .populate }.keys.sorted() == ["7f3000041000"])
    }

    @Test func theMainThreadsStackIsPopulatedWhenTheLoopRunsThere() {
        let decided = decisions(stackAddress: 0x7ffd_0002_0000)
        #expect(decided.filter { $0.value == .populate }.keys.sorted() == ["7ffd00000000"])
    }

    @Test func codeDataICUAndHeapAreLockedWhenTouched() {
        let decided = decisions(stackAddress: 0x7f30_0008_0f00)
        for start in [
            "5603c0e00000", "5603c1200000", "5603c1f00000", "5603c3000000", "7f2000000000", "7f2002000000",
            "7f3000000000", "7f4000000000", "7ffd00000000",
        ] {
            #expect(decided[start] == .deferred(.lockedWhenTouched), "mapping at \(start)")
        }
    }

    @Test func reservationsAndKernelPagesAreNotLocked() {
        let decided = decisions(stackAddress: nil)
        #expect(decided["7f1000000000"] == .deferred(.inaccessible))
        #expect(decided["7f3000040000"] == .deferred(.inaccessible))
        #expect(decided["7ffd00100000"] == .deferred(.kernelProvided))
        #expect(decided["7ffd00104000"] == .deferred(.kernelProvided))
        #expect(decided["ffffffffff600000"] == .deferred(.kernelProvided))
    }

    @Test func anAddressOutsideAnyWritableAnonymousMappingPopulatesNothing() {
        // Inside libc's code, and inside a guard page: neither is a stack.
        for address: UInt in [0x7f40_0000_1000, 0x7f30_0004_0800] {
            let plan = MemoryLockPlan(mappings: ProcessMaps.parse(Self.sample), stackAddress: address)
            #expect(plan.populated.isEmpty, "address \(String(address, radix: 16))")
        }
        #expect(MemoryLockPlan(mappings: ProcessMaps.parse(Self.sample), stackAddress: nil).populatedBytes == 0)
    }

    @Test func totalsAddUp() {
        let plan = MemoryLockPlan(mappings: ProcessMaps.parse(Self.sample), stackAddress: 0x7f30_0000_0010)
        #expect(plan.populatedBytes == 0x4_0000)
        #expect(plan.deferredBytes(.inaccessible) == 0x400_0000 + 0x1000)
        #expect(plan.deferredBytes(.kernelProvided) == 0x4000 + 0x2000 + 0x1000)
        let everything = ProcessMaps.parse(Self.sample).reduce(0) { $0 + $1.byteCount }
        #expect(
            plan.populatedBytes + plan.deferredBytes(.inaccessible) + plan.deferredBytes(.kernelProvided)
                + plan.deferredBytes(.lockedWhenTouched) == everything)
    }

    @Test func onARealThreadThePlanPopulatesJustThatThreadsStack() throws {
        let found = PlanOnThread()
        let thread = try PosixThread(name: "plan-test") {
            var local = 1
            let address = withUnsafeMutablePointer(to: &local) { UInt(bitPattern: $0) }
            let outcome: (count: Int, bytes: UInt, error: SystemError?)
            do throws(SystemError) {
                let plan = MemoryLockPlan(mappings: try ProcessMaps.readOwn(), stackAddress: address)
                outcome = (plan.populated.count, plan.populatedBytes, nil)
            } catch {
                outcome = (0, 0, error)
            }
            found.result.withLock { $0 = outcome }
        }
        thread.join()
        let result = found.result.withLock { $0 }
        #expect(result.error == nil)
        #expect(result.count == 1)
        // glibc places the thread's TLS and descriptor in the same mapping, above the stack.
        #expect(result.bytes >= UInt(PosixThread.defaultStackBytes))
        #expect(result.bytes < UInt(PosixThread.defaultStackBytes) + 1 << 20)
    }

    @Test func residentSizeOfThisProcessIsPlausible() throws {
        let resident = try ProcessMaps.ownResidentBytes()
        #expect(resident % Syscall.pageBytes() == 0)
        #expect(resident > 1 << 20, "a Swift test process holds more than 1 MB")
        #expect(resident < 1 << 40)
    }
}

/// What a plan made on another thread found, handed back to the test.
private final class PlanOnThread: Sendable {
    let result = Mutex<(count: Int, bytes: UInt, error: SystemError?)>((0, 0, nil))
}
