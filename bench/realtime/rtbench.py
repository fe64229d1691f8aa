"""Shared pieces of the real-time benchmarks: finding the binaries, starting the daemon, reading
/proc, percentiles of cyclictest histograms. Standard library only, so the benchmarks run with the
system python3 as well as the repository's venv."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# The loop's period (RealTimeLoop.defaultPeriodNanoseconds); cyclictest runs at the same one.
PERIOD_MICROSECONDS = 100_000
CLOCK_TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")


class BenchError(Exception):
    """A benchmark could not run (missing tool, daemon did not start); the message says why."""


def run_main(program, body):
    """Runs `body` (a bench's work, returning its exit status: 0 every goal met, 1 one missed) and
    returns its status; a BenchError (the machine cannot run the bench) is printed as
    `program: error` and gives 2."""
    try:
        return body()
    except BenchError as error:
        print(f"{program}: {error}", file=sys.stderr)
        return 2


def find_binary(name, explicit):
    """`explicit` if given, else the newest release build of `name` in any scratch folder."""
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise BenchError(f"{path} does not exist")
        return path
    candidates = [p for p in REPO.glob(f".build*/release/{name}") if p.is_file()]
    if not candidates:
        raise BenchError(
            f"no release build of {name}: run swift build -c release --product {name} (or pass --{name} PATH)"
        )
    return max(candidates, key=lambda p: p.stat().st_mtime)


def require_tool(name, package):
    if shutil.which(name) is None:
        raise BenchError(f"{name} is missing: apt-get install {package}")


def require_root():
    if os.geteuid() != 0:
        raise BenchError("run as root: SCHED_FIFO 80, mlockall and cpu_dma_latency need it, as does cyclictest -m")


def load_average():
    """`uptime`'s three load averages as a string, so every figure can be read against the load."""
    with open("/proc/loadavg") as file:
        return " ".join(file.read().split()[:3])


def cpu_ticks(pid):
    """utime + stime of `pid` in clock ticks (field 14 and 15 of /proc/<pid>/stat)."""
    with open(f"/proc/{pid}/stat") as file:
        # The command name (field 2) may hold spaces; fields after it start past the last ')'.
        fields = file.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def status_kilobytes(pid, key):
    """A `kB` line of /proc/<pid>/status (VmRSS, VmLck, ...)."""
    with open(f"/proc/{pid}/status") as file:
        for line in file:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    raise BenchError(f"/proc/{pid}/status has no {key}")


def smaps_rollup_kilobytes(pid):
    """The kB totals of /proc/<pid>/smaps_rollup (Rss, Pss, Locked, ...). `Locked` is a
    proportional share like Pss: a fully locked process shows Locked == Pss."""
    totals = {}
    with open(f"/proc/{pid}/smaps_rollup") as file:
        for line in file:
            fields = line.split()
            if len(fields) == 3 and fields[2] == "kB":
                totals[fields[0].rstrip(":")] = int(fields[1])
    return totals


class NotifyListener:
    """A datagram socket standing in for systemd's NOTIFY_SOCKET; records when READY=1 arrives."""

    def __init__(self, directory):
        self.path = os.path.join(directory, "notify.sock")
        self.socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.socket.bind(self.path)

    def wait_ready(self, process, timeout_seconds):
        """Monotonic time at which READY=1 arrived; raises if the daemon exits or is too slow."""
        deadline = time.monotonic() + timeout_seconds
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise BenchError(f"junctiond exited with {process.returncode} before READY=1")
            self.socket.settimeout(max(0.01, min(0.5, deadline - time.monotonic())))
            try:
                message = self.socket.recv(4096).decode(errors="replace")
            except socket.timeout:
                continue
            if "READY=1" in message.split("\n"):
                ready = time.monotonic()
                # Keep reading, as systemd does: a full socket queue would block the daemon's
                # STATUS= sends, and with them its main thread and its SIGTERM handling.
                threading.Thread(target=self._drain, daemon=True).start()
                return ready
        raise BenchError(f"no READY=1 within {timeout_seconds} s")

    def _drain(self):
        self.socket.settimeout(None)
        try:
            while self.socket.recv(4096):
                pass
        except OSError:
            pass  # closed by close()

    def close(self):
        try:
            self.socket.shutdown(socket.SHUT_RDWR)  # wakes the draining thread
        except OSError:
            pass
        self.socket.close()


class Daemon:
    """`junctiond --demo --view none` in its own temporary state and runtime directories."""

    def __init__(self, binary, realtime, extra_environment=None):
        self.directory = tempfile.mkdtemp(prefix="junctiond-bench-")
        self.runtime = os.path.join(self.directory, "run")
        os.mkdir(self.runtime, 0o755)
        self.listener = NotifyListener(self.directory)
        self.log_path = os.path.join(self.directory, "junctiond.log")
        environment = dict(os.environ, NOTIFY_SOCKET=self.listener.path, **(extra_environment or {}))
        command = [
            str(binary), "--demo", "--view", "none", "--state-directory", self.directory,
            "--runtime-directory", self.runtime,
        ]
        if realtime:
            command.append("--realtime")
        self.log = open(self.log_path, "w")
        self.started = time.monotonic()
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT, env=environment)

    @property
    def pid(self):
        return self.process.pid

    def wait_ready(self, timeout_seconds=30):
        """Seconds from exec to READY=1."""
        return self.listener.wait_ready(self.process, timeout_seconds) - self.started

    def stop(self, timeout_seconds=90):
        """SIGTERM, then the exit status (the daemon first drives the junction to flash)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout_seconds)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        self.listener.close()
        return self.process.returncode

    def log_lines(self):
        with open(self.log_path) as file:
            return file.read().splitlines()

    def cleanup(self):
        shutil.rmtree(self.directory, ignore_errors=True)


def histogram_percentile_microseconds(buckets, overflow, maximum, fraction):
    """Nearest-rank percentile of a cyclictest histogram ({µs: count}), as an upper bound: bucket i
    holds latencies in [i, i+1) µs, so it answers i+1, never above the recorded maximum. This is how
    junctiond's own histogram answers, so the two are compared on the same terms."""
    total = sum(buckets.values()) + overflow
    if total == 0:
        return 0
    rank = max(1, -(-round(fraction * 1_000_000) * total // 1_000_000))
    seen = 0
    for microseconds in sorted(buckets):
        seen += buckets[microseconds]
        if seen >= rank:
            return min(microseconds + 1, maximum)
    return maximum


def parse_cyclictest(text):
    """The histogram, overflow count and maximum (µs) from `cyclictest -q -h N` output (one thread)."""
    buckets = {}
    overflow = 0
    maximum = None
    for line in text.splitlines():
        if line.startswith("# Max Latencies:"):
            maximum = int(line.split(":")[1].split()[0])
        elif line.startswith("# Histogram Overflows:"):
            overflow = int(line.split(":")[1].split()[0])
        elif line and line[0].isdigit():
            value, count = line.split()[:2]
            if int(count):
                buckets[int(value)] = int(count)
    if maximum is None:
        raise BenchError("cyclictest printed no '# Max Latencies' line:\n" + text[-2000:])
    return buckets, overflow, maximum
