/// One variable binding: an object's name and its value (or an exception).
public struct VarBind: Sendable, Equatable {
    /// The object instance.
    public var name: OID
    /// Its value, or the exception that stands for one.
    public var value: MIBValue

    /// A binding of `name` to `value`.
    public init(name: OID, value: MIBValue) {
        self.name = name
        self.value = value
    }
}
