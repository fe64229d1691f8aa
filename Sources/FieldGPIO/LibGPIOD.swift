import CGPIOD
import Glibc

/// The one place where junctiond calls libgpiod (Debian 12's libgpiod 1.6, the v1 API; libgpiod
/// 2.x differs and is not supported).
///
/// Every failure becomes a `GPIOError` naming the chip, the line and what it is wired for.
/// libgpiod reports failures as -1 or NULL with `errno`; EINTR is retried where a call can block.
/// Objects release what they hold when they go: a request releases its lines, a chip closes its
/// descriptor, and a request keeps its chip open for as long as it lives.
enum LibGPIOD {
    /// The consumer name the kernel shows for every line junctiond holds (`gpioinfo`).
    static let consumer = "junctiond"

    /// The most lines one request can hold.
    static let requestLineLimit = Int(GPIOD_LINE_BULK_MAX_LINES)

    /// libgpiod request flags for these options.
    static func requestFlags(activeLow: Bool, bias: GPIOBias, drive: GPIODrive = .pushPull) -> CInt {
        var flags: CInt = 0
        if activeLow { flags |= CInt(GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW) }
        switch bias {
        case .asIs: break
        case .disabled: flags |= CInt(GPIOD_LINE_REQUEST_FLAG_BIAS_DISABLE)
        case .pullUp: flags |= CInt(GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP)
        case .pullDown: flags |= CInt(GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_DOWN)
        }
        switch drive {
        case .pushPull: break
        case .openDrain: flags |= CInt(GPIOD_LINE_REQUEST_FLAG_OPEN_DRAIN)
        case .openSource: flags |= CInt(GPIOD_LINE_REQUEST_FLAG_OPEN_SOURCE)
        }
        return flags
    }

    // MARK: - Chips

    /// An open chip, by its kernel name (`gpiochip0`) as the resolver found it.
    final class Chip {
        fileprivate let handle: OpaquePointer
        let chipDescription: GPIOChipDescription

        init(name: String, purpose: String) throws(GPIOError) {
            guard let handle = gpiod_chip_open_by_name(name) else {
                throw .chipUnavailable(chip: name, purpose: purpose, code: errno)
            }
            self.handle = handle
            chipDescription = LibGPIOD.describe(handle)
        }

        deinit {
            gpiod_chip_close(handle)
        }

        /// The line at `offset`; the resolver has checked the offset against the chip.
        fileprivate func line(_ offset: Int, purpose: String) throws(GPIOError) -> OpaquePointer {
            guard let line = gpiod_chip_get_line(handle, UInt32(offset)) else {
                throw .requestFailed(line: location(offset), purpose: purpose, code: errno)
            }
            return line
        }

        fileprivate func location(_ offset: Int) -> String {
            GPIOLineLocation(chipName: chipDescription.name, chipLabel: chipDescription.label, offset: offset).description
        }
    }

    /// Chips opened once each by kernel name, for a backend whose lines span several chips.
    struct ChipSet {
        private var open: [String: Chip] = [:]

        /// The chip called `name`, opened at the first request.
        mutating func open(_ name: String, purpose: String) throws(GPIOError) -> Chip {
            if let chip = open[name] { return chip }
            let chip = try Chip(name: name, purpose: purpose)
            open[name] = chip
            return chip
        }
    }

    private static func describe(_ chip: OpaquePointer) -> GPIOChipDescription {
        GPIOChipDescription(
            name: String(cString: gpiod_chip_name(chip)), label: String(cString: gpiod_chip_label(chip)),
            lineCount: Int(gpiod_chip_num_lines(chip)))
    }

    /// Turns a refused request into the error that names the culprit: a line held by another
    /// consumer is `lineBusy` with that consumer's name.
    private static func requestError(
        chip: Chip, offset: Int, line: OpaquePointer, purpose: String, code: CInt
    ) -> GPIOError {
        if code == EBUSY, gpiod_line_update(line) == 0, gpiod_line_is_used(line) {
            let consumer = gpiod_line_consumer(line).map { String(cString: $0) }
            return .lineBusy(line: chip.location(offset), purpose: purpose, consumer: consumer)
        }
        return .requestFailed(line: chip.location(offset), purpose: purpose, code: code)
    }

    // MARK: - Outputs

    /// Output lines of one chip requested together, so one call switches all of them at once
    /// (a head goes from amber to red without a dark or doubly lit moment between the lines).
    final class OutputRequest {
        private let chip: Chip
        private let bulk: UnsafeMutablePointer<gpiod_line_bulk>
        /// The lines in request order, for messages: `gpiochip0 [label] offset 5`.
        let locations: [String]

        /// Requests `offsets` of `chip` as outputs starting at `initialValues` (logical levels).
        init(chip: Chip, offsets: [Int], purposes: [String], flags: CInt, initialValues: [CInt]) throws(GPIOError) {
            precondition(offsets.count == purposes.count && offsets.count == initialValues.count, "one entry per line")
            guard offsets.count <= requestLineLimit else {
                throw .tooManyLines(chip: chip.chipDescription.description, count: offsets.count, limit: requestLineLimit)
            }
            self.chip = chip
            locations = offsets.map(chip.location)
            bulk = .allocate(capacity: 1)
            gpiod_line_bulk_init(bulk)
            var lines: [OpaquePointer] = []
            do {
                for (offset, purpose) in zip(offsets, purposes) {
                    let line = try chip.line(offset, purpose: purpose)
                    lines.append(line)
                    gpiod_line_bulk_add(bulk, line)
                }
            } catch {
                bulk.deallocate()
                throw error
            }
            let result = initialValues.withUnsafeBufferPointer { values in
                gpiod_line_request_bulk_output_flags(bulk, LibGPIOD.consumer, flags, values.baseAddress)
            }
            if result != 0 {
                let code = errno
                bulk.deallocate()
                // Name the first line another consumer holds, else the request as a whole.
                for (index, line) in lines.enumerated() where code == EBUSY && gpiod_line_update(line) == 0
                    && gpiod_line_is_used(line)
                {
                    throw LibGPIOD.requestError(
                        chip: chip, offset: offsets[index], line: line, purpose: purposes[index], code: code)
                }
                throw .requestFailed(
                    line: "\(chip.chipDescription) offsets \(offsets.map(String.init).joined(separator: ","))",
                    purpose: purposes.joined(separator: ", "), code: code)
            }
        }

        deinit {
            gpiod_line_release_bulk(bulk)
            bulk.deallocate()
        }

        /// Drives every line to `values` (logical levels, one per line in request order) in one
        /// call; returns 0 or the errno of the failure. Does not allocate.
        func set(_ values: UnsafeBufferPointer<CInt>) -> CInt {
            precondition(values.count == locations.count, "one value per requested line")
            return gpiod_line_set_value_bulk(bulk, values.baseAddress) == 0 ? 0 : errno
        }

        /// Reads every line's logical level into `values`; returns 0 or the errno of the failure.
        /// Output lines read what the chip reports: on most SoCs the pad level, on gpio-sim the
        /// driven value (or the pull, for an open-drain line released high). Does not allocate.
        func get(into values: UnsafeMutableBufferPointer<CInt>) -> CInt {
            precondition(values.count == locations.count, "one value per requested line")
            return gpiod_line_get_value_bulk(bulk, values.baseAddress) == 0 ? 0 : errno
        }
    }

    // MARK: - Inputs

    /// One input line requested for both-edge events, with the kernel's CLOCK_MONOTONIC
    /// timestamps. With `activeLow` the kernel inverts the level, so rising means "became active".
    final class EventLine {
        private let chip: Chip
        private let line: OpaquePointer
        private let events: UnsafeMutablePointer<gpiod_line_event>
        /// How many events one read takes at most: the kernel's v1 queue holds 16 per line.
        static let eventsPerRead = 16
        /// The line, for messages.
        let location: String
        /// The descriptor to poll for readable events.
        let descriptor: CInt

        init(chip: Chip, offset: Int, purpose: String, flags: CInt) throws(GPIOError) {
            self.chip = chip
            location = chip.location(offset)
            let line = try chip.line(offset, purpose: purpose)
            if gpiod_line_request_both_edges_events_flags(line, LibGPIOD.consumer, flags) != 0 {
                throw LibGPIOD.requestError(chip: chip, offset: offset, line: line, purpose: purpose, code: errno)
            }
            self.line = line
            descriptor = gpiod_line_event_get_fd(line)
            events = .allocate(capacity: Self.eventsPerRead)
        }

        deinit {
            gpiod_line_release(line)
            events.deallocate()
        }

        /// The line's logical level now (after active-low inversion), or the errno of a failure.
        func level() -> Result<Bool, GPIOError> {
            let value = gpiod_line_get_value(line)
            if value < 0 {
                return .failure(.ioFailed(operation: "read", line: location, code: errno))
            }
            return .success(value == 1)
        }

        /// Reads the events waiting (call when the descriptor is readable) and hands each to
        /// `edge` as (level after the edge, kernel timestamp in ns). Returns how many were read,
        /// or the errno of a failed read. Retries EINTR; allocates nothing.
        func readEdges(_ edge: (Bool, Int) -> Void) -> Result<Int, GPIOError> {
            var count: CInt
            repeat {
                count = gpiod_line_event_read_multiple(line, events, UInt32(Self.eventsPerRead))
            } while count < 0 && errno == EINTR
            if count < 0 {
                return .failure(.ioFailed(operation: "event read", line: location, code: errno))
            }
            for index in 0..<Int(count) {
                let event = events[index]
                let nanoseconds = Int(event.ts.tv_sec) * 1_000_000_000 + Int(event.ts.tv_nsec)
                edge(event.event_type == CInt(GPIOD_LINE_EVENT_RISING_EDGE), nanoseconds)
            }
            return .success(Int(count))
        }
    }

    // MARK: - Catalog

    /// The chips and named lines of this machine, as libgpiod lists them.
    struct SystemCatalog: GPIOLineCatalog {
        func chip(matching spec: String, purpose: String) throws(GPIOError) -> GPIOChipDescription? {
            errno = 0
            guard let handle = gpiod_chip_open_lookup(spec) else {
                let code = errno
                if code == 0 || code == ENOENT || code == ENODEV || code == ENOTTY || code == EINVAL {
                    return nil
                }
                throw .chipUnavailable(chip: spec, purpose: purpose, code: code)
            }
            defer { gpiod_chip_close(handle) }
            return LibGPIOD.describe(handle)
        }

        func allChips() -> [GPIOChipDescription] {
            guard let iterator = gpiod_chip_iter_new() else { return [] }
            defer { gpiod_chip_iter_free(iterator) }
            var chips: [GPIOChipDescription] = []
            while let chip = gpiod_chip_iter_next(iterator) {
                chips.append(LibGPIOD.describe(chip))
            }
            return chips
        }

        func line(named name: String, chip spec: String?, purpose: String) throws(GPIOError) -> GPIOLineLocation? {
            if let spec {
                guard let handle = gpiod_chip_open_lookup(spec) else { return nil }
                defer { gpiod_chip_close(handle) }
                guard let line = gpiod_chip_find_line(handle, name) else { return nil }
                let chip = LibGPIOD.describe(handle)
                return GPIOLineLocation(chipName: chip.name, chipLabel: chip.label, offset: Int(gpiod_line_offset(line)))
            }
            errno = 0
            guard let line = gpiod_line_find(name) else {
                let code = errno
                if code == 0 || code == ENOENT { return nil }
                throw .chipUnavailable(chip: "(every chip, searching for \"\(name)\")", purpose: purpose, code: code)
            }
            defer { gpiod_line_close_chip(line) }
            let chip = LibGPIOD.describe(gpiod_line_get_chip(line))
            return GPIOLineLocation(chipName: chip.name, chipLabel: chip.label, offset: Int(gpiod_line_offset(line)))
        }
    }
}
