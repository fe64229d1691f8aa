import Glibc

/// The one place where this module calls libc (libmodbus itself is wrapped in `ModbusConnection`).
///
/// Failures caused by the environment (no memory for a thread) are returned as `ModbusError`; an
/// errno that can only mean a bug in this module (EBADF on our own descriptor, EINVAL from a clock)
/// traps, because no caller could recover from it.
enum ModbusSystem {
    /// Nanoseconds on CLOCK_MONOTONIC since an arbitrary start (boot).
    static func monotonicNanoseconds() -> Int {
        var now = timespec()
        precondition(clock_gettime(CLOCK_MONOTONIC, &now) == 0, "clock_gettime(CLOCK_MONOTONIC) failed")
        return Int(now.tv_sec) * 1_000_000_000 + Int(now.tv_nsec)
    }

    /// The calling thread's errno, read right after a failed call.
    static var lastErrno: CInt { errno }

    /// A pipe whose ends are both non-blocking and close-on-exec: a wake-up channel.
    static func makeWakePipe() throws(ModbusError) -> (read: CInt, write: CInt) {
        var ends: [CInt] = [-1, -1]
        guard Glibc.pipe(&ends) == 0 else {
            throw ModbusError(operation: "pipe", code: errno)
        }
        for end in ends {
            precondition(fcntl(end, F_SETFD, FD_CLOEXEC) == 0, "fcntl(F_SETFD) on a new pipe")
            let flags = fcntl(end, F_GETFL)
            precondition(flags >= 0 && fcntl(end, F_SETFL, flags | O_NONBLOCK) == 0, "fcntl(F_SETFL) on a new pipe")
        }
        return (ends[0], ends[1])
    }

    /// Writes one byte to a wake pipe without blocking. EAGAIN means the pipe is full of pending
    /// wake-ups, which already wake the reader, so it is not an error.
    static func signalWakePipe(_ descriptor: CInt) {
        var byte: UInt8 = 1
        while true {
            let written = withUnsafeBytes(of: &byte) { Glibc.write(descriptor, $0.baseAddress, 1) }
            if written == 1 {
                return
            }
            let code = errno
            if code == EINTR {
                continue
            }
            precondition(code == EAGAIN, "wake pipe write: \(String(cString: strerror(code)))")
            return
        }
    }

    /// Waits until the wake pipe is readable or `timeoutNanoseconds` pass; drains it and returns
    /// whether anything was there. The timeout is rounded up to whole milliseconds.
    static func waitWakePipe(_ descriptor: CInt, timeoutNanoseconds: Int) -> Bool {
        var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        let milliseconds = CInt(clamping: max(0, (timeoutNanoseconds + 999_999) / 1_000_000))
        let ready = Glibc.poll(&entry, 1, milliseconds)
        if ready == -1 {
            // EINTR: a signal arrived; the caller loops and re-checks its deadline.
            precondition(errno == EINTR, "poll(wake pipe): \(String(cString: strerror(errno)))")
            return false
        }
        guard ready > 0 else { return false }
        var drained = false
        var buffer: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        while withUnsafeMutableBytes(of: &buffer, { Glibc.read(descriptor, $0.baseAddress, $0.count) }) > 0 {
            drained = true
        }
        return drained
    }

    /// Names the calling thread (at most 15 bytes) for `top -H` and crash reports; best effort,
    /// since pthread_setname_np is not visible to Swift here.
    static func nameCurrentThread(_ name: String) {
        let descriptor = Glibc.open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        let bytes = Array(name.utf8.prefix(15))
        _ = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
    }

    /// Closes a descriptor this module owns.
    static func close(_ descriptor: CInt) {
        if Glibc.close(descriptor) == -1 {
            precondition(errno != EBADF, "close: descriptor \(descriptor) was not open")
        }
    }

    /// Starts `body` on a new joinable pthread named `name` (at most 15 bytes) with a small stack:
    /// under `mlockall(MCL_FUTURE)` every page of a thread's stack is locked at once.
    static func startThread(name: String, body: @escaping @Sendable () -> Void) throws(ModbusError) -> pthread_t {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, max(256 * 1024, Int(PTHREAD_STACK_MIN)))
        let context = Unmanaged.passRetained(ThreadBody(name: name, run: body)).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(
            &thread, &attributes,
            { argument in
                let body = Unmanaged<ThreadBody>.fromOpaque(argument!).takeRetainedValue()
                ModbusSystem.nameCurrentThread(body.name)
                body.run()
                return nil
            }, context)
        if result != 0 {
            Unmanaged<ThreadBody>.fromOpaque(context).release()
            throw ModbusError(operation: "start thread \(name)", code: result)
        }
        return thread
    }

    /// Waits for a thread started by `startThread` to end. Call it once per thread.
    static func joinThread(_ thread: pthread_t) {
        let result = pthread_join(thread, nil)
        precondition(result == 0, "pthread_join: \(String(cString: strerror(result)))")
    }

    private final class ThreadBody {
        let name: String
        let run: @Sendable () -> Void

        init(name: String, run: @escaping @Sendable () -> Void) {
            self.name = name
            self.run = run
        }
    }
}
