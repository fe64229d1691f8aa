import Crypto

/// Everything a `WireReceiver` needs to refuse replays across a restart: the replay window of
/// each sender, and the boot id below which a sender without a window is refused.
///
/// `encoded()` and `init(decoding:)` give it a small binary record (magic, version, entries and a
/// SHA-256 check) for the junction to keep on disk. A record that fails any check is refused as a
/// whole, never read in part: the caller then falls back to a conservative minimum boot id.
public struct ReplayState: Sendable, Equatable {
    /// One sender towards this receiver.
    public struct Peer: Sendable, Hashable {
        public var junctionId: UInt32
        public var senderId: UInt32

        public init(junctionId: UInt32, senderId: UInt32) {
            self.junctionId = junctionId
            self.senderId = senderId
        }
    }

    /// Why a stored record was refused.
    public struct DecodeError: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// The windows of the senders heard so far.
    public var windows: [Peer: ReplayWindow]
    /// A sender with no window is heard only from this boot id on (0: from any).
    public var minimumBootId: UInt64

    static let magic: [UInt8] = Array("JDRP".utf8)
    static let version: UInt8 = 1
    /// More entries than any receiver keeps (`WireReceiver`'s peer bound is far lower).
    static let maximumEntries = 1024

    /// Windows and a minimum boot id as given (empty: a first start).
    public init(windows: [Peer: ReplayWindow] = [:], minimumBootId: UInt64 = 0) {
        self.windows = windows
        self.minimumBootId = minimumBootId
    }

    /// The record: magic, version, minimum boot id, entry count, entries sorted by peer, then the
    /// first 8 bytes of SHA-256 over all before it. Only windows that accepted something are kept.
    public func encoded() -> [UInt8] {
        let kept = windows.filter { $0.value.hasAccepted }.sorted {
            ($0.key.junctionId, $0.key.senderId) < ($1.key.junctionId, $1.key.senderId)
        }
        var writer = ByteWriter(reservingCapacity: 32 + kept.count * 32)
        writer.write(bytes: Self.magic)
        writer.write(Self.version)
        writer.write(minimumBootId)
        writer.write(UInt32(kept.count))
        for (peer, window) in kept {
            writer.write(peer.junctionId)
            writer.write(peer.senderId)
            writer.write(window.bootId)
            writer.write(window.highest)
            writer.write(window.seenBits)
        }
        writer.write(bytes: Self.check(writer.bytes[...]))
        return writer.bytes
    }

    /// The state a record holds; throws for anything but an intact record of this version.
    public init(decoding bytes: [UInt8]) throws(DecodeError) {
        guard bytes.count >= Self.magic.count + 1 + 8 + 4 + 8 else {
            throw DecodeError(description: "\(bytes.count) bytes, shorter than any record")
        }
        let body = bytes.dropLast(8)
        guard Array(bytes.suffix(8)) == Self.check(body) else {
            throw DecodeError(description: "its check does not match its contents")
        }
        var reader = ByteReader(body)
        do {
            guard Array(try reader.readBytes(Self.magic.count, "magic")) == Self.magic else {
                throw DecodeError(description: "not a replay record")
            }
            let version = try reader.read(UInt8.self, "version")
            guard version == Self.version else { throw DecodeError(description: "record version \(version)") }
            minimumBootId = try reader.read(UInt64.self, "minimum boot id")
            let count = Int(try reader.read(UInt32.self, "entries"))
            guard count <= Self.maximumEntries else { throw DecodeError(description: "\(count) entries") }
            windows = [:]
            for _ in 0..<count {
                let peer = Peer(
                    junctionId: try reader.read(UInt32.self, "junction id"), senderId: try reader.read(UInt32.self, "sender id"))
                windows[peer] = ReplayWindow(
                    bootId: try reader.read(UInt64.self, "boot id"), highest: try reader.read(UInt64.self, "highest"),
                    seenBits: try reader.read(UInt64.self, "seen"))
            }
            try reader.expectEnd("record")
        } catch let error as DecodeError {
            throw error
        } catch {
            throw DecodeError(description: "\(error)")
        }
    }

    private static func check(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        Array(SHA256.hash(data: bytes).prefix(8))
    }
}
