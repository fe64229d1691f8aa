import AgentX

/// The OIDs junctiond serves, from NTCIP 1202 (actuated signal controller, `asc`) and NTCIP 1201
/// (global objects). Each was checked against the published MIB text (docs/snmp.md lists the
/// sources). Scalars end in `.0` when served; table columns are followed by the row number.
public enum NTCIPObjects {
    /// `asc` = 1.3.6.1.4.1.1206.4.2.1, the NTCIP 1202 subtree.
    public static let asc = OID([1, 3, 6, 1, 4, 1, 1206, 4, 2, 1])
    /// `global` = 1.3.6.1.4.1.1206.4.2.6, the NTCIP 1201 subtree (module table, time).
    public static let global = OID([1, 3, 6, 1, 4, 1, 1206, 4, 2, 6])

    /// `phase` (asc 1).
    public static let phase = asc.appending(1)
    /// `maxPhases` (phase 1).
    public static let maxPhases = phase.appending(1)
    /// `maxPhaseGroups` (phase 3).
    public static let maxPhaseGroups = phase.appending(3)
    /// `phaseStatusGroupEntry` (phase 4 1); its columns are `PhaseStatusColumn`.
    public static let phaseStatusGroupEntry = phase.appending(4, 1)

    /// `detector` (asc 2).
    public static let detector = asc.appending(2)
    /// `maxVehicleDetectors` (detector 1).
    public static let maxVehicleDetectors = detector.appending(1)
    /// `vehicleDetectorEntry` (detector 2 1): column 1 number, 13 alarms.
    public static let vehicleDetectorEntry = detector.appending(2, 1)
    /// `maxVehicleDetectorStatusGroups` (detector 3).
    public static let maxVehicleDetectorStatusGroups = detector.appending(3)
    /// `vehicleDetectorStatusGroupEntry` (detector 4 1): column 1 number, 2 active, 3 alarms.
    public static let vehicleDetectorStatusGroupEntry = detector.appending(4, 1)
    /// `volumeOccupancyReport` (detector 5): 1 sequence, 2 period, 3 active detectors, 4 table.
    public static let volumeOccupancyReport = detector.appending(5)
    /// `volumeOccupancyEntry` (report 4 1): column 1 volume, 2 occupancy, indexed by detector number.
    public static let volumeOccupancyEntry = volumeOccupancyReport.appending(4, 1)
    /// `maxPedestrianDetectors` (detector 6).
    public static let maxPedestrianDetectors = detector.appending(6)
    /// `pedestrianDetectorEntry` (detector 7 1): column 1 number, 2 call phase, 6 alarms.
    public static let pedestrianDetectorEntry = detector.appending(7, 1)

    /// `unit` (asc 3).
    public static let unit = asc.appending(3)
    /// `unitControlStatus` (unit 5).
    public static let unitControlStatus = unit.appending(5)
    /// `unitFlashStatus` (unit 6).
    public static let unitFlashStatus = unit.appending(6)
    /// `unitAlarmStatus2` (unit 7).
    public static let unitAlarmStatus2 = unit.appending(7)
    /// `unitAlarmStatus1` (unit 8).
    public static let unitAlarmStatus1 = unit.appending(8)

    /// `coord` (asc 4).
    public static let coord = asc.appending(4)
    /// `coordPatternStatus` (coord 10): the running pattern 1–253, 254 free, 255 flash.
    public static let coordPatternStatus = coord.appending(10)

    /// `globalMaxModules` (global 1 2).
    public static let globalMaxModules = global.appending(1, 2)
    /// `moduleTableEntry` (global 1 3 1): 1 number, 2 device node, 3 make, 4 model, 5 version, 6 type.
    public static let moduleTableEntry = global.appending(1, 3, 1)
    /// `controllerBaseStandards` (global 1 4).
    public static let controllerBaseStandards = global.appending(1, 4)
    /// `globalTime` (global 3 1): seconds since 1970-01-01 00:00 UTC.
    public static let globalTime = global.appending(3, 1)

    /// The columns of `phaseStatusGroupEntry`, each a bit mask of 8 phases.
    public enum PhaseStatusColumn: UInt32, CaseIterable, Sendable {
        case number = 1
        case reds = 2
        case yellows = 3
        case greens = 4
        case dontWalks = 5
        case pedClears = 6
        case walks = 7
        case vehicleCalls = 8
        case pedestrianCalls = 9
        case phaseOns = 10
        case phaseNexts = 11
    }
}
