/// A received datagram that passed every check: its header and its decoded message.
public struct Datagram: Sendable, Equatable {
    public var header: WireHeader
    public var message: WireMessage

    public init(header: WireHeader, message: WireMessage) {
        self.header = header
        self.message = message
    }
}
