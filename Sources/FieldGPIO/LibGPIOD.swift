import CGPIOShim
import Glibc

/// The one place where junctiond calls libgpiod, through the C shim `CGPIOShim` that builds
/// against libgpiod 1.6 (Debian 12) or 2.x (Debian 13, current Raspberry Pi OS), whichever
/// pkg-config names at build time (docs/gpio.md).
///
/// Every failure becomes a `GPIOError` naming the chip, the line and what it is wired for.
/// The shim reports failures as -1 or NULL with `errno`; EINTR is retried where a call can block.
/// Objects release what they hold when they go: a request releases its lines, a chip closes its
/// descriptor, and a request keeps its chip open for as long as it lives.
enum LibGPIOD {
    /// The consumer name the kernel shows for every line junctiond holds (`gpioinfo`).
    static let consumer = "junctiond"

    /// The most lines one request can hold.
    static let requestLineLimit = Int(JGPIO_REQUEST_MAX_LINES)

    /// The shim's request flags for these options.
    static func requestFlags(activeLow: Bool, bias: GPIOBias, drive: GPIODrive = .pushPull) -> CInt {
        var flags: CInt = 0
        if activeLow { flags |= JGPIO_ACTIVE_LOW }
        switch bias {
        case .asIs: break
        case .disabled: flags |= JGPIO_BIAS_DISABLE
        case .pullUp: flags |= JGPIO_BIAS_PULL_UP
        case .pullDown: flags |= JGPIO_BIAS_PULL_DOWN
        }
        switch drive {
        case .pushPull: break
        case .openDrain: flags |= JGPIO_OPEN_DRAIN
        case .openSource: flags |= JGPIO_OPEN_SOURCE
        }
        return flags
    }

    // MARK: - Chips

    /// An open chip, by its kernel name (`gpiochip0`) as the resolver found it.
    final class Chip {
        fileprivate let handle: OpaquePointer
        let chipDescription: GPIOChipDescription

        init(name: String, purpose: String) throws(GPIOError) {
            guard let handle = jgpio_chip_open(name) else {
                throw .chipUnavailable(chip: name, purpose: purpose, code: errno)
            }
            self.handle = handle
            chipDescription = LibGPIOD.describe(handle)
        }

        deinit {
            jgpio_chip_close(handle)
        }

        fileprivate func location(_ offset: Int) -> String {
            GPIOLineLocation(chipName: chipDescription.name, chipLabel: chipDescription.label, offset: offset).description
        }

        /// The error for a refused request of the line at `offset`: a line another consumer holds
        /// is `lineBusy` with that consumer's name, or nil when the line is not held.
        fileprivate func busyError(_ offset: Int, purpose: String) -> GPIOError? {
            var name = [CChar](repeating: 0, count: 64)
            guard jgpio_line_consumer(handle, UInt32(offset), &name, name.count) == 1 else { return nil }
            let consumer = name.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            return .lineBusy(line: location(offset), purpose: purpose, consumer: consumer.isEmpty ? nil : consumer)
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
            name: String(cString: jgpio_chip_name(chip)), label: String(cString: jgpio_chip_label(chip)),
            lineCount: Int(jgpio_chip_line_count(chip)))
    }

    // MARK: - Outputs

    /// Output lines of one chip requested together, so one call switches all of them at once
    /// (a head goes from amber to red without a dark or doubly lit moment between the lines).
    final class OutputRequest {
        private let chip: Chip
        private let request: OpaquePointer
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
            let lines = offsets.map { UInt32($0) }
            guard let request = jgpio_request_outputs(
                chip.handle, LibGPIOD.consumer, lines, lines.count, flags, initialValues)
            else {
                let code = errno
                // Name the first line another consumer holds, else the request as a whole.
                if code == EBUSY {
                    for (offset, purpose) in zip(offsets, purposes) {
                        if let busy = chip.busyError(offset, purpose: purpose) { throw busy }
                    }
                }
                throw .requestFailed(
                    line: "\(chip.chipDescription) offsets \(offsets.map(String.init).joined(separator: ","))",
                    purpose: purposes.joined(separator: ", "), code: code)
            }
            self.request = request
        }

        deinit {
            jgpio_request_release(request)
        }

        /// Drives every line to `values` (logical levels, one per line in request order) in one
        /// call; returns 0 or the errno of the failure. Does not allocate.
        func set(_ values: UnsafeBufferPointer<CInt>) -> CInt {
            precondition(values.count == locations.count, "one value per requested line")
            return jgpio_request_set_values(request, values.baseAddress) == 0 ? 0 : errno
        }

        /// Reads every line's logical level into `values`; returns 0 or the errno of the failure.
        /// Output lines read what the chip reports: on most SoCs the pad level, on gpio-sim the
        /// driven value (or the pull, for an open-drain line released high). Does not allocate.
        func get(into values: UnsafeMutableBufferPointer<CInt>) -> CInt {
            precondition(values.count == locations.count, "one value per requested line")
            return jgpio_request_get_values(request, values.baseAddress) == 0 ? 0 : errno
        }
    }

    // MARK: - Inputs

    /// One input line requested for both-edge events, with the kernel's CLOCK_MONOTONIC
    /// timestamps. With `activeLow` the kernel inverts the level, so rising means "became active".
    final class EventLine {
        private let chip: Chip
        private let request: OpaquePointer
        private let edges: UnsafeMutablePointer<jgpio_edge>
        /// How many events one read takes at most: the kernel queues 16 per line.
        static let eventsPerRead = Int(JGPIO_EDGES_PER_READ)
        /// The line, for messages.
        let location: String
        /// The descriptor to poll for readable events.
        let descriptor: CInt

        init(chip: Chip, offset: Int, purpose: String, flags: CInt) throws(GPIOError) {
            self.chip = chip
            location = chip.location(offset)
            guard let request = jgpio_request_edges(chip.handle, LibGPIOD.consumer, UInt32(offset), flags) else {
                let code = errno
                if code == EBUSY, let busy = chip.busyError(offset, purpose: purpose) { throw busy }
                throw .requestFailed(line: location, purpose: purpose, code: code)
            }
            self.request = request
            descriptor = jgpio_request_fd(request)
            edges = .allocate(capacity: Self.eventsPerRead)
        }

        deinit {
            jgpio_request_release(request)
            edges.deallocate()
        }

        /// The line's logical level now (after active-low inversion), or the errno of a failure.
        func level() -> Result<Bool, GPIOError> {
            var value: CInt = 0
            if jgpio_request_get_values(request, &value) != 0 {
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
                count = jgpio_request_read_edges(request, edges, UInt32(Self.eventsPerRead))
            } while count < 0 && errno == EINTR
            if count < 0 {
                return .failure(.ioFailed(operation: "event read", line: location, code: errno))
            }
            for index in 0..<Int(count) {
                edge(edges[index].rising != 0, Int(edges[index].timestamp_ns))
            }
            return .success(Int(count))
        }
    }

    // MARK: - Catalog

    /// The chips and named lines of this machine, as libgpiod lists them.
    struct SystemCatalog: GPIOLineCatalog {
        func chip(matching spec: String, purpose: String) throws(GPIOError) -> GPIOChipDescription? {
            errno = 0
            guard let handle = jgpio_chip_lookup(spec) else {
                let code = errno
                if code == 0 || code == ENOENT || code == ENODEV || code == ENOTTY || code == EINVAL {
                    return nil
                }
                throw .chipUnavailable(chip: spec, purpose: purpose, code: code)
            }
            defer { jgpio_chip_close(handle) }
            return LibGPIOD.describe(handle)
        }

        func allChips() -> [GPIOChipDescription] {
            guard let iterator = jgpio_chip_iter_new() else { return [] }
            defer { jgpio_chip_iter_free(iterator) }
            var chips: [GPIOChipDescription] = []
            while let chip = jgpio_chip_iter_next(iterator) {
                chips.append(LibGPIOD.describe(chip))
            }
            return chips
        }

        func line(named name: String, chip spec: String?, purpose: String) throws(GPIOError) -> GPIOLineLocation? {
            if let spec {
                guard let handle = jgpio_chip_lookup(spec) else { return nil }
                defer { jgpio_chip_close(handle) }
                let offset = jgpio_chip_find_line(handle, name)
                return offset < 0 ? nil : Self.location(handle, offset)
            }
            // The first chip, in /dev order, with a line of that name (libgpiod 1.6's
            // gpiod_line_find, which 2.x dropped): a chip that cannot be searched is an error.
            errno = 0
            guard let iterator = jgpio_chip_iter_new() else { return try Self.notFound(name, purpose: purpose) }
            defer { jgpio_chip_iter_free(iterator) }
            while let handle = jgpio_chip_iter_next(iterator) {
                let offset = jgpio_chip_find_line(handle, name)
                if offset >= 0 { return Self.location(handle, offset) }
                if errno != ENOENT { return try Self.notFound(name, purpose: purpose) }
            }
            return try Self.notFound(name, purpose: purpose)
        }

        private static func location(_ chip: OpaquePointer, _ offset: CInt) -> GPIOLineLocation {
            let description = LibGPIOD.describe(chip)
            return GPIOLineLocation(chipName: description.name, chipLabel: description.label, offset: Int(offset))
        }

        /// Nil when the search ended without a match (errno 0 or ENOENT), else the error.
        private static func notFound(_ name: String, purpose: String) throws(GPIOError) -> GPIOLineLocation? {
            let code = errno
            if code == 0 || code == ENOENT { return nil }
            throw .chipUnavailable(chip: "(every chip, searching for \"\(name)\")", purpose: purpose, code: code)
        }
    }
}
