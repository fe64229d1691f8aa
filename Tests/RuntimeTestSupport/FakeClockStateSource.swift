import Synchronization
import SystemInterface

/// A FAKE clock-state source: returns whatever reading the test last set, so clock-discipline tests
/// never depend on (or touch) the machine's clock. Counts its reads.
package final class FakeClockStateSource: ClockStateSource {
    private let state: Mutex<(reading: ClockSynchronisationReading, reads: Int)>

    package init(_ reading: ClockSynchronisationReading = FakeClockStateSource.synchronised) {
        state = Mutex((reading, 0))
    }

    package func read() -> ClockSynchronisationReading {
        state.withLock { state in
            state.reads += 1
            return state.reading
        }
    }

    /// The reading every later `read` returns.
    package func set(_ reading: ClockSynchronisationReading) {
        state.withLock { $0.reading = reading }
    }

    package var reads: Int { state.withLock { $0.reads } }

    /// The kernel synchronised (TIME_OK, PLL on, 12 µs estimated error) and chrony at stratum 3.
    package static let synchronised = ClockSynchronisationReading(
        kernel: KernelClockStatus(returnValue: 0, status: 0x2001, maxError: 45_000, estimatedError: 12, offset: -3_400),
        chrony: try? ChronyTracking(csv: RecordedClockOutputs.chronySynchronised))

    /// The kernel flags the clock (STA_UNSYNC, TIME_ERROR) and chrony has no source.
    package static let unsynchronised = ClockSynchronisationReading(
        kernel: KernelClockStatus(returnValue: 5, status: 0x2041, maxError: 16_000_000, estimatedError: 16_000_000, offset: 0),
        chrony: try? ChronyTracking(csv: RecordedClockOutputs.chronyUnsynchronised))
}

/// Outputs of `chronyc -n -c tracking` in the form chrony 4.3 (Debian 12) prints them.
package enum RecordedClockOutputs {
    /// Synchronised to a stratum-2 server, 12 µs fast.
    package static let chronySynchronised =
        "C0000215,192.0.2.21,3,1764746412.123456789,0.000012345,-0.000004567,0.000021000,-7.123,-0.001,0.045,0.012345678,0.001234567,64.4,Normal\n"
    /// chronyd running without a reachable source since boot.
    package static let chronyUnsynchronised =
        "00000000,,0,0.000000000,0.000000000,0.000000000,0.000000000,0.000,0.000,0.000,1.000000000,1.000000000,0.0,Not synchronised\n"
    /// A leap second announced.
    package static let chronyLeapInsert =
        "C0000215,192.0.2.21,2,1764746412.000000000,-0.000001000,0.000000500,0.000002000,1.5,0.0,0.01,0.001,0.0005,128.0,Insert second\n"
}
