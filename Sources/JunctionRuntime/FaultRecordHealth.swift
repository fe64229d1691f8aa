import Diagnostics
import Synchronization

/// Whether the latched-fault record can be kept on disk, for `junctionctl status`: the supervisor,
/// which writes the record, tells it each outcome; the diagnostic server shows it.
///
/// A record that cannot be written leaves the fault latched while the daemon runs, but forgotten
/// at the next restart; a technician at the cabinet needs to see that before then, not in a log.
final class FaultRecordHealth: Sendable {
    private struct State {
        var writable = true
        var failedWrites: UInt64 = 0
    }

    private let state = Mutex(State())

    /// Whether the last write or probe succeeded.
    var isWritable: Bool { state.withLock { $0.writable } }

    /// A write of the record (or the start's probe) succeeded.
    func wrote() {
        state.withLock { $0.writable = true }
    }

    /// A write of the record (or the start's probe) failed.
    func failed() {
        state.withLock { state in
            state.writable = false
            state.failedWrites += 1
        }
    }

    /// `fault-record`: `writable` or `unwritable` (the last write or probe failed), and how many
    /// writes failed since the start.
    var serviceReport: StatusReport.Service {
        state.withLock { state in
            StatusReport.Service(
                name: "fault-record", state: state.writable ? "writable" : "unwritable",
                counters: ["failed_writes": state.failedWrites])
        }
    }
}
