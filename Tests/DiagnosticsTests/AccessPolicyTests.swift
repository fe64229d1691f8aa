import Testing

@testable import Diagnostics

@Suite struct AccessPolicyTests {
    let policy = AccessPolicy(
        readGroup: .init(name: "junctiond", gid: 994), adminGroup: .init(name: "junctiond-admin", gid: 995),
        daemonUID: 990)

    func peer(uid: UInt32, gid: UInt32 = 100, groups: [UInt32] = []) -> PeerIdentity {
        PeerIdentity(uid: uid, gid: gid, groups: groups, pid: 1)
    }

    @Test func rootMayDoEverythingOnTheControlSocket() {
        #expect(policy.refusal(of: .control, by: peer(uid: 0), on: .control) == nil)
        #expect(policy.refusal(of: .read, by: peer(uid: 0), on: .read) == nil)
    }

    @Test func theReadSocketNeverServesControlEvenToRoot() {
        let why = policy.refusal(of: .control, by: peer(uid: 0), on: .read)
        #expect(why?.contains(DiagnosticProtocol.controlSocketName) == true)
    }

    @Test func readGroupMembersReadButDoNotControl() {
        let reader = peer(uid: 1001, groups: [994])
        #expect(policy.refusal(of: reader, on: .read) == nil)
        #expect(policy.refusal(of: .read, by: reader, on: .read) == nil)
        let why = policy.refusal(of: .control, by: reader, on: .control)
        #expect(why?.contains("junctiond-admin") == true)
        #expect(why?.contains("1001") == true)
    }

    @Test func adminMembershipCountsAsPrimaryOrSupplementary() {
        #expect(policy.mayControl(peer(uid: 1002, gid: 995)))
        #expect(policy.mayControl(peer(uid: 1002, groups: [27, 995])))
        #expect(policy.mayRead(peer(uid: 1002, groups: [995])))
    }

    @Test func anAdminOutsideTheReadGroupReadsAsWellAsControls() {
        // Issue 13: docs say admins can read. Their socket is the control socket, whose file mode
        // lets them in; junctionctl falls back to it when the read socket's mode keeps them out.
        let admin = peer(uid: 1005, groups: [995])
        #expect(policy.refusal(of: admin, on: .control) == nil)
        #expect(policy.refusal(of: .read, by: admin, on: .control) == nil)
        #expect(policy.refusal(of: .read, by: admin, on: .read) == nil)
        #expect(policy.refusal(of: .control, by: admin, on: .control) == nil)
    }

    @Test func theDaemonsOwnUserReadsButDoesNotControl() {
        #expect(policy.mayRead(peer(uid: 990)))
        #expect(!policy.mayControl(peer(uid: 990)))
    }

    @Test func strangersAreTurnedAwayAtTheDoorWithTheGroupsNamed() {
        let stranger = peer(uid: 1003, groups: [27])
        let why = policy.refusal(of: stranger, on: .read)
        #expect(why?.contains("junctiond") == true && why?.contains("junctiond-admin") == true)
        #expect(policy.refusal(of: stranger, on: .control) != nil)
    }

    @Test func aMissingGroupGrantsNothing() {
        let lonely = AccessPolicy(
            readGroup: .init(name: "nosuch", gid: nil), adminGroup: .init(name: "nosuch-admin", gid: nil), daemonUID: 990)
        #expect(!lonely.mayRead(peer(uid: 1004, gid: 0, groups: [0])))
        #expect(lonely.refusal(of: .control, by: peer(uid: 1004), on: .control)?.contains("does not exist") == true)
    }
}
