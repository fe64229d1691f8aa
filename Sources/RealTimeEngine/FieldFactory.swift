import FieldIO
import FieldModbus
import JunctionConfig
import Logging
import SignalCore

/// Opens the field backends a junction file's `[field]` selects, and hands the engine its
/// detector inputs and signal outputs.
///
/// Each backend named by either side is opened once: the simulated junction serves both sides
/// from one object, and one `ModbusField` serves detectors and lamps on the same units. Opening a
/// hardware backend reaches every device before returning, so an unreachable device fails startup
/// with an error naming it, before READY=1.
public enum FieldFactory {
    /// The opened field.
    public struct Field {
        /// What the engine reads every tick.
        public var inputs: DetectorInputs
        /// What the engine drives every tick.
        public var outputs: SignalOutputs
        /// The Modbus part, when either side uses Modbus: its link statistics, and `close()`.
        public var modbus: ModbusField?

        /// Stops the backends' threads and closes their devices; call after the control loop stopped.
        public func close() {
            modbus?.close()
        }
    }

    /// Why the field could not be opened, in words naming the device.
    public struct OpenError: Error, CustomStringConvertible {
        /// What failed and on which device.
        public var description: String
    }

    /// Opens the backends `configuration.field` names for `configuration.junction`.
    ///
    /// - Parameters:
    ///   - seed: the simulated junction's traffic seed.
    ///   - logger: receives the backends' own lines (communication faults, recovery, statistics).
    public static func open(
        _ configuration: JunctionConfiguration, seed: UInt64, logger: Logger
    ) throws(OpenError) -> Field {
        let junction = configuration.junction
        let selection = configuration.field
        var opened: [FieldSelection.Backend: (inputs: DetectorInputs?, outputs: SignalOutputs?)] = [:]
        var modbus: ModbusField?
        for backend in [selection.detectors, selection.outputs] where opened[backend] == nil {
            switch backend {
            case .simulated:
                let simulated = SimulatedJunction(junction: junction, seed: seed)
                opened[backend] = (simulated, simulated)
            case .modbus:
                let field = try openModbus(configuration, logger: logger)
                modbus = field
                opened[backend] = (field.detectorInputs(), field.signalOutputs())
            case .gpio: opened[backend] = try openGPIO(configuration, logger: logger)
            case .sumo:
                throw OpenError(description: "the SUMO field backend runs in junction-bench, not in junctiond")
            }
        }
        guard let inputs = opened[selection.detectors]?.inputs, let outputs = opened[selection.outputs]?.outputs else {
            preconditionFailure("each opened backend serves the sides it was opened for")
        }
        return Field(inputs: inputs, outputs: outputs, modbus: modbus)
    }

    // MARK: - Modbus

    private static func openModbus(_ configuration: JunctionConfiguration, logger: Logger) throws(OpenError)
        -> ModbusField
    {
        guard let settings = configuration.modbus else {
            // The loader rejects a file that selects Modbus without a [modbus] section.
            preconditionFailure("[field] selects Modbus but the configuration has no Modbus settings")
        }
        let junction = configuration.junction
        do {
            return try ModbusField.open(
                wiring: wiring(settings, junction: junction), detectorCount: junction.detectors.count,
                groupCount: junction.groups.count, servesDetectors: configuration.field.detectors == .modbus,
                servesLamps: configuration.field.outputs == .modbus, log: modbusLog(logger))
        } catch {
            throw OpenError(description: "\(error)")
        }
    }

    /// The backend's view of the resolved `[modbus]` section, with names for its log lines.
    package static func wiring(_ settings: ModbusSettings, junction: Junction) -> ModbusWiring {
        let units = settings.units.map { unit in
            ModbusUnit(
                name: unit.name, transport: transport(unit.transport), unitID: unit.unitID,
                pollIntervalMilliseconds: unit.pollIntervalMilliseconds, timeoutMilliseconds: unit.timeoutMilliseconds,
                staleAfterMilliseconds: unit.staleAfterMilliseconds)
        }
        let detectors = settings.detectors.map { input in
            ModbusWiring.DetectorPoint(
                detector: input.detector, name: junction.detectors[input.detector].name, unit: input.unit,
                presenceInput: input.presenceInput, countRegister: input.countRegister)
        }
        let lamps = settings.lamps.map { lamp in
            let coils: LampCoils
            switch lamp.coils {
            case .vehicle(let red, let amber, let green): coils = .vehicle(red: red, amber: amber, green: green)
            case .pedestrian(let dontWalk, let walk): coils = .pedestrian(dontWalk: dontWalk, walk: walk)
            }
            return ModbusWiring.LampPoint(
                group: lamp.group, name: junction.groups[lamp.group].name, unit: lamp.unit, coils: coils)
        }
        return ModbusWiring(
            units: units, detectors: detectors, lamps: lamps,
            watchdog: settings.watchdog.map { ModbusWiring.CoilPoint(unit: $0.unit, coil: $0.coil) },
            statisticsLogSeconds: settings.statisticsLogSeconds)
    }

    private static func transport(_ transport: ModbusSettings.Transport) -> ModbusTransport {
        switch transport {
        case .tcp(let host, let port):
            return .tcp(host: host, port: port)
        case .rtu(let device, let baud, let parity, let dataBits, let stopBits):
            let serialParity: ModbusSerialSettings.Parity
            switch parity {
            case .none: serialParity = .none
            case .even: serialParity = .even
            case .odd: serialParity = .odd
            }
            return .rtu(
                ModbusSerialSettings(
                    device: device, baud: baud, parity: serialParity, dataBits: dataBits, stopBits: stopBits))
        }
    }

    /// Forwards the Modbus backend's lines to `logger`, with their key=value metadata.
    private static func modbusLog(_ logger: Logger) -> ModbusLog {
        ModbusLog(debugEnabled: logger.logLevel <= .debug) { level, message, metadata in
            let converted: Logger.Level
            switch level {
            case .debug: converted = .debug
            case .info: converted = .info
            case .notice: converted = .notice
            case .warning: converted = .warning
            case .error: converted = .error
            }
            logger.log(
                level: converted, "\(message)",
                metadata: metadata.isEmpty ? nil : metadata.mapValues { Logger.MetadataValue.string($0) })
        }
    }
}
