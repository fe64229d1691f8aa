import Foundation
import PackagePlugin

/// Writes the package version and the git commit into the target's code on every build, for every binary's
/// `--version`.
///
/// The version is the `VERSION` file at the package root (the one source the Debian package reads too); the commit
/// is `git rev-parse --short=10 HEAD` when the package root is a git checkout, else `unknown` (a source tarball).
/// A prebuild command, because a commit changes without any file SwiftPM could name as an input; it rewrites the
/// generated file only when its text changes, so an unchanged tree rebuilds nothing.
@main
struct BuildVersion: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        let output = context.pluginWorkDirectoryURL.appending(component: "Generated")
        return [
            .prebuildCommand(
                displayName: "Recording the version and git commit of \(target.name)",
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: ["-c", Self.script, "BuildVersion", context.package.directoryURL.path, output.path],
                outputFilesDirectory: output)
        ]
    }

    /// `sh -c SCRIPT BuildVersion ROOT OUTPUT-DIRECTORY`. Plain shell: a prebuild command cannot run a tool the
    /// package builds. `.git` is checked first so that a tarball unpacked inside another checkout says `unknown`.
    static let script = #"""
        set -eu
        root=$1 out=$2
        version=$(tr -d ' \t\r\n' < "$root/VERSION") || { echo "BuildVersion: cannot read $root/VERSION" >&2; exit 1; }
        commit=unknown
        if [ -e "$root/.git" ]; then
            commit=$(git -C "$root" rev-parse --short=10 HEAD 2>/dev/null) || commit=unknown
        fi
        mkdir -p "$out"
        text="// Generated at build time by the BuildVersion plugin from VERSION and git: do not edit.
        extension BuildInfo {
            static let recordedVersion = \"$version\"
            static let recordedCommit = \"$commit\"
        }"
        if [ "$(cat "$out/BuildVersion.swift" 2>/dev/null)" != "$text" ]; then
            printf '%s\n' "$text" > "$out/BuildVersion.swift.tmp"
            mv "$out/BuildVersion.swift.tmp" "$out/BuildVersion.swift"
        fi
        """#
}
