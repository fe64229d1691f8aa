import SignalCore

/// The `config` reply: the junction the controller runs now and how the daemon runs it.
/// Times are in tenths of a second, as the controller holds them.
public struct ConfigReport: Codable, Sendable, Equatable {
    /// One signal group and its timings.
    public struct Group: Codable, Sendable, Equatable {
        public var number: Int
        public var name: String
        public var kind: String
        public var minGreenTenths: Int
        public var maxGreenTenths: Int
        public var passageTenths: Int
        public var clearanceTenths: Int
        public var redAmberTenths: Int
        public var recall: String
        public var memory: String
        public var flash: String
    }

    /// A stage and its groups by name.
    public struct Stage: Codable, Sendable, Equatable {
        public var number: Int
        public var name: String
        public var groups: [String]
    }

    /// One intergreen: least time from the end of `from`'s green to the start of `to`'s.
    public struct Intergreen: Codable, Sendable, Equatable {
        public var from: String
        public var to: String
        public var tenths: Int
    }

    /// One detector's wiring and diagnostic thresholds.
    public struct Detector: Codable, Sendable, Equatable {
        public var number: Int
        public var name: String
        public var groups: [String]
        public var function: String
        public var placement: String
        public var noActivityMinutes: Int
        public var maxPresenceMinutes: Int
        public var erraticPerMinute: Int
        public var failedAction: String
    }

    /// A fixed-time plan.
    public struct Plan: Codable, Sendable, Equatable {
        public var name: String
        public var cycleTenths: Int
        public var offsetTenths: Int
        public var splitsTenths: [Int]
    }

    /// The junction file (or `built-in`) the daemon loaded, and its one-line summary.
    public var source: String
    public var summary: String
    public var name: String
    public var startupFlashTenths: Int
    public var startupAllRedTenths: Int
    public var groups: [Group]
    /// Conflicting pairs, each once, by group name.
    public var conflicts: [[String]]
    public var intergreens: [Intergreen]
    public var stages: [Stage]
    /// The cyclic stage order, by stage name.
    public var sequence: [String]
    public var detectors: [Detector]
    public var plans: [Plan]
    /// Settings outside the junction: field backends, runtime directory, socket groups, and the like.
    public var settings: [String: String]

    /// The report of `junction`, loaded from `source`, with `settings` as given.
    public init(junction: Junction, source: String, summary: String, settings: [String: String]) {
        self.source = source
        self.summary = summary
        self.settings = settings
        name = junction.name
        startupFlashTenths = junction.startup.flashTime
        startupAllRedTenths = junction.startup.allRedTime
        let names = junction.groups.map(\.name)
        groups = junction.groups.enumerated().map { index, group in
            Group(
                number: index + 1, name: group.name, kind: group.kind.rawValue, minGreenTenths: group.timing.minGreen,
                maxGreenTenths: group.timing.maxGreen, passageTenths: group.timing.passage,
                clearanceTenths: group.timing.clearance, redAmberTenths: group.timing.redAmber,
                recall: group.recall.rawValue, memory: group.memory.rawValue, flash: group.flash.rawValue)
        }
        var pairs: [[String]] = []
        var intergreens: [Intergreen] = []
        for from in junction.groups.indices {
            for to in junction.groups.indices where junction.conflicts[from][to] {
                if from < to { pairs.append([names[from], names[to]]) }
                intergreens.append(Intergreen(from: names[from], to: names[to], tenths: junction.intergreen[from][to]))
            }
        }
        conflicts = pairs
        self.intergreens = intergreens
        stages = junction.stages.enumerated().map { index, stage in
            Stage(number: index + 1, name: stage.name, groups: stage.groups.map { names[$0] })
        }
        sequence = junction.sequence.map { junction.stages[$0].name }
        detectors = junction.detectors.enumerated().map { index, detector in
            Detector(
                number: index + 1, name: detector.name, groups: detector.groups.map { names[$0] },
                function: detector.function.rawValue, placement: detector.placement.rawValue,
                noActivityMinutes: detector.diagnostics.noActivityMinutes,
                maxPresenceMinutes: detector.diagnostics.maxPresenceMinutes,
                erraticPerMinute: detector.diagnostics.erraticCountsPerMinute, failedAction: detector.failedAction.rawValue)
        }
        plans = junction.plans.map {
            Plan(name: $0.name, cycleTenths: $0.cycle, offsetTenths: $0.offset, splitsTenths: $0.splits)
        }
    }
}
