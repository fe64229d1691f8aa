import Glibc

/// A wake-up one thread can wait on with a timeout and another can trigger: a self-pipe.
///
/// A `wake()` makes a current or later `wait` return `true`, so none is lost if it arrives before
/// the wait starts. Waiters re-check their own condition after waking, since several wake-ups may
/// be pending at once. `wake()` never blocks, so the real-time loop may call it.
package final class WakePipe: Sendable {
    private let readEnd: CInt
    private let writeEnd: CInt

    package init() throws(SystemError) {
        (readEnd, writeEnd) = try Syscall.pipe()
    }

    deinit {
        Syscall.close(readEnd)
        Syscall.close(writeEnd)
    }

    /// Triggers a wake-up without blocking. A full pipe (EAGAIN) already holds pending wake-ups,
    /// so nothing is lost by dropping this one.
    package func wake() {
        var byte: UInt8 = 1
        do {
            _ = try withUnsafeBytes(of: &byte) { bytes throws(SystemError) in try Syscall.write(writeEnd, bytes) }
        } catch {
            if error.code != EAGAIN {
                preconditionFailure("wake pipe: \(error)")
            }
        }
    }

    /// The read end, for a thread that polls it together with descriptors of its own (the GPIO
    /// event thread); it becomes readable on `wake()`.
    package var readDescriptor: CInt { readEnd }

    /// Waits up to `timeoutMilliseconds` (nil: no limit) and returns whether a wake-up arrived,
    /// consuming every wake-up pending, so a burst of them costs one pass, not one each.
    package func wait(timeoutMilliseconds: Int? = nil) -> Bool {
        do {
            let timeout = CInt(clamping: timeoutMilliseconds ?? -1)
            guard try Syscall.waitReadable(readEnd, timeoutMilliseconds: timeout) else {
                return false
            }
            var pending: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
            let read = try withUnsafeMutableBytes(of: &pending) { bytes throws(SystemError) in
                try Syscall.read(readEnd, into: bytes)
            }
            return read > 0
        } catch {
            // EAGAIN: another waiter took the byte first, so this wait saw no wake-up of its own.
            if error.code == EAGAIN {
                return false
            }
            preconditionFailure("wake pipe: \(error)")
        }
    }
}
