/// How the controller names itself in the NTCIP 1201 module table (`moduleMake`, `moduleModel`,
/// `moduleVersion`), the controller's description for a central system's inventory.
public struct NTCIPIdentity: Sendable, Equatable {
    /// `moduleMake`.
    public var make: String
    /// The model line; junctiond puts the junction's name here so a central can tell junctions apart.
    public var model: String
    /// `moduleVersion`.
    public var version: String

    /// An identity for the module table.
    public init(make: String, model: String, version: String) {
        self.make = make
        self.model = model
        self.version = version
    }
}
