import Diagnostics

/// One frame of `junctionctl watch`: signal heads per group in colour, interval timers with the
/// reason the last green ended, detector occupancy bars, and the loop's timing.
///
/// Pure formatting of a `StatusReport` (and the `ConfigReport` for timings); the caller prints it.
struct WatchView {
    let config: ConfigReport
    let colour: Bool
    private static let barWidth = 24

    /// The frame as lines; `redraw` adds the cursor controls.
    func render(_ status: StatusReport) -> [String] {
        var lines: [String] = []
        lines.append(bold("junctiond  \(status.junction)") + "   t \(TextFormat.seconds(status.tick))")
        var mode = "mode " + paint(status.mode, modeColour(status))
        if let reason = status.flashReason, status.mode.hasSuffix("flash") { mode += " (\(reason))" }
        if let stage = status.stage {
            mode += "   stage \(stage.number) \"\(stage.name)\" "
                + (status.inTransition ? "changing" : "for \(TextFormat.seconds(status.timeInStageTenths ?? 0))")
        }
        mode += "   plan \(status.plan ?? "actuated")   hold \(status.hold ? paint("ON", "1;33") : "off")"
        if let request = status.flashRequest, !status.mode.hasPrefix("flash") { mode += "   flash requested (\(request))" }
        lines.append(mode)
        if let fault = status.fault {
            lines.append(paint("FAULT \(fault.kind): \(fault.description)", "1;31"))
        } else {
            let faults = status.detectorFaults.map { "\($0.name) \($0.health)" }
            lines.append("faults: monitor none; detectors " + (faults.isEmpty ? "none" : paint(faults.joined(separator: ", "), "33")))
        }
        let loop = status.loop
        lines.append(
            "loop lateness p50 \(TextFormat.duration(nanoseconds: loop.latenessP50Nanoseconds))  "
                + "p99 \(TextFormat.duration(nanoseconds: loop.latenessP99Nanoseconds))  "
                + "p99.9 \(TextFormat.duration(nanoseconds: loop.latenessP999Nanoseconds))  "
                + "max \(TextFormat.duration(nanoseconds: loop.latenessMaxNanoseconds))  overruns \(loop.overruns)"
                + "   clients \(status.server.clients)/\(status.server.maxClients)")
        lines.append("")
        lines.append(" #  " + TextFormat.pad("group", nameWidth) + "  head   " + TextFormat.pad("aspect", 18)
            + TextFormat.pad("interval", 9) + "  " + TextFormat.pad("timer", Self.barWidth + 12) + "  last end   call")
        for group in status.groups {
            lines.append(groupLine(group))
        }
        lines.append("")
        lines.append(" " + TextFormat.pad("detector", detectorWidth) + "  now  occupancy, last 60 s"
            + String(repeating: " ", count: Self.barWidth - 14) + "vehicles/60 s")
        for detector in status.detectors {
            lines.append(detectorLine(detector))
        }
        lines.append("")
        lines.append("last end: why the group's last green ended (gap-out, max-out, force-off, advance, flash)   Ctrl-C quits")
        return lines
    }

    /// The frame with cursor controls to repaint a terminal in place without flicker.
    func redraw(_ status: StatusReport) -> String {
        var text = "\u{1B}[H"
        for line in render(status) { text += line + "\u{1B}[K\n" }
        return text + "\u{1B}[J"
    }

    // MARK: - Lines

    private var nameWidth: Int { max(config.groups.map(\.name.count).max() ?? 5, 5) }
    private var detectorWidth: Int { max(config.detectors.map(\.name.count).max() ?? 8, 8) }

    private func groupLine(_ group: StatusReport.Group) -> String {
        let timing = config.groups.first { $0.number == group.number }
        let interval = group.intervalTenths
        var line = TextFormat.padLeft("\(group.number)", 2) + "  " + TextFormat.pad(group.name, nameWidth) + "  "
        line += head(group.state) + "  " + paint(TextFormat.pad(group.state, 18), aspectColour(group.state))
        line += TextFormat.padLeft(interval.map(TextFormat.seconds) ?? "-", 9) + "  "
        line += TextFormat.pad(timer(group.state, interval: interval, timing: timing), Self.barWidth + 12, visible: true)
        line += "  " + TextFormat.pad(group.lastTermination ?? "-", 9) + "  " + (group.call ? paint("call", "1") : "    ")
        return line
    }

    /// A bar of the interval against its limit: green against max green (min green marked),
    /// clearance against its time, red+amber against its time; steady reds have no limit.
    private func timer(_ state: String, interval: Int?, timing: ConfigReport.Group?) -> String {
        guard let interval, let timing else { return "" }
        let limit: Int
        var label: String
        var mark: Int?
        switch state {
        case "green":
            limit = timing.maxGreenTenths
            mark = timing.minGreenTenths
            label = "min \(short(timing.minGreenTenths)) max \(short(timing.maxGreenTenths))"
        case "walk":
            limit = timing.minGreenTenths
            label = "walk \(short(limit))"
        case "amber", "flashing-dont-walk":
            limit = timing.clearanceTenths
            label = "clear \(short(limit))"
        case "red-amber":
            limit = timing.redAmberTenths
            label = "r+a \(short(limit))"
        default:
            return ""
        }
        guard limit > 0 else { return label }
        let filled = min(interval * Self.barWidth / limit, Self.barWidth)
        var cells = Array(repeating: "\u{2591}", count: Self.barWidth)
        for index in 0..<filled { cells[index] = "\u{2588}" }
        if let mark, mark < limit {
            let position = min(mark * Self.barWidth / limit, Self.barWidth - 1)
            cells[position] = interval >= mark ? "\u{2503}" : "\u{2502}"
        }
        if interval > limit { label += " over" }
        return paint(cells.joined(), aspectColour(state)) + " " + label
    }

    private func detectorLine(_ detector: StatusReport.Detector) -> String {
        let mark: String
        switch detector.health {
        case "ok": mark = detector.occupied ? paint("\u{25A0}", "1;36") : "\u{00B7}"
        case "communication": mark = paint("x", "1;31")
        default: mark = paint("!", "1;33")
        }
        let filled = min(detector.recentOccupancyPermille * Self.barWidth / 1000, Self.barWidth)
        let bar = String(repeating: "\u{2588}", count: filled) + String(repeating: "\u{2591}", count: Self.barWidth - filled)
        var line = " " + TextFormat.pad(detector.name, detectorWidth) + "   " + mark + "   " + paint(bar, "36")
        line += " " + TextFormat.padLeft(TextFormat.percent(permille: detector.recentOccupancyPermille), 7)
        line += "  " + TextFormat.padLeft("\(detector.recentActuations)", 4)
        if detector.health != "ok" { line += "  " + paint(detector.health, "33") }
        return line
    }

    // MARK: - Lamps and colour

    /// The signal head: lit discs in their colours (red and amber together for red+amber, blinking
    /// in flash), or with colour off a bracketed letter code.
    private func head(_ state: String) -> String {
        guard colour else { return TextFormat.pad("[" + (Self.letters[state] ?? "?") + "]", 5) }
        let disc = "\u{25CF}"
        switch state {
        case "red", "dont-walk": return paint(disc, "31") + "    "
        case "red-amber": return paint(disc, "31") + paint(disc, "33") + "   "
        case "green", "walk": return paint(disc, "32") + "    "
        case "amber": return paint(disc, "33") + "    "
        case "flashing-dont-walk", "flashing-red": return paint(disc, "5;31") + "    "
        case "flashing-amber": return paint(disc, "5;33") + "    "
        default: return paint("\u{25CB}", "90") + "    "
        }
    }

    private static let letters = [
        "red": "R", "red-amber": "RA", "green": "G", "amber": "A", "dont-walk": "DW", "walk": "W",
        "flashing-dont-walk": "FDW", "flashing-amber": "fa", "flashing-red": "fr", "dark": "-",
    ]

    private func aspectColour(_ state: String) -> String {
        switch state {
        case "red", "dont-walk", "flashing-red", "flashing-dont-walk": return "31"
        case "green", "walk": return "32"
        case "amber", "red-amber", "flashing-amber": return "33"
        default: return "90"
        }
    }

    private func modeColour(_ status: StatusReport) -> String {
        switch status.mode {
        case "normal": return "1;32"
        case "fault": return "1;31"
        default: return "1;33"
        }
    }

    private func short(_ tenths: Int) -> String { "\(tenths / 10).\(tenths % 10)" }

    private func bold(_ text: String) -> String { paint(text, "1") }

    private func paint(_ text: String, _ code: String) -> String {
        colour ? "\u{1B}[" + code + "m" + text + "\u{1B}[0m" : text
    }
}
