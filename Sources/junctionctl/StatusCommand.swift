import ArgumentParser
import Diagnostics

/// `junctionctl status`: mode, stage, timers, faults, loop lateness and counters.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Mode, stage, time in stage, plan, faults, loop lateness and counters.")

    @OptionGroup var client: ClientOptions

    func run() throws {
        let reply = try Client.call(.status, options: client)
        if client.json { return Client.printJSON(reply) }
        print(Self.render(try Client.decode(StatusReport.self, reply, options: client)))
    }

    static func render(_ status: StatusReport) -> String {
        var lines = ["\(status.junction)   t \(TextFormat.seconds(status.tick))"]
        if let clock = status.clock { lines += ClockText.lines(clock) }
        var mode = status.mode
        if let reason = status.flashReason, status.mode.hasSuffix("flash") { mode += " (\(reason))" }
        lines.append("  mode     \(mode)")
        lines.append("  stage    \(StageText.describe(status) ?? "-")")
        if let preempt = status.preempt {
            lines.append(
                "  preempt  \(preempt.number) \"\(preempt.name)\" \(preempt.phase) for "
                    + TextFormat.seconds(preempt.timeInPhaseTenths))
        }
        var plan = "  plan     \(status.plan ?? "actuated")"
        if let source = status.planSource { plan += "   (\(source))" }
        if let schedule = status.schedule {
            plan += "   schedule: \(schedule.plan) since \(schedule.since) (day plan \(schedule.dayPlan))"
            if let next = schedule.nextChange, let nextPlan = schedule.nextPlan { plan += ", next \(nextPlan) at \(next)" }
            if let refusals = schedule.refusals, refusals > 0 {
                plan += "; \(refusals) refused, last \(schedule.lastRefusal ?? "-")"
            }
        }
        lines.append(plan)
        lines.append("  hold     \(status.hold ? "on" : "off")")
        if let request = status.flashRequest { lines.append("  flash    requested (\(request))") }
        if let fault = status.fault {
            lines.append("  fault    LATCHED \(fault.kind) at t \(TextFormat.seconds(fault.tick)), groups \(fault.groups.joined(separator: ", ")): \(fault.description)")
        } else {
            lines.append("  fault    none")
        }
        let detectorFaults = status.detectorFaults.map { "\($0.name) (\($0.health))" }
        lines.append("  detector faults  \(detectorFaults.isEmpty ? "none" : detectorFaults.joined(separator: ", "))")
        lines.append("")
        var rows = [["#", "group", "kind", "state", "for", "call", "last end"]]
        for group in status.groups {
            rows.append([
                "\(group.number)", group.name, FileWords.groupKind(group.kind), group.state,
                group.intervalTenths.map(TextFormat.seconds) ?? "-", group.call ? "call" : "-", group.lastTermination ?? "-",
            ])
        }
        lines.append(TextFormat.table(rows))
        lines.append("")
        let loop = status.loop
        lines.append(
            "  loop     \(loop.ticks) ticks; lateness p50 \(TextFormat.duration(nanoseconds: loop.latenessP50Nanoseconds)), "
                + "p99 \(TextFormat.duration(nanoseconds: loop.latenessP99Nanoseconds)), "
                + "p99.9 \(TextFormat.duration(nanoseconds: loop.latenessP999Nanoseconds)), "
                + "max \(TextFormat.duration(nanoseconds: loop.latenessMaxNanoseconds)); "
                + "overruns \(loop.overruns) (missed ticks \(loop.missedTicks)); "
                + "longest tick \(TextFormat.duration(nanoseconds: loop.maxTickWorkNanoseconds))")
        let counters = status.counters
        lines.append(
            "  engine   watchdog toggles \(counters.watchdogToggles), unconfirmed output ticks \(counters.unconfirmedOutputTicks), "
                + "requests dropped \(counters.requestsDropped), reloads \(counters.reloadsApplied) applied / "
                + "\(counters.reloadsRefused) refused, dropped events \(counters.droppedEvents), "
                + "journal #\(counters.journalLastSequence) (\(counters.journalOverwritten) rotated out)")
        for (label, backend) in [("detectors", status.field.detectors), ("outputs", status.field.outputs)] {
            lines.append(
                "  field    \(label) \(backend.backend): \(backend.reads) reads, \(backend.writes) writes, "
                    + "\(backend.retries) retries, \(backend.drops) drops, \(backend.faults) faults")
        }
        let server = status.server
        lines.append(
            "  clients  \(server.clients) of \(server.maxClients) (+\(server.reservedControlSlots) for control); "
                + "\(server.accepted) accepted, \(server.refusedBusy) refused busy (\(server.refusedBusyControl) of them admins), "
                + "\(server.refusedForbidden) forbidden; \(server.requests) requests, \(server.errors) errors, "
                + "\(server.oversizedLines) oversized, \(server.timeouts) timeouts, \(server.slowConsumers) slow readers dropped, "
                + "\(server.controlCommands) control commands")
        for service in status.services {
            let counts = service.counters.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            lines.append("  \(TextFormat.pad(service.name, 8)) \(service.state); "
                + counts.joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }
}
