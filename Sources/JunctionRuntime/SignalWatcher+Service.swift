import Lifecycle
import SystemInterface

/// The signal watcher starts first in the daemon's service group, so SIGTERM and SIGHUP are taken
/// from before any other service starts until every other one has stopped.
extension SignalWatcher: Service {
    public var name: String { "signals" }
}
