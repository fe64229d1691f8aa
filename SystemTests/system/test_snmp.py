"""System tests of the NTCIP 1202 AgentX subagent (docs/snmp.md) set up as the package ships it,
against Debian's real snmpd and Net-SNMP tools.

The built package (JUNCTIOND_DEB) is installed, so the snmpd drop-in, its mode, the /var/agentx
directory (tmpfiles.d), the junctiond user and groups (sysusers.d) and the MIB are the packaged
ones. The drop-in is then edited as docs/snmp.md says (passphrases, sysLocation) and snmpd runs as
Debian's unit runs it (dropping to Debian-snmp) on that file alone, on a private UDP port and
persistent directory; the installed junctiond runs as user junctiond with [snmp] agentx pointing
at /var/agentx/master. The package is purged at the end.

Checked: the drop-in is not world-readable and ships no usable user; the AgentX socket and its
directory let group junctiond in and nobody else; phase greens/yellows/reds read with snmpget -v3
-l authPriv match junctiond's own status (junctionctl status --json) at the same moment; every
refused request gets exactly the answer docs/snmp.md names; snmpwalk with the packaged MIB names
every object; killing and restarting snmpd makes the subagent re-register, and the control loop's
overruns and missed ticks do not move. The system snmpd service, if any, is never used.

Run:   JUNCTIOND_DEB=$(deploy/build-deb.sh | tail -n 1) .venv/bin/python -m pytest -v -s SystemTests/system/test_snmp.py
Needs: root, apt-get install snmpd snmp; refuses to run where junctiond is installed or an snmpd
already serves /var/agentx/master.
"""

import grp
import json
import os
import pathlib
import pwd
import re
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import time

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
DEB = os.environ.get("JUNCTIOND_DEB", "")
JUNCTIOND = "/usr/bin/junctiond"
JUNCTIONCTL = "/usr/bin/junctionctl"
CIREBON = ROOT / "hardware/junctions/cirebon-4arm.toml"
SNMPD = "/usr/sbin/snmpd"
DROP_IN = pathlib.Path("/etc/snmp/snmpd.conf.d/junctiond.conf")
AGENTX = pathlib.Path("/var/agentx/master")
MIB = "JUNCTIOND-NTCIP-MIB"
# The Net-SNMP tools keep engine ids in a persistent directory; never the system's /var/lib/snmp.
CLIENT_STATE = tempfile.mkdtemp(prefix="junctiond-snmp-client-")
USER, AUTH, PRIV = "ntcipPoll", "junction-auth-pass", "junction-priv-pass"
LOCATION = "Jl. Siliwangi x Jl. Kartini, Cirebon"
SYS_LOCATION = "1.3.6.1.2.1.1.6.0"

ASC = "1.3.6.1.4.1.1206.4.2.1"
GLOBAL = "1.3.6.1.4.1.1206.4.2.6"
STATUS_ROW = ASC + ".1.4.1"  # phaseStatusGroupEntry; column, then row 1 (phases 1-8)
REDS, YELLOWS, GREENS = STATUS_ROW + ".2.1", STATUS_ROW + ".3.1", STATUS_ROW + ".4.1"


def group_exists(name):
    try:
        grp.getgrnam(name)
        return True
    except KeyError:
        return False


# What this module needs and how to get it, by what is missing. Outside CI a missing one skips the
# module; in CI (strict mode, SystemTests/conftest.py) the skip is a failure naming it.
MISSING = [need for need, present in [
    ("root (it installs the package)", os.geteuid() == 0),
    (f"{SNMPD} and group Debian-snmp (apt-get install snmpd)", os.path.exists(SNMPD) and group_exists("Debian-snmp")),
    ("snmpget (apt-get install snmp)", shutil.which("snmpget")),
    ("setpriv (util-linux)", shutil.which("setpriv")),
    ("JUNCTIOND_DEB, the built package (deploy/build-deb.sh)", DEB and os.path.exists(DEB)),
] if not present]
pytestmark = pytest.mark.skipif(bool(MISSING), reason="missing: " + "; ".join(MISSING))


def installed():
    status = subprocess.run(["dpkg-query", "-W", "-f", "${Status}", "junctiond"], capture_output=True, text=True)
    return "installed" in status.stdout


def agentx_served():
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        try:
            probe.connect(str(AGENTX))
            return True
        except OSError:
            return False


def configure_drop_in():
    """The doc's edit of the installed drop-in, in place (as sudoedit writes it back: same file,
    same mode): the createUser line uncommented with the passphrases, and sysLocation set."""
    text = DROP_IN.read_text()
    text, users = re.subn(r"^#createUser\s+ntcipPoll .*$", f'createUser ntcipPoll SHA "{AUTH}" AES "{PRIV}"', text,
                          flags=re.M)
    text, locations = re.subn(r"^#sysLocation\s.*$", f"sysLocation {LOCATION}", text, flags=re.M)
    assert users == 1 and locations == 1, "the drop-in has no commented createUser or sysLocation line to set"
    with open(DROP_IN, "r+") as drop_in:
        drop_in.write(text)
        drop_in.truncate()


def mode_owner(path):
    status = os.stat(path)
    return stat.S_IMODE(status.st_mode), pwd.getpwuid(status.st_uid).pw_name, grp.getgrgid(status.st_gid).gr_name


@pytest.fixture(scope="module")
def package():
    """The package installed from JUNCTIOND_DEB and its drop-in configured as the doc says; purged after."""
    if installed():
        pytest.fail("junctiond is already installed here; this test ends by purging it, so it refuses to run")
    if agentx_served():
        pytest.fail(f"an snmpd already serves {AGENTX}; stop it (systemctl stop snmpd) for this test")
    subprocess.run(["dpkg", "-i", DEB], check=True, capture_output=True, timeout=120)
    try:
        shipped = DROP_IN.read_text()
        assert not re.search(r"^createUser", shipped, flags=re.M), "the packaged drop-in must not create a user"
        configure_drop_in()
        yield
    finally:
        subprocess.run(["dpkg", "--purge", "junctiond"], capture_output=True, timeout=120)


def free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Snmpd:
    """snmpd as Debian's unit runs it (-u/-g Debian-snmp), on the installed drop-in alone, with its
    own persistent directory and UDP port; the AgentX socket is the drop-in's /var/agentx/master."""

    def __init__(self, directory):
        self.directory = directory
        self.port = free_udp_port()
        self.socket = AGENTX
        self.persistent = directory / "snmp-persist"
        self.persistent.mkdir(exist_ok=True)
        shutil.chown(self.persistent, "Debian-snmp", "Debian-snmp")
        self.log_path = directory / "snmpd.log"
        self.process = None

    def start(self):
        environment = dict(os.environ, SNMP_PERSISTENT_DIR=str(self.persistent), MIBS="")
        self.log = open(self.log_path, "a")
        self.process = subprocess.Popen(
            [SNMPD, "-f", "-Lo", "-u", "Debian-snmp", "-g", "Debian-snmp", "-I", "-smux,mteTrigger,mteTriggerConf",
             "-C", "-c", str(DROP_IN), f"udp:127.0.0.1:{self.port}"],
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
    """The installed junctiond, run as user junctiond, on the Cirebon junction with [snmp] pointing
    at `agentx`."""

    def __init__(self, directory, agentx):
        self.directory = directory
        junction = CIREBON.read_text()
        # The validator's shortest startup, so a short run reaches normal mode quickly.
        junction = junction.replace("\nflash = 10.0\n", "\nflash = 3.0\n").replace("\nall_red = 4.0\n", "\nall_red = 2.0\n")
        self.config = directory / "junction.toml"
        self.config.write_text(junction + f'\n[snmp]\nagentx = "{agentx}"\ntimeout_ms = 1000\n')
        shutil.chown(directory, "junctiond", "junctiond")
        self.log_path = directory / "junctiond.log"
        self.log = open(self.log_path, "w")
        environment = dict(os.environ)
        environment.pop("NOTIFY_SOCKET", None)
        environment.pop("WATCHDOG_USEC", None)
        self.process = subprocess.Popen(
            ["setpriv", "--reuid=junctiond", "--regid=junctiond", "--init-groups",
             JUNCTIOND, "--config", str(self.config), "--view", "none", "--runtime-directory", str(directory),
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


def snmp(tool, port, *arguments, level="authPriv", user=USER, auth=AUTH, priv=PRIV, mib=None, extra=()):
    """Runs a Net-SNMP tool as a v3 user at `level`; returns the completed process. With `mib`, that
    MIB module is loaded from the default directories (where the package puts it) and names print."""
    security = {
        "authPriv": ["-l", "authPriv", "-a", "SHA", "-A", auth, "-x", "AES", "-X", priv],
        "authNoPriv": ["-l", "authNoPriv", "-a", "SHA", "-A", auth],
        "noAuthNoPriv": ["-l", "noAuthNoPriv"],
    }[level]
    output = ["-OS"] if mib else ["-On", "-Oe"]
    command = [tool, "-v3", "-u", user, *security, *output, "-r", "1", "-t", "2", *extra,
               f"udp:127.0.0.1:{port}", *arguments]
    environment = dict(os.environ, MIBS=mib or "", SNMPCONFPATH="/nonexistent", SNMP_PERSISTENT_DIR=CLIENT_STATE)
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
def rig(package):
    # Under /tmp rather than pytest's 0700 tmp_path, so snmpd's and junctiond's users can enter it.
    directory = pathlib.Path(tempfile.mkdtemp(prefix="junctiond-snmp-"))
    directory.chmod(0o755)
    snmpd = Snmpd(directory).start()
    (directory / "junctiond").mkdir()
    daemon = Junctiond(directory / "junctiond", snmpd.socket)
    yield snmpd, daemon
    daemon.stop()
    snmpd.kill()
    shutil.rmtree(directory, ignore_errors=True)


def test_packaged_files_keep_secrets_and_the_socket_to_junctiond(rig):
    snmpd, daemon = rig
    mode, owner, group = mode_owner(DROP_IN)
    assert (mode, owner, group) == (0o640, "root", "Debian-snmp"), (oct(mode), owner, group)
    assert not mode & 0o007, "the drop-in with the passphrases is readable by every local user"
    assert mode_owner(AGENTX.parent) == (0o750, "root", "junctiond"), mode_owner(AGENTX.parent)
    socket_mode, _, socket_group = mode_owner(AGENTX)
    assert (socket_mode, socket_group) == (0o660, "junctiond"), (oct(socket_mode), socket_group)
    # A local user outside group junctiond cannot reach the master agent.
    probe = subprocess.run(
        ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "/usr/bin/python3", "-c",
         f"import socket; socket.socket(socket.AF_UNIX).connect({str(AGENTX)!r})"],
        capture_output=True, text=True, timeout=30)
    assert probe.returncode != 0 and "PermissionError" in probe.stderr, probe.stderr
    print(f"\ndrop-in {oct(mode)} {owner}:{group}; {AGENTX.parent} 0750 root:junctiond; socket 0660 group junctiond")


def test_refused_requests_get_the_documented_answers(rig):
    snmpd, daemon = rig
    wait_registered(daemon, snmpd, 30)
    answers = {
        "noAuthNoPriv": (snmp("snmpget", snmpd.port, GREENS, level="noAuthNoPriv"), "authorizationError"),
        "authNoPriv": (snmp("snmpget", snmpd.port, GREENS, level="authNoPriv"), "authorizationError"),
        "Set": (snmp("snmpset", snmpd.port, ASC + ".1.1.0", "i", "3"), "noAccess"),
        "unknown user": (snmp("snmpget", snmpd.port, GREENS, user="intruder"), "Unknown user name"),
        "wrong auth passphrase": (snmp("snmpget", snmpd.port, GREENS, auth="wrong-auth-pass"), "Authentication failure"),
        "wrong priv passphrase": (snmp("snmpget", snmpd.port, GREENS, priv="wrong-priv-pass"), "Timeout"),
    }
    for case, (result, expected) in answers.items():
        assert result.returncode != 0 and expected in result.stderr, (case, result.stdout, result.stderr)
        assert GREENS not in values(result.stdout), (case, result.stdout)
    community = subprocess.run(
        ["snmpget", "-v2c", "-c", "public", "-On", "-r", "0", "-t", "1", f"udp:127.0.0.1:{snmpd.port}", GREENS],
        capture_output=True, text=True, timeout=30,
        env=dict(os.environ, MIBS="", SNMP_PERSISTENT_DIR=CLIENT_STATE))
    assert community.returncode != 0 and "Timeout" in community.stderr, community.stdout + community.stderr
    # sysLocation is the drop-in's, as the doc says to set it there.
    location = snmp("snmpget", snmpd.port, SYS_LOCATION)
    assert location.returncode == 0 and values(location.stdout)[SYS_LOCATION] == f'"{LOCATION}"', location.stdout
    print("\nrefused as documented: " + ", ".join(f"{case}: {expected}" for case, (_, expected) in answers.items())
          + ", v2c: Timeout")


def test_phase_status_matches_junctiond_and_the_mib_names_every_object(rig):
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

    # The packaged MIB names every object served (the default MIB directories, as installed).
    for subtree in (ASC, GLOBAL):
        named = snmp("snmpwalk", snmpd.port, subtree, mib=MIB)
        lines = [line for line in named.stdout.splitlines() if " = " in line]
        assert named.returncode == 0 and lines, named.stderr
        unnamed = [line for line in lines if not line.startswith(f"{MIB}::")]
        assert not unnamed, f"objects the MIB does not name: {unnamed}"
        assert not named.stderr.strip(), named.stderr
    print(f"{MIB} names all {len(walked)} objects under asc and those under global")


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
