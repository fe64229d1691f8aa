import Glibc

// The child-process calls of the configuration check and of junction-bench's SUMO launcher. They
// follow the rules of Syscall.swift (through `retrying` where errno says why): EINTR is retried,
// environment failures become a SystemError, EBADF/EFAULT trap.
extension Syscall {
    /// Starts `arguments[0]` with `arguments`, this process's environment, stdin on /dev/null,
    /// stdout on `standardOutput` (nil: /dev/null) and stderr on `standardError`. The child starts
    /// with no signal blocked and SIGHUP, SIGINT, SIGTERM and SIGPIPE at their defaults, whatever
    /// this process has set.
    package static func spawn(_ arguments: [String], standardOutput: CInt? = nil, standardError: CInt) throws(SystemError)
        -> pid_t
    {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0)
        if let standardOutput {
            posix_spawn_file_actions_adddup2(&actions, standardOutput, STDOUT_FILENO)
        } else {
            posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, standardError, STDERR_FILENO)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        // The child starts with default actions for what the daemon ignores (SIGPIPE, SIGXFSZ) too.
        for signal in [SIGHUP, SIGINT, SIGTERM] + SignalWatcher.ignoredSignals { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        var pid: pid_t = 0
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        // posix_spawn returns the error number rather than setting errno.
        let result = posix_spawn(&pid, arguments[0], &actions, &attributes, &argv, environ)
        guard result == 0 else { throw SystemError(call: "posix_spawn(\(arguments[0]))", code: result) }
        return pid
    }

    /// Clears O_NONBLOCK on `descriptor`, for a pipe end handed to a child that expects blocking writes.
    package static func setBlocking(_ descriptor: CInt) throws(SystemError) {
        let flags = fcntl(descriptor, F_GETFL)
        guard flags != -1, fcntl(descriptor, F_SETFL, flags & ~O_NONBLOCK) != -1 else {
            throw SystemError(call: "fcntl(F_SETFL)", code: errno)
        }
    }

    /// Waits for child `pid` to end and returns its wait status.
    package static func waitForChild(_ pid: pid_t) throws(SystemError) -> CInt {
        var status: CInt = 0
        _ = try retrying("waitpid(\(pid))") { waitpid(pid, &status, 0) }
        return status
    }

    /// The wait status of child `pid` if it has ended (and it is reaped), nil while it runs.
    package static func endedChildStatus(_ pid: pid_t) throws(SystemError) -> CInt? {
        var status: CInt = 0
        let ended = try retrying("waitpid(\(pid), WNOHANG)") { waitpid(pid, &status, WNOHANG) }
        return ended == 0 ? nil : status
    }

    /// The exit code in a child's wait status, nil if a signal ended it (WIFEXITED / WEXITSTATUS,
    /// which Swift does not import as functions).
    package static func exitCode(ofWaitStatus status: CInt) -> CInt? {
        status & 0x7f == 0 ? (status >> 8) & 0xff : nil
    }

    /// A wait status as a shell shows it: the exit code, or 128 + the number of the ending signal.
    package static func shellStatus(ofWaitStatus status: CInt) -> CInt {
        exitCode(ofWaitStatus: status) ?? 128 + (status & 0x7f)
    }

    /// Sends `signal` to process `pid`; a process already gone is not an error.
    package static func kill(_ pid: pid_t, _ signal: CInt) {
        _ = Glibc.kill(pid, signal)
    }
}
