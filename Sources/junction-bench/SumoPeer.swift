import Foundation
import JunctionConfig
import SignalCore

/// The production controller in lockstep with a SUMO harness: one `SignalController.step` per
/// 0.1 s simulation step, detector inputs in, lamp states out (see `PeerMessage` for the lines).
///
/// It writes, before any step, a handshake the harness builds its TraCI subscriptions from:
/// `hello 1 <tls> <groups> <detectors>`, then `group <index> <name> <links>` per group (links
/// comma-separated), `detector <index> <name> <loop>` per detector, and `ready`. Each step is
/// answered with one character per group in SUMO's vocabulary: `r` red, `u` red+amber, `G` green,
/// `y` amber, `o` flashing amber, `O` dark. The event log goes to a CSV file of
/// `tick,code,parameter` rows when one is named.
struct SumoPeer {
    let configuration: JunctionConfiguration
    let mapping: SumoMapping
    let controller: SignalController
    let strategyName: String
    private var events: FileHandle?
    private var eventText = ""
    private var tick: Tenths = 0

    /// Why the peer cannot start.
    enum StartError: Error, CustomStringConvertible {
        case noSumoSection(String)
        case noPlan(String)
        case eventFile(String)

        var description: String {
            switch self {
            case .noSumoSection(let path): return "\(path) has no [sumo] section mapping groups to links"
            case .noPlan(let name): return "the junction has no plan named \(name)"
            case .eventFile(let path): return "cannot create the event log \(path)"
            }
        }
    }

    init(configuration: JunctionConfiguration, path: String, strategy: AdaptiveSettings.Strategy?, plan: String?,
         eventsPath: String?) throws(StartError) {
        guard let mapping = configuration.sumo else { throw .noSumoSection(path) }
        self.configuration = configuration
        self.mapping = mapping
        var settings = configuration.adaptive
        if let strategy { settings.strategy = strategy }
        let made = plan == nil ? settings.makeStrategy(for: configuration.junction) : nil
        strategyName = plan.map { "fixed:\($0)" } ?? made?.name ?? "actuated"
        controller = SignalController(junction: configuration.junction, strategy: made)
        if let plan, controller.submit(.selectPlan(plan)) != .accepted { throw .noPlan(plan) }
        if let eventsPath {
            guard FileManager.default.createFile(atPath: eventsPath, contents: Data("tick,code,parameter\n".utf8)),
                let handle = FileHandle(forWritingAtPath: eventsPath)
            else { throw .eventFile(eventsPath) }
            handle.seekToEndOfFile()
            events = handle
        }
    }

    /// Runs until `quit` or the end of input; returns a process exit status.
    mutating func run() -> Int32 {
        let junction = configuration.junction
        write("hello 1 \(mapping.trafficLight) \(junction.groups.count) \(junction.detectors.count)")
        for (g, group) in junction.groups.enumerated() {
            write("group \(g) \(group.name) \(mapping.groupLinks[g].map(String.init).joined(separator: ","))")
        }
        for (d, detector) in junction.detectors.enumerated() {
            write("detector \(d) \(detector.name) \(mapping.detectorLoops[d])")
        }
        write("strategy \(strategyName)")
        write("ready")
        var snapshot = DetectorSnapshot(detectorCount: junction.detectors.count)
        var lamps = [UInt8](repeating: UInt8(ascii: "r"), count: junction.groups.count)
        while let line = readLine(strippingNewline: true) {
            let message: PeerMessage
            do {
                message = try PeerMessage.decode(line.utf8[...], detectors: junction.detectors.count)
            } catch {
                FileHandle.standardError.write(Data("junction-bench sumo peer: tick \(tick + 1): \(error)\n".utf8))
                flushEvents()
                return 65
            }
            switch message {
            case .step(let presence, let actuations):
                for d in 0..<snapshot.count {
                    snapshot.communicationFault[d] = presence[d] == UInt8(ascii: "?")
                    snapshot.presence[d] = presence[d] == UInt8(ascii: "1")
                    snapshot.actuations[d] = actuations[d]
                }
                tick += 1
                controller.step(tick: tick, detectors: snapshot)
                record(controller.tickEvents)
                for (g, state) in controller.signals.enumerated() { lamps[g] = Self.sumoCharacter(state) }
                write(String(decoding: lamps, as: UTF8.self))
            case .status:
                write(statusLine())
            case .quit:
                flushEvents()
                let fault = controller.fault.map { "\($0)" } ?? "none"
                write("bye ticks=\(tick) fault=\(fault) dropped=\(controller.status.droppedEvents)")
                return 0
            }
        }
        flushEvents()
        return 0
    }

    /// SUMO's signal character for an aspect; pedestrian aspects map to their vehicle equivalents.
    static func sumoCharacter(_ state: SignalState) -> UInt8 {
        switch state {
        case .red, .dontWalk, .flashingRed: return UInt8(ascii: "r")
        case .redAmber: return UInt8(ascii: "u")
        case .green, .walk: return UInt8(ascii: "G")
        case .amber, .flashingDontWalk: return UInt8(ascii: "y")
        case .flashingAmber: return UInt8(ascii: "o")
        case .dark: return UInt8(ascii: "O")
        }
    }

    /// `status tick=… mode=… stage=… strategy=… N=<decision>;…` on one line; times in seconds
    /// (`40.0s`), the degree of saturation in percent.
    private func statusLine() -> String {
        let status = controller.status
        let junction = configuration.junction
        let seconds = { (tenths: Tenths) in JunctionValidator.seconds(tenths).filter { $0 != " " } }
        var line = "status tick=\(status.tick) mode=\(status.mode.name)"
        line += " stage=\(status.stage.map { junction.stages[$0].name } ?? "-")"
        line += " strategy=\(strategyName)"
        if let adaptive = status.adaptive {
            let groups = junction.groups.indices.map { g in
                "\(junction.groups[g].name):max=\(seconds(adaptive.maxGreen[g])),queue=\(adaptive.queuedVehicles[g])"
                    + ",travel=\(seconds(adaptive.advanceTravel[g])),ds=\(adaptive.degreeOfSaturationPercent[g])%"
                    + ",last=\(adaptive.decisions[g].summary)"
            }
            line += " cycle=\(seconds(adaptive.cycleTarget)) groups=" + groups.joined(separator: ";").replacingOccurrences(
                of: " ", with: "_")
        }
        return line
    }

    private mutating func record(_ slice: ArraySlice<ControllerEvent>) {
        guard events != nil else { return }
        for event in slice { eventText += "\(event.tick),\(event.code.rawValue),\(event.parameter)\n" }
        if eventText.utf8.count > 1 << 16 { flushEvents() }
    }

    private mutating func flushEvents() {
        guard let events, !eventText.isEmpty else { return }
        events.write(Data(eventText.utf8))
        eventText = ""
    }

    /// One line to the harness, unbuffered: it waits for every answer before the next step.
    private func write(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
