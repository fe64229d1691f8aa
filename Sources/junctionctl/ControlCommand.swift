import ArgumentParser
import Diagnostics

/// `on` or `off`, for flash and hold.
enum Switch: String, ExpressibleByArgument, CaseIterable {
    case on
    case off
}

/// Sends one control command on the control socket and prints what the daemon answered.
enum ControlCommand {
    static func send(_ request: DiagnosticRequest, options: ClientOptions, note: String? = nil) throws {
        let reply = try Client.call(request, options: options)
        if options.json { return Client.printJSON(reply) }
        let report = try Client.decode(ControlReport.self, reply, options: options)
        print("\(report.command): \(report.outcome) (journal #\(report.auditSequence))")
        if let note { print(note) }
    }
}

/// `junctionctl flash on|off`.
struct FlashCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flash",
        abstract: "Put the junction into flash, or bring it back.",
        discussion: """
            `flash on` uses the automatic-flash rule: running greens finish their minimum, clearances \
            run in full, then all-red, then flash. `flash off` leaves flash through all-red to the first stage.
            """)

    @Argument(help: "on or off")
    var state: Switch

    @OptionGroup var client: ClientOptions

    func run() throws {
        try ControlCommand.send(
            .flash(on: state == .on), options: client,
            note: state == .on
                ? "the junction enters flash once minimum greens and clearances are served"
                : "the junction leaves flash through all-red")
    }
}

/// `junctionctl hold on|off`.
struct HoldCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hold", abstract: "Keep the current stage (on) or release it (off); needs normal operation.")

    @Argument(help: "on or off")
    var state: Switch

    @OptionGroup var client: ClientOptions

    func run() throws {
        try ControlCommand.send(.hold(on: state == .on), options: client)
    }
}

/// `junctionctl advance`.
struct AdvanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "advance", abstract: "End the current stage as soon as every minimum and intergreen allows.")

    @OptionGroup var client: ClientOptions

    func run() throws {
        try ControlCommand.send(
            .advance, options: client, note: "the stage ends once its minimum greens are served, then clears normally")
    }
}

/// `junctionctl call DETECTOR`.
struct CallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "call", abstract: "Place a call as if the detector had been actuated (to test a loop).")

    @Argument(help: "The detector's name, or its number from 1.")
    var detector: String

    @OptionGroup var client: ClientOptions

    func run() throws {
        try ControlCommand.send(.call(DetectorReference(argument: detector)), options: client)
    }
}

/// `junctionctl plan NAME|actuated|auto`.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Run a fixed-time plan by name, or `actuated`, overriding the schedule; `auto` hands back to the schedule.")

    @Argument(help: "A plan name from the junction file, actuated, or auto.")
    var name: String

    @OptionGroup var client: ClientOptions

    func run() throws {
        switch name {
        case "auto": try ControlCommand.send(.planAuto, options: client)
        case "actuated": try ControlCommand.send(.plan(nil), options: client)
        default: try ControlCommand.send(.plan(name), options: client)
        }
    }
}

/// `junctionctl reset-fault`.
struct ResetFaultCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset-fault",
        abstract: "Clear a latched safety-monitor fault; the junction restarts through startup flash.",
        discussion: "Refused when no fault is latched. A fault whose cause persists latches again.")

    @OptionGroup var client: ClientOptions

    func run() throws {
        try ControlCommand.send(
            .resetFault, options: client, note: "the junction restarts through startup flash and all-red")
    }
}
