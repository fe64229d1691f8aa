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
