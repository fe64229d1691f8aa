import AgentX
import NTCIP
import SignalCore
import Testing

/// The NTCIP view against a real controller's status: bit placement, aspect columns, unit objects.
@Suite("NTCIP status view")
struct NTCIPViewTests {
    static func timing() -> SignalGroupTiming {
        SignalGroupTiming(minGreen: 50, maxGreen: 200, passage: 20, clearance: 30, redAmber: 10)
    }

    /// Ten groups (so phases 9 and 10 land in the second phase status row): 0 and 2–9 vehicle,
    /// 1 pedestrian; stage 0 = {0, 1}, stage 1 = {2...9}.
    static func junction() -> Junction {
        var groups = (0..<10).map { SignalGroup(name: "G\($0)", kind: .vehicle, timing: timing(), recall: .minimum) }
        groups[1] = SignalGroup(name: "P1", kind: .pedestrian, timing: timing(), recall: .pedestrian)
        let first: Set = [0, 1]
        let conflicts = (0..<10).map { a in (0..<10).map { b in a != b && first.contains(a) != first.contains(b) } }
        let intergreen = conflicts.map { row in row.map { $0 ? Tenths(50) : 0 } }
        return Junction(
            name: "test", groups: groups, conflicts: conflicts, intergreen: intergreen,
            stages: [Stage(name: "S1", groups: [0, 1]), Stage(name: "S2", groups: Array(2...9))],
            detectors: [
                Detector(name: "loop", groups: [0]), Detector(name: "button", groups: [1], placement: .pushButton),
                Detector(name: "loop2", groups: [2]),
            ],
            startup: StartupTiming(flashTime: 30, allRedTime: 20))
    }

    static let view = NTCIPStatusView(
        junction: junction(), phaseMap: NTCIPPhaseMap(junction: junction(), ringBarrier: nil),
        identity: NTCIPIdentity(make: "m", model: "junctiond test", version: "v"))

    static func value(_ table: MIBTable, _ oid: OID) -> Int? {
        if case .integer(let value) = table.get(oid) { return Int(value) }
        return nil
    }

    static func bit(_ table: MIBTable, column: NTCIPObjects.PhaseStatusColumn, phase: Int) -> Bool {
        let row = UInt32((phase - 1) / 8 + 1)
        let mask = value(table, NTCIPObjects.phaseStatusGroupEntry.appending(column.rawValue, row)) ?? 0
        return mask & (1 << ((phase - 1) % 8)) != 0
    }

    @Test("every tick of a running controller reads back group by group from the masks")
    func masksFollowSignals() {
        let junction = Self.junction()
        let controller = SignalController(junction: junction)
        let sampler = VolumeOccupancySampler(periodSeconds: 60)
        var sawGreen = Set<Int>()
        for tick in 1...1200 {
            controller.step(tick: Tenths(tick), detectors: DetectorSnapshot(detectorCount: 3))
            let status = controller.status
            let table = Self.view.table(status: status, sampler: sampler, wallSeconds: 1000)
            #expect(Self.value(table, NTCIPObjects.maxPhases.appending(0)) == 10)
            #expect(Self.value(table, NTCIPObjects.maxPhaseGroups.appending(0)) == 2)
            for (group, signal) in status.signals.enumerated() {
                let phase = group + 1
                let pedestrian = group == 1
                // Written from NTCIP 1202's column meanings, not from the view's own switch.
                let expectGreen = !pedestrian && signal == .green
                let expectYellow = !pedestrian && (signal == .amber || signal == .flashingAmber)
                let expectRed = !pedestrian && (signal == .red || signal == .redAmber || signal == .flashingRed)
                let expectWalk = pedestrian && signal == .walk
                #expect(Self.bit(table, column: .greens, phase: phase) == expectGreen)
                #expect(Self.bit(table, column: .yellows, phase: phase) == expectYellow)
                #expect(Self.bit(table, column: .reds, phase: phase) == expectRed)
                #expect(Self.bit(table, column: .walks, phase: phase) == expectWalk)
                #expect(Self.bit(table, column: .phaseOns, phase: phase) == signal.isOpen)
                if expectGreen { sawGreen.insert(group) }
            }
        }
        // Both stages ran, including phases 9 and 10 in the second row.
        #expect(sawGreen.isSuperset(of: [0, 2, 8, 9]))
    }

    @Test("flash, fault and plans map to unitFlashStatus, unitControlStatus and the alarm bits")
    func unitObjects() {
        let controller = SignalController(junction: Self.junction())
        var status = controller.status
        status.mode = .flash(.manual)
        #expect(NTCIPStatusView.unitFlashStatus(status.mode) == 4)
        #expect(NTCIPStatusView.unitControlStatus(status) == 5)
        #expect(NTCIPStatusView.unitAlarmStatus1(status) == 1 << 5)
        status.mode = .fault
        #expect(NTCIPStatusView.unitFlashStatus(status.mode) == 5)
        #expect(NTCIPStatusView.unitAlarmStatus1(status) == 1 << 4)
        status.mode = .normal
        status.planName = "AM"
        #expect(NTCIPStatusView.unitFlashStatus(status.mode) == 2)
        #expect(NTCIPStatusView.unitControlStatus(status) == 6)
        #expect(NTCIPStatusView.unitAlarmStatus1(status) == 1 << 7)
        status.mode = .startupFlash
        #expect(NTCIPStatusView.unitFlashStatus(status.mode) == 7)
        #expect(NTCIPStatusView.unitAlarmStatus2(status) == 1)
    }

    @Test("coordPatternStatus: the plan's number, 254 free, 255 flash; served in the table")
    func coordPatternStatus() {
        let controller = SignalController(junction: Self.junction())
        var status = controller.status
        status.mode = .normal
        #expect(NTCIPStatusView.coordPatternStatus(status) == 254)
        status.planNumber = 2
        #expect(NTCIPStatusView.coordPatternStatus(status) == 2)
        var sampler = VolumeOccupancySampler(periodSeconds: 10)
        sampler.observe(actuations: [0, 0, 0], occupiedTicks: [0, 0, 0], nowTenths: 0)
        let table = Self.view.table(status: status, sampler: sampler, wallSeconds: 77)
        #expect(Self.value(table, NTCIPObjects.coordPatternStatus.appending(0)) == 2)
        status.mode = .flash(.automatic)
        #expect(NTCIPStatusView.coordPatternStatus(status) == 255)
    }

    @Test("detector alarms, activity and fault codes; push buttons are pedestrian detectors")
    func detectors() {
        let controller = SignalController(junction: Self.junction())
        var status = controller.status
        status.detectorHealth = [.ok, .ok, .maxPresence]
        status.detectorPresence = [true, false, false]
        var sampler = VolumeOccupancySampler(periodSeconds: 10)
        sampler.observe(actuations: [0, 0, 0], occupiedTicks: [0, 0, 0], nowTenths: 0)
        sampler.observe(actuations: [12, 1, 3], occupiedTicks: [25, 0, 100], nowTenths: 100)
        let table = Self.view.table(status: status, sampler: sampler, wallSeconds: 77)
        #expect(Self.value(table, NTCIPObjects.maxVehicleDetectors.appending(0)) == 2)
        #expect(Self.value(table, NTCIPObjects.maxPedestrianDetectors.appending(0)) == 1)
        // Vehicle detector 2 is the file's third detector ("loop2"), in max presence.
        #expect(Self.value(table, NTCIPObjects.vehicleDetectorEntry.appending(13, 2)) == 2)
        #expect(Self.value(table, NTCIPObjects.vehicleDetectorStatusGroupEntry.appending(2, 1)) == 0b01)
        #expect(Self.value(table, NTCIPObjects.vehicleDetectorStatusGroupEntry.appending(3, 1)) == 0b10)
        #expect(Self.value(table, NTCIPObjects.volumeOccupancyEntry.appending(1, 1)) == 12)
        // 25 of 100 ticks occupied: 25 % = 50 half-percent steps.
        #expect(Self.value(table, NTCIPObjects.volumeOccupancyEntry.appending(2, 1)) == 50)
        #expect(Self.value(table, NTCIPObjects.volumeOccupancyEntry.appending(2, 2)) == 210)
        #expect(Self.value(table, NTCIPObjects.volumeOccupancyReport.appending(1, 0)) == 1)
        #expect(Self.value(table, NTCIPObjects.pedestrianDetectorEntry.appending(2, 1)) == 2)
        #expect(table.get(NTCIPObjects.globalTime.appending(0)) == .counter32(77))
        #expect(table.get(NTCIPObjects.moduleTableEntry.appending(4, 1)) == .text("junctiond test"))
    }

    @Test("the sampler closes periods by time, not by how often it is asked, and reports rates")
    func sampler() {
        var sampler = VolumeOccupancySampler(periodSeconds: 10)
        sampler.observe(actuations: [0], occupiedTicks: [0], nowTenths: 0)
        sampler.observe(actuations: [5], occupiedTicks: [10], nowTenths: 99)
        #expect(sampler.sequence == 0)
        #expect(sampler.volumes.isEmpty)
        // Three periods pass unobserved: 30 vehicles over three periods is 10 per period.
        sampler.observe(actuations: [30], occupiedTicks: [300], nowTenths: 305)
        #expect(sampler.sequence == 1)
        #expect(sampler.volumes == [10])
        #expect(sampler.occupancies == [196])
        sampler.observe(actuations: [31], occupiedTicks: [300], nowTenths: 400)
        #expect(sampler.sequence == 2)
        #expect(sampler.volumes == [1])
        #expect(sampler.occupancies == [0])
    }

    @Test("a ring-barrier junction keeps its NEMA phase numbers")
    func nemaNumbers() throws {
        let phases = [2, 6, 4, 8].map {
            RingBarrierDescription.Phase(number: $0, timing: Self.timing(), redClearance: 10)
        }
        let description = RingBarrierDescription(
            name: "nema", phases: phases, ring1: [2, 4], ring2: [6, 8], barriers: [[2, 6], [4, 8]])
        let junction = try description.compile()
        let map = NTCIPPhaseMap(junction: junction, ringBarrier: description)
        #expect(Set(map.phaseOfGroup) == [2, 4, 6, 8])
        for (index, group) in junction.groups.enumerated() { #expect(group.name == "P\(map.phaseOfGroup[index])") }
        #expect(map.maxPhases == 8)
        #expect(map.maxPhaseGroups == 1)
    }
}
