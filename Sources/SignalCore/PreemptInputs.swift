/// The preempt inputs as the controller sees them: each preempt's call, from its detector, with the
/// events that report the input (102 on, 104 off, 110 max presence exceeded).
///
/// Presence holds an input on while it lasts. An actuation without presence (a pulse too short to
/// be seen as presence, or a technician's forced call) holds it on until the controller releases
/// it after the preempt's minimum dwell, so a forced call gets exactly one full preempt. An input
/// on for the preempt's maximum presence is reported once and no longer calls until it goes off.
/// Sized once; an update allocates nothing.
struct PreemptInputs {
    private let preempts: [Preempt]
    /// Whether each input is on (present or held).
    private var on: [Bool]
    private var present: [Bool]
    private var held: [Bool]
    private var onSince: [Tenths]
    /// Whether each input has been on longer than its preempt's maximum presence.
    private(set) var exceeded: [Bool]

    init(preempts: [Preempt]) {
        self.preempts = preempts
        // One buffer each: arrays sharing one would copy at the first update, on the tick.
        on = Array(repeating: false, count: preempts.count)
        present = Array(repeating: false, count: preempts.count)
        held = Array(repeating: false, count: preempts.count)
        exceeded = Array(repeating: false, count: preempts.count)
        onSince = Array(repeating: 0, count: preempts.count)
    }

    /// Reads this tick's presence and actuations (the supervisor's, by detector index).
    mutating func update(tick: Tenths, presence: [Bool], actuations: [Int], events: inout EventBuffer) {
        for p in preempts.indices {
            let detector = preempts[p].input
            present[p] = presence[detector]
            if actuations[detector] > 0 && !exceeded[p] { held[p] = true }
            setOn(p, present[p] || held[p], tick: tick, events: &events)
            if on[p] && !exceeded[p] && tick - onSince[p] >= preempts[p].maxPresence {
                exceeded[p] = true
                held[p] = false
                events.emit(tick, .preemptMaxPresenceExceeded, preempts[p].number)
            }
        }
    }

    /// True while preempt `p` is called: its input is on and within its maximum presence.
    func calls(_ p: Int) -> Bool { on[p] && !exceeded[p] }

    /// The called preempt of highest priority (lowest number), if any.
    func highestPriorityCall() -> Int? {
        var best: Int?
        for p in preempts.indices where calls(p) {
            if best.map({ preempts[p].number < preempts[$0].number }) ?? true { best = p }
        }
        return best
    }

    /// Ends the hold of an actuation once its preempt has dwelt its minimum: the input goes off
    /// now unless presence keeps it on.
    mutating func releaseHold(_ p: Int, tick: Tenths, events: inout EventBuffer) {
        held[p] = false
        setOn(p, present[p], tick: tick, events: &events)
    }

    private mutating func setOn(_ p: Int, _ now: Bool, tick: Tenths, events: inout EventBuffer) {
        guard now != on[p] else { return }
        on[p] = now
        if now {
            onSince[p] = tick
        } else {
            // A stuck input that finally goes off may call again.
            exceeded[p] = false
        }
        events.emit(tick, now ? .preemptCallInputOn : .preemptCallInputOff, preempts[p].number)
    }
}
