import Synchronization

/// Starts services in order and stops them in reverse order, as swift-service-lifecycle's
/// `ServiceGroup` does, for a daemon built on threads.
///
/// swift-service-lifecycle (mirrored at 2.13.0) is not used: its `Service.run()` is `async` and its
/// group installs its own signal handlers, while this daemon runs each service on a thread it owns,
/// waits for signals with `sigwait` on a dedicated thread (`SignalWatcher`), and keeps Swift's
/// concurrency runtime and its dependencies out of a static binary sized for a roadside board. What
/// is taken from it is the contract, which is small enough to keep here:
/// - `start` starts each service in the order given; when one fails, every service already started
///   is stopped, newest first, before the error (naming the service that failed) is thrown, so a
///   failed start leaves nothing running;
/// - `stop` stops the started services newest first, so a service never outlives one it was
///   started after (and may depend on); a second `stop` does nothing.
public final class ServiceGroup: Sendable {
    /// Why the group could not start: which service failed, and its own error.
    public struct StartError: Error, CustomStringConvertible {
        /// The `name` of the service whose `start` threw.
        public let service: String
        /// What that service threw.
        public let underlying: any Error

        public var description: String { "cannot start \(service): \(underlying)" }
    }

    private let services: [any Service]
    /// The services started so far, oldest first; only ever touched by `start` and `stop`.
    private let started = Mutex<[any Service]>([])

    /// A group of `services`, to be started in this order.
    public init(_ services: [any Service]) {
        self.services = services
    }

    /// Starts every service in order; on a failure, stops those already started in reverse order
    /// and throws `StartError`.
    public func start() throws(StartError) {
        for service in services {
            do {
                try service.start()
            } catch {
                stop()
                throw StartError(service: service.name, underlying: error)
            }
            started.withLock { $0.append(service) }
        }
    }

    /// Stops every started service, newest first.
    public func stop() {
        let running = started.withLock { started in
            defer { started = [] }
            return started
        }
        for service in running.reversed() {
            service.stop()
        }
    }
}
