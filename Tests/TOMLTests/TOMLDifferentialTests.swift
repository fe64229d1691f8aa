import Foundation
import TOML
import Testing

/// Every TOML text in the repository (the junction, SUMO and city files, and the ```toml blocks of
/// the docs) read by this parser and by Python's tomllib must give the same document, or be
/// refused by both. Runs in the unit stage; needs python3 with tomllib (3.11 or later).
@Suite struct TOMLDifferentialTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..")
        .standardized

    /// Name and text of every TOML file and docs block.
    static func sources() throws -> [(String, String)] {
        var found: [(String, String)] = []
        for folder in ["hardware/junctions", "bench/sumo", "central/examples"] {
            let url = root.appendingPathComponent(folder)
            for name in try FileManager.default.contentsOfDirectory(atPath: url.path).sorted() where name.hasSuffix(".toml") {
                found.append(("\(folder)/\(name)", try String(contentsOf: url.appendingPathComponent(name), encoding: .utf8)))
            }
        }
        let docs = root.appendingPathComponent("docs")
        for name in try FileManager.default.contentsOfDirectory(atPath: docs.path).sorted() where name.hasSuffix(".md") {
            let text = try String(contentsOf: docs.appendingPathComponent(name), encoding: .utf8)
            var block: [Substring]?
            var count = 0
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                if block == nil, line.trimmingCharacters(in: .whitespaces) == "```toml" {
                    block = []
                } else if let lines = block, line.trimmingCharacters(in: .whitespaces) == "```" {
                    count += 1
                    found.append(("docs/\(name) block \(count)", lines.joined(separator: "\n") + "\n"))
                    block = nil
                } else {
                    block?.append(line)
                }
            }
        }
        return found
    }

    /// tomllib's canonical JSON of `text`, or "error".
    static func python(_ text: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", root.appendingPathComponent("Tests/TOMLTests/tomllib_canonical.py").path, "-"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "python3 with tomllib is needed")
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
    }

    @Test func everyRepositoryTextReadsAsTomllibReadsIt() throws {
        let sources = try Self.sources()
        #expect(sources.count >= 7, "\(sources.map(\.0))")
        var agreed = 0
        for (name, text) in sources {
            let ours: String
            do {
                ours = CanonicalJSON.text(try TOMLParser.parse(text))
            } catch {
                ours = "error"
            }
            let theirs = try Self.python(text)
            #expect(ours == theirs, "\(name): ours \(ours.prefix(300)) / tomllib \(theirs.prefix(300))")
            if ours == theirs { agreed += 1 }
        }
        // The shipped files must load, not merely be refused by both.
        for (name, text) in sources where !name.hasPrefix("docs/") {
            #expect(throws: Never.self, "\(name)") { _ = try TOMLParser.parse(text) }
        }
        print("TOML differential: \(agreed) of \(sources.count) texts agree with tomllib")
    }

    /// The hand-written cases of `TOMLParserTests`, valid and invalid, against tomllib too.
    @Test(
        arguments: TOMLParserTests.validCases.map(\.source)
            + TOMLParserTests.invalidCases.filter(\.tomllibRefuses).map(\.source))
    func handWrittenCaseReadsAsTomllibReadsIt(_ source: String) throws {
        let ours: String
        do {
            ours = CanonicalJSON.text(try TOMLParser.parse(source))
        } catch {
            ours = "error"
        }
        #expect(ours == (try Self.python(source)))
    }
}
