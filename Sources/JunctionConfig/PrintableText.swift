/// What text from a junction file may reach logs, terminals and `junctionctl`.
///
/// Names and ids must be short and free of characters that act on a terminal or reorder what is
/// shown (control characters such as ESC, BEL, CR and LF, C1 controls, bidirectional and other
/// invisible formatting characters, line and paragraph separators). Everything else the loader
/// prints (problem messages that quote a key or a value) is escaped and shortened instead.
/// junction-central screens what engineers type (an alarm acknowledgement) with `isUnsafe` too.
public enum PrintableText {
    /// The longest name or id, in Unicode scalars: real names are a few words at most.
    static let longestName = 64

    /// The longest id of another program's element (a SUMO traffic light or loop): netconvert joins
    /// the ids of the junctions it merges, and an imported map's can run past a hundred characters.
    static let longestForeignId = 512

    /// Why `name` cannot be a name or id (without quoting it), or nil when it can; `longest` is
    /// `longestName` for junctiond's own names.
    static func nameProblem(_ name: String, longest: Int = longestName) -> String? {
        let count = name.unicodeScalars.count
        guard count <= longest else {
            return "is \(count) characters long; at most \(longest) are allowed"
        }
        if let bad = name.unicodeScalars.first(where: isUnsafe) {
            return "contains \(code(bad)) (\(description(bad))); names may not hold characters that act on a terminal"
        }
        // Spaces a reader cannot count or tell apart: "S1" and "S1 " would be two stages that look alike.
        let scalars = name.unicodeScalars
        if let edge = [scalars.first, scalars.last].compactMap({ $0 }).first(where: \.properties.isWhitespace) {
            return "\(edge == scalars.first ? "begins" : "ends") with a space (\(code(edge))); two names that differ only there would look alike"
        }
        if let space = scalars.first(where: { $0 != " " && $0.properties.isWhitespace }) {
            return "contains \(code(space)), a space other than the plain one (U+0020); two names that differ only there would look alike"
        }
        if name.contains("  ") {
            return "holds two spaces in a row; two names that differ only there would look alike"
        }
        return nil
    }

    /// `text` with every unsafe character written as `\u{1B}` and at most `limit` characters kept.
    static func escaped(_ text: String, limit: Int) -> String {
        var result = ""
        var kept = 0
        for scalar in text.unicodeScalars {
            guard kept < limit else { return result + "…" }
            if isUnsafe(scalar) {
                result += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            } else {
                result.unicodeScalars.append(scalar)
            }
            kept += 1
        }
        return result
    }

    /// Control characters (C0, DEL, C1), formatting characters (bidirectional marks, embeddings,
    /// overrides and isolates, zero-width characters), line or paragraph separators, and the other
    /// characters Unicode says displays ignore (the combining grapheme joiner, Hangul fillers,
    /// variation selectors), with which two names that look alike would be different names.
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator: return true
        default: return scalar.properties.isDefaultIgnorableCodePoint
        }
    }

    /// `U+001B`.
    static func code(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    private static func description(_ scalar: Unicode.Scalar) -> String {
        switch scalar.properties.generalCategory {
        case .control: return "a control character"
        case .format: return "an invisible formatting character such as a bidirectional override"
        case .lineSeparator, .paragraphSeparator: return "a line or paragraph separator"
        default: return "a character that displays do not show"
        }
    }
}
