"""System tests of the NTCIP 1202 AgentX subagent (docs/snmp.md) against Debian's real snmpd and
Net-SNMP tools: a private snmpd on a loopback port with one SNMPv3 authPriv user and its own
AgentX socket, and the release-built junctiond (JUNCTIOND_BIN) running the Cirebon junction with
an [snmp] section pointing at that socket.

Checked: phase greens/yellows/reds read with snmpget -v3 -l authPriv match junctiond's own status
(junctionctl --json status, JUNCTIONCTL_BIN) at the same moment; noAuthNoPriv, authNoPriv and v2c
requests are refused; killing and restarting snmpd makes the subagent re-register, and the control
loop's overruns and missed ticks do not move. The system snmpd service, if any, is never used.

Run:   JUNCTIOND_BIN=.build-snmp/release/junctiond JUNCTIONCTL_BIN=.build-snmp/release/junctionctl \
       .venv/bin/python -m pytest -v -s SystemTests/system/test_snmp.py
Needs: apt-get install snmpd snmp
"""

import json
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import tempfile
import time

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
JUNCTIOND = os.environ.get("JUNCTIOND_BIN", str(ROOT / ".build/release/junctiond"))
JUNCTIONCTL = os.environ.get("JUNCTIONCTL_BIN", str(ROOT / ".build/release/junctionctl"))
CIREBON = ROOT / "hardware/junctions/cirebon-4arm.toml"
SNMPD = "/usr/sbin/snmpd"
# The Net-SNMP tools keep engine ids in a persistent directory; never the system's /var/lib/snmp.
CLIENT_STATE = tempfile.mkdtemp(prefix="junctiond-snmp-client-")
USER, AUTH, PRIV = "ntcipPoll", "junction-auth-pass", "junction-priv-pass"

ASC = "1.3.6.1.4.1.1206.4.2.1"
STATUS_ROW = ASC + ".1.4.1"  # phaseStatusGroupEntry; column, then row 1 (phases 1-8)
REDS, YELLOWS, GREENS = STATUS_ROW + ".2.1", STATUS_ROW + ".3.1", STATUS_ROW + ".4.1"

# What this module needs and how to get it, by what is missing. Outside CI a missing one skips the
# module; in CI (strict mode, SystemTests/conftest.py) the skip is a failure naming it.
MISSING = [need for need, present in [
    (f"{SNMPD} (apt-get install snmpd)", os.path.exists(SNMPD)),
    ("snmpget (apt-get install snmp)", shutil.which("snmpget")),
    (f"{JUNCTIOND} (swift build -c release --product junctiond, or set JUNCTIOND_BIN)", os.path.exists(JUNCTIOND)),
    (f"{JUNCTIONCTL} (swift build -c release --product junctionctl, or set JUNCTIONCTL_BIN)",
     os.path.exists(JUNCTIONCTL)),
] if not present]
pytestmark = pytest.mark.skipif(bool(MISSING), reason="missing: " + "; ".join(MISSING))


def free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Snmpd:
    """A private snmpd: its own config, persistent directory, UDP port and AgentX socket."""

    def __init__(self, directory):
        self.directory = directory
        self.port = free_udp_port()
        self.socket = directory / "agentx.sock"
        self.persistent = directory / "snmp-persist"
        self.persistent.mkdir(exist_ok=True)
        self.config = directory / "snmpd.conf"
        self.config.write_text(
            "master agentx\n"
            f"agentXSocket {self.socket}\n"
            "agentXPerms 0660 0750\n"
            "agentXTimeout 2\n"
            f'createUser {USER} SHA "{AUTH}" AES "{PRIV}"\n'
            f"view ntcip included {ASC}\n"
            "view ntcip included .1.3.6.1.4.1.1206.4.2.6\n"
            f"rouser -s usm {USER} priv -V ntcip\n")
        self.log_path = directory / "snmpd.log"
        self.process = None

    def start(self):
        environment = dict(os.environ, SNMP_PERSISTENT_DIR=str(self.persistent), MIBS="")
        self.log = open(self.log_path, "a")
        self.process = subprocess.Popen(
            [SNMPD, "-f", "-Lo", "-C", "-c", str(self.config), "-p", str(self.directory / "snmpd.pid"),
             f"udp:127.0.0.1:{self.port}"],
            stdout=self.log, stderr=subprocess.STDOUT, env=environment)
        deadline = time.monotonic() + 15
        while not self.socket.exists():
            assert self.process.poll() is None, self.log_path.read_text()
            assert time.monotonic() < deadline, "snmpd made no AgentX socket:\n" + self.log_path.read_text()
            time.sleep(0.05)
        return self

    def kill(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        if not self.log.closed:
            self.log.close()
        # SIGKILL leaves the socket file behind; remove it so start() waits for the new one.
        self.socket.unlink(missing_ok=True)


class Junctiond:
    """The release-built junctiond on the Cirebon junction with [snmp] pointing at `agentx`."""

    def __init__(self, directory, agentx):
        self.directory = directory
        junction = CIREBON.read_text()
        # The validator's shortest startup, so a short run reaches normal mode quickly.
        junction = junction.replace("\nflash = 10.0\n", "\nflash = 3.0\n").replace("\nall_red = 4.0\n", "\nall_red = 2.0\n")
        self.config = directory / "junction.toml"
        self.config.write_text(junction + f'\n[snmp]\nagentx = "{agentx}"\ntimeout_ms = 1000\n')
        self.log_path = directory / "junctiond.log"
        self.log = open(self.log_path, "w")
        environment = dict(os.environ)
        environment.pop("NOTIFY_SOCKET", None)
        environment.pop("WATCHDOG_USEC", None)
        self.process = subprocess.Popen(
            [JUNCTIOND, "--config", str(self.config), "--view", "none", "--runtime-directory", str(directory),
             "--state-directory", str(directory)],
            stdout=self.log, stderr=subprocess.STDOUT, env=environment)

    def output(self):
        if not self.log.closed:
            self.log.flush()
        return self.log_path.read_text()

    def status(self):
        result = subprocess.run(
            [JUNCTIONCTL, "status", "--json", "--runtime-directory", str(self.directory)],
            capture_output=True, text=True, timeout=10)
        assert result.returncode == 0, result.stdout + result.stderr
        reply = json.loads(result.stdout)
        return reply.get("data", reply)

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        status = self.process.wait(timeout=90)
        if not self.log.closed:
            self.log.close()
        return status


def snmp(tool, port, *arguments, level="authPriv", extra=()):
    """Runs a Net-SNMP tool as the v3 user at `level`; returns the completed process."""
    security = {
        "authPriv": ["-l", "authPriv", "-a", "SHA", "-A", AUTH, "-x", "AES", "-X", PRIV],
        "authNoPriv": ["-l", "authNoPriv", "-a", "SHA", "-A", AUTH],
        "noAuthNoPriv": ["-l", "noAuthNoPriv"],
    }[level]
    command = [tool, "-v3", "-u", USER, *security, "-On", "-Oe", "-r", "1", "-t", "2", *extra,
               f"udp:127.0.0.1:{port}", *arguments]
    environment = dict(os.environ, MIBS="", SNMPCONFPATH="/nonexistent", SNMP_PERSISTENT_DIR=CLIENT_STATE)
    return subprocess.run(command, capture_output=True, text=True, timeout=30, env=environment)


def values(output):
    """`.oid = TYPE: value` lines as {oid: value}; integers as int."""
    found = {}
    for line in output.splitlines():
        if " = " not in line:
            continue
        name, value = line.split(" = ", 1)
        value = value.split(": ", 1)[-1].strip()
        found[name.lstrip(".")] = int(value) if value.lstrip("-").isdigit() else value
    return found


def masks_from_status(status):
    """Reds, yellows, greens of phases 1-8 from junctiond's own status, by docs/snmp.md's rule:
    vehicle and turn-arrow group i is phase i (1-based, file order); red+amber and flashing red
    count as red, flashing amber as yellow; pedestrian groups are not in these three masks."""
    reds = yellows = greens = 0
    for index, group in enumerate(status_groups(status)):
        if group["kind"] == "pedestrian" or index >= 8:
            continue
        bit = 1 << index
        state = group["state"]
        if state in ("red", "red-amber", "flashing-red"):
            reds |= bit
        elif state in ("amber", "flashing-amber"):
            yellows |= bit
        elif state == "green":
            greens |= bit
    return reds, yellows, greens


def status_groups(status):
    return status["groups"]


def wait_registered(daemon, snmpd, seconds):
    """Polls with snmpget until the subagent answers maxPhases; returns the seconds it took."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        result = snmp("snmpget", snmpd.port, ASC + ".1.1.0")
        if result.returncode == 0 and isinstance(values(result.stdout).get(ASC + ".1.1.0"), int):
            return time.monotonic() - started
        assert daemon.process.poll() is None, daemon.output()
        time.sleep(0.25)
    raise AssertionError(f"the subagent did not register within {seconds} s:\n" + daemon.output())


def loop_counters(status):
    loop = status["loop"]
    return loop["overruns"], loop["missed_ticks"]


def lateness(status):
    """The loop's wake-up lateness p99 and max since start, in microseconds (for the printed figures)."""
    loop = status["loop"]
    return loop["lateness_p99_nanoseconds"] // 1000, loop["lateness_max_nanoseconds"] // 1000


@pytest.fixture
def rig(tmp_path):
    tmp_path.chmod(0o755)
    snmpd = Snmpd(tmp_path).start()
    daemon = Junctiond(tmp_path, snmpd.socket)
    yield snmpd, daemon
    daemon.stop()
    snmpd.kill()


def test_phase_status_matches_junctiond_and_security_is_enforced(rig):
    snmpd, daemon = rig
    wait_registered(daemon, snmpd, 30)

    # The three masks with one snmpget, bracketed by two status reads; accepted only when the
    # group states did not change across the pair. Runs until the junction has shown greens (the
    # first stage comes about 20 s after start), so a view stuck at all-red cannot pass.
    matched = 0
    greens_seen = set()
    deadline = time.monotonic() + 120
    while (matched < 5 or not greens_seen - {0}) and time.monotonic() < deadline:
        before = daemon.status()
        result = snmp("snmpget", snmpd.port, REDS, YELLOWS, GREENS)
        after = daemon.status()
        assert result.returncode == 0, result.stderr
        if masks_from_status(before) != masks_from_status(after):
            continue
        got = values(result.stdout)
        assert (got[REDS], got[YELLOWS], got[GREENS]) == masks_from_status(before), (got, before)
        greens_seen.add(got[GREENS])
        matched += 1
        time.sleep(0.7)
    assert matched >= 5 and greens_seen - {0}, f"{matched} quiet moments, greens {greens_seen} in 120 s"

    walk = snmp("snmpwalk", snmpd.port, ASC)
    assert walk.returncode == 0, walk.stderr
    walked = values(walk.stdout)
    assert walked[ASC + ".1.1.0"] == len(status_groups(before))
    assert ASC + ".3.6.0" in walked and ASC + ".3.8.0" in walked
    print(f"\nsnmpwalk of {ASC}: {len(walked)} objects; greens seen {sorted(greens_seen)}")

    for level in ("noAuthNoPriv", "authNoPriv"):
        refused = snmp("snmpget", snmpd.port, GREENS, level=level)
        assert refused.returncode != 0 or GREENS not in values(refused.stdout), (level, refused.stdout)
    community = subprocess.run(
        ["snmpget", "-v2c", "-c", "public", "-On", "-r", "0", "-t", "1", f"udp:127.0.0.1:{snmpd.port}", GREENS],
        capture_output=True, text=True, timeout=30,
        env=dict(os.environ, MIBS="", SNMP_PERSISTENT_DIR=CLIENT_STATE))
    assert community.returncode != 0 and GREENS not in values(community.stdout), community.stdout
    print("refused: noAuthNoPriv, authNoPriv, v2c community 'public'")


def test_snmpd_restart_reregisters_without_disturbing_the_loop(rig):
    snmpd, daemon = rig
    wait_registered(daemon, snmpd, 30)
    before = daemon.status()
    overruns_before, missed_before = loop_counters(before)

    snmpd.kill()
    # With snmpd gone the subagent retries with backoff; the junction runs on.
    time.sleep(4)
    assert daemon.process.poll() is None, daemon.output()
    snmpd.start()
    took = wait_registered(daemon, snmpd, 45)

    walk = snmp("snmpwalk", snmpd.port, ASC + ".1")
    assert walk.returncode == 0 and GREENS in values(walk.stdout), walk.stdout + walk.stderr
    after = daemon.status()
    overruns_after, missed_after = loop_counters(after)
    print(f"\nre-registered {took:.1f} s after snmpd restarted; overruns {overruns_before}->{overruns_after}, "
          f"missed ticks {missed_before}->{missed_after}; lateness p99/max us {lateness(before)}->{lateness(after)}")
    assert overruns_after == overruns_before
    assert missed_after == missed_before
    # The subagent's own counts are in junctiond's status: registered again, one reconnect at least.
    service = next(s for s in after["services"] if s["name"] == "snmp")
    assert service["state"] == "registered", service
    assert service["counters"]["reconnects"] >= 1 and service["counters"]["requests"] > 0, service
    assert service["counters"]["malformed_pdus"] == 0, service
    log = daemon.output()
    assert log.count("snmp: serving NTCIP 1202") >= 2, log
    assert daemon.stop() == 0
    assert "snmp: stopped; connects" in daemon.output()
