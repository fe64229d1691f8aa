import Diagnostics

/// One frame of `junctionctl watch`: signal heads per group in colour, interval timers with the
/// reason the last green ended, detector occupancy bars, and the loop's timing.
///
/// Pure formatting of a `StatusReport` (and the `ConfigReport` for timings); the caller prints it.
struct WatchView {
    let config: ConfigReport
    let colour: Bool
    /// The screen the frame must fit: no line longer than `columns` (so none wraps), no more than
    /// `rows` lines (so the header never scrolls away). 80x24 when the terminal does not say.
    var columns = 80
    var rows = 24

    /// The frame as lines, each at most `columns` wide, at most `rows` of them: the header first,
    /// then the groups, then the detectors in as many columns as the rows left need; what still
    /// does not fit is cut, and the cut is said.
    func render(_ status: StatusReport) -> [String] {
        var header: [String] = []
        header.append(
            bold("junctiond  \(status.junction)") + "   t \(TextFormat.seconds(status.tick))   mode "
                + paint(status.mode, modeColour(status))
                + (status.flashReason.map { status.mode.hasSuffix("flash") ? " (\($0))" : "" } ?? ""))
        var stage = StageText.describe(status, steady: "stage ") ?? "no stage"
        stage += "   plan \(status.plan ?? "actuated")   hold \(status.hold ? paint("ON", "1;33") : "off")"
        if let request = status.flashRequest, !status.mode.hasPrefix("flash") { stage += "   flash requested (\(request))" }
        header.append(stage)
        if let fault = status.fault {
            header.append(paint("FAULT \(fault.kind): \(fault.description)", "1;31"))
        } else {
            let faults = status.detectorFaults.map { "\($0.name) \($0.health)" }
            header.append("faults: monitor none; detectors " + (faults.isEmpty ? "none" : paint(faults.joined(separator: ", "), "33")))
        }
        header[header.count - 1] = "clients \(status.server.clients)/\(status.server.maxClients)   " + header[header.count - 1]
        let loop = status.loop
        header.append(
            "loop lateness p50 \(TextFormat.duration(nanoseconds: loop.latenessP50Nanoseconds))"
                + "  p99 \(TextFormat.duration(nanoseconds: loop.latenessP99Nanoseconds))"
                + "  p99.9 \(TextFormat.duration(nanoseconds: loop.latenessP999Nanoseconds))"
                + "  max \(TextFormat.duration(nanoseconds: loop.latenessMaxNanoseconds))  overruns \(loop.overruns)")
        var groups = [
            " #  " + TextFormat.pad("group", nameWidth) + "  head   " + TextFormat.pad("aspect", Self.aspectWidth)
                + TextFormat.padLeft("for", 8) + "  " + TextFormat.pad("timer (green: min/max)", timerWidth) + "  last end   call"
        ]
        groups += status.groups.map(groupLine)
        let legend = "last end: why the group's last green ended (gap-out, max-out, force-off, advance, flash)   Ctrl-C quits"
        // Blank separators and the legend only when the screen has room for them.
        let spare = rows - header.count - groups.count - detectorRows(status.detectors.count, rows: .max)
        var lines = header + (spare >= 1 ? [""] : []) + groups
        if spare >= 2 { lines.append("") }
        lines += detectorLines(status.detectors, rows: rows - lines.count - (spare >= 4 ? 2 : 0))
        if spare >= 4 { lines += ["", legend] }
        return lines.prefix(rows).map { TextFormat.cut($0, columns, reset: colour) }
    }

    /// The frame with cursor controls to repaint a terminal in place without flicker or scrolling:
    /// home, each line cleared to its end, no newline after the last, then the rest of the screen cleared.
    func redraw(_ status: StatusReport) -> String {
        "\u{1B}[H" + render(status).map { $0 + "\u{1B}[K" }.joined(separator: "\n") + "\u{1B}[J"
    }

    // MARK: - Lines

    private static let aspectWidth = 10
    /// Everything on a group line but the timer: number, name, head, aspect, time, last end, call.
    private var groupFixedWidth: Int { 4 + nameWidth + 2 + 7 + Self.aspectWidth + 8 + 2 + 2 + 9 + 2 + 4 }
    private var timerWidth: Int { min(max(columns - groupFixedWidth, 16), 39) }
    /// The bar of a group's timer: what the line leaves beside the longest label (`12.3/45.6 over`).
    private var barWidth: Int { min(max(timerWidth - 15, 4), 24) }
    private var nameWidth: Int { min(max(config.groups.map(\.name.count).max() ?? 5, 5), 10) }
    private var detectorWidth: Int { min(max(config.detectors.map(\.name.count).max() ?? 8, 8), 12) }

    private func groupLine(_ group: StatusReport.Group) -> String {
        let timing = config.groups.first { $0.number == group.number }
        let interval = group.intervalTenths
        var line = TextFormat.padLeft("\(group.number)", 2) + "  " + TextFormat.pad(TextFormat.cut(group.name, nameWidth), nameWidth) + "  "
        line += head(group.state) + "  " + paint(TextFormat.pad(Self.aspectWords[group.state] ?? group.state, Self.aspectWidth), aspectColour(group.state))
        line += TextFormat.padLeft(interval.map(TextFormat.seconds) ?? "-", 8) + "  "
        line += TextFormat.pad(timer(group.state, interval: interval, timing: timing), timerWidth, visible: true)
        line += "  " + TextFormat.pad(group.lastTermination ?? "-", 9) + "  " + (group.call ? paint("call", "1") : "    ")
        return line
    }

    /// The aspects in at most `aspectWidth` characters.
    private static let aspectWords = [
        "flashing-dont-walk": "flash DW", "flashing-amber": "flash amb", "flashing-red": "flash red",
    ]

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
            label = "\(short(timing.minGreenTenths))/\(short(timing.maxGreenTenths))"
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
        let filled = min(interval * barWidth / limit, barWidth)
        var cells = Array(repeating: "\u{2591}", count: barWidth)
        for index in 0..<filled { cells[index] = "\u{2588}" }
        if let mark, mark < limit {
            let position = min(mark * barWidth / limit, barWidth - 1)
            cells[position] = interval >= mark ? "\u{2503}" : "\u{2502}"
        }
        if interval > limit { label += " over" }
        return paint(cells.joined(), aspectColour(state)) + " " + label
    }

    /// Rows the detector grid takes (heading included) with as many columns as the width allows,
    /// and more columns of shorter cells when `rows` is fewer.
    private func detectorRows(_ count: Int, rows: Int) -> Int {
        count == 0 ? 0 : 1 + (count + detectorColumns(count, rows: rows) - 1) / detectorColumns(count, rows: rows)
    }

    /// As few columns as fit the detectors into `rows - 1` lines, as many as the width allows.
    private func detectorColumns(_ count: Int, rows: Int) -> Int {
        let widest = max((columns + 2) / (detectorWidth + Self.detectorCellFixed + 2), 1)
        let available = max(rows - 1, 1)
        let wanted = count <= available ? 1 : (count - 1) / available + 1
        return min(wanted, widest)
    }

    /// A detector cell without its name and bar: state mark, occupancy in whole per cent (a glance
    /// needs no decimal, and the narrower cell keeps three columns of 12-character names in 80) and
    /// vehicles.
    private static let detectorCellFixed = 2 + 5 + 4

    private func detectorLines(_ detectors: [StatusReport.Detector], rows: Int) -> [String] {
        guard !detectors.isEmpty, rows >= 2 else { return [] }
        let columnCount = detectorColumns(detectors.count, rows: rows)
        let cellWidth = (columns - 2 * (columnCount - 1)) / columnCount
        let room = cellWidth - detectorWidth - Self.detectorCellFixed - 1
        let bar = room >= 4 ? min(room, 24) : 0
        let heading = TextFormat.pad("detector", detectorWidth) + "  "
            + (bar > 0 ? TextFormat.cut(TextFormat.pad("occupancy", bar), bar) + " " : "") + TextFormat.padLeft("60 s", 5)
            + TextFormat.padLeft("veh", 4)
        var lines = [Array(repeating: TextFormat.pad(heading, cellWidth), count: min(columnCount, detectors.count)).joined(separator: "  ")]
        let perColumn = (detectors.count + columnCount - 1) / columnCount
        // Cut short, the last row says how many detectors it leaves out.
        let shown = perColumn <= rows - 1 ? perColumn : rows - 2
        for row in 0..<shown {
            var cells: [String] = []
            for column in 0..<columnCount {
                let index = column * perColumn + row
                if index < detectors.count {
                    cells.append(TextFormat.pad(TextFormat.cut(detectorCell(detectors[index], bar: bar), cellWidth, reset: colour), cellWidth, visible: true))
                }
            }
            lines.append(cells.joined(separator: "  "))
        }
        if shown < perColumn {
            lines.append("(\(detectors.count - shown * columnCount) more detectors: a taller terminal shows them)")
        }
        return lines
    }

    private func detectorCell(_ detector: StatusReport.Detector, bar width: Int) -> String {
        let mark: String
        switch detector.health {
        case "ok": mark = detector.occupied ? paint("\u{25A0}", "1;36") : "\u{00B7}"
        case "communication": mark = paint("x", "1;31")
        default: mark = paint("!", "1;33")
        }
        var cell = TextFormat.pad(TextFormat.cut(detector.name, detectorWidth), detectorWidth) + " " + mark
        if width > 0 {
            let filled = min(detector.recentOccupancyPermille * width / 1000, width)
            cell += " " + paint(String(repeating: "\u{2588}", count: filled) + String(repeating: "\u{2591}", count: width - filled), "36")
        }
        cell += " " + TextFormat.padLeft("\(min(max(detector.recentOccupancyPermille, 0), 1000) / 10)%", 4)
        cell += " " + TextFormat.padLeft("\(detector.recentActuations)", 3)
        if detector.health != "ok" { cell += " " + paint(detector.health, "33") }
        return cell
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
