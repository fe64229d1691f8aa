import Foundation
import JunctionConfig
import SignalCore
import SystemInterface

/// Every junction of a SUMO corridor in lockstep with the harness (bench/sumo/corridor_harness.py):
/// one production `SignalController` per junction file, one `step` each per 0.1 s simulation step.
///
/// The line protocol is the single-junction peer's (`SumoPeer`, `PeerMessage`) over all junctions
/// at once. The handshake is `hello-corridor 1 <junctions> <groups> <detectors>` (totals), then per
/// junction `junction <j> <tls> <groups> <detectors>`, `group <j> <g> <name> <links>` and
/// `detector <j> <d> <name> <loop>` (indices within the junction), `strategy <name>`,
/// `mode isolated|coordinated` and `ready`. A step is `PeerMessage`'s `s <presence> <actuations>`
/// with every junction's detectors concatenated in junction order; the answer is every junction's
/// lamps concatenated in the same order, one SUMO character per group. `status` answers one line
/// (junctions separated by ` | `), `quit` the closing summary: ticks, faults, and the CPU the
/// controllers and the neighbour exchange took.
struct CorridorPeer {
    /// One junction: its file, its controller and where its detectors and groups sit in the lines.
    struct Member {
        let path: String
        let configuration: JunctionConfiguration
        let mapping: SumoMapping
        let controller: SignalController
        let detectors: Range<Int>
        let groups: Range<Int>
    }

    /// Why the peer cannot start.
    struct StartError: Error, CustomStringConvertible {
        let description: String
    }

    let members: [Member]
    let strategyName: String
    private var exchange: CorridorExchange?
    private var tick: Tenths = 0
    private var controllerNanoseconds = 0
    private var exchangeNanoseconds = 0

    init(paths: [String], strategy: AdaptiveSettings.Strategy?, exchange: CorridorExchange.Settings?) throws(StartError) {
        guard !paths.isEmpty else { throw StartError(description: "give at least one --config") }
        var loaded: [(path: String, configuration: JunctionConfiguration)] = []
        for path in paths {
            do {
                loaded.append((path, try JunctionConfigLoader().load(path: path)))
            } catch {
                throw StartError(description: "\(path): \(error)")
            }
        }
        if let exchange {
            do {
                self.exchange = try CorridorExchange(junctions: loaded, settings: exchange)
            } catch {
                throw StartError(description: error.description)
            }
        }
        var members: [Member] = []
        var detectors = 0
        var groups = 0
        var name = "actuated"
        for (m, (path, configuration)) in loaded.enumerated() {
            guard let mapping = configuration.sumo else {
                throw StartError(description: "\(path) has no [sumo] section mapping groups to links")
            }
            var settings = configuration.adaptive
            if let strategy { settings.strategy = strategy }
            let junction = configuration.junction
            // Coordinated: the strategy reads the forecast this junction's node merges neighbours' messages into.
            let made = settings.makeStrategy(for: junction, neighbours: self.exchange?.nodes[m]?.arrivals)
            name = made?.name ?? "actuated"
            members.append(
                Member(
                    path: path, configuration: configuration, mapping: mapping,
                    controller: SignalController(junction: junction, strategy: made),
                    detectors: detectors..<(detectors + junction.detectors.count),
                    groups: groups..<(groups + junction.groups.count)))
            detectors += junction.detectors.count
            groups += junction.groups.count
        }
        self.members = members
        strategyName = name
    }

    /// Runs until `quit` or the end of input; returns a process exit status.
    mutating func run() -> Int32 {
        let detectorCount = members.last.map(\.detectors.upperBound) ?? 0
        let groupCount = members.last.map(\.groups.upperBound) ?? 0
        write("hello-corridor 1 \(members.count) \(groupCount) \(detectorCount)")
        for (j, member) in members.enumerated() {
            let junction = member.configuration.junction
            write("junction \(j) \(member.mapping.trafficLight) \(junction.groups.count) \(junction.detectors.count)")
            for (g, group) in junction.groups.enumerated() {
                write("group \(j) \(g) \(group.name) \(member.mapping.groupLinks[g].map(String.init).joined(separator: ","))")
            }
            for (d, detector) in junction.detectors.enumerated() {
                write("detector \(j) \(d) \(detector.name) \(member.mapping.detectorLoops[d])")
            }
        }
        write("strategy \(strategyName)")
        write("mode \(exchange == nil ? "isolated" : "coordinated")")
        write("ready")
        var snapshots = members.map { DetectorSnapshot(detectorCount: $0.configuration.junction.detectors.count) }
        var lamps = [UInt8](repeating: UInt8(ascii: "r"), count: groupCount)
        while let line = readLine(strippingNewline: true) {
            let message: PeerMessage
            do {
                message = try PeerMessage.decode(line.utf8[...], detectors: detectorCount)
            } catch {
                FileHandle.standardError.write(Data("junction-bench sumo corridor-peer: tick \(tick + 1): \(error)\n".utf8))
                return 65
            }
            switch message {
            case .step(let presence, let actuations):
                tick += 1
                for (j, member) in members.enumerated() {
                    for (d, index) in member.detectors.enumerated() {
                        snapshots[j].communicationFault[d] = presence[index] == UInt8(ascii: "?")
                        snapshots[j].presence[d] = presence[index] == UInt8(ascii: "1")
                        snapshots[j].actuations[d] = actuations[index]
                    }
                }
                if exchange != nil {
                    let started = Clocks.threadCPUNanoseconds()
                    exchange!.deliver(tick: tick)
                    exchangeNanoseconds += Clocks.threadCPUNanoseconds() - started
                }
                let started = Clocks.threadCPUNanoseconds()
                for (j, member) in members.enumerated() {
                    member.controller.step(tick: tick, detectors: snapshots[j])
                }
                controllerNanoseconds += Clocks.threadCPUNanoseconds() - started
                if exchange != nil {
                    let started = Clocks.threadCPUNanoseconds()
                    exchange!.send(tick: tick, members: members, snapshots: snapshots)
                    exchangeNanoseconds += Clocks.threadCPUNanoseconds() - started
                }
                for member in members {
                    for (g, state) in member.controller.signals.enumerated() {
                        lamps[member.groups.lowerBound + g] = SumoPeer.sumoCharacter(state)
                    }
                }
                write(String(decoding: lamps, as: UTF8.self))
            case .status:
                write(statusLine())
            case .quit:
                write(summary())
                return 0
            }
        }
        return 0
    }

    /// `bye ticks=… faults=… controllers_ms=… exchange_ms=… peer_ms=…` and the exchange's counters.
    private func summary() -> String {
        let faults = members.compactMap { member in
            member.controller.fault.map { "\(member.mapping.trafficLight):\($0)" }
        }
        var line = "bye ticks=\(tick) fault=\(faults.isEmpty ? "none" : faults.joined(separator: ","))"
        line += " dropped=\(members.map(\.controller.status.droppedEvents).reduce(0, +))"
        line += " controllers_ms=\(controllerNanoseconds / 1_000_000) exchange_ms=\(exchangeNanoseconds / 1_000_000)"
        line += " peer_ms=\(Clocks.threadCPUNanoseconds() / 1_000_000)"
        if let exchange { line += " " + exchange.counters(members: members) }
        return line
    }

    /// Per junction: `<tls> mode=… stage=…`, joined by ` | `.
    private func statusLine() -> String {
        "status " + members.map { member in
            let status = member.controller.status
            let junction = member.configuration.junction
            return "\(member.mapping.trafficLight) tick=\(status.tick) mode=\(status.mode.name) "
                + "stage=\(status.stage.map { junction.stages[$0].name } ?? "-")"
        }.joined(separator: " | ")
    }

    /// One line to the harness, unbuffered: it waits for every answer before the next step.
    private func write(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
