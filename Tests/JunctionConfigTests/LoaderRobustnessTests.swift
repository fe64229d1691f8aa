import JunctionConfig
import Testing

/// The loader is the one decoder for junction files, so damaged files must give problems, never a
/// trap: every line deleted in turn, and the file cut short at many points.
@Suite struct LoaderRobustnessTests {
    static let source = BuiltInJunctions.cirebon4Arm

    /// Loads `text`; when it is rejected, checks that every problem explains itself. True when it loaded.
    @discardableResult
    func checkLoadsOrExplains(_ text: String, lineCount: Int) -> Bool {
        do {
            _ = try JunctionConfigLoader().load(source: text)
            return true
        } catch {
            #expect(!error.problems.isEmpty)
            for problem in error.problems {
                #expect(!problem.message.isEmpty)
                if let line = problem.line { #expect((1...lineCount).contains(line)) }
            }
            return false
        }
    }

    @Test func everySingleLineDeletion() {
        let lines = Self.source.split(separator: "\n", omittingEmptySubsequences: false)
        var rejected = 0
        for index in lines.indices {
            var edited = lines
            edited.remove(at: index)
            if !checkLoadsOrExplains(edited.joined(separator: "\n"), lineCount: edited.count) { rejected += 1 }
        }
        // Deleting a key line (a timing, a name, a conflict row) must be caught.
        #expect(rejected > lines.count / 4)
    }

    @Test func truncations() {
        let bytes = Array(Self.source.utf8)
        for end in stride(from: 0, to: bytes.count, by: 53) {
            let text = String(decoding: bytes[..<end], as: UTF8.self)
            checkLoadsOrExplains(text, lineCount: text.split(separator: "\n", omittingEmptySubsequences: false).count)
        }
    }

    @Test func oversizedSourceIsRefused() {
        let huge = String(repeating: "# padding\n", count: JunctionConfigLoader.largestFileBytes / 10 + 1)
        #expect(throws: ConfigError.self) { try JunctionConfigLoader().load(source: huge) }
    }

    @Test func missingFileIsUnreadable() {
        do {
            _ = try JunctionConfigLoader().load(path: "/nonexistent/junction.toml")
            Issue.record("loaded a missing file")
        } catch {
            #expect(error.problems.first?.kind == .unreadable)
        }
    }
}
