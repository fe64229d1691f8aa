import SignalCore

/// The journal record of a control command taken from the diagnostic socket: who (the peer's uid)
/// and what, packed into the parameter of a `manualControl` event.
///
/// The controller's own `manualControl` events use parameters 0–2 (hold off, hold on, advance);
/// audit records set bit 52, so the two never collide and every reader of the journal can tell
/// them apart. Layout: bits 0–31 the uid, 32–39 the command, 40–51 its argument (a detector
/// number, or a plan's 1-based index with 0 for actuated), bit 52 the marker.
public struct OperatorAudit: Sendable, Equatable {
    /// The control commands an audit record can name.
    public enum Command: Int, Sendable, CaseIterable {
        case flashOn = 1
        case flashOff = 2
        case holdOn = 3
        case holdOff = 4
        case advance = 5
        case call = 6
        case plan = 7
        case resetFault = 8
        /// `plan auto`: the technician's plan override released.
        case planAuto = 9
    }

    private static let marker = 1 << 52
    /// The largest argument the record can carry.
    public static let maxArgument = (1 << 12) - 1

    /// The peer's user id, from SO_PEERCRED.
    public var uid: UInt32
    /// What was asked.
    public var command: Command
    /// The detector number for `call`, the plan's 1-based index for `plan` (0: actuated), else 0.
    public var argument: Int

    public init(uid: UInt32, command: Command, argument: Int = 0) {
        self.uid = uid
        self.command = command
        self.argument = min(max(argument, 0), Self.maxArgument)
    }

    /// The `manualControl` parameter that carries this record.
    public var parameter: Int {
        Self.marker | argument << 40 | command.rawValue << 32 | Int(uid)
    }

    /// The record in a `manualControl` parameter, or nil for the controller's own parameters.
    public init?(parameter: Int) {
        guard parameter >> 52 == 1, let command = Command(rawValue: (parameter >> 32) & 0xFF) else { return nil }
        uid = UInt32(truncatingIfNeeded: parameter)
        self.command = command
        argument = (parameter >> 40) & Self.maxArgument
    }

    /// The event that records this command at `tick`.
    public func event(tick: Tenths) -> ControllerEvent {
        ControllerEvent(tick: tick, code: .manualControl, parameter: parameter)
    }
}
