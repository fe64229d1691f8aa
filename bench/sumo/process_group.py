"""The harness leads a process group of its own, so that ending it ends everything it started.

`junction-bench` passes SIGTERM, SIGINT and SIGHUP on to the harness; the harness then sends
SIGTERM to its whole group (the parallel workers, SUMO, the junctiond peers) and exits 128 + the
signal. If `junction-bench` itself dies (even by SIGKILL), the kernel sends the harness SIGTERM
(PR_SET_PDEATHSIG), which ends the group the same way. Without this, a stopped benchmark left its
workers running and writing into the results directory.

A SUMO a worker runs as a child process dies with that worker (`dies_with_parent`, SIGKILL): the
group's SIGTERM alone could leave one running, e.g. a SUMO started while the signal was on its way.
"""

import ctypes
import os
import signal

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
ENDING_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)

_leader = None
# Loaded once, here: `dies_with_parent` runs in a child between fork and exec, no place to load a library.
_libc = ctypes.CDLL(None, use_errno=True)


def lead_process_group():
    """Makes this process the leader of a new process group and ends the group with it."""
    global _leader
    _leader = os.getpid()
    os.setpgid(0, 0)
    for number in ENDING_SIGNALS:
        signal.signal(number, _end_group)
    _libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    # The parent may have died before prctl: then no signal comes, so end now.
    if os.getppid() == 1:
        _end_group(signal.SIGTERM, None)


def _end_group(number, _frame):
    # A worker forked with this handler just ends itself: only the leader ends the group.
    if os.getpid() == _leader:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        os.killpg(0, signal.SIGTERM)
    os._exit(128 + number)


def dies_with_parent():
    """For subprocess's `preexec_fn`: the child gets SIGKILL when the process that started it ends."""
    _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    # The parent may have died before prctl: then no signal comes, so end now.
    if os.getppid() == 1:
        os._exit(128 + signal.SIGKILL)
