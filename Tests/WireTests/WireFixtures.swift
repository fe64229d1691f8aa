import SignalCore
import Wire

/// Keys, sealers and sample messages shared by the Wire tests.
enum WireFixtures {
    static let junctionId: UInt32 = 7
    static let key = try! WireKey(hex: String(repeating: "3c", count: 32))
    static let otherKey = try! WireKey(hex: String(repeating: "c3", count: 32))

    static func junctionSealer(bootId: UInt64 = 1000, key: WireKey = key) -> DatagramSealer {
        DatagramSealer(junctionId: junctionId, senderId: 0, bootId: bootId, key: key)
    }

    static func centralSealer(bootId: UInt64 = 500, senderId: UInt32 = 1, key: WireKey = key) -> DatagramSealer {
        DatagramSealer(junctionId: junctionId, senderId: senderId, bootId: bootId, key: key)
    }

    static func centralReceiver() -> WireReceiver {
        WireReceiver(role: .central, keys: [junctionId: key])
    }

    static func junctionReceiver() -> WireReceiver {
        WireReceiver(role: .junction(id: junctionId), keys: [junctionId: key])
    }

    static var sampleStatus: StatusReport {
        var report = StatusReport()
        report.reason = .stageChange
        report.mode = .normal
        report.controllerMode = .normal
        report.stage = 2
        report.inTransition = true
        report.timeInStageTenths = 123
        report.controllerTick = 987_654
        report.configHash = 0x0123_4567_89AB_CDEF
        report.alarms = [.detectorFault, .centralSilent]
        report.eventsStoredThrough = 5000
        report.eventsAckedThrough = 4900
        report.countsStoredThrough = 80
        report.countsAckedThrough = 64
        report.groups = WireCodes.aspects.enumerated().map { index, aspect in
            StatusReport.Group(
                aspect: aspect, call: index % 2 == 0,
                lastTermination: WireCodes.terminations[index % WireCodes.terminations.count])
        }
        report.detectors = WireCodes.health.enumerated().map { index, health in
            StatusReport.Detector(presence: index % 2 == 1, communicationFault: health == .communication, health: health)
        }
        report[.dropBadTag] = 3
        report[.recordsResent] = 12_345
        return report
    }

    static func events(from first: UInt64, count: Int) -> [EventRecord] {
        (0..<count).map { offset in
            EventRecord(
                recordNumber: first + UInt64(offset), timeMilliseconds: 1_700_000_000_000 + UInt64(offset) * 100,
                code: EventCode.detectorOn.rawValue, parameter: UInt16(offset % 16 + 1))
        }
    }

    static func bins(from first: UInt64, count: Int) -> [CountBin] {
        (0..<count).map { offset -> CountBin in
            let start: UInt64 = 1_700_000_100 + UInt64(offset / 16) * 900
            let occupancy = UInt16((offset * 7) % 1001)
            return CountBin(
                recordNumber: first + UInt64(offset), binStartSeconds: start, periodSeconds: 900,
                detector: UInt16(offset % 16 + 1), volume: UInt32(offset * 3), occupancyPermille: occupancy,
                observedSeconds: 900)
        }
    }
}
