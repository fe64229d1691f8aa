/// A wake-up a polling thread waits on with a timeout, and the control loop triggers without
/// blocking when it commands new lamps (a self-pipe).
///
/// A `signal()` before the wait starts is not lost: the next `wait` returns at once.
final class ModbusWakeEvent: Sendable {
    private let readEnd: CInt
    private let writeEnd: CInt

    init() throws(ModbusError) {
        (readEnd, writeEnd) = try ModbusSystem.makeWakePipe()
    }

    deinit {
        ModbusSystem.close(readEnd)
        ModbusSystem.close(writeEnd)
    }

    /// Wakes the waiting thread; never blocks, so the real-time loop may call it.
    func signal() {
        ModbusSystem.signalWakePipe(writeEnd)
    }

    /// Waits at most `timeoutNanoseconds` (rounded up to whole milliseconds) and returns whether
    /// a signal arrived, consuming every signal pending.
    @discardableResult
    func wait(timeoutNanoseconds: Int) -> Bool {
        ModbusSystem.waitWakePipe(readEnd, timeoutNanoseconds: timeoutNanoseconds)
    }
}
