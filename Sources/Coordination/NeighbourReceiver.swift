import JunctionConfig
import SignalCore
import Wire

/// Checks every datagram on the neighbour socket and merges the profiles that pass into a
/// `NeighbourArrivals`, in this order: frame and tag under the claimed sender's key (only
/// configured neighbours have one), type and addressee, replay (per sender: boot id, then a
/// sliding window of sequence numbers), payload, lateness by the header's send time, and order
/// (a profile sent before the newest one taken is dropped). Whatever fails is counted in
/// `counters` under one `NeighbourDropReason` and changes nothing.
///
/// The replay windows live in memory only: after this junction restarts, a captured datagram
/// could pass the window once, but it is then older than `late_after` (unless captured within
/// the last seconds), so lateness refuses it. This assumes the junctions' clocks agree to well
/// within `late_after` (NTP); a message stamped that far in the receiver's future is late too.
public struct NeighbourReceiver {
    public let settings: NeighbourSettings
    /// The forecast accepted profiles go into.
    public let arrivals: NeighbourArrivals
    public private(set) var counters: NeighbourCounters

    private let keys: [UInt32: WireKey]
    private let indices: [UInt32: Int]
    private var windows: [ReplayWindow]
    /// Per neighbour, the send time of the newest profile taken (ms), or nil.
    private var newest: [UInt64?]

    /// A receiver for `settings`, with `keys[n]` the key shared with neighbour `n`, merging into
    /// `arrivals` (whose links must be the neighbours', in order: see `NeighbourArrivals(settings:…)`).
    public init(settings: NeighbourSettings, keys: [WireKey], arrivals: NeighbourArrivals) {
        precondition(keys.count == settings.neighbours.count, "one key per neighbour")
        precondition(arrivals.links.count == settings.neighbours.count, "one forecast link per neighbour")
        self.settings = settings
        self.arrivals = arrivals
        counters = NeighbourCounters(neighbours: settings.neighbours.count)
        var byId: [UInt32: WireKey] = [:]
        var indices: [UInt32: Int] = [:]
        for (n, neighbour) in settings.neighbours.enumerated() {
            byId[neighbour.junctionId] = keys[n]
            indices[neighbour.junctionId] = n
        }
        self.keys = byId
        self.indices = indices
        windows = Array(repeating: ReplayWindow(), count: settings.neighbours.count)
        newest = Array(repeating: nil, count: settings.neighbours.count)
    }

    /// Checks `datagram` received at `wallMilliseconds` (Unix ms) and, when it passes, merges
    /// its profile into `arrivals` as of `tick`.
    public mutating func accept(datagram: ArraySlice<UInt8>, tick: Tenths, wallMilliseconds: UInt64) -> NeighbourVerdict {
        let verdict = open(datagram, wallMilliseconds: wallMilliseconds)
        if case .accepted(let n, let profile, let age) = verdict {
            arrivals.merge(neighbour: n, profile: profile, ageTenths: age, tick: tick)
            if !counters.links[n].fresh && counters.links[n].lastHeardTick != nil { counters.links[n].recoveries &+= 1 }
            counters.links[n].fresh = true
            counters.links[n].lastHeardTick = tick
            counters.links[n].lastAgeTenths = age
        }
        return verdict
    }

    /// Moves the forecast to `tick`, clearing every neighbour silent past `stale_after`; counts
    /// each one that fell silent since the last call.
    public mutating func expire(tick: Tenths) {
        arrivals.expire(tick: tick)
        for n in counters.links.indices where counters.links[n].fresh && !arrivals.isFresh(n) {
            counters.links[n].fresh = false
            counters.links[n].staleEvents &+= 1
        }
    }

    /// Checks `datagram` without merging it: the verdict, counted (accepted ones as such).
    public mutating func open(_ datagram: ArraySlice<UInt8>, wallMilliseconds: UInt64) -> NeighbourVerdict {
        let verdict = check(datagram, wallMilliseconds: wallMilliseconds)
        switch verdict {
        case .accepted(let n, _, _): counters.links[n].accepted &+= 1
        case .dropped(let reason, let n): counters.count(reason, neighbour: n)
        }
        return verdict
    }

    private mutating func check(_ datagram: ArraySlice<UInt8>, wallMilliseconds: UInt64) -> NeighbourVerdict {
        let keys = self.keys
        let frame: DatagramOpener.Authenticated
        do {
            frame = try DatagramOpener.authenticate(datagram) { keys[$0] }
        } catch {
            switch error {
            case .unknownJunction: return .dropped(.unknownSender, neighbour: nil)
            case .badTag: return .dropped(.unauthenticated, neighbour: claimedSender(datagram))
            default: return .dropped(.malformed, neighbour: nil)
            }
        }
        let header = frame.header
        guard let n = indices[header.junctionId] else { return .dropped(.unknownSender, neighbour: nil) }
        guard header.type == .neighbourOutflow else { return .dropped(.malformed, neighbour: n) }
        guard header.senderId == settings.junctionId else { return .dropped(.notForMe, neighbour: n) }
        do {
            try windows[n].check(bootId: header.bootId, sequence: header.sequence)
        } catch {
            return .dropped(.replayed, neighbour: n)
        }
        var reader = ByteReader(frame.payload)
        let profile: OutflowProfile
        do {
            try header.checkNumbering()
            profile = try OutflowProfile.decode(from: &reader)
        } catch {
            return .dropped(.malformed, neighbour: n)
        }
        // A new run of the sender: its clock may now be behind its last run's stamps (a board
        // that restarted before NTP), which says nothing about the order of this run's datagrams.
        if header.bootId > windows[n].bootId { newest[n] = nil }
        // Authentic and well formed: its number is used up whatever follows.
        windows[n].accept(bootId: header.bootId, sequence: header.sequence)
        let sent = header.timeMilliseconds
        let lateAfter = UInt64(max(settings.lateAfterTenths, 0)) * 100
        if wallMilliseconds > sent && wallMilliseconds - sent > lateAfter { return .dropped(.late, neighbour: n) }
        if sent > wallMilliseconds && sent - wallMilliseconds > lateAfter { return .dropped(.late, neighbour: n) }
        if let newest = newest[n], sent < newest { return .dropped(.superseded, neighbour: n) }
        newest[n] = sent
        let age = wallMilliseconds > sent ? Tenths((wallMilliseconds - sent) / 100) : 0
        return .accepted(neighbour: n, profile: profile, ageTenths: age)
    }

    /// The neighbour a frame claims to come from (its header's junction id), if it names one.
    private func claimedSender(_ datagram: ArraySlice<UInt8>) -> Int? {
        var reader = ByteReader(datagram)
        guard (try? reader.readBytes(4, "magic, version, type")) != nil, let id = try? reader.read(UInt32.self, "junction_id")
        else { return nil }
        return indices[id]
    }
}
