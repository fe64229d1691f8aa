import Glibc

/// A joinable pthread with a chosen stack size and name, for work that must not share Swift's
/// cooperative thread pool (the real-time loop, `sigwait`, the watchdog feeder).
///
/// The stack size is explicit because the real-time loop's memory lock faults in and locks the
/// loop thread's whole stack (`MemoryLock`), so that no tick meets a stack page fault: glibc's
/// 8 MiB default would cost 8 MiB of RAM for a loop whose deepest call needs a few KiB.
package final class PosixThread: Sendable {
    /// The default stack for runtime threads; none of them recurses or keeps large locals.
    package static let defaultStackBytes = 256 * 1024

    /// The pthread handle, for `pthread_kill`.
    package let handle: pthread_t

    /// Starts `body` on a new thread named `name` (at most 15 bytes, the kernel's limit).
    package init(name: String, stackBytes: Int = defaultStackBytes, body: sending @escaping () -> Void) throws(SystemError) {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, max(stackBytes, Int(PTHREAD_STACK_MIN)))

        let context = Unmanaged.passRetained(Body(name: name, run: body)).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(&thread, &attributes, { argument in
            let body = Unmanaged<Body>.fromOpaque(argument!).takeRetainedValue()
            Syscall.nameCurrentThread(body.name)
            body.run()
            return nil
        }, context)
        if result != 0 {
            Unmanaged<Body>.fromOpaque(context).release()
            throw SystemError(call: "pthread_create(\(name))", code: result)
        }
        handle = thread
    }

    /// Waits for the thread's body to return. Call it exactly once.
    package func join() {
        let result = pthread_join(handle, nil)
        // EINVAL/ESRCH/EDEADLK here mean a second join or a join from the thread itself: a bug.
        precondition(result == 0, "pthread_join: \(SystemError(call: "pthread_join", code: result))")
    }

    private final class Body {
        let name: String
        let run: () -> Void

        init(name: String, run: @escaping () -> Void) {
            self.name = name
            self.run = run
        }
    }
}
