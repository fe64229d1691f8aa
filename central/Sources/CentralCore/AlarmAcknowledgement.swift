import JunctionConfig

/// An engineer's acknowledgement of one alarm: who, when (central's clock) and an optional note.
///
/// Guarantees: `by` is 1 to `nameLimit` characters with no surrounding white space and nothing that acts on a
/// terminal or reorders or hides text (`PrintableText.isUnsafe`: control characters, bidirectional overrides,
/// zero-width and other invisible characters); `note`, when present, is 1 to `noteLimit` characters, trimmed, with
/// the same screen but for line breaks and tabs. `init?(by:note:atMilliseconds:)` enforces both, so what the
/// dashboard and the API show is what the engineer typed.
public struct AlarmAcknowledgement: Sendable, Equatable, Codable {
    /// The longest name taken, in characters.
    public static let nameLimit = 64
    /// The longest note taken, in characters.
    public static let noteLimit = 500

    public var by: String
    public var note: String?
    /// Unix milliseconds.
    public var atMilliseconds: Int64

    /// An acknowledgement by `by` with `note`, both trimmed (an empty note is none); nil when the name is empty,
    /// too long or holds a character `PrintableText.isUnsafe` refuses, or the note is too long or holds one
    /// (line breaks and tabs aside).
    public init?(by: String, note: String?, atMilliseconds: Int64) {
        let name = by.trimmingWhiteSpace
        let note = note?.trimmingWhiteSpace
        guard (1...Self.nameLimit).contains(name.count), !name.unicodeScalars.contains(where: PrintableText.isUnsafe),
            (note?.count ?? 0) <= Self.noteLimit,
            !(note?.unicodeScalars.contains { $0 != "\n" && $0 != "\t" && PrintableText.isUnsafe($0) } ?? false)
        else { return nil }
        self.by = name
        self.note = note?.isEmpty == false ? note : nil
        self.atMilliseconds = atMilliseconds
    }
}

extension String {
    fileprivate var trimmingWhiteSpace: String {
        let characters = drop { $0.isWhitespace || $0.isNewline }.reversed().drop { $0.isWhitespace || $0.isNewline }
        return String(characters.reversed())
    }
}
