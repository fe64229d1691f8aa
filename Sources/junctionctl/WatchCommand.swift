import ArgumentParser
import Diagnostics
import SystemInterface

/// `junctionctl watch`: a live view that redraws in place from the daemon's state stream.
struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "A live view of the junction: signal heads, interval timers with reasons, detector bars.",
        discussion: """
            On a terminal the view fits the window (80x24 or larger): long fields are cut, detectors \
            go into columns, and the header stays on top. Into a pipe each frame is printed whole.
            """)

    @OptionGroup var client: ClientOptions

    @Option(name: .customLong("interval-ms"), parsing: .unconditional, help: "Milliseconds between frames (100–10000).")
    var intervalMilliseconds = DiagnosticProtocol.defaultStateIntervalMilliseconds

    @Option(name: .long, parsing: .unconditional, help: "Stop after this many frames (default: until interrupted).")
    var count: Int?

    @Flag(name: .customLong("no-colour"), help: "Plain text heads instead of ANSI colours.")
    var noColour = false

    func validate() throws {
        guard DiagnosticProtocol.stateIntervalRangeMilliseconds.contains(intervalMilliseconds) else {
            throw ValidationError("--interval-ms takes 100–10000")
        }
        if let count, count < 1 { throw ValidationError("--count takes 1 or more") }
    }

    func run() throws {
        var (connection, config) = try subscribe()
        let terminal = Syscall.standardOutputIsTerminal()
        // Into a pipe or a file the frames are a log: wide lines, no height to keep to.
        var view = WatchView(config: config, colour: terminal && !noColour, columns: 132, rows: .max / 2)
        if terminal && !client.json { print("\u{1B}[2J", terminator: "") }
        var frames = 0
        var pause = PauseWatch()
        // A frame comes every interval while the loop ticks; no frame for much longer means trouble,
        // whatever else arrives meanwhile (lines of another stream are not frames).
        let patienceSeconds = max(client.timeoutSeconds, intervalMilliseconds / 1000 * 3)
        var patience = DiagnosticClient.Deadline(seconds: patienceSeconds)
        while count.map({ frames < $0 }) ?? true {
            let message: ResponseMessage
            do throws(ClientError) {
                message = try next(from: connection, within: patience, pause: &pause)
            } catch {
                // Stopped (Ctrl-Z, or blocked writing to a pager) past the patience: the frames that
                // came meanwhile wait in the socket, so the wait starts again rather than ending.
                if case .timeout = error, pause.resumedJustNow {
                    patience = DiagnosticClient.Deadline(seconds: patienceSeconds)
                    continue
                }
                // Stopped long enough, the view is closed by the daemon as a reader that took
                // nothing; once resumed it subscribes again instead of ending, with the file the daemon
                // runs now.
                guard case .closed = error, pause.resumedJustNow else {
                    Client.report(error, json: client.json)
                    throw ExitCode(error.exitStatus)
                }
                (connection, config) = try subscribe()
                view = WatchView(config: config, colour: view.colour, columns: view.columns, rows: view.rows)
                patience = DiagnosticClient.Deadline(seconds: patienceSeconds)
                continue
            }
            if case .error(_, let code, let text) = message.kind {
                Client.report(.daemon(code: code, message: text), json: client.json)
                throw ExitCode(1)
            }
            guard case .stream(DiagnosticStream.state.rawValue) = message.kind else { continue }
            frames += 1
            // The next frame is awaited from when this one is shown: the time spent writing it (to a
            // pager the user scrolls, say) is not the daemon's.
            defer { patience = DiagnosticClient.Deadline(seconds: patienceSeconds) }
            if client.json {
                Client.printJSON(message)
                continue
            }
            let status = try Client.decode(StatusReport.self, message, options: client)
            if terminal {
                // Read every frame: the window may have been resized.
                (view.rows, view.columns) = Syscall.standardOutputTerminalSize() ?? (24, 80)
                print(view.redraw(status), terminator: "")
            } else {
                print(view.render(status).joined(separator: "\n") + "\n")
            }
            Syscall.flushStandardStreams()
        }
    }

    /// The next message within `patience`, waiting at most `PauseWatch.sliceSeconds` at a time so
    /// that `pause` sees every stretch of time this process ran.
    private func next(
        from connection: DiagnosticClient, within patience: DiagnosticClient.Deadline, pause: inout PauseWatch
    ) throws(ClientError) -> ResponseMessage {
        while true {
            let slice = DiagnosticClient.Deadline(seconds: PauseWatch.sliceSeconds)
            do throws(ClientError) {
                defer { pause.woke() }
                return try connection.next(until: slice.monotonicNanoseconds < patience.monotonicNanoseconds ? slice : patience)
            } catch {
                guard case .timeout = error else { throw error }
                if patience.millisecondsLeft == 0 { throw .timeout(seconds: patience.seconds) }
            }
        }
    }

    /// Whether junctionctl itself was stopped for a while (Ctrl-Z) and has just resumed: a gap
    /// between two wake-ups of the read, which waits at most `sliceSeconds` at a time, several
    /// times longer than a slice, seen within the last few seconds. A daemon that is merely silent
    /// leaves no such gap, so its close is reported, not taken for a resume. The frames the socket
    /// still held are read first after a resume, then the daemon's close.
    struct PauseWatch {
        static let sliceSeconds = 1
        static let gapNanoseconds = 5_000_000_000
        static let recentNanoseconds = 10_000_000_000
        private var lastWake = Clocks.monotonicNanoseconds()
        private var resumedAt: Int?

        /// Records that the read returned (a message, a slice's end or an error).
        mutating func woke() {
            let now = Clocks.monotonicNanoseconds()
            if now - lastWake > Self.gapNanoseconds { resumedAt = now }
            lastWake = now
        }

        var resumedJustNow: Bool {
            resumedAt.map { lastWake - $0 < Self.recentNanoseconds } ?? false
        }
    }

    /// Connects, reads the junction's configuration and subscribes to the state stream.
    private func subscribe() throws -> (DiagnosticClient, ConfigReport) {
        let connection = try Client.connect(for: .read, options: client)
        let configReply = try Client.guarded(client) { () throws(ClientError) in
            try connection.call(.config, timeoutSeconds: client.timeoutSeconds)
        }
        let config = try Client.decode(ConfigReport.self, configReply, options: client)
        _ = try Client.guarded(client) { () throws(ClientError) in
            try connection.call(
                .subscribe(.state, intervalMilliseconds: intervalMilliseconds, since: nil), timeoutSeconds: client.timeoutSeconds)
        }
        return (connection, config)
    }
}
