/// The known names a mistyped one was most likely meant to be, by edit distance.
enum CommandSuggestion {
    /// The names in `names` nearest to `typed`: those within two edits (or one edit for names of up to four
    /// characters), nearest first, or those `typed` abbreviates; empty when nothing is close.
    static func nearest(to typed: String, among names: [String]) -> [String] {
        let scored = names.map { (name: $0, distance: distance(typed, $0)) }
        let best = scored.map(\.distance).min() ?? .max
        let limit = typed.count <= 4 ? 1 : 2
        if best <= limit { return scored.filter { $0.distance == best }.map(\.name) }
        if typed.count >= 2 { return names.filter { $0.hasPrefix(typed) } }
        return []
    }

    /// The Damerau–Levenshtein (optimal string alignment) distance: insertions, deletions, substitutions and
    /// swaps of two neighbouring characters each count one.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var table = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }
}
