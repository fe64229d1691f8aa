import Synchronization
import Testing

@testable import Lifecycle

/// A service that records its starts and stops in a shared journal, and can be told to fail.
private final class RecordingService: Service {
    struct Refused: Error, CustomStringConvertible {
        var description: String { "refused on purpose" }
    }

    let name: String
    private let journal: Journal
    private let fails: Bool

    init(_ name: String, journal: Journal, fails: Bool = false) {
        self.name = name
        self.journal = journal
        self.fails = fails
    }

    func start() throws {
        if fails {
            journal.append("start \(name) failed")
            throw Refused()
        }
        journal.append("start \(name)")
    }

    func stop() { journal.append("stop \(name)") }
}

private final class Journal: Sendable {
    private let entries = Mutex<[String]>([])
    func append(_ entry: String) { entries.withLock { $0.append(entry) } }
    var all: [String] { entries.withLock { $0 } }
}

@Suite struct ServiceGroupTests {
    @Test func startsInOrderAndStopsInReverse() throws {
        let journal = Journal()
        let group = ServiceGroup(["a", "b", "c"].map { RecordingService($0, journal: journal) })
        try group.start()
        group.stop()
        #expect(journal.all == ["start a", "start b", "start c", "stop c", "stop b", "stop a"])
    }

    @Test func aLateStartFailureStopsWhatStartedInReverseAndNamesTheService() {
        let journal = Journal()
        let group = ServiceGroup([
            RecordingService("a", journal: journal), RecordingService("b", journal: journal),
            RecordingService("c", journal: journal, fails: true), RecordingService("d", journal: journal),
        ])
        #expect {
            try group.start()
        } throws: { error in
            guard let error = error as? ServiceGroup.StartError else { return false }
            return error.service == "c" && error.description == "cannot start c: refused on purpose"
        }
        // d never starts, c never stops (it started nothing), b and a stop newest first.
        #expect(journal.all == ["start a", "start b", "start c failed", "stop b", "stop a"])
    }

    @Test func aFirstStartFailureStopsNothing() {
        let journal = Journal()
        let group = ServiceGroup([
            RecordingService("a", journal: journal, fails: true), RecordingService("b", journal: journal),
        ])
        #expect(throws: ServiceGroup.StartError.self) { try group.start() }
        #expect(journal.all == ["start a failed"])
    }

    @Test func stopAfterAFailedStartStopsNothingTwice() {
        let journal = Journal()
        let group = ServiceGroup([
            RecordingService("a", journal: journal), RecordingService("b", journal: journal, fails: true),
        ])
        #expect(throws: ServiceGroup.StartError.self) { try group.start() }
        group.stop()
        #expect(journal.all == ["start a", "start b failed", "stop a"])
    }

    @Test func aSecondStopDoesNothing() throws {
        let journal = Journal()
        let group = ServiceGroup([RecordingService("a", journal: journal)])
        try group.start()
        group.stop()
        group.stop()
        #expect(journal.all == ["start a", "stop a"])
    }
}
