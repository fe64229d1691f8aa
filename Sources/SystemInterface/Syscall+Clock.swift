import CClock
import Glibc

// The clock-discipline calls: reading the kernel's synchronisation state and asking chronyc for
// its report. Neither changes the clock.
extension Syscall {
    /// The kernel's synchronisation state from `adjtimex` with no mode bits set: a read that any
    /// user may make and that changes nothing.
    package static func kernelClockStatus() throws(SystemError) -> KernelClockStatus {
        var request = timex()
        request.modes = 0
        let state = adjtimex(&request)
        guard state != -1 else { throw SystemError(call: "adjtimex", code: errno) }
        return KernelClockStatus(
            returnValue: Int(state), status: Int(request.status), maxError: Int(request.maxerror),
            estimatedError: Int(request.esterror), offset: Int(request.offset))
    }

    /// Runs `arguments` with stdout captured and stderr on /dev/null, for at most
    /// `timeoutMilliseconds` of CLOCK_MONOTONIC; a child still running then is killed (SIGKILL)
    /// and reaped. Returns the child's exit status (nil when it was killed or died of a signal)
    /// and at most `maximumBytes` of what it wrote.
    package static func runCapturingOutput(
        _ arguments: [String], timeoutMilliseconds: Int, maximumBytes: Int = 4096
    ) throws(SystemError) -> (exitStatus: CInt?, output: [UInt8]) {
        let (readEnd, writeEnd) = try pipe()
        defer { close(readEnd) }
        let devNull: CInt
        do {
            devNull = try open("/dev/null", flags: O_WRONLY)
        } catch {
            close(writeEnd)
            throw error
        }
        let pid: pid_t
        do {
            try setBlocking(writeEnd)
            pid = try spawn(arguments, standardOutput: writeEnd, standardError: devNull)
        } catch {
            close(writeEnd)
            close(devNull)
            throw error
        }
        close(writeEnd)
        close(devNull)

        let deadline = Clocks.monotonicNanoseconds() + timeoutMilliseconds * 1_000_000
        var output: [UInt8] = []
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1024, alignment: 1)
        defer { buffer.deallocate() }
        var timedOut = false
        var failure: SystemError?
        while failure == nil {
            let left = (deadline - Clocks.monotonicNanoseconds() + 999_999) / 1_000_000
            guard left > 0 else {
                timedOut = true
                break
            }
            do {
                guard try waitReadable(readEnd, timeoutMilliseconds: CInt(clamping: left)) else {
                    timedOut = true
                    break
                }
                let count = try read(readEnd, into: buffer)
                if count == 0 { break }
                output.append(contentsOf: buffer[0..<min(count, max(0, maximumBytes - output.count))])
            } catch where error.code == EAGAIN {
                continue
            } catch {
                failure = error
            }
        }
        // A child that has not finished in time, or whose output cannot be read, is not waited for.
        if timedOut || failure != nil { kill(pid, SIGKILL) }
        let status = try waitForChild(pid)
        if let failure { throw failure }
        return (timedOut ? nil : exitCode(ofWaitStatus: status), output)
    }
}
