import SignalCore

/// A junction's status in one datagram: pushed about every second and on every stage or mode
/// change, and the answer to a status poll (docs/protocol.md, type 1).
public struct StatusReport: Sendable, Equatable {
    /// Why the report was sent.
    public enum Reason: UInt8, Sendable, CaseIterable {
        case periodic = 0
        case stageChange = 1
        case modeChange = 2
        case pollAnswer = 3
    }

    /// The five-way mode summary the city asks for.
    public enum Mode: UInt8, Sendable, CaseIterable {
        case startup = 0
        case normal = 1
        case flash = 2
        case manual = 3
        case fault = 4
    }

    /// The controller's exact mode (`ControllerMode` without its flash reason).
    public enum ControllerModeCode: UInt8, Sendable, CaseIterable {
        case startupFlash = 0
        case allRed = 1
        case normal = 2
        case enteringFlash = 3
        case flash = 4
        case fault = 5
    }

    /// One signal group's aspect, call and last termination.
    public struct Group: Sendable, Equatable {
        public var aspect: SignalState
        public var call: Bool
        public var lastTermination: TerminationReason

        public init(aspect: SignalState, call: Bool = false, lastTermination: TerminationReason = .none) {
            self.aspect = aspect
            self.call = call
            self.lastTermination = lastTermination
        }
    }

    /// One detector's presence, communication fault and diagnostic health.
    public struct Detector: Sendable, Equatable {
        public var presence: Bool
        public var communicationFault: Bool
        public var health: DetectorHealth

        public init(presence: Bool = false, communicationFault: Bool = false, health: DetectorHealth = .ok) {
            self.presence = presence
            self.communicationFault = communicationFault
            self.health = health
        }
    }

    /// The most groups, detectors and counters a report carries (the config's own limits).
    public static let maximumGroups = 64
    public static let maximumDetectors = 128
    public static let maximumCounters = 64

    /// 0 for a pushed report, else the poll's request id.
    public var requestId: UInt32 = 0
    public var reason: Reason = .periodic
    public var mode: Mode = .startup
    public var controllerMode: ControllerModeCode = .startupFlash
    public var flashReason: FlashReason?
    /// Index into the junction's stages; nil outside normal running.
    public var stage: Int?
    public var inTransition = false
    public var holdActive = false
    public var planRunning = false
    /// Tenths of a second since the stage started.
    public var timeInStageTenths: UInt32 = 0
    /// Tenths of a second since the controller started.
    public var controllerTick: UInt64 = 0
    /// First 8 bytes of SHA-256 of the junction definition, big-endian.
    public var configHash: UInt64 = 0
    public var alarms: StatusAlarms = []
    /// The latched safety violation's kind, if any.
    public var faultKind: SafetyViolation.Kind?
    /// Newest event record committed to the store (0: none).
    public var eventsStoredThrough: UInt64 = 0
    /// Newest event record central acknowledged.
    public var eventsAckedThrough: UInt64 = 0
    /// Newest count record committed.
    public var countsStoredThrough: UInt64 = 0
    /// Newest count record central acknowledged.
    public var countsAckedThrough: UInt64 = 0
    public var groups: [Group] = []
    public var detectors: [Detector] = []
    /// Counter values by `StatusCounter` position; a decoder keeps extra trailing ones.
    public var counters: [UInt64] = Array(repeating: 0, count: StatusCounter.allCases.count)

    /// An empty report (startup, no groups).
    public init() {}

    /// The value of `counter`, or 0 when the report did not carry it.
    public subscript(counter: StatusCounter) -> UInt64 {
        get { counter.rawValue < counters.count ? counters[counter.rawValue] : 0 }
        set {
            while counters.count <= counter.rawValue { counters.append(0) }
            counters[counter.rawValue] = newValue
        }
    }

    /// Appends the payload. The group, detector and counter lists must be within their maximums.
    public func encode(into writer: inout ByteWriter) {
        precondition(groups.count <= Self.maximumGroups, "at most \(Self.maximumGroups) groups")
        precondition(detectors.count <= Self.maximumDetectors, "at most \(Self.maximumDetectors) detectors")
        precondition(counters.count <= Self.maximumCounters, "at most \(Self.maximumCounters) counters")
        writer.write(requestId)
        writer.write(reason.rawValue)
        writer.write(mode.rawValue)
        writer.write(controllerMode.rawValue)
        writer.write(flashReason?.rawValue ?? 0)
        writer.write(stage.map { UInt8(clamping: $0) } ?? 255)
        var flags: UInt8 = 0
        if inTransition { flags |= 1 }
        if holdActive { flags |= 2 }
        if planRunning { flags |= 4 }
        writer.write(flags)
        writer.write(timeInStageTenths)
        writer.write(controllerTick)
        writer.write(configHash)
        writer.write(alarms.rawValue)
        writer.write(faultKind?.rawValue ?? 0)
        writer.write(eventsStoredThrough)
        writer.write(eventsAckedThrough)
        writer.write(countsStoredThrough)
        writer.write(countsAckedThrough)
        writer.write(UInt8(groups.count))
        for group in groups {
            let aspect = WireCodes.code(of: group.aspect, in: WireCodes.aspects)
            let termination = WireCodes.code(of: group.lastTermination, in: WireCodes.terminations)
            writer.write(aspect | (group.call ? 0x10 : 0) | termination << 5)
        }
        writer.write(UInt8(detectors.count))
        for detector in detectors {
            let health = WireCodes.code(of: detector.health, in: WireCodes.health)
            writer.write((detector.presence ? 1 : 0) | (detector.communicationFault ? 2 : 0) | health << 2 as UInt8)
        }
        writer.write(UInt8(counters.count))
        for value in counters { writer.write(value) }
    }

    /// Reads a whole payload; every field must be in range and no byte may be left over.
    public static func decode(from reader: inout ByteReader) throws(WireError) -> StatusReport {
        var report = StatusReport()
        report.requestId = try reader.read(UInt32.self, "status.request_id")
        report.reason = try enumValue(reader.read(UInt8.self, "status.reason"), "status.reason")
        report.mode = try enumValue(reader.read(UInt8.self, "status.mode"), "status.mode")
        report.controllerMode = try enumValue(reader.read(UInt8.self, "status.controller_mode"), "status.controller_mode")
        let flash = try reader.read(UInt8.self, "status.flash_reason")
        if flash != 0 {
            report.flashReason = try enumValue(flash, "status.flash_reason")
        }
        let stage = try reader.read(UInt8.self, "status.stage")
        report.stage = stage == 255 ? nil : Int(stage)
        let flags = try reader.read(UInt8.self, "status.flags")
        guard flags & ~0x07 == 0 else { throw .malformed(field: "status.flags") }
        report.inTransition = flags & 1 != 0
        report.holdActive = flags & 2 != 0
        report.planRunning = flags & 4 != 0
        report.timeInStageTenths = try reader.read(UInt32.self, "status.time_in_stage")
        report.controllerTick = try reader.read(UInt64.self, "status.controller_tick")
        report.configHash = try reader.read(UInt64.self, "status.config_hash")
        report.alarms = StatusAlarms(rawValue: try reader.read(UInt32.self, "status.alarms"))
        let fault = try reader.read(UInt8.self, "status.fault_kind")
        if fault != 0 {
            report.faultKind = try enumValue(fault, "status.fault_kind")
        }
        report.eventsStoredThrough = try reader.read(UInt64.self, "status.events_stored")
        report.eventsAckedThrough = try reader.read(UInt64.self, "status.events_acked")
        report.countsStoredThrough = try reader.read(UInt64.self, "status.counts_stored")
        report.countsAckedThrough = try reader.read(UInt64.self, "status.counts_acked")

        let groupCount = Int(try reader.read(UInt8.self, "status.group_count"))
        guard groupCount <= maximumGroups else { throw .malformed(field: "status.group_count") }
        report.groups.reserveCapacity(groupCount)
        for _ in 0..<groupCount {
            let byte = try reader.read(UInt8.self, "status.group")
            report.groups.append(
                Group(
                    aspect: try WireCodes.value(byte & 0x0F, in: WireCodes.aspects, "status.group.aspect"),
                    call: byte & 0x10 != 0,
                    lastTermination: try WireCodes.value(byte >> 5, in: WireCodes.terminations, "status.group.termination")
                ))
        }
        let detectorCount = Int(try reader.read(UInt8.self, "status.detector_count"))
        guard detectorCount <= maximumDetectors else { throw .malformed(field: "status.detector_count") }
        report.detectors.reserveCapacity(detectorCount)
        for _ in 0..<detectorCount {
            let byte = try reader.read(UInt8.self, "status.detector")
            guard byte & 0xE0 == 0 else { throw .malformed(field: "status.detector") }
            report.detectors.append(
                Detector(
                    presence: byte & 1 != 0, communicationFault: byte & 2 != 0,
                    health: try WireCodes.value(byte >> 2, in: WireCodes.health, "status.detector.health")))
        }
        let counterCount = Int(try reader.read(UInt8.self, "status.counter_count"))
        guard counterCount <= maximumCounters else { throw .malformed(field: "status.counter_count") }
        guard reader.remaining == counterCount * 8 else { throw .malformed(field: "status.counters") }
        // Reuses the default counters' storage: central decodes every report it receives, and a fresh array each
        // time was a measurable share of its ingest.
        report.counters.removeAll(keepingCapacity: true)
        report.counters.reserveCapacity(counterCount)
        for _ in 0..<counterCount {
            report.counters.append(try reader.read(UInt64.self, "status.counter"))
        }
        try reader.expectEnd("status")
        return report
    }

    private static func enumValue<Value: RawRepresentable>(_ raw: UInt8, _ field: String) throws(WireError) -> Value
    where Value.RawValue == UInt8 {
        guard let value = Value(rawValue: raw) else { throw .malformed(field: field) }
        return value
    }
}
