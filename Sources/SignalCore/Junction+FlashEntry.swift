extension Junction {
    /// The longest a request for flash can take to bring the lamps to flash, in tenths, from a
    /// junction running stages. The automatic-flash rule ends the greens only once every open
    /// group may end (each vehicle green has run its minimum green, and no walk, flashing don't walk
    /// or red+amber shows); until then a stage change in progress goes on. So, at the worst:
    /// 1. a group of that stage change opens: the greens it waits for had all ended by the request,
    ///    and its intergreen covers their clearance and its own red+amber (the validator's rule), so
    ///    it is green within the longest intergreen, or its red+amber where it waited for none;
    /// 2. it runs its minimum green, or its walk and flashing don't walk, which hold the other
    ///    greens as long;
    /// 3. the vehicle greens then end, with their amber (at least the amber floor);
    /// 4. the all-red before flash follows, at least one tick, counted from the first closed tick.
    /// Startup and fault flash already flash, an all-red enters flash at once, and a preempt is given
    /// up for the same rule. The safety property tests hold every technician flash request to this
    /// bound, with one tick to spare; the daemon's stop waits 10 s more, and at least a minute.
    public var longestFlashEntry: Tenths {
        var longestOpening: Tenths = 0
        var longestAmber: Tenths = 0
        var longestRedAmber: Tenths = 0
        for group in groups {
            let timing = group.timing
            if group.kind == .pedestrian {
                longestOpening = max(longestOpening, timing.minGreen + timing.clearance)
            } else {
                longestOpening = max(longestOpening, timing.minGreen)
                longestAmber = max(longestAmber, timing.clearance, SafetyMonitor.amberFloor)
                longestRedAmber = max(longestRedAmber, timing.redAmber)
            }
        }
        let opening = max(intergreen.joined().max() ?? 0, longestRedAmber)
        return opening + longestOpening + longestAmber + max(startup.allRedTime, 1) + 1
    }
}
