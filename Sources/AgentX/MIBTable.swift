/// A read-only MIB view: a sorted table of objects that answers Get, GetNext and GetBulk search
/// ranges exactly as RFC 2741 §7.2.3 describes, with no I/O.
///
/// Guarantees: names are unique and sorted; a GetNext answer is the first name after the start
/// (or at it, with `include`) and below the range's end, else `endOfMibView` named by the start;
/// a GetBulk answer never holds more than `maximumVarBinds` bindings.
public struct MIBTable: Sendable, Equatable {
    /// Caps a GetBulk answer, so a request for 65535 repetitions cannot build a huge response.
    public static let maximumVarBinds = 1024

    /// The objects in lexicographic order of their names.
    public let entries: [VarBind]

    /// A table of `entries` in any order. Two entries with one name are a programming error.
    public init(_ entries: [VarBind]) {
        let sorted = entries.sorted { $0.name < $1.name }
        for index in sorted.indices.dropFirst() {
            precondition(sorted[index - 1].name != sorted[index].name, "MIB object \(sorted[index].name) listed twice")
        }
        self.entries = sorted
    }

    /// The index of the first entry whose name is not below `name`.
    private func lowerBound(_ name: OID) -> Int {
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].name < name { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The value named exactly `name`, or `noSuchInstance` when the name is under an object this
    /// table serves (a missing row or instance) and `noSuchObject` otherwise.
    public func get(_ name: OID) -> MIBValue {
        let index = lowerBound(name)
        if index < entries.count, entries[index].name == name { return entries[index].value }
        for neighbour in [index - 1, index] where entries.indices.contains(neighbour) {
            let object = OID(Array(entries[neighbour].name.subidentifiers.dropLast()))
            if !object.isNull, name.isInSubtree(object) { return .noSuchInstance }
        }
        return .noSuchObject
    }

    /// The binding that answers a GetNext search range.
    public func next(_ range: SearchRange) -> VarBind {
        var index = lowerBound(range.start)
        if index < entries.count, entries[index].name == range.start, !range.start.include { index += 1 }
        if index < entries.count, range.end.isNull || entries[index].name < range.end {
            return entries[index]
        }
        return VarBind(name: OID(range.start.subidentifiers), value: .endOfMibView)
    }

    /// The bindings that answer a Get PDU, one per range, each named by its start.
    public func answerGet(_ ranges: [SearchRange]) -> [VarBind] {
        ranges.map { VarBind(name: OID($0.start.subidentifiers), value: get($0.start)) }
    }

    /// The bindings that answer a GetNext PDU, one per range.
    public func answerGetNext(_ ranges: [SearchRange]) -> [VarBind] { ranges.map(next) }

    /// The bindings that answer a GetBulk PDU (RFC 2741 §7.2.3.3): one GetNext for each of the
    /// first `nonRepeaters` ranges, then up to `maxRepetitions` rounds over the rest, each round
    /// continuing from the previous round's names; it stops early once every repeater has reached
    /// the end of the view, or at `maximumVarBinds`.
    public func answerGetBulk(nonRepeaters: UInt16, maxRepetitions: UInt16, ranges: [SearchRange]) -> [VarBind] {
        let split = min(Int(nonRepeaters), ranges.count)
        var answer = ranges.prefix(split).map(next)
        var repeaters = Array(ranges.dropFirst(split))
        guard !repeaters.isEmpty else { return answer }
        for _ in 0..<Int(maxRepetitions) {
            guard answer.count + repeaters.count <= Self.maximumVarBinds else { break }
            var allEnded = true
            for index in repeaters.indices {
                let binding = next(repeaters[index])
                answer.append(binding)
                if binding.value != .endOfMibView {
                    allEnded = false
                    repeaters[index].start = OID(binding.name.subidentifiers, include: false)
                }
            }
            if allEnded { break }
        }
        return answer
    }
}
