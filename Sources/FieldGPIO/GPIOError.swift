import Glibc

/// Why the GPIO backend could not open or use its lines, in words for the technician at the
/// cabinet: every case names the chip and line involved and what the line is wired for.
///
/// Errors at startup (a chip or line that does not exist on this board, a line already in use)
/// stop the daemon before READY; errors while running are counted as output or input faults.
public enum GPIOError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No chip matches `chip` (a label, a name such as `gpiochip0`, a number or a /dev path).
    /// `available` lists the chips present, as `name [label]`.
    case chipNotFound(chip: String, purpose: String, available: [String])
    /// The chip exists but cannot be opened (permissions: the service needs the gpio group).
    case chipUnavailable(chip: String, purpose: String, code: CInt)
    /// The chip has fewer lines than the offset wired.
    case offsetOutOfRange(chip: String, offset: Int, lineCount: Int, purpose: String)
    /// No line has this name (on `chip`, or on any chip when nil).
    case lineNameNotFound(name: String, chip: String?, purpose: String)
    /// Two wiring entries resolve to the same physical line.
    case lineUsedTwice(line: String, first: String, second: String)
    /// The kernel refused the line because another consumer holds it.
    case lineBusy(line: String, purpose: String, consumer: String?)
    /// The kernel refused to request the line for another reason.
    case requestFailed(line: String, purpose: String, code: CInt)
    /// Reading or writing requested lines failed.
    case ioFailed(operation: String, line: String, code: CInt)
    /// More lines on one chip than one request can hold (64, the kernel's limit).
    case tooManyLines(chip: String, count: Int, limit: Int)
    /// The wiring does not cover the junction (a detector or group without lines).
    case wiringIncomplete(String)
    /// The event thread could not be started.
    case threadStartFailed(code: CInt)

    /// One sentence naming the chip, the line and its purpose.
    public var description: String {
        switch self {
        case .chipNotFound(let chip, let purpose, let available):
            let present = available.isEmpty
                ? "no GPIO chip could be listed (none present, or none readable by this user)"
                : "present: \(available.joined(separator: ", "))"
            return "GPIO chip \"\(chip)\" (for \(purpose)) does not exist on this machine; \(present)"
        case .chipUnavailable(let chip, let purpose, let code):
            return "GPIO chip \"\(chip)\" (for \(purpose)) cannot be opened: \(Self.errorText(code))"
        case .offsetOutOfRange(let chip, let offset, let lineCount, let purpose):
            return "GPIO chip \(chip) has \(lineCount) lines (offsets 0–\(lineCount - 1)); "
                + "offset \(offset) (for \(purpose)) does not exist"
        case .lineNameNotFound(let name, let chip, let purpose):
            let scope = chip.map { "on GPIO chip \($0)" } ?? "on any GPIO chip"
            return "no line named \"\(name)\" \(scope) (for \(purpose))"
        case .lineUsedTwice(let line, let first, let second):
            return "GPIO line \(line) is wired twice: for \(first) and for \(second)"
        case .lineBusy(let line, let purpose, let consumer):
            let holder = consumer.map { "\"\($0)\"" } ?? "another process"
            return "GPIO line \(line) (for \(purpose)) is in use by \(holder)"
        case .requestFailed(let line, let purpose, let code):
            return "GPIO line \(line) (for \(purpose)) cannot be requested: \(Self.errorText(code))"
        case .ioFailed(let operation, let line, let code):
            return "GPIO \(operation) on \(line) failed: \(Self.errorText(code))"
        case .tooManyLines(let chip, let count, let limit):
            return "\(count) lines are wired on GPIO chip \(chip); one request holds at most \(limit)"
        case .wiringIncomplete(let what):
            return "GPIO wiring incomplete: \(what)"
        case .threadStartFailed(let code):
            return "cannot start the GPIO event thread: \(Self.errorText(code))"
        }
    }

    private static func errorText(_ code: CInt) -> String {
        "\(String(cString: strerror(code))) (errno \(code))"
    }
}
