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

extension FieldSelection {
    /// Whether the file's `[backend]` section fits this selection, reporting when it does not: a
    /// section the selection needs but the file lacks (`contents` says what it must hold), or a
    /// section given for a backend that neither side uses. True when the section is given and used.
    func admitsSection(of backend: Backend, given: Bool, contents: String, log: ProblemLog) -> Bool {
        guard given else {
            for (key, served) in [("detectors", detectors), ("outputs", outputs)] where served == backend {
                log.report(
                    .missingKey, [.key("field"), .key(key)],
                    "\(key) = \"\(backend.rawValue)\" needs a [\(backend.rawValue)] section with \(contents)")
            }
            return false
        }
        guard detectors == backend || outputs == backend else {
            log.report(
                .layout, [.key(backend.rawValue)],
                "[\(backend.rawValue)] is given but neither field.detectors nor field.outputs is \"\(backend.rawValue)\"")
            return false
        }
        return true
    }
}
