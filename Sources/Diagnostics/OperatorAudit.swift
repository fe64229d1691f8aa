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

    /// The command as junctionctl writes it (`flash on`, `call N_stop`, `plan peak`); `detector` and `plan` name a
    /// 1-based detector number and a plan index (0 actuated), nil when unknown (then the number is shown).
    public func words(detector: (Int) -> String?, plan: (Int) -> String?) -> String {
        switch command {
        case .flashOn: return "flash on"
        case .flashOff: return "flash off"
        case .holdOn: return "hold on"
        case .holdOff: return "hold off"
        case .advance: return "advance"
        case .resetFault: return "reset-fault"
        case .call: return "call " + (detector(argument) ?? "#\(argument)")
        case .plan: return "plan " + (plan(argument) ?? "#\(argument)")
        case .planAuto: return "plan auto"
        }
    }

    /// The event that records this command at `tick`.
    public func event(tick: Tenths) -> ControllerEvent {
        ControllerEvent(tick: tick, code: .manualControl, parameter: parameter)
    }

    /// The event that names who asked, journalled just before `event(tick:)`: the wire's 16-bit parameter has no
    /// room for the uid beside the command, so upstream the two travel as two records.
    public func operatorEvent(tick: Tenths) -> ControllerEvent {
        ControllerEvent(tick: tick, code: .operatorCommand, parameter: Int(uid))
    }

    /// The largest argument the wire's form carries (a detector number or plan index; larger ones are capped).
    public static let maxWireArgument = (1 << 11) - 1

    /// The `manualControl` parameter as the wire carries it (docs/protocol.md): bit 15 set, the argument in bits
    /// 4–14 and the command in bits 0–3; the controller's own parameters (0–2) never set bit 15.
    public var wireParameter: UInt16 {
        UInt16(0x8000 | min(argument, Self.maxWireArgument) << 4 | command.rawValue)
    }

    /// The command in a wire `manualControl` parameter; nil for the controller's own (no uid: that came in the
    /// `operatorCommand` record before it, and is 0 here).
    public init?(wireParameter: UInt16) {
        guard wireParameter & 0x8000 != 0, let command = Command(rawValue: Int(wireParameter & 0xF)) else { return nil }
        uid = 0
        self.command = command
        argument = Int(wireParameter >> 4) & Self.maxWireArgument
    }
}
