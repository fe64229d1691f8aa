/// Running totals every field backend reports for status, so nothing is lost silently.
///
/// The counts only grow (until the process restarts) and are read outside the tick. A backend
/// keeps one value per direction: one for detector inputs, one for signal outputs.
public struct FieldBackendCounters: Sendable, Equatable {
    /// Completed reads from the field: detector polls, or output read-backs.
    public var reads: Int
    /// Completed writes to the field (lamp commands); 0 for input-only backends.
    public var writes: Int
    /// Requests repeated after an error or a timeout (Modbus reconnects count here).
    public var retries: Int
    /// Data discarded unused: a snapshot replaced before the tick took it, a command superseded
    /// before it could be written, an event that did not fit a buffer.
    public var drops: Int
    /// Fault onsets: each time an input or output goes from healthy to failed counts once,
    /// however long the fault lasts.
    public var faults: Int

    /// All counts zero.
    public init(reads: Int = 0, writes: Int = 0, retries: Int = 0, drops: Int = 0, faults: Int = 0) {
        self.reads = reads
        self.writes = writes
        self.retries = retries
        self.drops = drops
        self.faults = faults
    }
}
