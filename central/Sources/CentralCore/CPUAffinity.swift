import CCentralLinux

#if canImport(Glibc)
import Glibc
#endif

/// Pins threads to CPUs, so the ingest benchmark measures one core and its sender runs on another.
public enum CPUAffinity {
    /// Pins the calling thread to `cpu`; returns false when the kernel refuses (no such CPU, a cpuset without it).
    @discardableResult
    public static func pinCurrentThread(to cpu: Int32) -> Bool {
        central_pin_thread(cpu) == 0
    }

    /// CPUs online.
    public static var onlineCount: Int { Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) }
}
