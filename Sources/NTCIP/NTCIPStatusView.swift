import AgentX
import SignalCore

/// The read-only NTCIP 1202/1201 view of one junction: maps a controller status snapshot to the
/// sorted OID → value table the subagent answers from (docs/snmp.md has the full list).
///
/// Guarantees: every bit mask has one bit per phase or detector number (bit 0 is number
/// 8·(row−1)+1); a group's aspect sets exactly one of reds, yellows or greens (vehicle groups) or
/// one of don't walks, ped clears or walks (pedestrian groups), or none when dark; the view reads
/// only its arguments, so equal inputs give equal tables.
public struct NTCIPStatusView: Sendable {
    /// The junction as loaded at startup (groups, stages, detectors).
    public let junction: Junction
    /// Group → phase numbers.
    public let phaseMap: NTCIPPhaseMap
    /// What the module table reports.
    public let identity: NTCIPIdentity
    /// Indices into `junction.detectors` of the vehicle detectors, in file order (NTCIP number = position + 1).
    public let vehicleDetectors: [Int]
    /// Indices into `junction.detectors` of the push buttons (NTCIP pedestrian detectors).
    public let pedestrianDetectors: [Int]

    /// A view of `junction`; push buttons become pedestrian detectors, all else vehicle detectors.
    public init(junction: Junction, phaseMap: NTCIPPhaseMap, identity: NTCIPIdentity) {
        self.junction = junction
        self.phaseMap = phaseMap
        self.identity = identity
        vehicleDetectors = junction.detectors.indices.filter { junction.detectors[$0].placement != .pushButton }
        pedestrianDetectors = junction.detectors.indices.filter { junction.detectors[$0].placement == .pushButton }
    }

    /// The whole table for one moment: `status` from the board, the volume/occupancy sampler's last
    /// period, and the wall clock in seconds since 1970 UTC.
    public func table(status: ControllerStatus, sampler: VolumeOccupancySampler, wallSeconds: UInt32) -> MIBTable {
        var entries: [VarBind] = []
        func add(_ name: OID, _ value: MIBValue) { entries.append(VarBind(name: name, value: value)) }
        func integer(_ value: Int) -> MIBValue { .integer(Int32(clamping: value)) }

        add(NTCIPObjects.maxPhases.appending(0), integer(phaseMap.maxPhases))
        add(NTCIPObjects.maxPhaseGroups.appending(0), integer(phaseMap.maxPhaseGroups))
        let masks = phaseStatusMasks(status)
        for row in 0..<phaseMap.maxPhaseGroups {
            let number = UInt32(row + 1)
            add(
                NTCIPObjects.phaseStatusGroupEntry.appending(NTCIPObjects.PhaseStatusColumn.number.rawValue, number),
                integer(row + 1))
            for (column, mask) in masks {
                add(NTCIPObjects.phaseStatusGroupEntry.appending(column.rawValue, number), integer(Int(mask[row])))
            }
        }

        addDetectors(status: status, sampler: sampler, add: add)

        add(NTCIPObjects.unitControlStatus.appending(0), integer(Self.unitControlStatus(status)))
        add(NTCIPObjects.unitFlashStatus.appending(0), integer(Self.unitFlashStatus(status.mode)))
        add(NTCIPObjects.unitAlarmStatus2.appending(0), integer(Self.unitAlarmStatus2(status)))
        add(NTCIPObjects.unitAlarmStatus1.appending(0), integer(Self.unitAlarmStatus1(status)))
        add(NTCIPObjects.coordPatternStatus.appending(0), integer(Self.coordPatternStatus(status)))

        add(NTCIPObjects.globalMaxModules.appending(0), integer(1))
        let module = NTCIPObjects.moduleTableEntry
        add(module.appending(1, 1), integer(1))
        add(module.appending(2, 1), .objectIdentifier(NTCIPObjects.asc))
        add(module.appending(3, 1), .text(identity.make))
        add(module.appending(4, 1), .text(identity.model))
        add(module.appending(5, 1), .text(identity.version))
        // moduleType 3: software.
        add(module.appending(6, 1), integer(3))
        add(NTCIPObjects.controllerBaseStandards.appending(0), .text("NTCIP 1201, NTCIP 1202 (read-only subset)"))
        add(NTCIPObjects.globalTime.appending(0), .counter32(wallSeconds))
        return MIBTable(entries)
    }

    /// The phase status masks per column, one byte per phase status group row.
    public func phaseStatusMasks(_ status: ControllerStatus) -> [(NTCIPObjects.PhaseStatusColumn, [UInt8])] {
        typealias Column = NTCIPObjects.PhaseStatusColumn
        var masks: [Column: [UInt8]] = [:]
        let rows = phaseMap.maxPhaseGroups
        for column in Column.allCases where column != .number { masks[column] = Array(repeating: 0, count: rows) }
        func set(_ column: Column, group: Int) {
            let phase = phaseMap.phaseOfGroup[group]
            masks[column]![(phase - 1) / 8] |= UInt8(1) << UInt8((phase - 1) % 8)
        }
        // A reload may change the stage list; an index past the startup junction's stages shows no nexts.
        let entering =
            status.inTransition
            ? status.stage.flatMap { junction.stages.indices.contains($0) ? junction.stages[$0].groups : nil } ?? []
            : []
        for (group, signal) in status.signals.enumerated() where group < phaseMap.phaseOfGroup.count {
            let pedestrian = junction.groups[group].kind == .pedestrian
            if let column = Self.aspectColumn(signal, pedestrian: pedestrian) { set(column, group: group) }
            if group < status.calls.count, status.calls[group] {
                set(pedestrian ? .pedestrianCalls : .vehicleCalls, group: group)
            }
            if signal.isOpen { set(.phaseOns, group: group) }
            if entering.contains(group), !signal.isOpen { set(.phaseNexts, group: group) }
        }
        return Column.allCases.compactMap { column in masks[column].map { (column, $0) } }
    }

    /// The mask column an aspect reports in. Red+amber counts as red (NTCIP has no red+amber:
    /// the phase is not yet green); flashing amber and red report as yellow and red; dark reports nothing.
    public static func aspectColumn(_ signal: SignalState, pedestrian: Bool) -> NTCIPObjects.PhaseStatusColumn? {
        switch signal {
        case .red, .redAmber, .flashingRed: return pedestrian ? .dontWalks : .reds
        case .amber, .flashingAmber: return pedestrian ? .pedClears : .yellows
        case .green: return pedestrian ? .walks : .greens
        case .dontWalk: return .dontWalks
        case .walk: return .walks
        case .flashingDontWalk: return .pedClears
        case .dark: return nil
        }
    }

    private func addDetectors(status: ControllerStatus, sampler: VolumeOccupancySampler, add: (OID, MIBValue) -> Void) {
        let vehicleCount = vehicleDetectors.count
        add(NTCIPObjects.maxVehicleDetectors.appending(0), .integer(Int32(vehicleCount)))
        let statusGroups = (vehicleCount + 7) / 8
        add(NTCIPObjects.maxVehicleDetectorStatusGroups.appending(0), .integer(Int32(statusGroups)))
        var active = Array(repeating: 0, count: statusGroups)
        var alarmed = Array(repeating: 0, count: statusGroups)
        for (position, detector) in vehicleDetectors.enumerated() {
            let number = UInt32(position + 1)
            let health = detector < status.detectorHealth.count ? status.detectorHealth[detector] : .ok
            let alarms = Self.detectorAlarms(health)
            add(NTCIPObjects.vehicleDetectorEntry.appending(1, number), .integer(Int32(number)))
            add(NTCIPObjects.vehicleDetectorEntry.appending(13, number), .integer(Int32(alarms)))
            if detector < status.detectorPresence.count, status.detectorPresence[detector] {
                active[position / 8] |= 1 << (position % 8)
            }
            if alarms != 0 { alarmed[position / 8] |= 1 << (position % 8) }
            let volume = detector < sampler.volumes.count ? sampler.volumes[detector] : 0
            let occupancy = detector < sampler.occupancies.count ? sampler.occupancies[detector] : 0
            add(NTCIPObjects.volumeOccupancyEntry.appending(1, number), .integer(Int32(volume)))
            add(
                NTCIPObjects.volumeOccupancyEntry.appending(2, number),
                .integer(Int32(Self.occupancyCode(health) ?? occupancy)))
        }
        for row in 0..<statusGroups {
            let number = UInt32(row + 1)
            add(NTCIPObjects.vehicleDetectorStatusGroupEntry.appending(1, number), .integer(Int32(number)))
            add(NTCIPObjects.vehicleDetectorStatusGroupEntry.appending(2, number), .integer(Int32(active[row])))
            add(NTCIPObjects.vehicleDetectorStatusGroupEntry.appending(3, number), .integer(Int32(alarmed[row])))
        }
        add(NTCIPObjects.volumeOccupancyReport.appending(1, 0), .integer(Int32(sampler.sequence)))
        add(NTCIPObjects.volumeOccupancyReport.appending(2, 0), .integer(Int32(sampler.periodSeconds)))
        add(NTCIPObjects.volumeOccupancyReport.appending(3, 0), .integer(Int32(vehicleCount)))
        add(NTCIPObjects.maxPedestrianDetectors.appending(0), .integer(Int32(pedestrianDetectors.count)))
        for (position, detector) in pedestrianDetectors.enumerated() {
            let number = UInt32(position + 1)
            let health = detector < status.detectorHealth.count ? status.detectorHealth[detector] : .ok
            let phase = junction.detectors[detector].groups.first.map { phaseMap.phaseOfGroup[$0] } ?? 0
            add(NTCIPObjects.pedestrianDetectorEntry.appending(1, number), .integer(Int32(number)))
            add(NTCIPObjects.pedestrianDetectorEntry.appending(2, number), .integer(Int32(phase)))
            add(NTCIPObjects.pedestrianDetectorEntry.appending(6, number), .integer(Int32(Self.detectorAlarms(health))))
        }
    }

    /// `vehicleDetectorAlarms` bits: 0 no activity, 1 max presence, 2 erratic output, 3 communications.
    public static func detectorAlarms(_ health: DetectorHealth) -> Int {
        switch health {
        case .ok: return 0
        case .noActivity: return 1 << 0
        case .maxPresence: return 1 << 1
        case .erratic: return 1 << 2
        case .communication: return 1 << 3
        }
    }

    /// The `detectorOccupancy` fault code that replaces the occupancy of a failed detector.
    public static func occupancyCode(_ health: DetectorHealth) -> Int? {
        switch health {
        case .ok: return nil
        case .maxPresence: return 210
        case .noActivity: return 211
        case .communication: return 216
        case .erratic: return 217
        }
    }

    /// `unitFlashStatus`: 2 notFlash, 3 automatic, 4 localManual, 5 faultMonitor, 7 startup.
    public static func unitFlashStatus(_ mode: ControllerMode) -> Int {
        switch mode {
        case .normal, .allRed, .enteringFlash: return 2
        case .startupFlash: return 7
        case .fault: return 5
        case .flash(let reason):
            switch reason {
            case .startup: return 7
            case .manual: return 4
            case .automatic: return 3
            case .faultMonitor: return 5
            }
        }
    }

    /// `coordPatternStatus`: the fixed-time plan's number (its 1-based `[[plans]]` index, as event
    /// 131 reports it) while it runs, 254 free (actuated or adaptive), 255 flash (any flash, startup
    /// and fault included).
    public static func coordPatternStatus(_ status: ControllerStatus) -> Int {
        switch status.mode {
        case .flash, .startupFlash, .fault: return 255
        case .normal, .allRed, .enteringFlash: return status.planNumber == 0 ? 254 : min(status.planNumber, 253)
        }
    }

    /// `unitControlStatus`: 5 manual (a technician's hold or flash), 6 timebase (a fixed-time
    /// plan), else 1 other (local actuated or adaptive control: no central system commands it).
    public static func unitControlStatus(_ status: ControllerStatus) -> Int {
        if status.holdActive || status.mode == .flash(.manual) { return 5 }
        return status.planName == nil ? 1 : 6
    }

    /// `unitAlarmStatus1` bits: 4 MMU flash (the safety monitor latched), 5 local flash,
    /// 6 local free (actuated, no plan), 7 coordination active (a fixed-time plan).
    public static func unitAlarmStatus1(_ status: ControllerStatus) -> Int {
        var bits = 0
        switch status.mode {
        case .fault: bits |= 1 << 4
        case .flash(.faultMonitor): bits |= 1 << 4
        case .flash, .startupFlash: bits |= 1 << 5
        case .normal, .allRed, .enteringFlash: break
        }
        if status.mode == .normal { bits |= status.planName == nil ? 1 << 6 : 1 << 7 }
        return bits
    }

    /// `unitAlarmStatus2` bits: 0 power restart (during the startup flash after a start).
    public static func unitAlarmStatus2(_ status: ControllerStatus) -> Int {
        status.mode == .startupFlash ? 1 : 0
    }
}
