/// One request a client may send, as the protocol defines it.
///
/// Read requests observe; control requests ask the controller for a change through the same
/// safety envelope as every other request (they are `ControlRequest`s once they reach the loop).
public enum DiagnosticRequest: Sendable, Equatable {
    /// The protocol version, the junction, and what this connection may do.
    case hello
    /// Mode, stage, timers, faults, loop lateness and counters.
    case status
    /// Every detector: state, health, counts and diagnostic limits.
    case detectors
    /// Journal events after sequence `since` (all that are kept when nil), at most `limit`;
    /// with `follow`, new events keep coming as stream lines.
    case events(since: UInt64?, limit: Int?, follow: Bool)
    /// Volume and occupancy per detector, and green terminations per group.
    case counts
    /// The running junction and daemon settings.
    case config
    /// Stream lines from now on: `state` every `intervalMilliseconds`, or `events` after `since`.
    case subscribe(DiagnosticStream, intervalMilliseconds: Int?, since: UInt64?)
    /// Ends every subscription of this connection.
    case unsubscribe
    /// Flash by the automatic-flash rule (`on`) or leave flash through all-red.
    case flash(on: Bool)
    /// Keep the current stage (`on`) or release it.
    case hold(on: Bool)
    /// End the current stage as soon as every minimum allows.
    case advance
    /// Place a call as if the detector had been actuated.
    case call(DetectorReference)
    /// Run the named fixed-time plan, or actuated control when nil; overrides the schedule.
    case plan(String?)
    /// End a `plan` override: the schedule's plan runs again (`plan auto`).
    case planAuto
    /// Clear a latched safety-monitor fault; refused when none is latched.
    case resetFault

    /// Whether the request observes or changes the junction.
    public enum Access: String, Sendable {
        case read
        case control
    }

    /// The `"cmd"` word of the request.
    public var command: String {
        switch self {
        case .hello: return "hello"
        case .status: return "status"
        case .detectors: return "detectors"
        case .events: return "events"
        case .counts: return "counts"
        case .config: return "config"
        case .subscribe: return "subscribe"
        case .unsubscribe: return "unsubscribe"
        case .flash: return "flash"
        case .hold: return "hold"
        case .advance: return "advance"
        case .call: return "call"
        case .plan, .planAuto: return "plan"
        case .resetFault: return "reset-fault"
        }
    }

    /// Every `"cmd"` word, in the order the documentation lists them.
    public static let commands = [
        "hello", "status", "detectors", "events", "counts", "config", "subscribe", "unsubscribe",
        "flash", "hold", "advance", "call", "plan", "reset-fault",
    ]

    /// Read or control.
    public var access: Access {
        switch self {
        case .hello, .status, .detectors, .events, .counts, .config, .subscribe, .unsubscribe: return .read
        case .flash, .hold, .advance, .call, .plan, .planAuto, .resetFault: return .control
        }
    }

    /// The command as a technician would type it: `flash on`, `call N_stop`, `plan actuated`.
    public var summary: String {
        switch self {
        case .flash(let on): return "flash \(on ? "on" : "off")"
        case .hold(let on): return "hold \(on ? "on" : "off")"
        case .call(let detector): return "call \(detector)"
        case .plan(let name): return "plan \(name ?? "actuated")"
        case .planAuto: return "plan auto"
        case .subscribe(let stream, _, _): return "subscribe \(stream.rawValue)"
        default: return command
        }
    }

    /// The request's fields besides `"v"`, `"id"` and `"cmd"`, as it is written on the wire.
    var arguments: [JSONMember] {
        switch self {
        case .hello, .status, .detectors, .counts, .config, .unsubscribe, .advance, .resetFault:
            return []
        case .events(let since, let limit, let follow):
            var members: [JSONMember] = []
            if let since { members.append(JSONMember("since", .integer(Int(clamping: since)))) }
            if let limit { members.append(JSONMember("limit", .integer(limit))) }
            if follow { members.append(JSONMember("follow", .bool(true))) }
            return members
        case .subscribe(let stream, let interval, let since):
            var members = [JSONMember("stream", .string(stream.rawValue))]
            if let interval { members.append(JSONMember("interval_ms", .integer(interval))) }
            if let since { members.append(JSONMember("since", .integer(Int(clamping: since)))) }
            return members
        case .flash(let on), .hold(let on):
            return [JSONMember("on", .bool(on))]
        case .call(let detector):
            switch detector {
            case .name(let name): return [JSONMember("detector", .string(name))]
            case .number(let number): return [JSONMember("detector", .integer(number))]
            }
        case .plan(let name):
            return [JSONMember("name", name.map { .string($0) } ?? .null)]
        case .planAuto:
            return [JSONMember("auto", .bool(true))]
        }
    }
}

/// What a subscription streams.
public enum DiagnosticStream: String, Sendable, CaseIterable {
    /// A status line at a fixed interval, while the tick advances.
    case state
    /// Journal events as they happen.
    case events
}

/// A detector named in a request: by its name in the junction file, or by its 1-based number.
public enum DetectorReference: Sendable, Equatable, CustomStringConvertible {
    case name(String)
    case number(Int)

    /// Reads `N_stop` as a name and `3` as a number, the way the command line takes it.
    public init(argument: String) {
        if let number = Int(argument), number > 0 {
            self = .number(number)
        } else {
            self = .name(argument)
        }
    }

    public var description: String {
        switch self {
        case .name(let name): return name
        case .number(let number): return "\(number)"
        }
    }
}
