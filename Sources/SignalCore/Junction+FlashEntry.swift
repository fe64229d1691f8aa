extension Junction {
    /// How long a request for flash takes to bring the lamps to flash in the worst case this rule
    /// sees, in tenths: the automatic-flash rule lets every open group finish first, and while one
    /// cannot end yet a stage change in progress goes on, so a group may still open after its
    /// intergreen (its red+amber at the end of it); then it runs its minimum green (or walk) and its
    /// amber (or flashing don't walk), and the all-red before flash follows (at least one tick).
    /// Startup flash already flashes, and a preempt is abandoned at once. An estimate, not a proven
    /// bound: held against every technician flash request of the safety property tests, a few of
    /// thousands of generated cases took longer, so the daemon's stop waits 10 s more than this, and
    /// at least a minute.
    public var longestFlashEntry: Tenths {
        var longestGroup: Tenths = 0
        for group in groups {
            longestGroup = max(longestGroup, group.timing.minGreen + group.timing.clearance)
        }
        let longestIntergreen = intergreen.joined().max() ?? 0
        return longestIntergreen + longestGroup + max(startup.allRedTime, longestIntergreen) + 1
    }
}
