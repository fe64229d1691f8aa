import Glibc
import RuntimeTestSupport
import Testing

@testable import SystemInterface

/// The clock-state parsers on recorded outputs, the verdict that combines them, and the bounded
/// child run that asks chronyc. Nothing here changes the machine's clock.
@Suite struct ClockStateTests {
    @Test func chronyTrackingParsesARecordedSynchronisedLine() throws {
        let tracking = try ChronyTracking(csv: RecordedClockOutputs.chronySynchronised)
        #expect(tracking.referenceID == "C0000215")
        #expect(tracking.reference == "192.0.2.21")
        #expect(tracking.stratum == 3)
        #expect(tracking.systemTimeOffsetSeconds == 0.000012345)
        #expect(tracking.leapStatus == "Normal")
        #expect(tracking.leapStatusWord == "normal")
        #expect(tracking.isSynchronised)
    }

    @Test func chronyWithoutASourceIsNotSynchronised() throws {
        let tracking = try ChronyTracking(csv: RecordedClockOutputs.chronyUnsynchronised)
        #expect(tracking.stratum == 0)
        #expect(tracking.reference == "")
        #expect(!tracking.isSynchronised)
        #expect(tracking.leapStatusWord == "not-synchronised")
        let leap = try ChronyTracking(csv: RecordedClockOutputs.chronyLeapInsert)
        #expect(leap.isSynchronised && leap.leapStatusWord == "insert-second")
    }

    @Test(arguments: [
        "", "506 Cannot talk to daemon\n",
        "C0000215,192.0.2.21,3,1764746412.1,0.1,0.1,0.1,1,1,1,0.1,0.1,64.4\n",
        "C0000215,192.0.2.21,3,1764746412.1,0.1,0.1,0.1,1,1,1,0.1,0.1,64.4,Normal,extra\n",
        "XYZ,192.0.2.21,3,1764746412.1,0.1,0.1,0.1,1,1,1,0.1,0.1,64.4,Normal\n",
        "C0000215,192.0.2.21,17,1764746412.1,0.1,0.1,0.1,1,1,1,0.1,0.1,64.4,Normal\n",
        "C0000215,192.0.2.21,3,1764746412.1,fast,0.1,0.1,1,1,1,0.1,0.1,64.4,Normal\n",
        "C0000215,192.0.2.21,3,1764746412.1,nan,0.1,0.1,1,1,1,0.1,0.1,64.4,Normal\n",
        "C0000215,192.0.2.21,3,1764746412.1,0.1,0.1,0.1,1,1,1,0.1,0.1,64.4,Maybe\n",
    ])
    func chronyTrackingRejectsAnythingButAWholeReport(_ text: String) {
        #expect(throws: ChronyTracking.ParseError.self) { try ChronyTracking(csv: text) }
    }

    @Test func kernelStatusReadsRecordedAdjtimexFields() {
        // Recorded from a board synchronised by chrony: TIME_OK, STA_PLL | STA_NANO, offset in ns.
        let synchronised = KernelClockStatus(returnValue: 0, status: 0x2001, maxError: 45_000, estimatedError: 12, offset: -3_400)
        #expect(synchronised.isSynchronised)
        #expect(synchronised.offsetNanoseconds == -3_400)
        #expect(synchronised.leapStatus == "normal")
        // A board booted without a time server: TIME_ERROR, STA_UNSYNC, offset in µs.
        let unsynchronised = KernelClockStatus(returnValue: 5, status: 0x0040, maxError: 16_000_000, estimatedError: 16_000_000, offset: 7)
        #expect(!unsynchronised.isSynchronised)
        #expect(unsynchronised.offsetNanoseconds == 7_000)
        #expect(unsynchronised.leapStatus == "not-synchronised")
        // STA_UNSYNC alone is enough, whatever the state says.
        #expect(!KernelClockStatus(returnValue: 0, status: 0x0040, maxError: 0, estimatedError: 0, offset: 0).isSynchronised)
        #expect(KernelClockStatus(returnValue: 1, status: 0x2001, maxError: 0, estimatedError: 0, offset: 0).leapStatus == "insert-second")
    }

    @Test func theVerdictNeedsEverySourceReadToAgree() {
        let kernelOK = FakeClockStateSource.synchronised.kernel
        let kernelBad = FakeClockStateSource.unsynchronised.kernel
        let chronyOK = FakeClockStateSource.synchronised.chrony
        let chronyBad = FakeClockStateSource.unsynchronised.chrony
        #expect(ClockSynchronisationReading(kernel: kernelOK, chrony: chronyOK).isSynchronised)
        #expect(ClockSynchronisationReading(kernel: kernelOK, chrony: nil).isSynchronised)
        #expect(ClockSynchronisationReading(kernel: nil, chrony: chronyOK).isSynchronised)
        #expect(!ClockSynchronisationReading(kernel: kernelOK, chrony: chronyBad).isSynchronised)
        #expect(!ClockSynchronisationReading(kernel: kernelBad, chrony: chronyOK).isSynchronised)
        #expect(!ClockSynchronisationReading(kernel: nil, chrony: nil).isSynchronised)
    }

    @Test func theMachinesKernelStatusCanBeReadWithoutChangingIt() throws {
        // Only that the read works and is self-consistent: the machine may or may not be synchronised.
        let first = try Syscall.kernelClockStatus()
        let second = try Syscall.kernelClockStatus()
        #expect(first.statusBits == second.statusBits)
        #expect(first.maxErrorMicroseconds >= 0)
    }

    @Test func aChildsOutputIsCapturedWithItsExitStatus() throws {
        let (status, output) = try Syscall.runCapturingOutput(["/bin/echo", "tracking"], timeoutMilliseconds: 60_000)
        #expect(status == 0)
        #expect(String(decoding: output, as: UTF8.self) == "tracking\n")
        let (failed, _) = try Syscall.runCapturingOutput(["/bin/sh", "-c", "exit 3"], timeoutMilliseconds: 60_000)
        #expect(failed == 3)
    }

    @Test func aChildThatOutlastsItsTimeoutIsKilledAndReaped() throws {
        // The child would sleep an hour; the call returns once the 100 ms budget is spent.
        let (status, output) = try Syscall.runCapturingOutput(["/bin/sleep", "3600"], timeoutMilliseconds: 100)
        #expect(status == nil)
        #expect(output.isEmpty)
    }

    /// A stand-in for chronyc: a script that counts its runs and prints `output` or exits 1.
    private func chronycStandIn(_ scratch: ScratchDirectory, output: String?) throws -> String {
        let body = output.map { "printf '%s' '\($0)'" } ?? "exit 1"
        let path = scratch.path + "/chronyc"
        // Written by a child, not through a descriptor of this process: a child that another test
        // spawns meanwhile would inherit that descriptor until its exec, and running the stand-in
        // would then fail with ETXTBSY (text file busy).
        let (status, _) = try Syscall.runCapturingOutput(
            ["/bin/sh", "-c", "printf '%s' \"$1\" > \"$2\" && chmod 700 \"$2\"", "sh",
             "#!/bin/sh\necho run >> '\(scratch.path)/runs'\n\(body)\n", path],
            timeoutMilliseconds: 60_000)
        try #require(status == 0, "writing the chronyc stand-in")
        return path
    }

    private func runs(_ scratch: ScratchDirectory) -> Int {
        guard let descriptor = try? Syscall.open(scratch.path + "/runs", flags: O_RDONLY) else { return 0 }
        defer { Syscall.close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: 4096)
        let count = (try? bytes.withUnsafeMutableBytes { try Syscall.read(descriptor, into: $0) }) ?? 0
        return bytes[0..<count].filter { $0 == UInt8(ascii: "\n") }.count
    }

    @Test func theSystemSourceParsesWhatChronycPrints() throws {
        let scratch = try ScratchDirectory()
        let source = SystemClockStateSource(
            chronycPath: try chronycStandIn(scratch, output: RecordedClockOutputs.chronySynchronised),
            timeoutMilliseconds: 60_000)
        let reading = source.read()
        #expect(reading.chrony == (try ChronyTracking(csv: RecordedClockOutputs.chronySynchronised)))
        #expect(reading.kernel != nil, "adjtimex is always read")
        #expect(reading.problems.isEmpty)
        _ = source.read()
        #expect(runs(scratch) == 2, "asked every time while it answers")
    }

    @Test func aFailingChronycIsReportedAndNotAskedAgainUntilTheRetry() throws {
        let scratch = try ScratchDirectory()
        let source = SystemClockStateSource(
            chronycPath: try chronycStandIn(scratch, output: nil), timeoutMilliseconds: 60_000,
            retryAfterFailureNanoseconds: 3_600_000_000_000)
        let first = source.read()
        let second = source.read()
        #expect(first.chrony == nil && first.problems == ["chronyc exited 1 (is chronyd running?)"])
        #expect(second.problems == first.problems, "the last problem stands until chronyc is asked again")
        #expect(runs(scratch) == 1)
    }
}
