import AgentX
import Testing

/// Get, GetNext and GetBulk over a small table, per RFC 2741 §7.2.3.
@Suite("MIB table")
struct MIBTableTests {
    static let base = OID([1, 3, 6, 1, 4, 1, 1206, 4, 2, 1])
    static let table = MIBTable([
        VarBind(name: base.appending(1, 1, 0), value: .integer(8)),
        VarBind(name: base.appending(1, 4, 1, 2, 1), value: .integer(0x11)),
        VarBind(name: base.appending(1, 4, 1, 2, 2), value: .integer(0x22)),
        VarBind(name: base.appending(1, 4, 1, 3, 1), value: .integer(0x33)),
        VarBind(name: base.appending(3, 6, 0), value: .integer(2)),
    ])

    @Test("Get answers an exact name, else noSuchInstance under a served object, else noSuchObject")
    func get() {
        #expect(Self.table.get(Self.base.appending(1, 1, 0)) == .integer(8))
        #expect(Self.table.get(Self.base.appending(1, 1, 5)) == .noSuchInstance)
        #expect(Self.table.get(Self.base.appending(1, 4, 1, 2, 9)) == .noSuchInstance)
        #expect(Self.table.get(Self.base.appending(7, 7, 0)) == .noSuchObject)
    }

    @Test("GetNext walks in order, honours include and the range end, and ends with endOfMibView")
    func getNext() {
        var names: [OID] = []
        var range = SearchRange(start: Self.base)
        while true {
            let binding = Self.table.next(range)
            if binding.value == .endOfMibView {
                #expect(binding.name == range.start)
                break
            }
            names.append(binding.name)
            range = SearchRange(start: binding.name)
        }
        #expect(names == Self.table.entries.map(\.name))
        let included = Self.table.next(
            SearchRange(start: OID(Self.base.appending(1, 1, 0).subidentifiers, include: true)))
        #expect(included.name == Self.base.appending(1, 1, 0))
        let bounded = Self.table.next(
            SearchRange(start: Self.base.appending(1, 4, 1, 2, 2), end: Self.base.appending(1, 4, 1, 3, 1)))
        #expect(bounded.value == .endOfMibView)
    }

    @Test("GetBulk repeats from each previous answer and caps its size")
    func getBulk() {
        let answer = Self.table.answerGetBulk(
            nonRepeaters: 1, maxRepetitions: 3,
            ranges: [SearchRange(start: Self.base), SearchRange(start: Self.base.appending(1, 4))])
        #expect(answer.map(\.value) == [.integer(8), .integer(0x11), .integer(0x22), .integer(0x33)])
        let all = Self.table.answerGetBulk(
            nonRepeaters: 0, maxRepetitions: 100, ranges: [SearchRange(start: Self.base)])
        // Five objects, then one endOfMibView, then it stops early.
        #expect(all.count == 6)
        #expect(all.last?.value == .endOfMibView)
        let huge = MIBTable((0..<2000).map { VarBind(name: Self.base.appending(UInt32($0)), value: .null) })
        let capped = huge.answerGetBulk(nonRepeaters: 0, maxRepetitions: 65535, ranges: [SearchRange(start: Self.base)])
        #expect(capped.count == MIBTable.maximumVarBinds)
    }
}
