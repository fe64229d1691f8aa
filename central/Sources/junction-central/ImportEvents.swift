import ArgumentParser
import CentralCore
import Foundation
import SignalCore
import Wire

/// `junction-central import-events`: loads an Indiana/ATSPM high-resolution event CSV
/// (`SignalId,Timestamp,EventCode,EventParam`) into the store as one junction's events.
///
/// What it guarantees: the whole file is read and checked before anything is written, so a malformed line (named
/// by its line number) leaves the store untouched. Events get the record numbers after the junction's cursor (in its
/// current store's numbering, stored after that store's base), in file order, and the cursor moves past them in the
/// same transactions, as ingest would have; a second import of the same file therefore adds the events again under
/// new numbers, not as duplicates. Timestamps are UTC, `YYYY-MM-DD HH:MM:SS[.fff]`, and must not go backwards; every
/// line names the same SignalId.
struct ImportEvents: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-events",
        abstract: "Load an ATSPM high-resolution event CSV into the store as one junction's events."
    )

    @Option(help: "The store file (created if missing).")
    var store: String

    @Option(help: "The junction id the events are stored under.")
    var junction: UInt32

    @Argument(help: "The CSV file: SignalId,Timestamp,EventCode,EventParam with that header line.")
    var file: String

    /// Events per transaction: large enough that the commits cost little, small enough to keep memory flat.
    private static let batchSize = 50_000

    func run() throws {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw ValidationError("\(file): cannot be read")
        }
        let events: [EventRecord]
        do {
            events = try Self.parse(data)
        } catch {
            throw ValidationError("\(file): \(error.message)")
        }
        let target = try CentralStore(path: store)
        var cursor = try target.cursors()[junction] ?? JunctionCursor()
        var batch = StoreBatch()
        var stored = 0
        for chunk in stride(from: 0, to: events.count, by: Self.batchSize) {
            batch.removeAll()
            for var event in events[chunk..<min(chunk + Self.batchSize, events.count)] {
                cursor.events.through += 1
                event.recordNumber = cursor.events.base + cursor.events.through
                batch.events.append((junction, event))
            }
            batch.cursors[junction] = cursor
            stored += try target.commit(batch).eventsStored
        }
        let last = cursor.events.base + cursor.events.through
        print("import-events: \(stored) events of junction \(junction) from \(file), records through \(last)")
    }

    /// A line that is not an event, with its 1-based number.
    struct LineError: Error {
        let line: Int
        let reason: String
        var message: String { "line \(line): \(reason)" }
    }

    /// The events of a CSV, in file order; throws at the first line that is not one.
    static func parse(_ data: Data) throws(LineError) -> [EventRecord] {
        var events: [EventRecord] = []
        var signal: Substring?
        var lastTime: UInt64 = 0
        let text = String(decoding: data, as: UTF8.self)
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            if number == 1 {
                let header = line.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                guard header == ["signalid", "timestamp", "eventcode", "eventparam"] else {
                    throw LineError(line: 1, reason: "the header must be SignalId,Timestamp,EventCode,EventParam")
                }
                continue
            }
            if line.isEmpty { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == 4 else { throw LineError(line: number, reason: "\(fields.count) fields, not 4") }
            if let signal, fields[0] != signal {
                throw LineError(line: number, reason: "SignalId \(fields[0]), not \(signal) as above: one junction per file")
            }
            signal = fields[0]
            guard let time = unixMilliseconds(fields[1]) else {
                throw LineError(line: number, reason: "timestamp \(fields[1]) is not YYYY-MM-DD HH:MM:SS[.fff]")
            }
            guard time >= lastTime else {
                throw LineError(line: number, reason: "timestamp \(fields[1]) is before the line above")
            }
            lastTime = time
            guard let code = UInt16(fields[2]), let parameter = UInt16(fields[3]) else {
                throw LineError(line: number, reason: "event code and parameter must be whole numbers 0-65535")
            }
            events.append(EventRecord(timeMilliseconds: time, code: code, parameter: parameter))
        }
        return events
    }

    /// Unix milliseconds of `YYYY-MM-DD HH:MM:SS` with an optional fraction of one to three digits, read as UTC.
    static func unixMilliseconds(_ text: Substring) -> UInt64? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return nil }
        let fields = parts[0].split(whereSeparator: { $0 == "-" || $0 == " " || $0 == ":" }).map { Int($0) }
        guard parts[0].count == 19, fields.count == 6, !fields.contains(nil) else { return nil }
        let date = LocalDate(year: fields[0]!, month: fields[1]!, day: fields[2]!)
        guard date.isValid, (0..<24).contains(fields[3]!), (0..<60).contains(fields[4]!), (0..<60).contains(fields[5]!)
        else { return nil }
        var milliseconds = 0
        if parts.count == 2 {
            let fraction = parts[1]
            guard (1...3).contains(fraction.count), fraction.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(fraction) else {
                return nil
            }
            milliseconds = value * [1, 100, 10, 1][fraction.count]
        }
        let seconds = LocalDateTime(date: date, secondOfDay: fields[3]! * 3600 + fields[4]! * 60 + fields[5]!).localSeconds
        guard seconds >= 0 else { return nil }
        return UInt64(seconds) * 1000 + UInt64(milliseconds)
    }
}
