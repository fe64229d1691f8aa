/// At most `burst` log lines about a recurring event every `intervalNanoseconds`, with the
/// occurrences passed over in between counted for the next line: a device that misbehaves at every
/// poll, a flood of forged datagrams or of control requests would otherwise write a line each, up
/// to hundreds of thousands a day. `overdue` says the count of a burst that nothing followed.
public struct LogRateGate: Sendable {
    /// The window in which at most `burst` lines are written.
    public static let intervalNanoseconds = 10_000_000_000

    private let burst: Int
    private var windowStart: Int?
    private var admitted = 0
    private var passedOver = 0

    /// A gate letting `burst` lines through per interval (1: one line, then the count).
    public init(burst: Int = 1) {
        self.burst = max(1, burst)
    }

    /// Takes in one occurrence at `now` (CLOCK_MONOTONIC nanoseconds). Returns nil when it is not to
    /// be logged, else how many were passed over since the last line.
    public mutating func admit(at now: Int) -> Int? {
        if windowStart.map({ now - $0 >= Self.intervalNanoseconds }) ?? true {
            windowStart = now
            admitted = 0
        }
        guard admitted < burst else {
            passedOver += 1
            return nil
        }
        admitted += 1
        defer { passedOver = 0 }
        return passedOver
    }

    /// The occurrences passed over, once the interval that passed them over has ended, for a line
    /// of their own (which opens a new window); nil while none wait or the window is still open.
    public mutating func overdue(at now: Int) -> Int? {
        guard passedOver > 0, let windowStart, now - windowStart >= Self.intervalNanoseconds else { return nil }
        self.windowStart = now
        admitted = 1
        defer { passedOver = 0 }
        return passedOver
    }

    /// Whether the gate holds nothing that a later line would need: no count waiting and its window
    /// over, so a keeper of many gates may drop it.
    public func isSpent(at now: Int) -> Bool {
        passedOver == 0 && windowStart.map { now - $0 >= Self.intervalNanoseconds } ?? true
    }

    /// " (and N more since the last such line)" for `passedOver` > 0, else nothing.
    public static func suffix(_ passedOver: Int, _ what: String) -> String {
        passedOver > 0 ? " (and \(passedOver) more \(what) since the last such line)" : ""
    }
}
