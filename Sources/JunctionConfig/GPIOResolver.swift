import SignalCore

/// Resolves a read `[gpio]` section against the assembled junction and `[field]`: detector and
/// group names to indices, every detector and group wired when GPIO serves them, each head's lamps
/// matching its kind, the watchdog line present, and no line written twice.
struct GPIOResolver {
    let draft: GPIOSection.Draft
    let field: FieldSelection
    let junction: Junction
    let log: ProblemLog

    /// The settings, or nil when `[field]` does not use GPIO; problems go to `log`.
    static func resolve(
        _ draft: GPIOSection.Draft?, field: FieldSelection, junction: Junction, log: ProblemLog
    ) -> GPIOSettings? {
        guard field.admitsSection(of: .gpio, given: draft != nil, contents: "its wiring", log: log), let draft else {
            return nil
        }
        return GPIOResolver(draft: draft, field: field, junction: junction, log: log).resolve()
    }

    private func resolve() -> GPIOSettings {
        var owners: [GPIOSettings.Line: String] = [:]
        let detectors = resolveDetectors(&owners)
        let lamps = resolveLamps(&owners)
        let watchdog = resolveWatchdog(&owners)
        return GPIOSettings(
            detectors: detectors, lamps: lamps, watchdog: watchdog, lampDrive: draft.lampDrive,
            lampActiveLow: draft.lampActiveLow, lampBias: draft.lampBias,
            staleAfterMilliseconds: draft.staleAfterMilliseconds, reportIntervalSeconds: draft.reportIntervalSeconds)
    }

    /// Takes `entry`'s line for `owner`, reporting a line already taken by another entry.
    /// Lines written differently (a label and a chip name, a name and an offset) can still be one
    /// line; the backend finds those when it opens them.
    private func claim(_ entry: GPIOSection.LineEntry, for owner: String, _ owners: inout [GPIOSettings.Line: String]) -> Bool {
        if let first = owners[entry.line] {
            log.report(.invalidValue, entry.path, "\(entry.line) is wired twice: for \(first) and for \(owner)")
            return false
        }
        owners[entry.line] = owner
        return true
    }

    // MARK: - Detectors

    private func resolveDetectors(_ owners: inout [GPIOSettings.Line: String]) -> [GPIOSettings.DetectorInput] {
        var list = WiringList(.gpio, .detectors, junction: junction, log: log)
        guard list.isInUse(field, given: !draft.detectors.isEmpty) else { return [] }
        var inputs: [GPIOSettings.DetectorInput] = []
        for entry in draft.detectors {
            let path = list.path + [.entry(name: entry.detector, index: entry.index)]
            guard let detector = list.match(entry.detector, entry: entry.index, at: path, wired: "a line") else {
                continue
            }
            guard let line = entry.line, claim(line, for: "detector \(entry.detector)", &owners) else { continue }
            inputs.append(
                GPIOSettings.DetectorInput(
                    detector: detector, line: line.line, activeLow: entry.activeLow,
                    debounceMilliseconds: entry.debounceMilliseconds, bias: entry.bias))
        }
        list.reportUnwired()
        return inputs
    }

    // MARK: - Lamps

    private func resolveLamps(_ owners: inout [GPIOSettings.Line: String]) -> [GPIOSettings.LampLines] {
        var list = WiringList(.gpio, .groups, junction: junction, log: log)
        guard list.isInUse(field, given: !draft.lamps.isEmpty) else { return [] }
        var heads: [GPIOSettings.LampLines] = []
        for entry in draft.lamps {
            let path = list.path + [.entry(name: entry.group, index: entry.index)]
            guard let group = list.match(entry.group, entry: entry.index, at: path, wired: "lamps") else { continue }
            let kind = junction.groups[group].kind
            let expected = Self.lamps(of: kind)
            var lines: [GPIOSettings.Lamp: GPIOSettings.Line] = [:]
            var complete = true
            for (lamp, line) in entry.lines {
                guard expected.contains(lamp) else {
                    let keys = expected.map(\.rawValue).joined(separator: ", ")
                    log.report(
                        .invalidValue, line.path,
                        "group \(entry.group) is a \(kind.rawValue) head: its lamps are \(keys), not \(lamp.rawValue)")
                    complete = false
                    continue
                }
                if claim(line, for: "the \(lamp.rawValue) lamp of group \(entry.group)", &owners) {
                    lines[lamp] = line.line
                } else {
                    complete = false
                }
            }
            for lamp in expected where !entry.lines.contains(where: { $0.lamp == lamp }) {
                log.report(
                    .missingKey, path + [.key(lamp.rawValue)],
                    "group \(entry.group) (\(kind.rawValue)) has no \(lamp.rawValue) line")
                complete = false
            }
            if complete {
                heads.append(GPIOSettings.LampLines(group: group, lines: lines))
            }
        }
        list.reportUnwired()
        return heads
    }

    /// The lamps a head of `kind` has.
    static func lamps(of kind: SignalGroupKind) -> [GPIOSettings.Lamp] {
        kind == .pedestrian ? [.dontWalk, .walk] : [.red, .amber, .green]
    }

    // MARK: - Watchdog

    private func resolveWatchdog(_ owners: inout [GPIOSettings.Line: String]) -> GPIOSettings.Line? {
        guard field.outputs == .gpio else {
            if let watchdog = draft.watchdog {
                log.report(
                    .layout, watchdog.path, "a GPIO watchdog line is given but field.outputs is \"\(field.outputs.rawValue)\"")
            }
            return nil
        }
        guard let watchdog = draft.watchdog else {
            log.report(
                .missingKey, [.key("gpio"), .key("watchdog")],
                "field.outputs = \"gpio\" needs a watchdog line for the cabinet monitor (watchdog = offset or name)")
            return nil
        }
        return claim(watchdog, for: "the watchdog", &owners) ? watchdog.line : nil
    }
}
