/// What every binary's `--version` prints: the package version (the `VERSION` file at the package root) and the
/// git commit it was built from (`unknown` when built outside a git checkout), both recorded at build time by the
/// BuildVersion plugin.
public enum BuildInfo {
    /// The package version, as in `VERSION` (`0.2.0`).
    public static let version = recordedVersion
    /// The commit's abbreviated hash (10 hex digits), or `unknown`.
    public static let commit = recordedCommit
    /// `junctionctl 0.2.0 (commit 1a2b3c4d5e)`: what `program --version` prints.
    public static func versionLine(_ program: String) -> String { "\(program) \(version) (commit \(commit))" }
}
