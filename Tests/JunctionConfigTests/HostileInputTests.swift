import JunctionConfig
import SignalCore
import Testing

private typealias F = ConfigFixture

/// Files from a hostile-input test: each must be refused (or read) with the problem named once and
/// plainly, not hidden behind a misleading message or a cascade of echoes.
@Suite struct HostileInputTests {
    @Test func moreGroupsThanTheLimitIsReportedOnceAsTheLimit() {
        let names = (1...65).map { "G\($0)" }
        var source = "[junction]\nname = \"many\"\n"
        for name in names {
            source += "\n[[groups]]\nname = \"\(name)\"\nkind = \"vehicle\"\nmin_green = 7\nmax_green = 30\n"
                + "passage = 2.5\namber = 3.0\nred_amber = 1.5\n"
        }
        source += "\n[conflicts]\n" + names.map { "\($0) = []" }.joined(separator: "\n") + "\n"
        source += "\n[[stages]]\nname = \"S\"\ngroups = [\"G1\"]\n"
        source += "\n[[detectors]]\nname = \"D\"\ngroups = [\"G2\"]\n"
        let problems = F.problems(source)
        #expect(problems.count == 1, "\(problems)")
        #expect(problems.first?.kind == .tooMany)
        #expect(problems.first?.field == "groups")
        #expect(problems.first?.message == "at most 64 [[groups]] entries are allowed")
    }

    @Test func aLeadingByteOrderMarkIsRead() throws {
        let configuration = try JunctionConfigLoader().load(source: "\u{FEFF}" + F.valid)
        #expect(configuration.junction.name == "fixture")
        // Lines and columns are those of the file without it.
        let broken = F.replacing("amber = 3.0", with: "amber = = 3.0")
        let problems = F.problems("\u{FEFF}" + broken)
        #expect(problems.first?.line == F.line(containing: "amber = = 3.0", in: broken))
        #expect(problems.first?.column == 9)
    }

    @Test func aKeyDefinedTwiceInAGroupNamesTheEntry() {
        let source = F.replacing("amber = 3.5", with: "amber = 3.5\namber = 4.0")
        let problems = F.problems(source)
        #expect(problems.count == 1, "\(problems)")
        #expect(problems.first?.kind == .syntax)
        #expect(problems.first?.line == F.line(containing: "amber = 4.0", in: source))
        #expect(problems.first?.message.hasPrefix("groups.#2.amber is defined twice") == true, "\(problems)")
    }

    @Test func aLargeConflictsTableStillReportsEveryUnknownGroup() {
        // The reader's lookups once made a [conflicts] of many keys quadratic; the fix must keep
        // every row read and every unknown name reported, in file order.
        let extra = (1...2_000).map { "X\($0) = [\"A\"]" }.joined(separator: "\n")
        let source = F.replacing("P = [\"A\"]\n", with: "P = [\"A\"]\n" + extra + "\n")
        let problems = F.problems(source)
        #expect(problems.count == 2_000, "\(problems.prefix(3))")
        #expect(problems.allSatisfy { $0.kind == .unknownName })
        #expect(problems.first?.field == "conflicts.X1")
        #expect(problems.last?.field == "conflicts.X2000")
        #expect(problems.first?.message == "\"X1\" is not a group")
    }
}
