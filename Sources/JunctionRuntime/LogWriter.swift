import Glibc
import Synchronization
import SystemInterface

/// Writes log lines to a descriptor from a thread of its own, so that a thread which logs never
/// waits on the descriptor.
///
/// `append` only queues the line under a lock: it never blocks on I/O, whether or not anyone is
/// reading the descriptor (a stalled journald stream, a pipe whose reader stopped). The queue holds
/// at most `capacityLines` lines and `capacityBytes` bytes; a line that does not fit is dropped and
/// counted in `droppedLines`. When the writer gets past the lines queued before a drop, it writes
/// one note saying how many lines were dropped there, so the output stays in order.
///
/// The writer thread writes each line with one write(2), continuing only if the kernel took part of
/// it (a signal during a blocking write). It is the only writer, so lines never interleave. The
/// descriptor stays blocking: its file description is often shared with a shell and a terminal,
/// which O_NONBLOCK would affect too.
package final class LogWriter: Sendable {
    /// The writer of the daemon's stderr, which `LogSetup.bootstrap` installs.
    ///
    /// It is made at bootstrap, first thing in `main`, so its thread is born with the handled
    /// signals blocked and without the real-time loop's scheduling. Failing to make a thread or a
    /// pipe there means the process has no resources to run a junction, so it stops, and systemd
    /// starts it again.
    package static let standardError: LogWriter = {
        do {
            return try LogWriter(descriptor: STDERR_FILENO)
        } catch {
            preconditionFailure("junctiond: cannot start the log writer: \(error)")
        }
    }()

    /// The most lines the queue holds.
    package let capacityLines: Int
    /// The most bytes the queue holds. A longer line is still taken when the queue is empty, so a
    /// working descriptor never loses a line for its length alone.
    package let capacityBytes: Int

    /// How long after its last drop the writer still counts as dropping.
    package static let droppingWindowNanoseconds = 10_000_000_000

    private let descriptor: CInt
    /// The monotonic clock in nanoseconds, for when lines were last dropped; a test's own clock.
    private let now: @Sendable () -> Int
    private let state = Mutex(State())
    /// Woken when the queue gains an entry the writer may be waiting for.
    private let queued: WakePipe
    /// Woken when the writer has written everything, for `flush`.
    private let drained: WakePipe

    private struct State {
        var entries: [Entry] = []
        var queuedLines = 0
        var queuedBytes = 0
        var writing = false
        var droppedLines = 0
        /// When a line was last dropped (`now`'s time), nil before the first drop.
        var lastDrop: Int?
    }

    private enum Entry {
        case line([UInt8])
        /// Lines dropped at this point of the output, and the handler whose format the note is
        /// written in.
        case dropped(count: Int, handler: JournalLogHandler)
    }

    /// A writer of `descriptor` with a queue of `capacityLines` lines and `capacityBytes` bytes;
    /// its thread starts now and lives as long as the process.
    ///
    /// - Throws: `SystemError` when no pipe or thread can be made (EMFILE, EAGAIN).
    package init(
        descriptor: CInt, capacityLines: Int = 256, capacityBytes: Int = 256 * 1024,
        clock: @escaping @Sendable () -> Int = Clocks.monotonicNanoseconds
    ) throws(SystemError) {
        self.descriptor = descriptor
        now = clock
        self.capacityLines = capacityLines
        self.capacityBytes = capacityBytes
        queued = try WakePipe()
        drained = try WakePipe()
        _ = try PosixThread(name: "log-writer") { [self] in run() }
    }

    /// How many lines have been dropped because the queue was full, since the writer was made.
    package var droppedLines: Int {
        state.withLock { $0.droppedLines }
    }

    /// True while lines are being dropped: one was dropped in the last
    /// `droppingWindowNanoseconds`. `junctionctl status` shows the log service as "dropping" then.
    /// A window rather than the queue's state, so a slow reader that takes a line now and then
    /// does not make it flicker, and a reader that caught up clears it even if nothing more is logged.
    package var isDropping: Bool {
        let lastDrop = state.withLock { $0.lastDrop }
        guard let lastDrop else { return false }
        return now() - lastDrop < Self.droppingWindowNanoseconds
    }

    /// Queues `line` (which ends with its newline), or drops and counts it if the queue is full;
    /// never waits for the descriptor. `handler` renders the note about dropped lines, should this
    /// line be the first dropped at its point of the output.
    package func append(_ line: [UInt8], droppedNote handler: JournalLogHandler) {
        let wasIdle = state.withLock { state in
            let wasIdle = state.entries.isEmpty
            let fits = state.queuedLines < capacityLines
                && (state.queuedBytes + line.count <= capacityBytes || state.queuedLines == 0)
            guard fits else {
                state.droppedLines += 1
                state.lastDrop = now()
                if case .dropped(let count, let first)? = state.entries.last {
                    state.entries[state.entries.count - 1] = .dropped(count: count + 1, handler: first)
                } else {
                    state.entries.append(.dropped(count: 1, handler: handler))
                }
                return false
            }
            state.entries.append(.line(line))
            state.queuedLines += 1
            state.queuedBytes += line.count
            return wasIdle
        }
        // The writer only waits when it found the queue empty; a line behind others needs no wake-up.
        if wasIdle {
            queued.wake()
        }
    }

    /// Waits until every queued line has been written, or `timeoutMilliseconds` have passed, and
    /// returns whether everything was written. For shutdown: the last lines get out when the
    /// descriptor is being read, and a descriptor nobody reads holds the exit up no longer than
    /// the timeout. A write that failed counts as done.
    package func flush(timeoutMilliseconds: Int) -> Bool {
        let deadline = Clocks.monotonicNanoseconds() + timeoutMilliseconds * 1_000_000
        while true {
            if state.withLock({ $0.entries.isEmpty && !$0.writing }) {
                return true
            }
            let remaining = deadline - Clocks.monotonicNanoseconds()
            if remaining <= 0 {
                return false
            }
            // Rounded up, so the last wait does not end just short of the deadline and spin.
            _ = drained.wait(timeoutMilliseconds: (remaining + 999_999) / 1_000_000)
        }
    }

    private func run() {
        // A write to a pipe whose reader is gone must fail with EPIPE here rather than kill the
        // daemon with SIGPIPE before it can put the junction to flash. The handled signals are
        // blocked again in case the writer was made before `blockHandledSignals`: a SIGTERM taken
        // by this thread would end the process without a stop.
        _ = try? Syscall.blockSignals(SignalWatcher.handledSignals + [SIGPIPE])
        while true {
            let next: Entry? = state.withLock { state in
                state.writing = !state.entries.isEmpty
                guard state.writing else {
                    return nil
                }
                let entry = state.entries.removeFirst()
                if case .line(let bytes) = entry {
                    state.queuedLines -= 1
                    state.queuedBytes -= bytes.count
                }
                return entry
            }
            switch next {
            case .line(let bytes)?:
                write(bytes)
            case .dropped(let count, let handler)?:
                write(handler.droppedNote(count: count))
            case nil:
                drained.wake()
                _ = queued.wait()
            }
        }
    }

    /// Writes `bytes` with one write(2), and the rest if the kernel took only part. A failed write
    /// has nowhere to be reported, so the line is lost.
    private func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { all in
            var offset = 0
            while offset < all.count {
                guard let written = try? Syscall.write(descriptor, UnsafeRawBufferPointer(rebasing: all[offset...])),
                    written > 0
                else {
                    return
                }
                offset += written
            }
        }
    }
}
