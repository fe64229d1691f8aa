/// Junction files compiled into the binary, for demos and tests that run with no files at all.
///
/// `cirebon4Arm` is `hardware/junctions/cirebon-4arm.toml` byte for byte, embedded at build time from
/// `embed-files.txt` by the EmbedFiles plugin; `junctiond --demo` runs it when no junction file is given.
public enum BuiltInJunctions {}
