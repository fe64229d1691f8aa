import Foundation
import Testing

@testable import JunctionRuntime

/// The neighbour boot id grows across runs whatever the clock says, and a bad record is reported
/// without stopping the run.
@Suite struct NeighbourBootRecordTests {
    static func directory() throws -> String {
        let path = NSTemporaryDirectory() + "neighbour-boot-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func aFirstRunTakesTheClockAndRecordsIt() throws {
        let record = NeighbourBootRecord(directory: try Self.directory())
        let first = record.next(nowMicroseconds: 5_000)
        #expect(first.bootId == 5_000 && first.problem == nil)
        #expect(try String(contentsOfFile: record.path, encoding: .utf8) == "5000\n")
    }

    @Test func aClockBehindTheLastRunStillGivesALargerBootId() throws {
        let record = NeighbourBootRecord(directory: try Self.directory())
        #expect(record.next(nowMicroseconds: 9_000_000).bootId == 9_000_000)
        // Restarted before NTP: the clock reads far earlier.
        #expect(record.next(nowMicroseconds: 1_000).bootId == 9_000_001)
        #expect(record.next(nowMicroseconds: 1_000).bootId == 9_000_002)
        // And a clock that is right again wins.
        #expect(record.next(nowMicroseconds: 20_000_000).bootId == 20_000_000)
    }

    @Test func aDamagedRecordIsReportedAndReplaced() throws {
        let record = NeighbourBootRecord(directory: try Self.directory())
        try "12\u{0}34\n".write(toFile: record.path, atomically: true, encoding: .utf8)
        let next = record.next(nowMicroseconds: 7_000)
        #expect(next.bootId == 7_000)
        #expect(next.problem?.contains("holds no boot id") == true, "\(next.problem ?? "")")
        #expect(record.next(nowMicroseconds: 10).bootId == 7_001)
    }

    @Test func aFIFOInItsPlaceIsReportedWithoutBlocking() throws {
        let record = NeighbourBootRecord(directory: try Self.directory())
        #expect(mkfifo(record.path, 0o600) == 0)
        let next = record.next(nowMicroseconds: 7_000)
        #expect(next.bootId == 7_000)
        #expect(next.problem?.contains("not a regular file") == true, "\(next.problem ?? "")")
    }
}
