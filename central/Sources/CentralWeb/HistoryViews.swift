import CentralCore
import Diagnostics
import SignalCore
import Wire

/// Count bins for the volume charts, with each detector's name and placement so stop-line loops (the approach
/// volume), advance loops and push buttons are drawn apart and no vehicle is counted twice.
struct CountsView: Codable, Sendable {
    struct Bin: Codable, Sendable {
        /// Unix seconds.
        var start: Int64
        var period: Int
        /// 1-based detector number.
        var detector: Int
        /// Vehicles (loops) or presses (push buttons) in the bin.
        var volume: Int
        var occupancyPermille: Int
    }

    struct Detector: Codable, Sendable {
        var number: Int
        var name: String
        /// `stop_line`, `advance`, `push_button`, or `unknown` when the city file names no junction file.
        var placement: String
    }

    /// Unix seconds: the first bin start asked for.
    var sinceSeconds: Int64
    /// Unix seconds, excluded: the end of a chosen range; absent for `hours`, which runs up to now.
    var toSeconds: Int64?
    /// Every detector of the layout; empty when the layout is unknown.
    var detectors: [Detector]
    var bins: [Bin]

    init(sinceSeconds: Int64, toSeconds: Int64?, counts: [CountBin], layout: JunctionLayout?) {
        self.sinceSeconds = sinceSeconds
        self.toSeconds = toSeconds
        detectors = (layout?.detectors ?? []).enumerated().map {
            Detector(number: $0.offset + 1, name: $0.element.name, placement: $0.element.placement)
        }
        bins = counts.map {
            Bin(
                start: Int64(clamping: $0.binStartSeconds), period: Int($0.periodSeconds), detector: Int($0.detector),
                volume: Int($0.volume), occupancyPermille: Int($0.occupancyPermille))
        }
    }
}

/// One stored event in words: its code's name as junctionctl prints it (`EventCode.wireName`), the parameter named
/// from the layout, and the whole event as a phrase an engineer reads (`flash entered: manual`).
struct EventView: Codable, Sendable {
    var record: UInt64
    /// Unix milliseconds, the junction's clock.
    var timeMilliseconds: Int64
    var code: UInt16
    /// `EventCode.wireName` (`begin-green`, `flash-status`), `event-<code>` for a code this build does not know.
    var name: String
    var parameter: Int
    /// The group, detector, plan, flash reason or fault kind the parameter names, when it names one.
    var subject: String?
    /// The event in words, without the subject when that is a group or detector (shown beside it).
    var text: String

    init(_ event: Wire.EventRecord, layout: JunctionLayout?) {
        record = event.recordNumber
        timeMilliseconds = Int64(clamping: event.timeMilliseconds)
        code = event.code
        let number = Int(event.parameter)
        parameter = number
        guard let known = EventCode(rawValue: event.code) else {
            name = "event-\(event.code)"
            text = "event \(event.code) (parameter \(number))"
            return
        }
        name = known.wireName
        let words = name.replacingOccurrences(of: "-", with: " ")
        (subject, text) = Self.describe(known, number, words: words, layout: layout)
    }

    // Parameter meanings are SignalCore.EventCode's; the words follow junctionctl's (Diagnostics.ReportBuilder).
    private static func describe(_ code: EventCode, _ number: Int, words: String, layout: JunctionLayout?)
        -> (subject: String?, text: String)
    {
        func named(_ names: [String]?, _ prefix: String) -> String {
            names.flatMap { $0.indices.contains(number - 1) ? $0[number - 1] : nil } ?? "\(prefix)\(number)"
        }
        func plan() -> String { number == 0 ? "free (actuated)" : named(layout?.plans, "plan ") }
        switch JunctionLayout.subject(ofCode: code.rawValue) {
        case .group: return (named(layout?.groups.map(\.name), "G"), words)
        case .detector: return (named(layout?.detectors.map(\.name), "D"), words)
        case nil: break
        }
        if (102...111).contains(code.rawValue) { return ("preempt \(number)", words) }
        let reason = UInt8(exactly: number).flatMap(FlashReason.init(rawValue:))?.wireName
        switch code {
        case .flashStatus:
            return (reason, "flash entered" + (reason.map { ": \($0)" } ?? ""))
        case .flashEnded:
            return (reason, "flash ended" + (reason.map { " (was \($0))" } ?? ""))
        case .alarmStatus:
            guard number != 0 else { return ("cleared", "monitor fault reset") }
            let kind = UInt8(exactly: number).flatMap(SafetyViolation.Kind.init(rawValue:))?.wireName
            return (kind, "monitor fault" + (kind.map { ": \($0)" } ?? ""))
        case .manualControl:
            switch number {
            case 0: return ("hold off", "hold released")
            case 1: return ("hold on", "hold on")
            case 2: return ("advance", "advance")
            default:
                // A technician's command from the diagnostic socket, in its wire form; who asked arrived in the
                // operator-command record just before it.
                guard let audit = UInt16(exactly: number).flatMap(OperatorAudit.init(wireParameter:)) else {
                    return (nil, "manual control \(number)")
                }
                let command = audit.words(
                    detector: { layout?.detectors.indices.contains($0 - 1) == true ? layout?.detectors[$0 - 1].name : nil },
                    plan: { $0 == 0 ? "actuated" : layout?.plans.indices.contains($0 - 1) == true ? layout?.plans[$0 - 1] : nil })
                return (command, "technician command: \(command)")
            }
        case .operatorCommand:
            // The wire caps the uid at 65,535 (docs/protocol.md).
            let uid = number == Int(UInt16.max) ? "65535 or above" : String(number)
            return ("uid \(uid)", "command from uid \(uid) at the diagnostic socket")
        case .patternChange:
            return (plan(), "plan: \(plan())")
        case .scheduleOverride:
            if number == 0 { return (nil, "plan override released to the schedule") }
            return (plan(), "plan override: \(plan())")
        case .clockSynchronisation:
            return (nil, number == 1 ? "clock synchronised" : "clock not synchronised")
        case .clockStep:
            return (nil, "clock stepped \(number) s")
        case .tickStall:
            return (nil, "tick stall: \(number) ms")
        default:
            return (number == 0 ? nil : String(number), words)
        }
    }
}
