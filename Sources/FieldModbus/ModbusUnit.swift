/// One Modbus device (a detector card, an I/O module) as the backend polls it.
///
/// Times are in milliseconds. The junction configuration guarantees
/// `timeoutMilliseconds < pollIntervalMilliseconds` and
/// `staleAfterMilliseconds >= pollIntervalMilliseconds + timeoutMilliseconds`, so a healthy unit
/// is never reported stale.
public struct ModbusUnit: Sendable, Equatable {
    /// The unit's name in the junction file, used in logs and errors.
    public var name: String
    /// How the unit is reached; units with the same transport share a connection.
    public var transport: ModbusTransport
    /// The Modbus unit (slave) identifier.
    public var unitID: Int
    /// Time between the starts of two polls of this unit.
    public var pollIntervalMilliseconds: Int
    /// Longest wait for a complete answer to one request (and for a TCP connect).
    public var timeoutMilliseconds: Int
    /// Age beyond which the unit's latest reading or read-back is no longer used.
    public var staleAfterMilliseconds: Int

    /// A unit as given.
    public init(
        name: String, transport: ModbusTransport, unitID: Int, pollIntervalMilliseconds: Int,
        timeoutMilliseconds: Int, staleAfterMilliseconds: Int
    ) {
        self.name = name
        self.transport = transport
        self.unitID = unitID
        self.pollIntervalMilliseconds = pollIntervalMilliseconds
        self.timeoutMilliseconds = timeoutMilliseconds
        self.staleAfterMilliseconds = staleAfterMilliseconds
    }

    /// `unit "io" at tcp 10.0.0.5:502 (id 1)`, the prefix of this unit's log lines and errors.
    public var label: String { "modbus unit \"\(name)\" at \(transport) (id \(unitID))" }
}
