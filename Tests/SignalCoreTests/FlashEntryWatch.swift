import SignalCore

/// Holds every technician flash request to `Junction.longestFlashEntry`, the bound the daemon's
/// stop waits on: from the tick the request was accepted, the lamps must flash (requested, startup
/// or fault flash) within the bound. Reads the controller's status only while a request is on its
/// way to flash, so the check costs next to nothing the rest of the run.
struct FlashEntryWatch {
    let bound: Tenths
    /// Flash requests that reached flash, and the least time any of them had left of the bound.
    private(set) var entries = 0
    private(set) var leastSpare: Tenths?
    private var settled: Tenths?

    init(junction: Junction) {
        bound = junction.longestFlashEntry
    }

    /// Checks this tick, given when the standing request was made (nil with none standing).
    /// Returns a description of a request over the bound, once.
    mutating func observe(tick: Tenths, askedAt: Tenths?, controller: SignalController) -> String? {
        guard let askedAt, settled != askedAt else { return nil }
        let took = tick - askedAt
        switch controller.status.mode {
        case .flash, .startupFlash, .fault:
            settled = askedAt
            entries += 1
            leastSpare = min(leastSpare ?? bound, bound - took)
            return nil
        case .normal, .allRed, .enteringFlash:
            guard took > bound else { return nil }
            settled = askedAt
            return "tick \(tick): flash asked at tick \(askedAt) not reached within longestFlashEntry \(bound)"
        }
    }
}
