import Glibc
import Synchronization
import SystemInterface

/// What the detector inputs share with their event thread: the accumulated edges under a lock,
/// the stop flag, and the pipe that wakes the thread to stop.
final class GPIOInputExchange: Sendable {
    let state: Mutex<EdgeAccumulator>
    let stopping = Atomic<Bool>(false)
    let wake: WakePipe

    init(accumulator: EdgeAccumulator, wake: WakePipe) {
        state = Mutex(accumulator)
        self.wake = wake
    }
}

/// The body of the GPIO event thread: waits for edges on every detector line, reads them with
/// their kernel timestamps, debounces them, and adds the accepted transitions to the exchange.
///
/// It wakes at least every `heartbeatMilliseconds`, and earlier when a debounce hold ends, so a
/// level that settles is accepted on time and the exchange's heartbeat shows the thread alive.
/// A line whose events cannot be read is marked failed and no longer polled.
final class GPIOEventReader {
    /// The longest wait between heartbeats.
    static let heartbeatMilliseconds = 100

    private let lines: [LibGPIOD.EventLine]
    private let detectorOfLine: [Int]
    private var filters: [DebounceFilter]
    private let exchange: GPIOInputExchange
    private let names: [String]
    private let report: (@Sendable (String) -> Void)?
    private let reportIntervalNanoseconds: Int
    /// The line descriptors, then the wake pipe last.
    private let pollSet: UnsafeMutableBufferPointer<pollfd>
    /// Accepted transitions of one pass, applied under one lock.
    private var batch: [(detector: Int, transition: DebounceFilter.Transition)] = []
    private var failedLines: [Int] = []

    init(
        lines: [LibGPIOD.EventLine], detectorOfLine: [Int], filters: [DebounceFilter], exchange: GPIOInputExchange,
        names: [String], report: (@Sendable (String) -> Void)?, reportIntervalSeconds: Int
    ) {
        self.lines = lines
        self.detectorOfLine = detectorOfLine
        self.filters = filters
        self.exchange = exchange
        self.names = names
        self.report = report
        reportIntervalNanoseconds = reportIntervalSeconds * 1_000_000_000
        pollSet = .allocate(capacity: lines.count + 1)
        for (index, line) in lines.enumerated() {
            pollSet[index] = pollfd(fd: line.descriptor, events: Int16(POLLIN), revents: 0)
        }
        pollSet[lines.count] = pollfd(fd: exchange.wake.readDescriptor, events: Int16(POLLIN), revents: 0)
        batch.reserveCapacity(4 * lines.count + 16)
    }

    deinit {
        pollSet.deallocate()
    }

    /// Runs until the exchange's stop flag is set (and the wake pipe written).
    func run() {
        var nextReport = Clocks.monotonicNanoseconds() + reportIntervalNanoseconds
        while !exchange.stopping.load(ordering: .acquiring) {
            for index in pollSet.indices {
                pollSet[index].revents = 0
            }
            do {
                _ = try Syscall.poll(pollSet, timeoutMilliseconds: CInt(clamping: timeoutMilliseconds()))
            } catch {
                // EINTR is retried; what is left (EINVAL, ENOMEM for a handful of descriptors) is a bug.
                preconditionFailure("GPIO event thread: \(error)")
            }
            var read = 0
            var repeated = 0
            failedLines.removeAll(keepingCapacity: true)
            for index in lines.indices where pollSet[index].revents != 0 {
                let result = lines[index].readEdges { level, nanoseconds in
                    let observation = filters[index].observe(level: level, atNanoseconds: nanoseconds)
                    if let transition = observation.transition {
                        batch.append((detectorOfLine[index], transition))
                    }
                    read += 1
                    if observation.repeated { repeated += 1 }
                }
                if case .failure = result {
                    failedLines.append(index)
                    // poll would report the broken descriptor at once forever; a negative fd is skipped.
                    pollSet[index].fd = -1
                }
            }
            let now = Clocks.monotonicNanoseconds()
            for index in filters.indices {
                if let transition = filters[index].settle(nowNanoseconds: now) {
                    batch.append((detectorOfLine[index], transition))
                }
            }
            exchange.state.withLock { accumulator in
                for (detector, transition) in batch {
                    accumulator.accept(transition, detector: detector)
                }
                accumulator.countEdges(read: read, repeated: repeated)
                for index in failedLines {
                    accumulator.setLineFault(true, detector: detectorOfLine[index])
                }
                accumulator.heartbeat(nowNanoseconds: now)
            }
            batch.removeAll(keepingCapacity: true)
            if let report, reportIntervalNanoseconds > 0, now >= nextReport {
                report(statistics().description)
                nextReport = now + reportIntervalNanoseconds
            }
        }
    }

    /// The statistics now; allocates, so only for this thread's report and status readers.
    func statistics() -> GPIOInputStatistics {
        Self.statistics(names: names, exchange: exchange)
    }

    static func statistics(names: [String], exchange: GPIOInputExchange) -> GPIOInputStatistics {
        exchange.state.withLock { GPIOInputStatistics(names: names, accumulator: $0) }
    }

    /// Until the next heartbeat or the earliest debounce deadline, rounded up to a millisecond.
    private func timeoutMilliseconds() -> Int {
        var earliest: Int?
        for filter in filters {
            if let deadline = filter.deadlineNanoseconds, deadline < earliest ?? .max {
                earliest = deadline
            }
        }
        guard let earliest else { return Self.heartbeatMilliseconds }
        let remaining = earliest - Clocks.monotonicNanoseconds()
        return max(0, min(Self.heartbeatMilliseconds, (remaining + 999_999) / 1_000_000))
    }
}
