import SignalCore

/// What the sections of a junction file said, before names are resolved into indices.
struct ConfigDraft {
    /// A `[conflicts]` row: a group and the groups it conflicts with.
    struct ConflictRow {
        var group: String
        var others: [String]
    }

    /// One `[intergreen]` entry, in tenths.
    struct IntergreenEntry {
        var from: String
        var to: String
        var value: Tenths
    }

    /// A `[[stages]]` entry.
    struct StageEntry {
        var name: String
        var groups: [String]
    }

    /// A `[[detectors]]` entry; `detector.groups` is filled in when names are resolved.
    struct DetectorEntry {
        var detector: Detector
        var groups: [String]
    }

    /// A `[[preempt]]` entry; the indices of `preempt` are filled in when names are resolved.
    struct PreemptEntry {
        var preempt: Preempt
        var input: String
        var dwellStage: String
        var exitStage: String
    }

    /// The `[nema]` section: the description, and for each phase its entry number in the file.
    struct Nema {
        var description: RingBarrierDescription
        /// Phase number → 0-based `[[nema.phases]]` entry.
        var entryOfPhase: [Int: Int]
    }

    var sections: Set<ConfigSection> = []
    /// The list sections refused for holding more entries than their limit; none of their
    /// entries were read.
    var overLimit: Set<ConfigSection> = []
    var name = ""
    var amberFloor = JunctionValidator.defaultAmberFloor
    /// Stage names; nil for all stages in file order.
    var sequence: [String]?
    var startup = StartupTiming()
    var groups: [SignalGroup] = []
    var conflicts: [ConflictRow] = []
    var intergreens: [IntergreenEntry] = []
    var stages: [StageEntry] = []
    var detectors: [DetectorEntry] = []
    var plans: [FixedTimePlan] = []
    var preempts: [PreemptEntry] = []
    var nema: Nema?
    var field = FieldSelection()
    var daemon = DaemonSettings()
    var diagnostics = DiagnosticsSettings()
    var sumo: SumoSection.Draft?
    var adaptive = AdaptiveSettings()
    var modbus: ModbusSection.Draft?
    var gpio: GPIOSection.Draft?
    var upstream: UpstreamSettings?
    var snmp: SNMPSettings?
    var neighbours: NeighboursSection.Draft?
    var schedule: ScheduleSection.Draft?
    /// The directory of the file being read, for the files it includes; nil for text.
    var directory: String?
}
