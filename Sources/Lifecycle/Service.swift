/// A long-lived part of the daemon beside the real-time loop (the diagnostic server, upstream, the
/// SNMP subagent, the watchdog feeder, the signal watcher), started and stopped by a `ServiceGroup`.
///
/// The contract has the shape of swift-service-lifecycle's `Service`, on threads rather than tasks:
/// - `start` returns once the service runs on its own thread(s); when it throws, the service has
///   started nothing that `stop` would have to undo;
/// - `stop` returns once its threads have ended; it is called at most once, and only after a
///   `start` that returned.
public protocol Service: AnyObject, Sendable {
    /// A short name for logs and errors: `"diagnostics"`, `"upstream"`.
    var name: String { get }
    /// Starts the service's threads and returns once it runs.
    func start() throws
    /// Stops the service and waits for its threads.
    func stop()
}
