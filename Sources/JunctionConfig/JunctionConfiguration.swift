import SignalCore

/// A junction file that loaded and validated: the junction the controller runs, and what it came from.
public struct JunctionConfiguration: Sendable, Equatable {
    /// Passes `JunctionValidator` with `amberFloor`.
    public var junction: Junction
    /// The amber floor the file set (or the default), in tenths; never below 2.7 s.
    public var amberFloor: Tenths
    /// The `[nema]` description the junction was compiled from, when the file used that layout.
    public var ringBarrier: RingBarrierDescription?
    /// Counts and max cycle, for `junctiond --check-config`.
    public var summary: JunctionConfigSummary
    /// Which backends reach the field (`[field]`); simulated when the file does not say.
    public var field: FieldSelection
    /// How the daemon runs the loop (`[daemon]`).
    public var daemon: DaemonSettings
    /// Who may use the diagnostic sockets (`[diagnostics]`).
    public var diagnostics: DiagnosticsSettings
    /// The SUMO traffic light and loops this junction drives and reads (`[sumo]`), if any.
    public var sumo: SumoMapping?
    /// The adaptive strategy and its tuning (`[adaptive]`); plain actuated when the file does not say.
    public var adaptive = AdaptiveSettings()
    /// The Modbus units and wiring (`[modbus]`); set when `field` uses Modbus for detectors or outputs.
    public var modbus: ModbusSettings?
    /// The GPIO lines (`[gpio]`); set when `field` uses GPIO for detectors or outputs.
    public var gpio: GPIOSettings?
    /// Reports to central and the local store (`[upstream]`); nil when the file has no such section.
    public var upstream: UpstreamSettings?
    /// The NTCIP 1202 AgentX subagent (`[snmp]`); nil when the file has no such section.
    public var snmp: SNMPSettings?
    /// The neighbouring junctions forecasts are exchanged with (`[neighbours]`); nil when the file
    /// has no such section (isolated adaptive control).
    public var neighbours: NeighbourSettings?
    /// The time-of-day schedule (`[schedule]`); nil when the file has none (the junction then runs
    /// its startup operation, or a technician's plan).
    public var schedule: TimeOfDaySchedule?
    /// The TOML text it was loaded from, whose digest upstream reports (`config_hash`): taken from
    /// the read that was checked, so no second read can see another file.
    public var source = ""

    /// A configuration of an already validated junction; the summary is computed from it.
    public init(
        junction: Junction, amberFloor: Tenths, ringBarrier: RingBarrierDescription?,
        field: FieldSelection = FieldSelection(), daemon: DaemonSettings = DaemonSettings(),
        diagnostics: DiagnosticsSettings = DiagnosticsSettings()
    ) {
        self.junction = junction
        self.field = field
        self.daemon = daemon
        self.diagnostics = diagnostics
        self.amberFloor = amberFloor
        self.ringBarrier = ringBarrier
        summary = JunctionConfigSummary(junction: junction, layout: ringBarrier == nil ? .signalGroups : .ringBarrier)
    }
}
