"""The hardened junctiond.service under a real systemd: a Debian root (debootstrap; 12 "bookworm" by
default, 13 "trixie" with JUNCTIOND_NSPAWN_SUITE=trixie and a package built for it by
deploy/build-deb-debian13.sh) booted with systemd-nspawn, the .deb installed in it, and
inside/check.sh run there as a oneshot unit.

The checks (see inside/check.sh): READY, WATCHDOG=1 feeding, the diagnostic sockets, the state
directory, what the sandbox lets the daemon's own processes write and open (an ExecStartPost=
probe), journald fields and priorities, `systemctl reload` with a valid and an invalid file, the
package reinstalled over a running daemon (kept on a file this version refuses, restarted on a
valid one), a
stalled loop killed by the watchdog and restarted through startup flash, Modbus TCP to a pymodbus
peer on the host, and `systemctl stop` ending in flash with exit 0. The host also checks that the
daemon's UDP reports reached it and that the peer was polled.

- JUNCTIOND_DEB: a built package (CI builds it once); without it deploy/build-deb.sh runs.
- JUNCTIOND_NSPAWN_SUITE: the Debian release of the root (bookworm or trixie); the package must be
  built for that release, since its Depends name that release's libraries.
- The root is cached under .build-nspawn/, keyed by the packages it holds: systemd and the
  package's own Depends only, so a dependency the package forgets to declare is missing here too.
  The container runs on a tmpfs overlay (--volatile=overlay), so the cache stays clean.
- GPIO: no gpiochip exists in the container, and the CI kernel registers no gpiochip major at
  all; the probe then cannot open one, and check.sh checks the loaded DeviceAllow= and the gpio
  group instead. The device policy itself is shown to work with a serial node (allowed) and a
  node outside DeviceAllow= (refused).
- On a cgroup v1 host nspawn mounts the devices controller read-only, and systemd would silently
  enforce no device policy at all; DevicesCgroup and check.sh give the container's systemd a
  writable devices cgroup of its own (see check.sh).
- The container shares the host's network: the Modbus peer and the UDP central run on the host.

Needs root, debootstrap and systemd-container; a missing one is a failure, not a skip."""

import contextlib
import hashlib
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import sys
import time

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
INSIDE = ROOT / "SystemTests/systemd/inside"
CACHE = ROOT / ".build-nspawn"
sys.path.insert(0, str(ROOT / "SystemTests/system"))
from test_modbus import Peer, free_port, junction_file, tcp  # noqa: E402  (one Modbus peer and file for all tests)

BASE_PACKAGES = ["systemd", "systemd-sysv", "dbus"]
SUITE = os.environ.get("JUNCTIOND_NSPAWN_SUITE", "bookworm")
assert SUITE in ("bookworm", "trixie"), f"JUNCTIOND_NSPAWN_SUITE={SUITE}: bookworm or trixie"
# Every name check.sh writes; one that is absent (check.sh died early) fails like a FAIL line.
CHECKS = ["install", "ready", "watchdog-fed", "sockets", "state-directory", "sandbox-writes",
          "device-policy-enforced", "device-serial", "device-gpio", "journald-fields", "reload-valid",
          "reload-invalid", "upgrade-refused-file",
          "upgrade-restart", "watchdog-kill", "journald-priority", "watchdog-recovery", "modbus", "stop"]
# The checks take about two minutes; the container's own unit times out at 420 s.
BOOT_TIMEOUT = 480


def require(tool, package):
    assert shutil.which(tool), f"{tool} is missing: apt-get install {package}"


def package():
    deb = os.environ.get("JUNCTIOND_DEB")
    if not deb:
        built = subprocess.run([str(ROOT / "deploy/build-deb.sh")], check=True, capture_output=True, text=True)
        deb = built.stdout.strip().splitlines()[-1]
    path = pathlib.Path(deb)
    assert path.is_file(), f"no package at {deb}"
    return path


def depends(deb):
    """The package names in the .deb's Depends (the first of any alternatives)."""
    field = subprocess.run(["dpkg-deb", "-f", str(deb), "Depends"], check=True, capture_output=True, text=True)
    return sorted({entry.split("|")[0].split("(")[0].strip() for entry in field.stdout.split(",") if entry.strip()})


def os_tree(packages):
    """A debootstrapped minbase root of SUITE with `packages`, built once per package list."""
    key = hashlib.sha256(" ".join(packages).encode()).hexdigest()[:12]
    tree = CACHE / f"{SUITE}-{key}"
    if (tree / ".complete").exists():
        return tree
    partial = CACHE / f"{SUITE}-{key}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    CACHE.mkdir(exist_ok=True)
    subprocess.run(["debootstrap", "--variant=minbase", "--include=" + ",".join(packages), SUITE, str(partial)],
                   check=True, stdout=subprocess.DEVNULL, timeout=300)
    (partial / ".complete").touch()
    partial.rename(tree)
    return tree


class DevicesCgroup:
    """On a cgroup v1 host, a devices cgroup of the container's own, which check.sh makes writable
    for the container's systemd (so DeviceAllow= is enforced) and which is removed afterwards.
    Without it the container's systemd would create its cgroups at the host's devices root.
    On a cgroup v2 host there is nothing to do: nspawn delegates a subtree and policy is BPF."""

    def __init__(self):
        hierarchy = pathlib.Path("/sys/fs/cgroup/devices")
        self.path = hierarchy / f"junctiond-nspawn-{os.getpid()}" if (hierarchy / "cgroup.procs").exists() else None
        if self.path:
            self.path.mkdir(exist_ok=True)

    def enter(self):
        """Moves the calling process (nspawn, before exec) into the cgroup."""
        if self.path:
            (self.path / "cgroup.procs").write_text("0")

    def remove(self):
        """Kills what is left of the container (only after nspawn itself was killed) and removes
        the cgroups its systemd made, deepest first."""
        if not self.path:
            return
        for directory, _, _ in sorted(os.walk(self.path), key=lambda entry: -len(entry[0])):
            for _ in range(50):
                pids = [int(pid) for pid in (pathlib.Path(directory) / "cgroup.procs").read_text().split()]
                if not pids:
                    break
                for pid in pids:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
                time.sleep(0.1)
            os.rmdir(directory)


def boot(tree, data, console):
    """Boots `tree` until nspawn-check.service powers it off; returns nspawn's exit status."""
    devices = DevicesCgroup()
    try:
        return boot_in(tree, data, console, devices)
    finally:
        devices.remove()


def boot_in(tree, data, console, devices):
    command = ["systemd-nspawn", "-D", str(tree), "--volatile=overlay", "-b", "--register=no", "--keep-unit",
               "--console=pipe", "-q", f"--bind-ro={INSIDE}:/srv/check", f"--bind={data}:/srv/data",
               f"--bind-ro={INSIDE / 'nspawn-check.service'}:/etc/systemd/system/nspawn-check.service",
               "systemd.wants=nspawn-check.service"]
    with open(console, "w") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   preexec_fn=devices.enter)
        try:
            return process.wait(timeout=BOOT_TIMEOUT)
        except subprocess.TimeoutExpired:
            # SIGTERM asks the container's systemd to power off; SIGKILL if even that hangs.
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            return "timed out"


class Run:
    """One boot's results: check name -> (ok, detail), and what the host saw."""

    def __init__(self, results, console, status, datagrams, modbus_requests):
        self.console = console
        self.status = status
        self.datagrams = datagrams
        self.modbus_requests = modbus_requests
        self.lines = results.splitlines()
        self.checks = {}
        for line in self.lines:
            verdict, _, rest = line.partition(" ")
            name, _, detail = rest.partition(": ")
            if verdict in ("ok", "FAIL"):
                self.checks[name] = (verdict == "ok", detail)

    def context(self):
        tail = "\n".join(self.console.splitlines()[-60:])
        return (f"nspawn status {self.status}; results:\n" + "\n".join(self.lines)
                + "\n--- nspawn console and check.sh output (last 60 lines; the boot's journal is in "
                + f"artifacts/systemd-nspawn-journal.txt) ---\n{tail}")


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    assert os.geteuid() == 0, "systemd-nspawn and debootstrap need root"
    require("debootstrap", "debootstrap")
    require("systemd-nspawn", "systemd-container")
    deb = package()
    tree = os_tree(sorted(set(BASE_PACKAGES + depends(deb))))

    data = tmp_path_factory.mktemp("nspawn-data")
    shutil.copy(deb, data / "junctiond.deb")
    central = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    central.bind(("127.0.0.1", 0))
    (data / "upstream.toml").write_text(
        f'\n[upstream]\njunction_id = 7\nkey = "{"5a" * 16}"\ncentral = ["127.0.0.1:{central.getsockname()[1]}"]\n'
        "commit_interval_ms = 500\n")
    modbus_port = free_port()
    peer = Peer(data, "--tcp", f"127.0.0.1:{modbus_port}")
    junction_file(data / "modbus.toml", tcp(modbus_port))
    try:
        console = data / "console.log"
        status = boot(tree, data, console)
        central.setblocking(False)
        datagrams = 0
        while True:
            try:
                central.recv(65536)
            except BlockingIOError:
                break
            datagrams += 1
        modbus_requests = peer.ask(op="requests")["count"]
    finally:
        peer.kill()
        central.close()
    artifacts = ROOT / "artifacts"
    artifacts.mkdir(exist_ok=True)
    for name in ("console.log", "check.log", "journal.txt"):
        if (data / name).exists():
            # The default suite keeps the names CI has always kept; another suite's sit beside them.
            prefix = "systemd-nspawn" if SUITE == "bookworm" else f"systemd-nspawn-{SUITE}"
            shutil.copy(data / name, artifacts / f"{prefix}-{name}")
    results = data / "results.txt"
    log = "\n".join((data / name).read_text() for name in ("console.log", "check.log") if (data / name).exists())
    return Run(results.read_text() if results.exists() else "", log, status, datagrams, modbus_requests)


def test_the_container_ran_every_check_and_powered_off(run):
    assert run.status == 0, run.context()
    assert run.lines and run.lines[-1] == "done", run.context()


@pytest.mark.parametrize("name", CHECKS)
def test_check(run, name):
    assert name in run.checks, f"check {name} never reported\n{run.context()}"
    ok, detail = run.checks[name]
    print(f"{name}: {detail}")
    assert ok, f"{name}: {detail}\n{run.context()}"


def test_no_unknown_check(run):
    assert set(run.checks) <= set(CHECKS), sorted(set(run.checks) - set(CHECKS))


def test_upstream_reports_left_the_sandbox_over_udp(run):
    print(f"{run.datagrams} datagrams reached the central's socket on the host")
    assert run.datagrams > 0, run.context()


def test_the_modbus_peer_was_polled_through_the_sandbox(run):
    print(f"the pymodbus peer on the host answered {run.modbus_requests} requests")
    assert run.modbus_requests > 0, run.context()
