/// The events of one tick, in storage sized once so that emitting never allocates.
///
/// If a tick emits more than the capacity, the extra events are dropped and counted in
/// `dropped`, never lost silently.
struct EventBuffer {
    private var storage: [ControllerEvent]
    private(set) var count = 0
    private(set) var dropped = 0

    init(capacity: Int) {
        storage = Array(repeating: ControllerEvent(tick: 0, code: .phaseOn, parameter: 0), count: capacity)
    }

    var events: ArraySlice<ControllerEvent> { storage[0..<count] }

    mutating func clear() { count = 0 }

    mutating func emit(_ tick: Tenths, _ code: EventCode, _ parameter: Int) {
        guard count < storage.count else {
            dropped += 1
            return
        }
        storage[count] = ControllerEvent(tick: tick, code: code, parameter: parameter)
        count += 1
    }
}
