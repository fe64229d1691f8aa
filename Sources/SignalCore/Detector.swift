/// What a detector's actuations do for the groups it is wired to.
public enum DetectorFunction: String, Sendable, CaseIterable {
    /// Places a call (stop-line loop during red, pedestrian push button).
    case call
    /// Restarts the passage timer during green (advance loop).
    case extend
    /// Both: the usual stop-line loop.
    case callAndExtend
    /// Calls a preempt (`Junction.preempts`), never a group: an emergency-vehicle detector.
    case preempt

    public var calls: Bool { self == .call || self == .callAndExtend }
    public var extends: Bool { self == .extend || self == .callAndExtend }
}

/// Thresholds for the NTCIP 1202 detector diagnostics. A threshold of 0 disables that check.
public struct DetectorDiagnosticLimits: Sendable, Equatable {
    /// Minutes without any change of presence before a no-activity fault.
    public var noActivityMinutes: Int
    /// Minutes of continuous presence before a max-presence fault.
    public var maxPresenceMinutes: Int
    /// Actuations in one minute above which the detector is erratic.
    public var erraticCountsPerMinute: Int

    public init(noActivityMinutes: Int = 0, maxPresenceMinutes: Int = 0, erraticCountsPerMinute: Int = 0) {
        self.noActivityMinutes = noActivityMinutes
        self.maxPresenceMinutes = maxPresenceMinutes
        self.erraticCountsPerMinute = erraticCountsPerMinute
    }
}

/// What the controller does for a detector's groups while the detector is failed.
public enum FailedDetectorAction: String, Sendable, CaseIterable {
    /// Max recall: the group is always called and runs to max green (NTCIP fail time 255).
    case maxRecall
    /// Min recall: the group is always called but may gap out.
    case minRecall
}

/// The role of a loop in the adaptive strategies.
public enum DetectorPlacement: String, Sendable, CaseIterable {
    case stopLine
    case advance
    case pushButton
}

/// One detector input (a loop, a push button) and the groups it serves.
public struct Detector: Sendable, Equatable {
    public var name: String
    /// Indices into `Junction.groups`.
    public var groups: [Int]
    public var function: DetectorFunction
    public var placement: DetectorPlacement
    public var diagnostics: DetectorDiagnosticLimits
    public var failedAction: FailedDetectorAction

    public init(
        name: String,
        groups: [Int],
        function: DetectorFunction = .callAndExtend,
        placement: DetectorPlacement = .stopLine,
        diagnostics: DetectorDiagnosticLimits = DetectorDiagnosticLimits(),
        failedAction: FailedDetectorAction = .maxRecall
    ) {
        self.name = name
        self.groups = groups
        self.function = function
        self.placement = placement
        self.diagnostics = diagnostics
        self.failedAction = failedAction
    }
}
