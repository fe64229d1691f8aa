/// Small text helpers for the human-readable output; no Foundation formatters.
enum TextFormat {
    /// Tenths of a second as `12.3 s`.
    static func seconds(_ tenths: Int) -> String {
        let sign = tenths < 0 ? "-" : ""
        let magnitude = tenths.magnitude
        return "\(sign)\(magnitude / 10).\(magnitude % 10) s"
    }

    /// Nanoseconds as `54 µs`, `1.2 ms` or `3.4 s`.
    static func duration(nanoseconds: Int) -> String {
        if nanoseconds < 10_000 { return "\(nanoseconds / 1000).\(nanoseconds % 1000 / 100) µs" }
        if nanoseconds < 1_000_000 { return "\(nanoseconds / 1000) µs" }
        if nanoseconds < 1_000_000_000 { return "\(nanoseconds / 1_000_000).\(nanoseconds % 1_000_000 / 100_000) ms" }
        return "\(nanoseconds / 1_000_000_000).\(nanoseconds % 1_000_000_000 / 100_000_000) s"
    }

    /// Tenths of a percent as `42.5 %`.
    static func percent(permille: Int) -> String { "\(permille / 10).\(permille % 10) %" }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    static func padLeft(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }

    /// Rows as aligned columns (the last column is not padded), two spaces apart, indented.
    static func table(_ rows: [[String]], indent: String = "  ", rightAligned: Set<Int> = []) -> String {
        guard let columns = rows.map(\.count).max() else { return "" }
        let widths = (0..<columns).map { column in rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0 }
        return rows.map { row in
            indent + row.enumerated().map { column, cell in
                if rightAligned.contains(column) { return padLeft(cell, widths[column]) }
                return column == row.count - 1 ? cell : pad(cell, widths[column])
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}

extension TextFormat {
    /// Pads `text` to `width` visible characters, not counting ANSI colour sequences.
    static func pad(_ text: String, _ width: Int, visible: Bool) -> String {
        let length = visibleLength(text)
        return length >= width ? text : text + String(repeating: " ", count: width - length)
    }

    /// `text` cut to `width` visible characters, its escape sequences kept whole; with `reset`, a
    /// cut text ends by resetting the colours, in case the cut fell inside a coloured run.
    static func cut(_ text: String, _ width: Int, reset: Bool = false) -> String {
        guard visibleLength(text) > width else { return text }
        var result = ""
        var count = 0
        forEachCharacter(of: text) { character, shown in
            if shown {
                if count == width { return false }
                count += 1
            }
            result.append(character)
            return true
        }
        return reset ? result + "\u{1B}[0m" : result
    }

    /// The characters of `text` a terminal shows (escape sequences are not counted).
    static func visibleLength(_ text: String) -> Int {
        var count = 0
        forEachCharacter(of: text) { _, shown in
            if shown { count += 1 }
            return true
        }
        return count
    }

    /// Calls `visit` with each character of `text` and whether a terminal shows it (an ANSI escape
    /// sequence runs from ESC to its final letter and shows nothing), until `visit` returns false.
    private static func forEachCharacter(of text: String, _ visit: (Character, Bool) -> Bool) {
        var inEscape = false
        for character in text {
            let shown: Bool
            if inEscape {
                if character.isLetter { inEscape = false }
                shown = false
            } else if character == "\u{1B}" {
                inEscape = true
                shown = false
            } else {
                shown = true
            }
            if !visit(character, shown) { return }
        }
    }
}
