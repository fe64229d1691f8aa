/// Reads a key file (`key_file` in `[upstream]` and `[[neighbours.junction]]`) when the daemon
/// starts: the file's text, for `WireKey(hex:)` to check.
///
/// Guarantees: the file is read as the junction file is (`JunctionFile`): a FIFO, device or
/// directory is refused without blocking, and at most `largestBytes` are read; text that is not
/// UTF-8 is refused. Every failure names the path and what is wrong with it.
public enum KeyFile {
    /// A 64-byte key is 128 hexadecimal digits; the rest is room for line breaks and spaces.
    public static let largestBytes = 4096

    /// Why a key file could not be read, in a sentence that names it.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Why a key written as `hex` (its digits, white space aside) is no secret, or nil: all zeros
    /// is every example's placeholder. The junction's and central's loaders both ask, so the two
    /// ends agree on which keys are keys.
    public static func placeholderProblem(hex: String) -> String? {
        hex.contains(where: { $0.isHexDigit && $0 != "0" })
            ? nil : "key is all zeros, a placeholder anyone can guess; give it random bytes"
    }

    /// The text of the key file at `path`.
    public static func text(at path: String) throws(Failure) -> String {
        let bytes: [UInt8]
        do {
            bytes = try JunctionFile.contents(of: path, limit: largestBytes)
        } catch {
            throw Failure(description: "key file \(path): \(error.message)")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw Failure(description: "key file \(path): the file is not UTF-8 text")
        }
        return text
    }
}
