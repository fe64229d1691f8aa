/// Where the Modbus backend's log lines go: the daemon passes a sink that forwards to its logger.
///
/// FieldModbus does not depend on a logging library; the caller adapts. Lines come only from the
/// polling and statistics threads, never from the control loop's calls.
public struct ModbusLog: Sendable {
    /// Severity of a line, as syslog orders them.
    public enum Level: Sendable, Equatable {
        case debug
        case info
        case notice
        case warning
        case error
    }

    /// Receives a level, a message and key=value metadata.
    public typealias Sink = @Sendable (Level, String, [String: String]) -> Void

    private let sink: Sink
    /// Whether debug lines are wanted; when false their text is never built.
    public let debugEnabled: Bool

    /// A log writing to `sink`.
    public init(debugEnabled: Bool, sink: @escaping Sink) {
        self.debugEnabled = debugEnabled
        self.sink = sink
    }

    /// A log that drops everything, for tests.
    public static let silent = ModbusLog(debugEnabled: false) { _, _, _ in }

    func debug(_ message: @autoclosure () -> String) {
        if debugEnabled {
            sink(.debug, message(), [:])
        }
    }

    func info(_ message: String, _ metadata: [String: String] = [:]) { sink(.info, message, metadata) }
    func notice(_ message: String, _ metadata: [String: String] = [:]) { sink(.notice, message, metadata) }
    func warning(_ message: String, _ metadata: [String: String] = [:]) { sink(.warning, message, metadata) }
}
