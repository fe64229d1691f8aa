/// One thing wrong with a key that a `TOMLReader` read: what kind, which key, where, and a
/// sentence for a person. The sentence quotes what the file holds unescaped; callers that print
/// to a terminal escape it.
public struct TOMLReadProblem: Sendable, Equatable {
    /// What is wrong.
    public enum Kind: Sendable, Equatable {
        /// A required key is absent.
        case missingKey
        /// A value of another TOML type than the one asked for.
        case wrongType
        /// A number outside the range asked for.
        case outOfRange
        /// An array longer than the limit asked for.
        case tooMany
        /// A value of the right type that is not allowed (a word not among the choices).
        case invalidValue
        /// A key nobody asked for.
        case unknownKey
    }

    /// What is wrong.
    public var kind: Kind
    /// The key, within the reader's table.
    public var key: String
    /// Where the key's value starts, or nil when the key is absent.
    public var position: TOMLPosition?
    /// A sentence such as `expected a whole number, found string`.
    public var message: String

    /// A problem with `key`.
    public init(kind: Kind, key: String, position: TOMLPosition?, message: String) {
        self.kind = kind
        self.key = key
        self.position = position
        self.message = message
    }
}
