/// One line from the SUMO harness to `junction-bench sumo peer`, decoded with bounds.
///
/// The harness (bench/sumo/harness.py) speaks a line protocol on the peer's standard input:
/// - `s <presence> <actuations>`: one simulation step of 0.1 s. `<presence>` has one character per
///   detector, `1` occupied, `0` empty, `?` unreadable (communication fault); `<actuations>` has
///   one digit per detector, the vehicles that reached the loop during the step (0–9);
/// - `status`: print the controller's status on one line;
/// - `quit`: print the closing summary and exit.
/// Anything else is an error that names the line; the peer stops rather than guess.
enum PeerMessage: Equatable {
    case step(presence: [UInt8], actuations: [UInt8])
    case status
    case quit

    /// Why a line was refused.
    enum DecodeError: Error, Equatable, CustomStringConvertible {
        case tooLong(Int)
        case unknownCommand(String)
        case wrongDetectorCount(field: String, expected: Int, found: Int)
        case badCharacter(field: String, position: Int)

        var description: String {
            switch self {
            case .tooLong(let length): return "line of \(length) bytes is longer than the protocol allows"
            case .unknownCommand(let word): return "unknown command \"\(word.prefix(20))\""
            case .wrongDetectorCount(let field, let expected, let found):
                return "\(field) has \(found) detectors, the junction has \(expected)"
            case .badCharacter(let field, let position):
                return "\(field) has an invalid character at detector \(position + 1)"
            }
        }
    }

    /// The longest line accepted: two fields of one byte per detector and the command, with room.
    static func longestLine(detectors: Int) -> Int { 2 * detectors + 16 }

    /// Decodes `line` (without its newline) for a junction of `detectors` detectors.
    static func decode(_ line: Substring.UTF8View, detectors: Int) throws(DecodeError) -> PeerMessage {
        guard line.count <= longestLine(detectors: detectors) else { throw .tooLong(line.count) }
        let fields = line.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: true)
        guard let command = fields.first else { throw .unknownCommand("") }
        switch String(decoding: command, as: UTF8.self) {
        case "s" where fields.count == 1 && detectors == 0:
            // A junction without detectors (all recall, or fixed time): both fields are empty.
            return .step(presence: [], actuations: [])
        case "s" where fields.count == 3:
            let presence = try field(fields[1], name: "presence", detectors: detectors, allowed: "01?")
            let actuations = try field(fields[2], name: "actuations", detectors: detectors, allowed: "0123456789")
            return .step(presence: presence, actuations: actuations.map { $0 - UInt8(ascii: "0") })
        case "status" where fields.count == 1:
            return .status
        case "quit" where fields.count == 1:
            return .quit
        default:
            throw .unknownCommand(String(decoding: command, as: UTF8.self))
        }
    }

    private static func field(
        _ bytes: Substring.UTF8View.SubSequence, name: String, detectors: Int, allowed: String
    ) throws(DecodeError) -> [UInt8] {
        guard bytes.count == detectors else {
            throw .wrongDetectorCount(field: name, expected: detectors, found: bytes.count)
        }
        let valid = Set(allowed.utf8)
        var values: [UInt8] = []
        values.reserveCapacity(detectors)
        for (position, byte) in bytes.enumerated() {
            guard valid.contains(byte) else { throw .badCharacter(field: name, position: position) }
            values.append(byte)
        }
        return values
    }
}
