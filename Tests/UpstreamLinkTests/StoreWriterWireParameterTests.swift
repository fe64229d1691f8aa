import Diagnostics
import SignalCore
import Testing

@testable import UpstreamLink

/// What a journal event's parameter becomes in the 16 bits of a stored and uploaded record.
@Suite struct StoreWriterWireParameterTests {
    @Test func aTechniciansCommandTravelsInItsWireFormAndItsUidBeforeIt() {
        let audit = OperatorAudit(uid: 1000, command: .plan, argument: 3)
        let command = StoreWriter.wireParameter(audit.event(tick: 1))
        #expect(OperatorAudit(wireParameter: command)?.command == .plan)
        #expect(OperatorAudit(wireParameter: command)?.argument == 3)
        #expect(StoreWriter.wireParameter(audit.operatorEvent(tick: 1)) == 1000)
    }

    @Test func otherParametersAreClampedToSixteenBits() {
        #expect(StoreWriter.wireParameter(ControllerEvent(tick: 1, code: .manualControl, parameter: 1)) == 1)
        #expect(StoreWriter.wireParameter(ControllerEvent(tick: 1, code: .operatorCommand, parameter: 70_000)) == 65_535)
        #expect(StoreWriter.wireParameter(ControllerEvent(tick: 1, code: .clockStep, parameter: -5)) == 0)
    }
}
