import ArgumentParser
import Diagnostics
import SystemInterface

/// `junctionctl events`: the journal, with `--follow` to keep printing new events.
struct EventsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "The event journal (Indiana codes), newest last.",
        discussion: """
            Without --since, the newest events (50 unless --limit says otherwise); with --since N, the \
            events after sequence number N. --follow keeps printing new events until interrupted.
            """)

    @OptionGroup var client: ClientOptions

    @Flag(name: .long, help: "Keep printing new events as they happen.")
    var follow = false

    // Unconditional: `--limit -1` is a value out of range, not a missing one and an unknown option.
    @Option(name: .long, parsing: .unconditional, help: "Only events after this sequence number.")
    var since: UInt64?

    @Option(
        name: .long, parsing: .unconditional,
        help: "At most this many events (1–\(DiagnosticProtocol.maxEventsPerReply)).")
    var limit: Int?

    func validate() throws {
        // The protocol's numbers are signed 64-bit: a larger one would be cut to a number never typed.
        if let since, since > UInt64(Int64.max) {
            throw ValidationError("--since takes 0–\(Int64.max)")
        }
        if let limit, !(1...DiagnosticProtocol.maxEventsPerReply).contains(limit) {
            throw ValidationError("--limit takes 1–\(DiagnosticProtocol.maxEventsPerReply)")
        }
    }

    func run() throws {
        guard follow else {
            let reply = try Client.call(.events(since: since, limit: limit, follow: false), options: client)
            if client.json { return Client.printJSON(reply) }
            let page = try Client.decode(EventsReport.self, reply, options: client)
            show(page)
            return
        }
        let connection = try Client.connect(for: .read, options: client)
        _ = try Client.guarded(client) { () throws(ClientError) in
            try connection.call(.events(since: since, limit: nil, follow: true), timeoutSeconds: client.timeoutSeconds)
        }
        while true {
            let message = try Client.guarded(client) { () throws(ClientError) in try connection.next(until: nil) }
            if case .error(_, let code, let text) = message.kind {
                Client.report(.daemon(code: code, message: text), json: client.json)
                throw ExitCode(1)
            }
            guard case .stream(DiagnosticStream.events.rawValue) = message.kind else { continue }
            show(try Client.decode(EventsReport.self, message, options: client))
        }
    }

    private func show(_ page: EventsReport) {
        if page.missed > 0 {
            Client.writeError("junctionctl: \(page.missed) events were overwritten before they could be read\n")
        }
        for event in page.events {
            if client.json {
                print(Self.json(event))
            } else {
                print(Self.line(event))
            }
        }
        Syscall.flushStandardStreams()
    }

    /// One event as one line of text.
    static func line(_ event: EventRecord) -> String {
        var text = TextFormat.padLeft("#\(event.sequence)", 7) + "  t " + TextFormat.padLeft(TextFormat.seconds(event.tick), 9)
        if let wall = event.wallTimeMilliseconds { text += "  " + ClockText.utc(milliseconds: wall) }
        text += "  " + TextFormat.pad("\(event.name) (\(event.code))", 26)
        if let subject = event.subject { text += "  " + subject }
        if let person = event.operator { text += "  [uid \(person.uid)]" }
        return text
    }

    /// One event as one line of JSON, in the wire's field names.
    static func json(_ event: EventRecord) -> String {
        var members = [
            JSONMember("sequence", .integer(Int(clamping: event.sequence))), JSONMember("tick", .integer(event.tick)),
            JSONMember("code", .integer(event.code)), JSONMember("name", .string(event.name)),
            JSONMember("parameter", .integer(event.parameter)),
        ]
        if let subject = event.subject { members.append(JSONMember("subject", .string(subject))) }
        if let wall = event.wallTimeMilliseconds { members.append(JSONMember("wall_time_milliseconds", .integer(wall))) }
        if let person = event.operator {
            members.append(
                JSONMember(
                    "operator",
                    .object([JSONMember("uid", .integer(Int(person.uid))), JSONMember("command", .string(person.command))])))
        }
        return JSONValue.object(members).serialized
    }
}
