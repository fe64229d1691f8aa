import Synchronization

/// One reading of the clock's synchronisation from every standard interface found: the kernel's
/// `adjtimex` status always, chrony's tracking report when chronyc is installed.
public struct ClockSynchronisationReading: Sendable, Equatable {
    /// The kernel's state; nil when adjtimex failed.
    public var kernel: KernelClockStatus?
    /// chrony's report; nil without chronyc, or when it could not answer.
    public var chrony: ChronyTracking?
    /// Why a source present could not be read (chronyc timed out, chronyd not running), for logs.
    public var problems: [String]

    public init(kernel: KernelClockStatus?, chrony: ChronyTracking?, problems: [String] = []) {
        self.kernel = kernel
        self.chrony = chrony
        self.problems = problems
    }

    /// Synchronised when every source read says so, and at least one was read: chrony may still
    /// count itself synchronised for a while after the kernel has flagged the clock, and the other
    /// way round during a step.
    public var isSynchronised: Bool {
        guard kernel != nil || chrony != nil else { return false }
        return (kernel?.isSynchronised ?? true) && (chrony?.isSynchronised ?? true)
    }
}

/// Where the clock discipline reads the synchronisation state: the machine in service
/// (`SystemClockStateSource`), a fake in tests, which must never depend on the machine's clock.
public protocol ClockStateSource: Sendable {
    /// Reads the state now. May take up to the source's own timeout; never called on the tick.
    func read() -> ClockSynchronisationReading
}

/// The machine's synchronisation state: `adjtimex` and, when installed, `chronyc -c tracking`
/// with a timeout (chronyc itself waits seconds for a daemon that does not answer).
///
/// After chronyc fails (chronyd stopped, no answer in time) it is not asked again for
/// `retryAfterFailureNanoseconds`, so a missing chronyd costs one child process a minute rather
/// than one a second; meanwhile its last problem is reported with each reading.
public final class SystemClockStateSource: ClockStateSource {
    /// Where chronyc is looked for, in order.
    public static let chronycPaths = ["/usr/bin/chronyc", "/usr/sbin/chronyc", "/bin/chronyc"]

    /// The chronyc found at start; nil runs on adjtimex alone (systemd-timesyncd, ntpd).
    public let chronycPath: String?
    /// The longest one chronyc call may take before it is killed.
    public let timeoutMilliseconds: Int
    private let retryAfterFailureNanoseconds: Int
    /// When chronyc may be asked again (CLOCK_MONOTONIC), and why it failed last.
    private let retry = Mutex<(notBefore: Int, problem: String?)>((0, nil))

    /// Reads the machine's clock state with the chronyc installed, if any.
    public convenience init(timeoutMilliseconds: Int = 2000) {
        self.init(
            chronycPath: Self.chronycPaths.first { path in (try? Syscall.status(path)) != nil },
            timeoutMilliseconds: timeoutMilliseconds)
    }

    /// Reads with `chronycPath` as chronyc (tests hand in a script that prints a recorded report).
    package init(chronycPath: String?, timeoutMilliseconds: Int, retryAfterFailureNanoseconds: Int = 60_000_000_000) {
        self.chronycPath = chronycPath
        self.timeoutMilliseconds = timeoutMilliseconds
        self.retryAfterFailureNanoseconds = retryAfterFailureNanoseconds
    }

    public func read() -> ClockSynchronisationReading {
        var problems: [String] = []
        var kernel: KernelClockStatus?
        do {
            kernel = try Syscall.kernelClockStatus()
        } catch {
            problems.append("\(error)")
        }
        var chrony: ChronyTracking?
        if let chronycPath {
            let now = Clocks.monotonicNanoseconds()
            let (notBefore, lastProblem) = retry.withLock { $0 }
            if now < notBefore {
                if let lastProblem { problems.append(lastProblem) }
            } else {
                let (report, problem) = askChrony(chronycPath)
                chrony = report
                if let problem { problems.append(problem) }
                retry.withLock { $0 = (problem == nil ? 0 : now + retryAfterFailureNanoseconds, problem) }
            }
        }
        return ClockSynchronisationReading(kernel: kernel, chrony: chrony, problems: problems)
    }

    /// One `chronyc -n -c tracking`: the report, or why there is none.
    private func askChrony(_ chronycPath: String) -> (ChronyTracking?, String?) {
        // -n: no DNS lookups, which could outlast the timeout; -c: the CSV form.
        do {
            let (status, output) = try Syscall.runCapturingOutput(
                [chronycPath, "-n", "-c", "tracking"], timeoutMilliseconds: timeoutMilliseconds)
            guard let status else { return (nil, "chronyc gave no answer within \(timeoutMilliseconds) ms") }
            guard status == 0 else { return (nil, "chronyc exited \(status) (is chronyd running?)") }
            return (try ChronyTracking(csv: String(decoding: output, as: UTF8.self)), nil)
        } catch let error as ChronyTracking.ParseError {
            return (nil, "chronyc tracking: \(error)")
        } catch {
            return (nil, "\(error)")
        }
    }
}
