import Glibc

/// The few libc calls of the GPIO backend: the monotonic clock, waiting on event descriptors,
/// the wake-up descriptor that stops the event thread, and the thread itself.
///
/// EINTR is retried; EBADF and EFAULT mean this module passed a closed descriptor or a bad
/// pointer, a bug, and trap.
enum GPIOSyscall {
    /// Nanoseconds on CLOCK_MONOTONIC, the clock of the kernel's GPIO event timestamps.
    static func monotonicNanoseconds() -> Int {
        var now = timespec()
        precondition(clock_gettime(CLOCK_MONOTONIC, &now) == 0, "clock_gettime(CLOCK_MONOTONIC) failed")
        return Int(now.tv_sec) * 1_000_000_000 + Int(now.tv_nsec)
    }

    /// Waits until one of `descriptors` is readable or `timeoutMilliseconds` pass, and marks the
    /// readable ones in `ready` (same order). Returns false on timeout.
    static func waitReadable(
        _ descriptors: UnsafeMutableBufferPointer<pollfd>, timeoutMilliseconds: Int
    ) -> Bool {
        while true {
            let result = poll(descriptors.baseAddress, nfds_t(descriptors.count), CInt(clamping: timeoutMilliseconds))
            if result >= 0 { return result > 0 }
            let code = errno
            if code == EINTR { continue }
            preconditionFailure("poll: errno \(code)")
        }
    }

    /// A pipe whose read end a waiting thread polls and whose write end wakes it.
    static func makeWakePipe() throws(GPIOError) -> (read: CInt, write: CInt) {
        var ends: [CInt] = [-1, -1]
        guard pipe(&ends) == 0 else { throw .threadStartFailed(code: errno) }
        for end in ends {
            // On a descriptor just made, F_SETFD/F_SETFL cannot fail.
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
        }
        return (ends[0], ends[1])
    }

    /// Makes the read end of the wake pipe readable (a full pipe is already readable).
    static func wake(_ writeDescriptor: CInt) {
        var byte: UInt8 = 1
        _ = write(writeDescriptor, &byte, 1)
    }

    static func close(_ descriptor: CInt) {
        _ = Glibc.close(descriptor)
    }

    /// Starts `body` on a joinable thread with a 256 KiB stack:
    /// under mlockall every page of a thread's stack is locked, so glibc's 8 MiB would cost 8 MiB.
    static func startThread(body: sending @escaping () -> Void) throws(GPIOError) -> pthread_t {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, max(256 * 1024, Int(PTHREAD_STACK_MIN)))
        let context = Unmanaged.passRetained(ThreadBody(run: body)).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(&thread, &attributes, { argument in
            let body = Unmanaged<ThreadBody>.fromOpaque(argument!).takeRetainedValue()
            body.run()
            return nil
        }, context)
        guard result == 0 else {
            Unmanaged<ThreadBody>.fromOpaque(context).release()
            throw .threadStartFailed(code: result)
        }
        return thread
    }

    /// Waits for `thread` to end; call once per thread.
    static func join(_ thread: pthread_t) {
        let result = pthread_join(thread, nil)
        precondition(result == 0, "pthread_join: errno \(result)")
    }

    private final class ThreadBody {
        let run: () -> Void

        init(run: @escaping () -> Void) {
            self.run = run
        }
    }
}
