import SignalCore
import Testing

@testable import Diagnostics

@Suite struct OperatorAuditTests {
    @Test(arguments: OperatorAudit.Command.allCases)
    func recordsReadBack(command: OperatorAudit.Command) {
        for (uid, argument) in [(UInt32(0), 0), (1000, 16), (UInt32.max, OperatorAudit.maxArgument)] {
            let audit = OperatorAudit(uid: uid, command: command, argument: argument)
            #expect(OperatorAudit(parameter: audit.parameter) == audit)
            #expect(audit.event(tick: 55) == ControllerEvent(tick: 55, code: .manualControl, parameter: audit.parameter))
        }
    }

    @Test(arguments: OperatorAudit.Command.allCases)
    func theWireFormKeepsTheCommandAndArgumentAndTheUidTravelsBeforeIt(command: OperatorAudit.Command) {
        for (uid, argument) in [(UInt32(0), 0), (1000, 16), (UInt32.max, OperatorAudit.maxWireArgument)] {
            let audit = OperatorAudit(uid: uid, command: command, argument: argument)
            let wire = OperatorAudit(wireParameter: audit.wireParameter)
            #expect(wire?.command == command && wire?.argument == argument)
            #expect(audit.operatorEvent(tick: 9) == ControllerEvent(tick: 9, code: .operatorCommand, parameter: Int(uid)))
        }
        #expect(OperatorAudit(uid: 1, command: .call, argument: 4_000).wireParameter >> 4 & 0x7FF == 2_047)
        for parameter: UInt16 in [0, 1, 2, 0x7FFF, 0x8000] { #expect(OperatorAudit(wireParameter: parameter) == nil) }
    }

    @Test func theControllersOwnParametersAreNotAudits() {
        for parameter in [0, 1, 2, 200, 1 << 40, -1] {
            #expect(OperatorAudit(parameter: parameter) == nil)
        }
    }

    @Test func anArgumentBeyondTheFieldIsClampedNotSpilled() {
        let audit = OperatorAudit(uid: 5, command: .call, argument: 1 << 20)
        #expect(audit.argument == OperatorAudit.maxArgument)
        #expect(OperatorAudit(parameter: audit.parameter)?.command == .call)
    }
}
