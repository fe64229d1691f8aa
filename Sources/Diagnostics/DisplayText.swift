/// Text from the daemon made safe to print on a terminal, for junctionctl's human output.
///
/// Guarantees, for any input: the result contains no C0 or C1 control character, no DEL, no
/// bidirectional override or isolate and no line or paragraph separator (each is written as
/// `\u{1B}`, visible), and it is at most `limit` Unicode scalars long, ending in `…` when cut,
/// never inside an escape. Names come from junction files, which may be careless or hostile: an ESC could
/// repaint the technician's terminal, a CR/LF forge a line, an RLO reverse what follows, and a
/// huge name bury the rest of the output.
public enum DisplayText {
    /// The longest field junctionctl prints; names are far shorter, so only abuse is cut.
    public static let fieldLimit = 256
    /// The longest message (an error from the daemon, which may list names) junctionctl prints.
    public static let messageLimit = 2048

    /// `text` with every unsafe scalar escaped, cut to `limit` scalars (at least 1).
    public static func escaped(_ text: String, limit: Int = fieldLimit) -> String {
        let limit = max(limit, 1)
        var result: [Unicode.Scalar] = []
        // The length of each piece written, so a cut never splits an escape.
        var pieces: [Int] = []
        for scalar in text.unicodeScalars {
            if isUnsafe(scalar) {
                let escape = Self.escape(scalar).unicodeScalars
                result.append(contentsOf: escape)
                pieces.append(escape.count)
            } else {
                result.append(scalar)
                pieces.append(1)
            }
            if result.count > limit {
                while result.count > limit - 1, let last = pieces.popLast() { result.removeLast(last) }
                result.append("…")
                break
            }
        }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: result)
        return String(view)
    }

    /// How an unsafe scalar is written: `\u{1B}`, its value in hexadecimal.
    public static func escape(_ scalar: Unicode.Scalar) -> String {
        "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
    }

    /// True for the scalars a terminal would act on rather than show: C0 and C1 controls, DEL,
    /// the bidirectional marks, embeddings, overrides and isolates, and the line and paragraph
    /// separators.
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true
        case 0x2028, 0x2029: return true
        default: return false
        }
    }
}
