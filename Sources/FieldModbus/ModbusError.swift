import Glibc
import SystemInterface

/// A failed Modbus exchange, connection or system call, with what was being done and why it failed.
///
/// Every libmodbus failure is turned into one of these by `ModbusConnection`, from errno or one of
/// libmodbus's own `EMB*` codes, so callers switch over `reason` instead of comparing numbers.
public struct ModbusError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Why an operation failed, grouped by what the backend does about it.
    public enum Reason: Sendable, Equatable {
        /// No complete answer within the response timeout.
        case timedOut
        /// The device (or the host at its address) refused the TCP connection.
        case refused
        /// An open connection was closed or reset by the other end.
        case connectionLost
        /// No route to the device's host or network.
        case unreachable
        /// The device answered with a Modbus exception (1 illegal function, 2 illegal data address,
        /// 3 illegal data value, 4 device failure, 6 busy, ...).
        case exception(code: Int)
        /// An answer arrived but could not be used: bad CRC, wrong length or unit, unknown exception.
        case badResponse
        /// Any other errno, such as ENOENT or EACCES when opening a serial device.
        case system(code: CInt)
    }

    /// What was being done, naming the device: `unit "io" at 10.0.0.5:502 (id 1): read coils 0–11`.
    public var operation: String
    /// The failure's kind.
    public var reason: Reason
    /// libmodbus's or the C library's text for the failure.
    public var message: String

    /// A system call of the backend's own (a wake pipe, a thread) that failed.
    init(_ error: SystemError) {
        self.init(operation: error.call, code: error.code)
    }

    /// An error with an explicit reason and text.
    public init(operation: String, reason: Reason, message: String) {
        self.operation = operation
        self.reason = reason
        self.message = message
    }

    /// An error from a plain errno value, classified by `reason(errno:)`.
    init(operation: String, code: CInt) {
        self.init(operation: operation, reason: Self.reason(errno: code), message: String(cString: strerror(code)))
    }

    /// An unusable answer, in `message`'s words; the connection puts the operation in.
    static func badResponse(_ message: String) -> ModbusError {
        ModbusError(operation: "", reason: .badResponse, message: message)
    }

    /// `operation: message`.
    public var description: String { "\(operation): \(message)" }

    /// The same error with `context` (the unit and device) put before the operation.
    public func within(_ context: String) -> ModbusError {
        ModbusError(operation: "\(context): \(operation)", reason: reason, message: message)
    }

    /// The reason for a C library errno value.
    static func reason(errno code: CInt) -> Reason {
        switch code {
        case ETIMEDOUT: return .timedOut
        case ECONNREFUSED: return .refused
        case ECONNRESET, EPIPE, ENOTCONN, ECONNABORTED, ESHUTDOWN: return .connectionLost
        case EHOSTUNREACH, ENETUNREACH, EHOSTDOWN, ENETDOWN: return .unreachable
        default: return .system(code: code)
        }
    }
}
