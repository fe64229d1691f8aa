import ArgumentParser
import BuildInfo

/// The technician's command line for junctiond: a thin client of the diagnostic socket that
/// speaks the same request and response types as the daemon.
struct JunctionCtl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "junctionctl",
        abstract: "Look at and control a running junctiond over its diagnostic socket.",
        discussion: """
            Read commands use junctiond.sock (group junctiond); control commands use \
            junctiond-control.sock (group junctiond-admin, or root). Every control command goes through \
            the controller's safety envelope and is recorded in the event journal with your uid.

            The options --json, --socket, --runtime-directory and --timeout may come before the command \
            as well as after it: `junctionctl --json status` is `junctionctl status --json`.

            Exit status: 0 done, 1 refused or failed by junctiond, 2 invalid junction file \
            (config check), 3 cannot reach junctiond, 64 usage error (unknown command or option, bad \
            argument).
            """,
        version: BuildInfo.versionLine("junctionctl"),
        subcommands: [
            StatusCommand.self, DetectorsCommand.self, EventsCommand.self, CountsCommand.self, ConfigCommand.self,
            FlashCommand.self, HoldCommand.self, AdvanceCommand.self, CallCommand.self, PlanCommand.self,
            ResetFaultCommand.self, WatchCommand.self,
        ]
    )
}
