import Glibc
import Logging
import SystemInterface
import Testing

@testable import JunctionRuntime

@Suite struct JournalLogHandlerTests {
    private let event = LogEvent(
        level: .warning,
        message: "tick overran\nby 3 ms",
        metadata: ["tick": "4711", "plan": "weekday peak"],
        source: nil,
        file: #fileID,
        function: #function,
        line: #line
    )
    // 1970-01-02T03:04:05.678Z
    private let time = timespec(tv_sec: 97_445, tv_nsec: 678_900_000)

    @Test func journalLinesCarryTheSyslogPriority() {
        var handler = JournalLogHandler(label: "junctiond", format: .journal, level: .info)
        handler[metadataKey: "junction"] = "cirebon-4arm"
        #expect(
            handler.render(event, at: time)
                == #"<4>junctiond: tick overran\nby 3 ms junction=cirebon-4arm plan="weekday peak" tick=4711"#
        )
    }

    @Test func plainLinesCarryATimestampAndLevel() {
        let handler = JournalLogHandler(label: "junctiond", format: .plain, level: .info)
        #expect(
            handler.render(event, at: time)
                == #"1970-01-02T03:04:05.678Z warning junctiond: tick overran\nby 3 ms plan="weekday peak" tick=4711"#
        )
    }

    @Test func prioritiesFollowSyslog() {
        let expected: [(Logger.Level, Int)] = [
            (.trace, 7), (.debug, 7), (.info, 6), (.notice, 5), (.warning, 4), (.error, 3), (.critical, 2),
        ]
        for (level, priority) in expected {
            #expect(JournalLogHandler.syslogPriority(level) == priority)
        }
    }

    @Test func journalFormatOnlyWhenTheStreamIsReallyStderr() throws {
        let status = try Syscall.fstat(STDERR_FILENO)
        #expect(LogSetup.detectFormat(journalStream: "\(status.st_dev):\(status.st_ino)") == .journal)
        #expect(LogSetup.detectFormat(journalStream: "\(status.st_dev):\(status.st_ino + 1)") == .plain)
        #expect(LogSetup.detectFormat(journalStream: "garbage") == .plain)
        #expect(LogSetup.detectFormat(journalStream: nil) == .plain)
    }

    @Test func levelsParseFromConfigAndCommandLine() {
        #expect(LogSetup.parseLevel("debug") == .debug)
        #expect(LogSetup.parseLevel("WARNING") == .warning)
        #expect(LogSetup.parseLevel("warn") == .warning)
        #expect(LogSetup.parseLevel("loud") == nil)
        #expect(LogSetup.levelNames.contains("notice"))
    }
}
