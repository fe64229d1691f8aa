import Foundation
import PackagePlugin

/// Embeds files into a target's code at build time, so a binary carries them without anything beside it and
/// without Foundation's `Bundle` (which SwiftPM resources need).
///
/// The target lists what to embed in `embed-files.txt` at its root, one file a line:
///
///     public BuiltInJunctions.cirebon4Arm ../../hardware/junctions/cirebon-4arm.toml
///
/// that is the member's access level, `Type.member`, and the file's path relative to the list. Each becomes a
/// `static let member: String` in an extension of `Type`, holding the file's bytes exactly; the type itself is
/// declared by hand in the target, with its documentation. Blank lines and lines starting with `#` are ignored.
/// The generated code is rebuilt whenever the list or a listed file changes.
@main
struct EmbedFiles: BuildToolPlugin {
    static let listName = "embed-files.txt"

    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        let list = target.directoryURL.appending(component: Self.listName)
        let entries = try Self.entries(of: list)
        let output = context.pluginWorkDirectoryURL.appending(component: "EmbeddedFiles.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(entries.count) file(s) into \(target.name)",
                executable: try context.tool(named: "EmbedFilesGenerator").url,
                arguments: [output.path] + entries.flatMap { [$0.access, $0.member, $0.file.path] },
                inputFiles: [list] + entries.map(\.file),
                outputFiles: [output]
            )
        ]
    }

    /// One line of the list: who sees the member, `Type.member`, and the file it holds.
    struct Entry {
        let access: String
        let member: String
        let file: URL
    }

    /// The entries of `list`; a malformed line stops the build with its line number.
    static func entries(of list: URL) throws -> [Entry] {
        guard let text = try? String(contentsOf: list, encoding: .utf8) else {
            throw EmbedFilesError("\(list.path): cannot read the list of files to embed")
        }
        let directory = list.deletingLastPathComponent()
        var entries: [Entry] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let fields = trimmed.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard fields.count == 3, ["public", "package", "internal"].contains(fields[0]),
                fields[1].split(separator: ".").count == 2
            else {
                throw EmbedFilesError(
                    "\(list.path):\(index + 1): expected `access Type.member relative/path`, got `\(trimmed)`")
            }
            let file = directory.appending(path: fields[2]).standardized
            guard FileManager.default.isReadableFile(atPath: file.path) else {
                throw EmbedFilesError("\(list.path):\(index + 1): no readable file \(file.path)")
            }
            entries.append(Entry(access: fields[0], member: fields[1], file: file))
        }
        return entries
    }
}

/// Why the list of files to embed could not be used.
struct EmbedFilesError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
