/// The kernel's view of clock synchronisation, as `adjtimex(2)` (`ntp_adjtime`) reports it to any
/// process: whatever disciplines the clock (chrony, systemd-timesyncd, ntpd) keeps these fields.
///
/// Guarantees: built only from the fields it names, so a test feeds it recorded values; reading
/// it never changes the clock (`Syscall.kernelClockStatus` passes no mode bits).
public struct KernelClockStatus: Sendable, Equatable {
    /// The kernel's clock state (adjtimex's return value, `TIME_OK` … `TIME_ERROR`).
    public enum State: Int, Sendable {
        case ok = 0
        case insertLeapSecond = 1
        case deleteLeapSecond = 2
        case leapSecondInProgress = 3
        case leapSecondOccurred = 4
        case error = 5
    }

    /// `STA_UNSYNC`: set by the kernel after its maximum error passes 16 s, or by a daemon that
    /// has lost its servers; clear while a daemon disciplines the clock.
    public static let unsynchronisedBit = 0x0040
    /// `STA_NANO`: `offset` is in nanoseconds rather than microseconds.
    public static let nanosecondBit = 0x2000

    public var state: State
    /// The `status` bits (`STA_…`).
    public var statusBits: Int
    /// The worst-case error the kernel assumes, in microseconds (grows by 500 ppm while nothing
    /// disciplines the clock).
    public var maxErrorMicroseconds: Int
    /// The estimated error, in microseconds.
    public var estimatedErrorMicroseconds: Int
    /// The offset still being corrected, in nanoseconds.
    public var offsetNanoseconds: Int

    /// The fields as adjtimex returned them; `offset` is read by `STA_NANO`. An unknown state
    /// counts as `error`.
    public init(returnValue: Int, status: Int, maxError: Int, estimatedError: Int, offset: Int) {
        state = State(rawValue: returnValue) ?? .error
        statusBits = status
        maxErrorMicroseconds = maxError
        estimatedErrorMicroseconds = estimatedError
        offsetNanoseconds = status & Self.nanosecondBit != 0 ? offset : offset * 1000
    }

    /// Whether the kernel counts the clock as synchronised: `STA_UNSYNC` clear and the state not
    /// `TIME_ERROR`.
    public var isSynchronised: Bool {
        statusBits & Self.unsynchronisedBit == 0 && state != .error
    }

    /// The leap-second state in chrony's words, so both sources report it alike.
    public var leapStatus: String {
        switch state {
        case .ok, .leapSecondOccurred: return isSynchronised ? "normal" : "not-synchronised"
        case .insertLeapSecond: return "insert-second"
        case .deleteLeapSecond: return "delete-second"
        case .leapSecondInProgress: return "leap-in-progress"
        case .error: return "not-synchronised"
        }
    }
}
