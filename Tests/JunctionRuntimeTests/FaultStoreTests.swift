import Foundation
import Glibc
import SignalCore
import RuntimeTestSupport
import Synchronization
import SystemInterface
import Testing

@testable import JunctionRuntime

@Suite struct FaultStoreTests {
    static let violation = SafetyViolation(
        tick: 42, kind: .conflict, groups: [0, 2], description: "conflicting groups N and S\nopen together")

    @Test func aSavedFaultLoadsBackAndClearLeavesNoRecord() throws {
        let directory = try ScratchDirectory()
        let store = FaultStore(directory: directory.path)
        #expect(store.load() == .clear)
        #expect(try store.save(Self.violation) == false)
        var expected = Self.violation
        expected.description = "conflicting groups N and S open together"
        #expect(store.load() == .latched(expected))
        try store.clear()
        #expect(access(store.path, F_OK) == -1 && errno == ENOENT)
        #expect(store.load() == .clear)
        try store.clear()
    }

    @Test func aMissingStateDirectoryHasNoFault() {
        #expect(FaultStore(directory: "/tmp/junction-state-never-made-\(getpid())").load() == .clear)
    }

    @Test(arguments: [
        ("kind=1\ntick=x\n", "corrupt"),
        ("no equals sign here\n", "corrupt"),
        ("", "corrupt"),
        (String(repeating: "x", count: 5000), "bytes"),
    ])
    func aCorruptOrOversizedRecordIsDoubtful(contents: String, reason: String) throws {
        let directory = try ScratchDirectory()
        try directory.write("latched-fault", contents)
        let record = FaultStore(directory: directory.path).load()
        guard case .doubtful(let why) = record else {
            Issue.record("expected doubt, got \(record)")
            return
        }
        #expect(why.contains(reason), "\(why)")
        #expect(record.fault(path: "p")?.description.contains("treated as latched") == true)
    }

    @Test func aFIFOAtTheRecordIsDoubtfulAndDoesNotBlock() throws {
        let directory = try ScratchDirectory()
        let store = FaultStore(directory: directory.path)
        #expect(mkfifo(store.path, 0o600) == 0)
        // On the base, FileManager opened the FIFO for reading and waited for a writer forever.
        #expect(store.load() == .doubtful(reason: "it is not a regular file (a FIFO)"))
    }

    /// A FIFO planted where the record's replacement is written blocked the open, and with it the
    /// daemon's supervisor and its stop, until something opened the FIFO's other end.
    @Test func aFIFOWhereTheReplacementIsWrittenDoesNotBlockSaving() throws {
        let directory = try ScratchDirectory()
        let store = FaultStore(directory: directory.path)
        #expect(mkfifo(store.path + ".new", 0o600) == 0)
        final class Outcome: Sendable { let saved = Atomic(false) }
        let outcome = Outcome()
        let thread = Thread {
            if (try? store.save(Self.violation)) != nil { outcome.saved.store(true, ordering: .releasing) }
        }
        thread.start()
        let finished = eventually { outcome.saved.load(ordering: .acquiring) }
        if !finished {
            // Let the blocked writer go, so the failure does not hang the test run.
            if let reader = try? Syscall.open(store.path + ".new", flags: O_RDONLY | O_NONBLOCK) { Syscall.close(reader) }
        }
        #expect(finished, "saving the record waited on a FIFO at its temporary path")
        #expect(store.load() != .clear)
    }

    @Test func aDirectoryAtTheRecordIsDoubtful() throws {
        let directory = try ScratchDirectory()
        let store = FaultStore(directory: directory.path)
        #expect(mkdir(store.path, 0o700) == 0)
        #expect(store.load() == .doubtful(reason: "it is not a regular file (a directory)"))
    }

    /// Permission checks only bite without CAP_DAC_OVERRIDE, so a root test process reads as user
    /// nobody: a filesystem uid other than 0 drops those capabilities, for the calling thread only.
    @Test func anUnreadableRecordOrDirectoryIsDoubtful() throws {
        let directory = try ScratchDirectory()
        let store = FaultStore(directory: directory.path)
        try store.save(Self.violation)
        // The directory can be searched by others, the record cannot be read.
        chmod(directory.path, 0o711)
        chmod(store.path, 0o000)
        #expect(Self.unprivileged { store.load() } == .doubtful(reason: "cannot open it: open(\(store.path)): EACCES (Permission denied)"))
        try store.clear()
        // No record, in a directory that cannot be searched: ENOENT cannot be told from EACCES.
        chmod(directory.path, 0o700)
        #expect(Self.unprivileged { store.load() } == .doubtful(reason: "cannot open it: open(\(store.path)): EACCES (Permission denied)"))
        // Searchable but not readable: the record's absence is not trusted either.
        chmod(directory.path, 0o711)
        guard case .doubtful(let why) = Self.unprivileged({ store.load() }) else {
            Issue.record("an unreadable state directory was taken to hold no fault")
            return
        }
        #expect(why.contains("state directory cannot be read"), "\(why)")
    }

    @Test func aStateDirectoryDeletedWhileRunningIsMadeAgain() throws {
        let directory = try ScratchDirectory()
        let store = FaultStore(directory: directory.path)
        #expect(rmdir(directory.path) == 0)
        #expect(try store.save(Self.violation) == true)
        guard case .latched = store.load() else {
            Issue.record("the record was not written into the remade directory")
            return
        }
        var status = stat()
        #expect(stat(directory.path, &status) == 0 && status.st_mode & 0o777 == 0o750 & ~Self.umaskValue())
    }

    static func umaskValue() -> mode_t {
        let value = umask(0o022)
        umask(value)
        return value
    }

    /// Runs `body` with this thread's filesystem uid and gid set to nobody's, when root.
    static func unprivileged<Value>(_ body: () -> Value) -> Value {
        guard geteuid() == 0 else { return body() }
        // Not in the Glibc module (sys/fsuid.h): looked up by name.
        typealias SetID = @convention(c) (UInt32) -> CInt
        let setfsuid = unsafeBitCast(dlsym(nil, "setfsuid"), to: SetID.self)
        let setfsgid = unsafeBitCast(dlsym(nil, "setfsgid"), to: SetID.self)
        _ = setfsgid(65534)
        _ = setfsuid(65534)
        defer {
            _ = setfsuid(0)
            _ = setfsgid(0)
        }
        return body()
    }
}
