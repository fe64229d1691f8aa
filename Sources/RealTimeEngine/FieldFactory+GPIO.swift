import FieldGPIO
import FieldIO
import JunctionConfig
import Logging

extension FieldFactory {
    /// Opens the GPIO lines of `configuration.gpio` for the sides `[field]` gives to GPIO: the
    /// detector inputs (with their event thread) and the lamp and watchdog outputs.
    ///
    /// A chip or line missing on this machine, or held by another process, fails here with a
    /// message naming the chip, the line and what it is wired for. The detector backend's counts
    /// and edge-to-tick latency go to `logger` every `report_interval_s`.
    package static func openGPIO(
        _ configuration: JunctionConfiguration, logger: Logger
    ) throws(OpenError) -> (inputs: DetectorInputs?, outputs: SignalOutputs?) {
        guard let settings = configuration.gpio else {
            // The loader rejects a file that selects GPIO without a [gpio] section.
            preconditionFailure("[field] selects GPIO but the configuration has no GPIO settings")
        }
        let junction = configuration.junction
        do {
            var inputs: GPIODetectorInputs?
            if configuration.field.detectors == .gpio {
                inputs = try GPIODetectorInputs(
                    junction: junction, wiring: inputWiring(settings), report: { logger.notice("\($0)") })
            }
            var outputs: GPIOSignalOutputs?
            if configuration.field.outputs == .gpio {
                outputs = try GPIOSignalOutputs(junction: junction, wiring: outputWiring(settings))
            }
            return (inputs, outputs)
        } catch {
            throw OpenError(description: "\(error)")
        }
    }

    /// The backend's view of the resolved `[gpio]` detector lines.
    package static func inputWiring(_ settings: GPIOSettings) -> GPIOInputWiring {
        GPIOInputWiring(
            detectors: settings.detectors.map { input in
                GPIODetectorWiring(
                    detector: input.detector, address: input.line, activeLow: input.activeLow,
                    debounceMilliseconds: input.debounceMilliseconds, bias: bias(input.bias))
            },
            staleAfterMilliseconds: settings.staleAfterMilliseconds, reportIntervalSeconds: settings.reportIntervalSeconds)
    }

    /// The backend's view of the resolved `[gpio]` lamp and watchdog lines.
    package static func outputWiring(_ settings: GPIOSettings) -> GPIOOutputWiring {
        guard let watchdog = settings.watchdog else {
            preconditionFailure("the loader requires a watchdog line when field.outputs is gpio")
        }
        let drive: GPIODrive
        switch settings.lampDrive {
        case .pushPull: drive = .pushPull
        case .openDrain: drive = .openDrain
        case .openSource: drive = .openSource
        }
        return GPIOOutputWiring(
            lamps: settings.lamps.map { head in
                var lines: [GPIOLamp: GPIOLineAddress] = [:]
                for (lamp, line) in head.lines {
                    lines[Self.lamp(lamp)] = line
                }
                return GPIOLampWiring(group: head.group, lines: lines)
            },
            watchdog: watchdog, drive: drive, activeLow: settings.lampActiveLow, bias: bias(settings.lampBias))
    }

    private static func bias(_ bias: GPIOSettings.Bias) -> GPIOBias {
        switch bias {
        case .asIs: return .asIs
        case .disabled: return .disabled
        case .pullUp: return .pullUp
        case .pullDown: return .pullDown
        }
    }

    private static func lamp(_ lamp: GPIOSettings.Lamp) -> GPIOLamp {
        switch lamp {
        case .red: return .red
        case .amber: return .amber
        case .green: return .green
        case .dontWalk: return .dontWalk
        case .walk: return .walk
        }
    }
}
