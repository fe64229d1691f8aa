import Glibc

/// The kernel's count of datagrams it dropped on a socket because the socket's receive queue was
/// full: what a flood, or a burst longer than the queue holds, lost before the program could read
/// it. junctiond's UDP sockets and junction-central's ingest report it beside their own drops.
public enum SocketDrops {
    /// The datagrams the kernel has dropped for `descriptor` since it was opened (SO_MEMINFO's
    /// SK_MEMINFO_DROPS, the counter SO_RXQ_OVFL reports with each datagram; it wraps at 2^32); nil
    /// when the kernel does not give it. Allocates nothing.
    public static func count(_ descriptor: CInt) -> UInt32? {
        // SK_MEMINFO_VARS is 9 since Linux 4.12, the drops the last of them (SK_MEMINFO_DROPS, 8).
        // A tuple, not an array: read on every empty receive, so it allocates nothing.
        var values: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0, 0, 0, 0, 0, 0)
        let size = MemoryLayout.size(ofValue: values)
        var length = socklen_t(size)
        // SO_MEMINFO (55 on the architectures junctiond runs on: x86-64, ARM, AArch64); Glibc does
        // not export it.
        let soMeminfo: CInt = 55
        let result = withUnsafeMutableBytes(of: &values) { getsockopt(descriptor, SOL_SOCKET, soMeminfo, $0.baseAddress, &length) }
        guard result == 0, Int(length) >= size else { return nil }
        return values.8
    }
}
