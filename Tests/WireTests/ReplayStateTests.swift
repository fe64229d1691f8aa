import Testing
import Wire

/// issue 13, defect 7: the replay windows survive a restart through `ReplayState`'s record.
@Suite("Replay state across a restart")
struct ReplayStateTests {
    static func poll(_ sealer: inout DatagramSealer) -> [UInt8] {
        sealer.seal(.poll(PollRequest(requestId: 1, query: .status)), timeMilliseconds: 5)
    }

    @Test func aPollAnsweredBeforeARestartIsRefusedAfterIt() throws {
        var central = WireFixtures.centralSealer()
        let captured = Self.poll(&central)
        var before = WireFixtures.junctionReceiver()
        #expect(before.receive(captured[...]) != nil)
        let record = before.replayState.encoded()

        // A receiver that starts afresh accepts the capture again: what the daemon did before the fix.
        var forgetful = WireFixtures.junctionReceiver()
        #expect(forgetful.receive(captured[...]) != nil)

        var after = WireReceiver(
            role: .junction(id: WireFixtures.junctionId), keys: [WireFixtures.junctionId: WireFixtures.key],
            restoring: try ReplayState(decoding: record))
        #expect(throws: WireError.duplicate) { try after.open(captured[...]) }
        #expect(after.drops[.duplicate] == 1)
        // The central's next poll is heard.
        #expect(after.receive(Self.poll(&central)[...]) != nil)
    }

    @Test func theRecordRoundTripsEveryWindow() throws {
        var windowA = ReplayWindow()
        for sequence: UInt64 in [3, 9, 70, 68] { windowA.accept(bootId: 44, sequence: sequence) }
        var windowB = ReplayWindow()
        windowB.accept(bootId: 1 << 60, sequence: 1)
        let state = ReplayState(
            windows: [
                ReplayState.Peer(junctionId: 7, senderId: 1): windowA, ReplayState.Peer(junctionId: 7, senderId: 9): windowB,
            ], minimumBootId: 12)
        #expect(try ReplayState(decoding: state.encoded()) == state)
        #expect(throws: WireError.duplicate) { try windowA.check(bootId: 44, sequence: 68) }
        #expect(throws: Never.self) { try windowA.check(bootId: 44, sequence: 69) }
    }

    @Test func aDamagedRecordIsRefusedWhole() {
        var window = ReplayWindow()
        window.accept(bootId: 44, sequence: 3)
        let record = ReplayState(windows: [ReplayState.Peer(junctionId: 7, senderId: 1): window]).encoded()
        for index in record.indices {
            var flipped = record
            flipped[index] ^= 0x10
            #expect(throws: ReplayState.DecodeError.self) { try ReplayState(decoding: flipped) }
        }
        for length in 0..<record.count {
            #expect(throws: ReplayState.DecodeError.self) { try ReplayState(decoding: Array(record.prefix(length))) }
        }
    }

    @Test func aMinimumBootIdRefusesEarlierRunsOfUnknownSenders() {
        var oldRun = WireFixtures.centralSealer(bootId: 500)
        var newRun = WireFixtures.centralSealer(bootId: 900)
        var receiver = WireReceiver(
            role: .junction(id: WireFixtures.junctionId), keys: [WireFixtures.junctionId: WireFixtures.key],
            restoring: ReplayState(minimumBootId: 800))
        #expect(throws: WireError.staleBoot) { try receiver.open(Self.poll(&oldRun)[...]) }
        #expect(receiver.receive(Self.poll(&newRun)[...]) != nil)
        #expect(receiver.replayState.minimumBootId == 800)
    }

    /// Probe 4's D5: with more senders than windows kept, the least recently used window was
    /// forgotten, and a captured datagram of that sender was accepted once more (after a restart
    /// too). A forgotten sender, and any sender new after it, is now heard only from a later boot.
    @Test func aSenderWhoseWindowWasForgottenForRoomIsNotAcceptedAgainFromTheSameBoot() throws {
        let limit = 8
        var receiver = WireReceiver(
            role: .junction(id: WireFixtures.junctionId), keys: [WireFixtures.junctionId: WireFixtures.key],
            maximumPeers: limit)
        var first = WireFixtures.centralSealer(bootId: 500, senderId: 1)
        let captured = Self.poll(&first)
        #expect(receiver.receive(captured[...]) != nil)
        for sender in 2...UInt32(limit + 1) {
            var other = WireFixtures.centralSealer(bootId: 600, senderId: sender)
            #expect(receiver.receive(Self.poll(&other)[...]) != nil)
        }
        // Sender 1's window made room for the ninth sender.
        #expect(receiver.replayState.windows.count == limit)
        #expect(throws: WireError.staleBoot) { try receiver.open(captured[...]) }
        var restored = WireReceiver(
            role: .junction(id: WireFixtures.junctionId), keys: [WireFixtures.junctionId: WireFixtures.key],
            maximumPeers: limit, restoring: try ReplayState(decoding: receiver.replayState.encoded()))
        #expect(throws: WireError.staleBoot) { try restored.open(captured[...]) }
        // Its next run is heard.
        var restarted = WireFixtures.centralSealer(bootId: 700, senderId: 1)
        #expect(restored.receive(Self.poll(&restarted)[...]) != nil)
    }

    @Test func windowsRestoredBeyondTheLimitRaiseTheMinimumBootPastThemToo() throws {
        var windows: [ReplayState.Peer: ReplayWindow] = [:]
        for sender in UInt32(1)...3 {
            var window = ReplayWindow()
            window.accept(bootId: 100 * UInt64(sender), sequence: 1)
            windows[ReplayState.Peer(junctionId: WireFixtures.junctionId, senderId: sender)] = window
        }
        let receiver = WireReceiver(
            role: .junction(id: WireFixtures.junctionId), keys: [WireFixtures.junctionId: WireFixtures.key],
            maximumPeers: 2, restoring: ReplayState(windows: windows))
        let kept = receiver.replayState
        #expect(kept.windows.count == 2)
        let forgotten = try #require(windows.first { kept.windows[$0.key] == nil })
        #expect(kept.minimumBootId == forgotten.value.bootId + 1)
    }

    /// A window at boot 2^64 − 1 (only an older version's record can hold one: receivers now refuse
    /// that boot) forgotten for room once wrapped the floor to 0, so every forgotten sender's
    /// captures were taken again. The floor saturates instead.
    @Test func aWindowAtTheLastBootForgottenForRoomLeavesTheFloorAtTheTop() throws {
        var last = ReplayWindow()
        last.accept(bootId: .max, sequence: 1)
        var receiver = WireReceiver(
            role: .junction(id: WireFixtures.junctionId), keys: [WireFixtures.junctionId: WireFixtures.key],
            maximumPeers: 1,
            restoring: ReplayState(windows: [ReplayState.Peer(junctionId: WireFixtures.junctionId, senderId: 1): last]))
        // One datagram counted first, so the new window is the more recently used of the two.
        receiver.count(.unknownPeer)
        var other = WireFixtures.centralSealer(bootId: 100, senderId: 2)
        #expect(receiver.receive(Self.poll(&other)[...]) != nil)
        #expect(receiver.replayState.windows.keys.map(\.senderId) == [2])
        #expect(receiver.replayState.minimumBootId == .max)
    }

    /// A run's boot id never reaches 2^64 − 1, which receivers refuse; a record at or next to it is
    /// damaged, and the clock is taken.
    @Test func theNextBootIdStaysBelowTheRefusedOne() {
        #expect(ReplayWindow.nextBootId(after: 7, nowMicroseconds: 5) == 8)
        #expect(ReplayWindow.nextBootId(after: 7, nowMicroseconds: 50) == 50)
        #expect(ReplayWindow.nextBootId(after: .max - 2, nowMicroseconds: 5) == UInt64.max - 1)
        #expect(ReplayWindow.nextBootId(after: .max - 1, nowMicroseconds: 5) == 5)
        #expect(ReplayWindow.nextBootId(after: .max, nowMicroseconds: 5) == 5)
    }
}
