import Glibc
import SystemPackage

/// The one place where the daemon calls libc: through swift-system's `FileDescriptor` where it
/// covers the call (open, read, write, close, pipe), directly where it does not.
///
/// Each wrapper retries EINTR, turns any other failure into a typed `SystemError`, and traps on
/// EBADF and EFAULT: those mean the process passed a closed descriptor or a bad pointer, a bug that
/// no caller can recover from.
package enum Syscall {
    // MARK: Clocks

    /// Wall-clock time as seconds and nanoseconds since the epoch, for log timestamps only.
    package static func realtime() -> timespec {
        let now = Clocks.realtimeNanoseconds()
        return timespec(tv_sec: now / 1_000_000_000, tv_nsec: now % 1_000_000_000)
    }

    /// The UTC calendar fields of `secondsSinceEpoch` (gmtime_r): year, month 1-12, day 1-31, hour,
    /// minute and second.
    package static func utcCalendar(secondsSinceEpoch: Int) -> (
        year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int
    ) {
        var seconds = time_t(secondsSinceEpoch)
        var parts = tm()
        precondition(gmtime_r(&seconds, &parts) != nil, "gmtime_r of \(secondsSinceEpoch) failed")
        return (
            Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday), Int(parts.tm_hour),
            Int(parts.tm_min), Int(parts.tm_sec)
        )
    }

    /// Wall-clock milliseconds since the epoch, for record timestamps.
    package static func realtimeMilliseconds() -> Int64 {
        Int64(Clocks.realtimeNanoseconds() / 1_000_000)
    }

    /// Sleeps until CLOCK_MONOTONIC reads `deadlineNanoseconds`, returning at once if it already has.
    ///
    /// A signal does not shorten the sleep: the absolute deadline is simply slept towards again.
    package static func sleepUntil(monotonicNanoseconds deadlineNanoseconds: Int) {
        var deadline = timespec(
            tv_sec: deadlineNanoseconds / 1_000_000_000,
            tv_nsec: deadlineNanoseconds % 1_000_000_000
        )
        while true {
            // clock_nanosleep returns the error number instead of setting errno.
            let result = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, nil)
            if result == 0 {
                return
            }
            if result != EINTR {
                // EINVAL here means a negative or out-of-range deadline: a bug in the caller.
                preconditionFailure("clock_nanosleep: \(SystemError(call: "clock_nanosleep", code: result))")
            }
        }
    }

    // MARK: Files and descriptors

    /// Opens `path` with `flags` (O_CLOEXEC is always added) and returns the descriptor.
    package static func open(_ path: String, flags: CInt, mode: mode_t = 0) throws(SystemError) -> CInt {
        try open(FilePath(path), flags: flags, mode: mode)
    }

    /// Opens `path`, whatever its bytes, with `flags` (O_CLOEXEC is always added) and returns the descriptor.
    package static func open(_ path: FilePath, flags: CInt, mode: mode_t = 0) throws(SystemError) -> CInt {
        try throwing("open(\(path))") {
            try FileDescriptor.open(
                path, FileDescriptor.AccessMode(rawValue: flags & O_ACCMODE),
                options: FileDescriptor.OpenOptions(rawValue: flags & ~O_ACCMODE).union(.closeOnExec),
                permissions: FilePermissions(rawValue: mode)
            ).rawValue
        }
    }

    /// Closes `descriptor`. Linux releases the descriptor even when close reports EINTR, so it is
    /// never retried, and a late error (EIO from a device) has nothing left to act on.
    package static func close(_ descriptor: CInt) {
        try? throwing("close") { try FileDescriptor(rawValue: descriptor).close() }
    }

    /// Writes `bytes` with one write(2) call and returns how many were written.
    package static func write(_ descriptor: CInt, _ bytes: UnsafeRawBufferPointer) throws(SystemError) -> Int {
        try throwing("write") { try FileDescriptor(rawValue: descriptor).write(bytes) }
    }

    /// Reads into `buffer` with one read(2) call and returns how many bytes arrived (0 at end of file).
    package static func read(_ descriptor: CInt, into buffer: UnsafeMutableRawBufferPointer) throws(SystemError) -> Int {
        try throwing("read") { try FileDescriptor(rawValue: descriptor).read(into: buffer) }
    }

    /// Makes a pipe whose ends are both close-on-exec and non-blocking, so neither a drained read
    /// end nor a full write end can stall the thread using it.
    package static func pipe() throws(SystemError) -> (read: CInt, write: CInt) {
        do {
            let ends = try FileDescriptor.pipe(options: [.closeOnExec, .nonBlocking])
            return (ends.readEnd.rawValue, ends.writeEnd.rawValue)
        } catch {
            // pipe2 fails only for want of descriptors or memory (EMFILE, ENFILE, ENOMEM).
            throw SystemError(call: "pipe2", code: error.rawValue)
        }
    }

    /// Waits until `descriptor` is readable or `timeoutMilliseconds` pass (-1: no limit).
    /// Returns whether it became readable. A signal restarts the wait with the full timeout, which
    /// only ever lengthens a wait that has no deadline to meet.
    package static func waitReadable(_ descriptor: CInt, timeoutMilliseconds: CInt) throws(SystemError) -> Bool {
        var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        let ready = try retrying("poll") { Glibc.poll(&entry, 1, timeoutMilliseconds) }
        return ready > 0
    }

    /// The metadata of an open descriptor.
    package static func fstat(_ descriptor: CInt) throws(SystemError) -> stat {
        var status = stat()
        _ = try retrying("fstat") { Glibc.fstat(descriptor, &status) }
        return status
    }

    // MARK: Sockets

    /// Makes a close-on-exec socket.
    package static func socket(domain: CInt, type: CInt) throws(SystemError) -> CInt {
        try retrying("socket") { Glibc.socket(domain, type | CInt(SOCK_CLOEXEC.rawValue), 0) }
    }

    /// Binds `descriptor` to an AF_UNIX address.
    package static func bind(_ descriptor: CInt, to address: UnixSocketAddress) throws(SystemError) {
        _ = try address.withSockaddr { pointer, length throws(SystemError) in
            try retrying("bind(\(address))") { Glibc.bind(descriptor, pointer, length) }
        }
    }

    /// Sends one datagram to an AF_UNIX address, never raising SIGPIPE.
    /// Never waits: a receiver whose queue is full (a stalled service manager) makes it throw
    /// EAGAIN rather than stall the calling thread.
    package static func send(_ descriptor: CInt, _ bytes: UnsafeRawBufferPointer, to address: UnixSocketAddress)
        throws(SystemError)
    {
        _ = try address.withSockaddr { pointer, length throws(SystemError) in
            try retrying("sendto(\(address))") {
                Glibc.sendto(descriptor, bytes.baseAddress, bytes.count, CInt(MSG_NOSIGNAL | MSG_DONTWAIT), pointer, length)
            }
        }
    }

    /// Receives one datagram into `buffer` and returns its length.
    package static func receive(_ descriptor: CInt, into buffer: UnsafeMutableRawBufferPointer, flags: CInt = 0)
        throws(SystemError) -> Int
    {
        try retrying("recv") { Glibc.recv(descriptor, buffer.baseAddress, buffer.count, flags) }
    }

    // MARK: Memory and scheduling

    /// Locks the process's pages in RAM (`MCL_CURRENT | MCL_FUTURE` and friends).
    package static func lockAllMemory(flags: CInt) throws(SystemError) {
        _ = try retrying("mlockall") { mlockall(flags) }
    }

    /// The size of a memory page.
    package static func pageBytes() -> UInt {
        // _SC_PAGESIZE is always supported on Linux; -1 would be a broken libc.
        let size = sysconf(CInt(_SC_PAGESIZE))
        precondition(size > 0, "sysconf(_SC_PAGESIZE) failed")
        return UInt(size)
    }

    /// Faults in every page of `byteCount` bytes from `startAddress` (page-aligned) and locks them
    /// in RAM. ENOMEM means part of the range is not mapped (or, without CAP_IPC_LOCK, that
    /// RLIMIT_MEMLOCK is exceeded).
    package static func lockMemory(startAddress: UInt, byteCount: UInt) throws(SystemError) {
        _ = try retrying("mlock(\(byteCount) bytes)") {
            mlock(UnsafeRawPointer(bitPattern: startAddress), Int(byteCount))
        }
    }

    /// Puts the calling thread under SCHED_FIFO at `priority`.
    package static func setCurrentThreadFIFO(priority: CInt) throws(SystemError) {
        var parameters = sched_param(sched_priority: priority)
        try pthreadResult("pthread_setschedparam(SCHED_FIFO, \(priority))") {
            pthread_setschedparam(pthread_self(), SCHED_FIFO, &parameters)
        }
    }

    /// The calling thread's scheduling policy and priority.
    package static func currentThreadScheduling() throws(SystemError) -> (policy: CInt, priority: CInt) {
        var policy: CInt = 0
        var parameters = sched_param()
        try pthreadResult("pthread_getschedparam") { pthread_getschedparam(pthread_self(), &policy, &parameters) }
        return (policy, parameters.sched_priority)
    }

    /// The SCHED_FIFO priority range of this kernel.
    package static func fifoPriorityRange() -> ClosedRange<CInt> {
        sched_get_priority_min(SCHED_FIFO)...sched_get_priority_max(SCHED_FIFO)
    }

    /// Sets the calling thread's timer slack (how late the kernel may fire its timers to batch wake-ups).
    package static func setCurrentThreadTimerSlack(nanoseconds: UInt) throws(SystemError) {
        let prctl = try prctlFunction()
        _ = try retrying("prctl(PR_SET_TIMERSLACK, \(nanoseconds))") { prctl(prSetTimerSlack, nanoseconds, 0, 0, 0) }
    }

    /// The calling thread's timer slack in nanoseconds.
    package static func currentThreadTimerSlackNanoseconds() throws(SystemError) -> Int {
        let prctl = try prctlFunction()
        return Int(try retrying("prctl(PR_GET_TIMERSLACK)") { prctl(prGetTimerSlack, 0, 0, 0, 0) })
    }

    // MARK: Signals and threads

    /// Blocks `signals` in the calling thread, which threads it starts afterwards inherit, and
    /// returns the previous mask for `restoreSignalMask`.
    @discardableResult
    package static func blockSignals(_ signals: [CInt]) throws(SystemError) -> sigset_t {
        var set = signalSet(signals)
        var previous = sigset_t()
        try pthreadResult("pthread_sigmask(SIG_BLOCK)") { pthread_sigmask(SIG_BLOCK, &set, &previous) }
        return previous
    }

    /// Puts back a mask returned by `blockSignals`.
    package static func restoreSignalMask(_ mask: sigset_t) throws(SystemError) {
        var mask = mask
        try pthreadResult("pthread_sigmask(SIG_SETMASK)") { pthread_sigmask(SIG_SETMASK, &mask, nil) }
    }

    /// Waits until one of `signals` (which must be blocked) is pending and returns its number.
    package static func waitForSignal(_ signals: [CInt]) throws(SystemError) -> CInt {
        var set = signalSet(signals)
        var received: CInt = 0
        try pthreadResult("sigwait") { sigwait(&set, &received) }
        return received
    }

    /// Waits at most `milliseconds` for one of `signals` (which must be blocked) to be pending and
    /// takes it: its number, or nil if none came in time.
    package static func waitForSignal(_ signals: [CInt], milliseconds: Int) throws(SystemError) -> CInt? {
        var set = signalSet(signals)
        var timeout = timespec(tv_sec: milliseconds / 1000, tv_nsec: (milliseconds % 1000) * 1_000_000)
        // EINTR (a signal outside the set was handled) is left to the caller's next call, like a timeout.
        let received = sigtimedwait(&set, nil, &timeout)
        if received != -1 { return received }
        if errno == EAGAIN || errno == EINTR { return nil }
        throw SystemError(call: "sigtimedwait", code: errno)
    }

    /// Sends `signal` to one thread of this process.
    package static func signalThread(_ thread: pthread_t, _ signal: CInt) throws(SystemError) {
        try pthreadResult("pthread_kill(\(signal))") { pthread_kill(thread, signal) }
    }

    /// Names the calling thread for `ps -L` and `top -H` (at most 15 bytes are kept). The name is
    /// cosmetic, so a refusal is ignored. pthread_setname_np is a GNU extension Swift does not import;
    /// writing the thread's own `comm` file is what it does underneath.
    package static func nameCurrentThread(_ name: String) {
        guard let descriptor = try? open("/proc/thread-self/comm", flags: O_WRONLY) else {
            return
        }
        defer { close(descriptor) }
        _ = try? Array(name.utf8.prefix(15)).withUnsafeBytes { bytes throws(SystemError) in
            try write(descriptor, bytes)
        }
    }

    // MARK: Helpers

    /// Runs `body` until it stops failing with EINTR; -1 becomes a `SystemError` named `call`. Every
    /// wrapper in this module's Syscall extensions goes through it.
    @inline(__always)
    package static func retrying<Result: BinaryInteger>(_ call: @autoclosure () -> String, _ body: () -> Result)
        throws(SystemError) -> Result
    {
        while true {
            let result = body()
            if result != -1 {
                return result
            }
            let code = errno
            if code == EINTR {
                continue
            }
            trapOnProgrammerError(call(), code: code)
            throw SystemError(call: call(), code: code)
        }
    }

    /// Runs a swift-system call (which retries EINTR itself) and turns its `Errno` into a
    /// `SystemError` named `call`, trapping on EBADF and EFAULT like `retrying`.
    @inline(__always)
    private static func throwing<Result>(_ call: @autoclosure () -> String, _ body: () throws -> Result)
        throws(SystemError) -> Result
    {
        do {
            return try body()
        } catch let error as Errno {
            trapOnProgrammerError(call(), code: error.rawValue)
            throw SystemError(call: call(), code: error.rawValue)
        } catch {
            preconditionFailure("\(call()): swift-system threw \(error), not an Errno")
        }
    }

    /// For the pthread family, which returns the error number instead of setting errno.
    @inline(__always)
    private static func pthreadResult(_ call: @autoclosure () -> String, _ body: () -> CInt) throws(SystemError) {
        while true {
            let code = body()
            if code == 0 {
                return
            }
            if code == EINTR {
                continue
            }
            trapOnProgrammerError(call(), code: code)
            throw SystemError(call: call(), code: code)
        }
    }

    private static func trapOnProgrammerError(_ call: String, code: CInt) {
        if code == EBADF || code == EFAULT {
            preconditionFailure("\(SystemError(call: call, code: code)): a closed descriptor or bad pointer is a bug")
        }
    }

    private static func signalSet(_ signals: [CInt]) -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in signals {
            sigaddset(&set, signal)
        }
        return set
    }

    // From <linux/prctl.h>, which the Glibc module does not import.
    private static let prSetTimerSlack: CInt = 29
    private static let prGetTimerSlack: CInt = 30

    private typealias PrctlFunction = @convention(c) (CInt, UInt, UInt, UInt, UInt) -> CInt

    /// prctl is variadic, so Swift does not import it. It is called through a fixed five-argument
    /// pointer: on the x86-64 and AArch64 Linux ABIs integer variadic arguments travel in the same
    /// registers as fixed ones, which is also how glibc's own syscall wrappers read them.
    private static func prctlFunction() throws(SystemError) -> PrctlFunction {
        guard let symbol = dlsym(nil, "prctl") else {
            throw SystemError(call: "dlsym(prctl)", code: ENOSYS)
        }
        return unsafeBitCast(symbol, to: PrctlFunction.self)
    }
}
