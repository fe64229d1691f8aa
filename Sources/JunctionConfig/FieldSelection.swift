/// Which backend reaches the field for detectors and for lamps (`[field]`).
///
/// Each backend's own section (`[gpio]`, `[modbus]`) holds its wiring; the daemon opens the
/// backends named here. `simulated` is the built-in simulated junction, the default for demos.
public struct FieldSelection: Sendable, Equatable {
    public enum Backend: String, Sendable, CaseIterable {
        case simulated
        case gpio
        case modbus
        case sumo
    }

    public var detectors: Backend
    public var outputs: Backend

    public init(detectors: Backend = .simulated, outputs: Backend = .simulated) {
        self.detectors = detectors
        self.outputs = outputs
    }
}
