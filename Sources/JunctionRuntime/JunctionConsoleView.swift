import SignalCore

/// The text of one frame of the junction's live view (`junctiond --demo`, later `junctionctl`).
///
/// Pure formatting: it reads a `ControllerStatus` and optional queue lengths from a simulator and
/// returns a String; the caller prints it. Three renderings:
/// - `render`: a header line and one line per signal group, coloured with ANSI codes unless
///   `colour` is off;
/// - `redraw`: the same framed with cursor controls, to repaint a terminal in place;
/// - `logLine`: one plain ASCII line, for stdout that is not a terminal, printed when
///   `isStageChange(from:to:)` says the stage or mode changed.
public struct JunctionConsoleView: Sendable {
    /// The junction whose groups, stages and detectors are named in the view.
    public let junction: Junction
    /// Whether `render` and `redraw` use ANSI colours and Unicode lamps; `logLine` never does.
    public var colour: Bool
    /// For each group, the detectors serving it, as indices into `junction.detectors`.
    private let detectorsOf: [[Int]]
    private let nameWidth: Int

    /// A view of `junction`, coloured by default.
    public init(junction: Junction, colour: Bool = true) {
        self.junction = junction
        self.colour = colour
        detectorsOf = junction.groups.indices.map { group in
            junction.detectors.indices.filter { junction.detectors[$0].groups.contains(group) }
        }
        nameWidth = junction.groups.map(\.name.count).max() ?? 0
    }

    /// The frame as lines separated and ended by "\n": a header (time, mode, stage, time in
    /// stage, plan, hold, fault) and one line per group (lamp, state, queue when `queues` is
    /// given, call, last termination reason, detector marks: `#` occupied, `.` clear, `x` not
    /// readable, `!` other detector fault).
    public func render(_ status: ControllerStatus, queues: [Int]? = nil) -> String {
        var text = header(status, plain: !colour) + "\n"
        for group in junction.groups.indices {
            text += groupLine(group, status, queues: queues) + "\n"
        }
        return text
    }

    /// `render` for repainting a terminal in place: the cursor goes home first, every line is
    /// cleared to its end, and anything below the frame is cleared, so nothing flickers or lingers.
    public func redraw(_ status: ControllerStatus, queues: [Int]? = nil) -> String {
        var text = Self.escape + "[H"
        for line in render(status, queues: queues).split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            text += line + Self.escape + "[K\n"
        }
        return text + Self.escape + "[J"
    }

    /// One ASCII line, without colour or a trailing newline: the header, then per group its
    /// state, queue, call and last termination reason, then the detector marks.
    public func logLine(_ status: ControllerStatus, queues: [Int]? = nil) -> String {
        var line = header(status, plain: true)
        for group in junction.groups.indices {
            line += " | \(junction.groups[group].name) \(status.signals[group].shortName)"
            if let queues, queues.indices.contains(group) {
                line += " q\(queues[group])"
            }
            if status.calls.indices.contains(group) && status.calls[group] {
                line += " call"
            }
            if let reason = lastTermination(group, status) {
                line += " \(reason)"
            }
        }
        if !junction.detectors.isEmpty {
            line += " | det"
            for detector in junction.detectors.indices {
                line += " \(detector + 1)\(mark(detector, status))"
            }
        }
        return line
    }

    /// True when `current` is in another mode or stage than `previous` (always for the first
    /// frame): the moments worth a log line when the view cannot be redrawn in place.
    public static func isStageChange(from previous: ControllerStatus?, to current: ControllerStatus) -> Bool {
        guard let previous else { return true }
        return previous.mode != current.mode || previous.stage != current.stage
    }

    // MARK: - Pieces

    private static let escape = "\u{1B}"

    private func header(_ status: ControllerStatus, plain: Bool) -> String {
        var line = "\(junction.name)  t \(Self.seconds(status.tick)) s  mode \(status.mode.name)"
        if let stage = status.stage, junction.stages.indices.contains(stage) {
            line += "  stage \(stage + 1) \"\(junction.stages[stage].name)\""
            if status.inTransition {
                line += " changing"
            } else {
                line += " for \(Self.seconds(status.tick - status.stageStartTick)) s"
            }
        }
        line += "  plan \(status.planName ?? "actuated")"
        if status.holdActive {
            line += "  HOLD"
        }
        if let fault = status.fault {
            line += "  FAULT: \(fault.description)"
            if !plain {
                line = Self.escape + "[1;31m" + line + Self.escape + "[0m"
            }
        }
        return line
    }

    private func groupLine(_ group: Int, _ status: ControllerStatus, queues: [Int]?) -> String {
        let state = status.signals[group]
        var line = Self.padLeft("\(group + 1)", 2) + " " + Self.pad(junction.groups[group].name, nameWidth) + " "
        line += lamp(state) + " " + Self.pad(state.shortName, 3)
        if let queues {
            line += "  q " + Self.padLeft(queues.indices.contains(group) ? "\(queues[group])" : "-", 4)
        }
        line += status.calls.indices.contains(group) && status.calls[group] ? "  call" : "      "
        line += "  last " + Self.pad(lastTermination(group, status) ?? "-", 9)
        if !detectorsOf[group].isEmpty {
            line += "  det"
            for detector in detectorsOf[group] {
                line += " \(detector + 1)\(mark(detector, status))"
            }
        }
        return line
    }

    /// The lamp head: coloured discs (red and amber together for red+amber, blinking in flash),
    /// or with colour off an ASCII head with one slot per lamp, lower case while flashing.
    private func lamp(_ state: SignalState) -> String {
        guard colour else {
            switch state {
            case .red: return "[R--]"
            case .redAmber: return "[RA-]"
            case .green: return "[--G]"
            case .amber: return "[-A-]"
            case .flashingRed: return "[r--]"
            case .flashingAmber: return "[-a-]"
            case .dontWalk: return "[D- ]"
            case .walk: return "[-W ]"
            case .flashingDontWalk: return "[d- ]"
            case .dark: return "[---]"
            }
        }
        let disc = "\u{25CF}"
        func lit(_ code: String, _ glyph: String = disc) -> String {
            Self.escape + "[" + code + "m" + glyph + Self.escape + "[0m"
        }
        switch state {
        case .red, .dontWalk: return lit("31") + " "
        case .redAmber: return lit("31") + lit("33")
        case .green, .walk: return lit("32") + " "
        case .amber: return lit("33") + " "
        case .flashingDontWalk, .flashingRed: return lit("5;31") + " "
        case .flashingAmber: return lit("5;33") + " "
        case .dark: return lit("90", "\u{25CB}") + " "
        }
    }

    private func mark(_ detector: Int, _ status: ControllerStatus) -> String {
        let health = status.detectorHealth.indices.contains(detector) ? status.detectorHealth[detector] : .ok
        switch health {
        case .communication: return "x"
        case .noActivity, .maxPresence, .erratic: return "!"
        case .ok:
            let occupied = status.detectorPresence.indices.contains(detector) && status.detectorPresence[detector]
            return occupied ? "#" : "."
        }
    }

    private func lastTermination(_ group: Int, _ status: ControllerStatus) -> String? {
        guard status.lastTermination.indices.contains(group) else { return nil }
        let reason = status.lastTermination[group]
        return reason == .none ? nil : reason.rawValue
    }

    /// Tenths as seconds with one decimal, without Foundation's formatters.
    private static func seconds(_ tenths: Tenths) -> String {
        let sign = tenths < 0 ? "-" : ""
        let magnitude = tenths.magnitude
        return "\(sign)\(magnitude / 10).\(magnitude % 10)"
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    private static func padLeft(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }
}
