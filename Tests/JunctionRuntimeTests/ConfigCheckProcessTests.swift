import Glibc
import RuntimeTestSupport
import Testing

@testable import JunctionRuntime

@Suite struct ConfigCheckProcessTests {
    /// A stand-in for `junctiond --check-config PATH`: valid for paths with "good", silent for
    /// paths with "slow", else a report on stderr and exit status 2, as the daemon does.
    static func checker(in directory: ScratchDirectory) throws -> String {
        let script = directory.path + "/check"
        try directory.write("check", """
            #!/bin/sh
            case "$2" in
            *good*) echo "$2: valid"; exit 0 ;;
            *slow*) exec sleep 60 ;;
            *long*) head -c 300000 /dev/zero | tr '\\0' x >&2; exit 2 ;;
            *) echo "$2: line 3: [groups] unknown key" >&2; exit 2 ;;
            esac

            """)
        chmod(script, 0o755)
        return script
    }

    @Test func theChildsVerdictAndReportComeBack() throws {
        let directory = try ScratchDirectory()
        let checker = ConfigCheckProcess(executable: try Self.checker(in: directory))
        #expect(checker.check("good.toml") == .valid)
        #expect(checker.check("bad.toml") == .invalid(report: "bad.toml: line 3: [groups] unknown key\n"))
        // Longer than a pipe holds: the child's writes must block, not be cut short.
        #expect(checker.check("long.toml") == .invalid(report: String(repeating: "x", count: 300_000)))
    }

    @Test func aCheckThatNeverEndsIsKilledAtItsTimeout() throws {
        let directory = try ScratchDirectory()
        let checker = ConfigCheckProcess(executable: try Self.checker(in: directory), timeoutNanoseconds: 300_000_000)
        guard case .invalid(let report) = checker.check("slow.toml") else {
            Issue.record("a check that never ended was taken as valid")
            return
        }
        #expect(report.contains("not read within"), "\(report)")
    }

    @Test func aMissingCheckerRefusesTheFile() {
        let checker = ConfigCheckProcess(executable: "/nonexistent/junctiond")
        guard case .invalid = checker.check("good.toml") else {
            Issue.record("a file no checker looked at was taken as valid")
            return
        }
    }
}
