"""System tests of the diagnostic sockets and junctionctl against a real release-built
`junctiond --demo` (JUNCTIOND_BIN) and `junctionctl` (JUNCTIONCTL_BIN): every command's output,
peer-credential access control with real users, a forced call, flash by the automatic-flash rule,
a manual advance that honours every minimum, a flood of garbage and connections while the control
loop's tick lateness is measured, and `junctionctl watch` in tmux.

Build: swift build -c release --scratch-path .build-diag
Run:   JUNCTIOND_BIN=.build-diag/release/junctiond JUNCTIONCTL_BIN=.build-diag/release/junctionctl \
       .venv/bin/python -m pytest -v SystemTests/system/test_junctionctl.py
The access-control tests need root (they create the users jctl-reader, jctl-admin, jctl-nobody
and, when missing, the groups junctiond and junctiond-admin); they are skipped otherwise.
Every test runs under pytest-timeout's limit (scripts/test.sh's --timeout, or its own
`pytest.mark.timeout`), so a hang fails in minutes with the test's name rather than at CI's limit."""

import atexit
import grp
import json
import os
import pathlib
import pwd
import random
import re
import select
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import threading
import time

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
JUNCTIOND = os.environ.get("JUNCTIOND_BIN", str(ROOT / ".build/release/junctiond"))
JUNCTIONCTL = os.environ.get("JUNCTIONCTL_BIN", str(ROOT / ".build/release/junctionctl"))
ARTIFACTS = ROOT / "artifacts"
CIREBON = ROOT / "hardware/junctions/cirebon-4arm.toml"
READ_GROUP = "junctiond"
ADMIN_GROUP = "junctiond-admin"
IS_ROOT = os.geteuid() == 0
# The idle timeout of the daemon in the slot tests, shortened through the daemon's test-only variable.
SHORT_IDLE_MILLISECONDS = 2000


# ---------------------------------------------------------------------------------------------
# Helpers


class Daemon:
    """`junctiond --demo` with its sockets in a fresh runtime directory that other users can enter."""

    def __init__(self, name, seed=1, realtime=False, env=None):
        self.directory = pathlib.Path(tempfile.mkdtemp(prefix=f"jctl-{name}-"))
        os.chmod(self.directory, 0o755)
        self.log_path = self.directory / "daemon.log"
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [JUNCTIOND, "--demo", "--view", "none", "--seed", str(seed),
             "--runtime-directory", str(self.directory), "--state-directory", str(self.directory),
             *(["--realtime"] if realtime else [])],
            stdout=self.log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
        self.read_socket = self.directory / "junctiond.sock"
        self.control_socket = self.directory / "junctiond-control.sock"
        deadline = time.monotonic() + 20
        while not (self.read_socket.exists() and self.control_socket.exists()):
            assert self.process.poll() is None, self.output()
            assert time.monotonic() < deadline, "the diagnostic sockets did not appear:\n" + self.output()
            time.sleep(0.05)

    def output(self):
        self.log.flush()
        return self.log_path.read_text()

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        shutil.rmtree(self.directory, ignore_errors=True)


_COPIES_FOR_OTHER_USERS = {}


def copy_for_other_users(binary):
    """A copy of `binary` in a folder every user may enter: the build tree can sit below a private
    folder (`mktemp -d` makes them 0700), where the test users could not run it."""
    if binary not in _COPIES_FOR_OTHER_USERS:
        folder = tempfile.mkdtemp(prefix="junctionctl-")
        atexit.register(shutil.rmtree, folder, True)
        os.chmod(folder, 0o755)
        copy = shutil.copy(binary, os.path.join(folder, os.path.basename(binary)))
        os.chmod(copy, 0o755)
        _COPIES_FOR_OTHER_USERS[binary] = copy
    return _COPIES_FOR_OTHER_USERS[binary]


def junctionctl_for_other_users():
    return copy_for_other_users(JUNCTIONCTL)


def ctl(daemon, *args, user=None, timeout=30, directory=True):
    """Runs junctionctl (as `user` when given) and returns the completed process."""
    command = [junctionctl_for_other_users() if user else JUNCTIONCTL, *args]
    if directory and daemon is not None:
        command += ["--runtime-directory", str(daemon.directory)]
    if user:
        command = ["runuser", "-u", user, "--", *command]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout)


def ctl_json(daemon, *args, user=None):
    """Runs junctionctl with --json, expects success, and returns the parsed reply."""
    result = ctl(daemon, *args, "--json", user=user)
    assert result.returncode == 0, f"{args}: {result.returncode} {result.stdout} {result.stderr}"
    return json.loads(result.stdout)


def status(daemon):
    return ctl_json(daemon, "status")


def wait_for(daemon, predicate, seconds, what, interval=0.2):
    """Polls status until `predicate(status)` holds; returns that status."""
    deadline = time.monotonic() + seconds
    last = None
    while time.monotonic() < deadline:
        last = status(daemon)
        if predicate(last):
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {what}; last status: {json.dumps(last)[:2000]}")


def events_since(daemon, since):
    """Every journal event after `since`, paging through the replies."""
    since = max(since, 0)
    collected = []
    while True:
        page = ctl_json(daemon, "events", "--since", str(since), "--limit", "500")
        collected += page["events"]
        if not page["events"] or page["events"][-1]["sequence"] >= page["last_sequence"]:
            return collected
        since = page["events"][-1]["sequence"]


def last_sequence(daemon):
    return status(daemon)["counters"]["journal_last_sequence"]


def raw_request(path, line, read_reply=True, timeout=5.0):
    """Sends one raw line to a socket and returns the reply lines received before it closes or times out."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.settimeout(timeout)
        connection.connect(str(path))
        try:
            connection.sendall(line)
        except (BrokenPipeError, ConnectionResetError):
            pass  # turned away (busy, forbidden) before the line went out: the reason is still waiting
        if not read_reply:
            return []
        data = b""
        try:
            while b"\n" not in data:
                chunk = connection.recv(65536)
                if not chunk:
                    break
                data += chunk
        except socket.timeout:
            pass
        return [json.loads(part) for part in data.decode().splitlines() if part.strip()]


def ensure_group(name):
    try:
        grp.getgrnam(name)
        return False
    except KeyError:
        subprocess.run(["groupadd", "--system", name], check=True)
        return True


def ensure_user(name, groups):
    try:
        pwd.getpwnam(name)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name], check=True)
    subprocess.run(["usermod", "-G", ",".join(groups), name], check=True)
    return pwd.getpwnam(name).pw_uid


def connect(path, timeout=5.0):
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    connection.settimeout(timeout)
    connection.connect(str(path))
    return connection


def read_line(connection):
    """The next JSON line from `connection` (read a byte at a time, so nothing after it is consumed)."""
    data = b""
    while not data.endswith(b"\n"):
        byte = connection.recv(1)
        assert byte, f"closed after {data!r}"
        data += byte
    return json.loads(data)


# ---------------------------------------------------------------------------------------------
# Fixtures




@pytest.fixture(scope="module")
def users():
    """Test users: a reader (group junctiond), an admin (group junctiond-admin) and a stranger."""
    if not IS_ROOT:
        pytest.skip("creating test users and running the client as them needs root")
    created = [group for group in (READ_GROUP, ADMIN_GROUP) if ensure_group(group)]
    accounts = {
        "reader": ensure_user("jctl-reader", [READ_GROUP]),
        "admin": ensure_user("jctl-admin", [ADMIN_GROUP]),
        "nobody": ensure_user("jctl-nobody", []),
    }
    yield accounts
    for name in ("jctl-reader", "jctl-admin", "jctl-nobody"):
        subprocess.run(["userdel", name], check=False)
    for group in created:
        subprocess.run(["groupdel", group], check=False)


@pytest.fixture(scope="module")
def daemon(users_if_root):
    # The groups must exist before the daemon starts, so that it can give its sockets to them.
    started = Daemon("main")
    yield started
    started.stop()


@pytest.fixture(scope="module")
def users_if_root(request):
    if IS_ROOT:
        return request.getfixturevalue("users")
    return None


@pytest.fixture(scope="module")
def short_idle(users):
    """A daemon whose idle timeout is SHORT_IDLE_MILLISECONDS, for the client-slot tests (root only:
    the reserved slots are for peers that may control, which root is)."""
    started = Daemon("idle", env={"JUNCTIOND_TEST_IDLE_TIMEOUT_MS": str(SHORT_IDLE_MILLISECONDS)})
    yield started
    started.stop()


@pytest.fixture(scope="module")
def normal(daemon):
    """The daemon once startup flash and all-red are over, held in actuated control by a technician's
    override: Cirebon's [schedule] runs fixed-time plans by day (every group called, greens forced
    off), and these tests expect actuated control at any time of day."""
    wait_for(daemon, lambda s: s["mode"] == "normal", 40, "normal operation")
    assert ctl(daemon, "plan", "actuated").returncode == 0
    wait_for(daemon, lambda s: s.get("plan") is None and s["plan_source"] == "override", 30, "actuated by override")
    return daemon


@pytest.fixture(scope="module")
def config(normal):
    return ctl_json(normal, "config", "show")


# ---------------------------------------------------------------------------------------------
# Read commands


def test_status_shows_mode_stage_timers_faults_lateness_and_counters(normal):
    text = ctl(normal, "status")
    assert text.returncode == 0, text.stderr
    # The plan depends on the time of day: Cirebon's [schedule] runs fixed-time plans in the day.
    for label in ("mode     normal", "stage    ", "plan     ", "schedule: ", "hold     off", "fault    none",
                  "detector faults", "lateness p50", "p99.9", "overruns", "watchdog toggles", "journal #",
                  "field    detectors simulated", "field    outputs simulated", "clients"):
        assert label in text.stdout, (label, text.stdout)
    for name in ("N", "NR", "S", "SR", "E", "ER", "W", "WR", "PN", "PS", "PE", "PW"):
        assert f" {name} " in text.stdout
    report = status(normal)
    assert report["junction"].startswith("Cirebon")
    assert report["plan_source"] == "override", report.get("plan_source")
    assert report["schedule"]["next_change"] and report["schedule"]["day_plan"], report["schedule"]
    assert report["stage"]["name"] in {"S1", "S2", "S3", "S4", "S5"}
    assert report["time_in_stage_tenths"] >= 0
    loop = report["loop"]
    assert loop["ticks"] > 100
    assert 0 < loop["lateness_p50_nanoseconds"] <= loop["lateness_p99_nanoseconds"] \
        <= loop["lateness_p999_nanoseconds"] <= loop["lateness_max_nanoseconds"]
    assert report["counters"]["watchdog_toggles"] > 100
    assert report["field"]["outputs"]["writes"] > 100
    assert "fault" not in report, "absent means no latched fault"
    assert len(report["groups"]) == 12 and len(report["detectors"]) == 17
    aspects = {"red", "red-amber", "green", "amber", "dont-walk", "walk", "flashing-dont-walk"}
    assert {group["state"] for group in report["groups"]} <= aspects, report["groups"]
    assert report["server"]["max_clients"] == 16


def test_detectors_lists_every_detector_with_state_counts_and_limits(normal):
    text = ctl(normal, "detectors")
    assert text.returncode == 0, text.stderr
    lines = text.stdout.splitlines()
    assert len(lines) == 2 + 17, text.stdout
    assert "N_stop" in text.stdout and "PW_button" in text.stdout and "240 min / 10 min / 120 /min" in text.stdout
    report = ctl_json(normal, "detectors")
    first = report["detectors"][0]
    assert first["name"] == "N_stop" and first["groups"] == ["N"] and first["health"] == "ok"
    assert first["no_activity_minutes"] == 240 and first["failed_action"] == "maxRecall"
    assert sum(detector["actuations"] for detector in report["detectors"]) > 0


def test_events_pages_by_sequence_and_text_names_subjects(normal):
    page = ctl_json(normal, "events", "--limit", "20")
    assert 0 < len(page["events"]) <= 20
    sequences = [event["sequence"] for event in page["events"]]
    assert sequences == sorted(sequences) and sequences[-1] <= page["last_sequence"]
    since = sequences[0]
    later = ctl_json(normal, "events", "--since", str(since), "--limit", "5")
    assert [event["sequence"] for event in later["events"]] == list(range(since + 1, since + 1 + len(later["events"])))
    text = ctl(normal, "events", "--limit", "30")
    assert text.returncode == 0
    assert any("detector-on (82)" in line for line in text.stdout.splitlines()), text.stdout


def test_events_follow_streams_new_events(normal):
    start = last_sequence(normal)
    process = subprocess.Popen(
        [JUNCTIONCTL, "events", "--follow", "--json", "--runtime-directory", str(normal.directory)],
        stdout=subprocess.PIPE, text=True)
    try:
        received = []
        deadline = time.monotonic() + 20
        while len(received) < 10 and time.monotonic() < deadline:
            line = process.stdout.readline()
            if line:
                received.append(json.loads(line))
        assert len(received) >= 10
        assert all(event["sequence"] > start for event in received)
        assert [event["sequence"] for event in received] == sorted(event["sequence"] for event in received)
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_counts_tally_volume_occupancy_and_green_ends(normal):
    text = ctl(normal, "counts")
    assert text.returncode == 0
    assert "volume" in text.stdout and "gap-out" in text.stdout
    # The first green comes about 27 s after start (startup flash, all-red, then every intergreen).
    deadline = time.monotonic() + 60
    report = ctl_json(normal, "counts")
    while sum(group["greens"] for group in report["groups"]) == 0 and time.monotonic() < deadline:
        time.sleep(0.5)
        report = ctl_json(normal, "counts")
    assert report["tick"] > report["since_tick"]
    assert sum(detector["actuations"] for detector in report["detectors"]) > 0
    assert any(detector["occupancy_permille"] > 0 for detector in report["detectors"])
    assert sum(group["greens"] for group in report["groups"]) > 0


def test_config_show_and_check(normal, config, tmp_path):
    assert config["name"].startswith("Cirebon") and len(config["groups"]) == 12
    assert config["sequence"] == ["S1", "S2", "S3", "S4", "S5"]
    assert config["settings"]["read_group"] == READ_GROUP and config["settings"]["admin_group"] == ADMIN_GROUP
    text = ctl(normal, "config", "show")
    assert text.returncode == 0 and "max cycle" in text.stdout and "weekday_peak" in text.stdout
    good = ctl(None, "config", "check", str(CIREBON), directory=False)
    assert good.returncode == 0 and "valid" in good.stdout and "17 detectors" in good.stdout
    broken = tmp_path / "broken.toml"
    broken.write_text(CIREBON.read_text().replace("amber = 3.0\nred_amber = 1.5\nrecall = \"minimum\"",
                                                  "ambr = 3.0\nred_amber = 1.5\nrecall = \"minimum\"", 1))
    bad = ctl(None, "config", "check", str(broken), directory=False)
    assert bad.returncode == 2 and "ambr" in bad.stderr and "line" in bad.stderr, bad.stderr
    bad_json = ctl(None, "config", "check", str(broken), "--json", directory=False)
    assert bad_json.returncode == 2 and json.loads(bad_json.stdout)["valid"] is False
    extra = tmp_path / "diag.toml"
    extra.write_text(CIREBON.read_text() + "\n[diagnostics]\nread_group = \"ops\"\nadmin_group = \"Bad Group\"\nmax_clients = 0\n")
    rejected = ctl(None, "config", "check", str(extra), directory=False)
    assert rejected.returncode == 2 and "admin_group" in rejected.stderr and "max_clients" in rejected.stderr


def test_errors_that_help(normal, tmp_path):
    missing = ctl(None, "status", "--runtime-directory", str(tmp_path / "nowhere"), directory=False)
    assert missing.returncode == 3
    assert "no junctiond diagnostic socket" in missing.stderr and "systemctl status junctiond" in missing.stderr
    missing_json = ctl(None, "status", "--json", "--runtime-directory", str(tmp_path), directory=False)
    assert json.loads(missing_json.stdout)["error"]["code"] == "socket-missing"
    stale = tmp_path / "junctiond.sock"
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(stale))
    listener.close()
    gone = ctl(None, "status", "--socket", str(stale), directory=False)
    assert gone.returncode == 3 and "not running" in gone.stderr
    # A path that is no socket at all is named for what it is, not taken for a stopped daemon.
    for path, said in [("", "the socket path is empty"), (str(CIREBON), "it is a regular file, not a socket"),
                       (str(tmp_path), "it is a directory, not a socket")]:
        wrong = ctl(None, "status", "--socket", path, directory=False)
        assert wrong.returncode == 3 and said in wrong.stderr and "not running" not in wrong.stderr, wrong.stderr
    refused = ctl(normal, "plan", "nosuch")
    assert refused.returncode == 1 and "no plan named nosuch" in refused.stderr and "weekday_peak" in refused.stderr
    # "actuated" is not a plan by name (it was listed among the plans, and refused when given as one).
    assert "weekday_peak, off_peak;" in refused.stderr and "(junctionctl plan actuated, plan auto)" in refused.stderr
    unknown = ctl(normal, "call", "X_stop")
    assert unknown.returncode == 1 and "N_stop" in unknown.stderr
    not_latched = ctl(normal, "reset-fault")
    assert not_latched.returncode == 1 and "no safety fault is latched" in not_latched.stderr


def test_a_junction_file_whose_name_is_not_utf8_is_checked_by_its_bytes(tmp_path):
    """The name reaches both checkers as the bytes given (not as U+FFFD, which names no file) and is shown escaped."""
    name = os.fsencode(tmp_path) + b"/\xff.toml"
    shutil.copyfile(CIREBON, name)
    for command in ([JUNCTIONCTL, "config", "check", name], [JUNCTIOND, "--check-config", name],
                    [JUNCTIOND, b"--check-config=" + name]):
        result = subprocess.run(command, capture_output=True, text=True, timeout=30)
        assert result.returncode == 0 and "\\xFF.toml: valid" in result.stdout, (command, result.stdout, result.stderr)


def test_every_command_speaks_json(normal):
    for args in (["status"], ["detectors"], ["events", "--limit", "3"], ["counts"], ["config", "show"]):
        json.loads(ctl(normal, *args, "--json").stdout)
    frames = ctl(normal, "watch", "--json", "--count", "2", "--interval-ms", "200")
    assert frames.returncode == 0
    assert [json.loads(line)["mode"] for line in frames.stdout.splitlines()] != []
    completion = ctl(None, "--generate-completion-script", "bash", directory=False)
    assert completion.returncode == 0 and "junctionctl" in completion.stdout and "reset-fault" in completion.stdout


def version_pattern(program):
    """What `program --version` prints: the VERSION file's version and the commit (or `unknown`)."""
    version = (ROOT / "VERSION").read_text().strip()
    commit = "[0-9a-f]{10}" if (ROOT / ".git").exists() else "unknown"
    return re.compile(rf"{re.escape(program)} {re.escape(version)} \(commit {commit}\)\n")


def test_every_binary_prints_its_version():
    bench = os.environ.get("JUNCTION_BENCH_BIN", str(pathlib.Path(JUNCTIONCTL).parent / "junction-bench"))
    for program, binary in (("junctiond", JUNCTIOND), ("junctionctl", JUNCTIONCTL), ("junction-bench", bench)):
        result = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=30)
        assert result.returncode == 0, (program, result.stderr)
        assert version_pattern(program).fullmatch(result.stdout), (program, result.stdout)


def test_usage_errors_exit_64_as_the_help_says_and_suggest_a_command():
    for binary in (JUNCTIOND, JUNCTIONCTL):
        help_text = subprocess.run([binary, "--help"], capture_output=True, text=True, timeout=30).stdout
        assert "64 usage error" in help_text, help_text
        wrong = subprocess.run([binary, "--no-such-option"], capture_output=True, text=True, timeout=30)
        assert wrong.returncode == 64, (binary, wrong.stderr)
    typo = ctl(None, "stauts", directory=False)
    assert typo.returncode == 64 and "did you mean `status`?" in typo.stderr, typo.stderr
    nested = ctl(None, "config", "shwo", directory=False)
    assert nested.returncode == 64 and "did you mean `show`?" in nested.stderr, nested.stderr


@pytest.mark.parametrize("args, said", [
    (["events", "--limit", "-1"], "--limit takes 1–500"), (["watch", "--count", "-2"], "--count takes 1 or more"),
    (["status", "--timeout", "-3"], "--timeout takes 1–3600 seconds"),
    (["events", "--since", "18446744073709551615"], "--since takes 0–9223372036854775807"),
])
def test_a_negative_or_oversized_number_is_said_to_be_out_of_range(args, said):
    """`--limit -1` was "Missing value for '--limit'" (the -1 taken for an option), and `--since 2^64-1` was cut
    by the daemon to a number the technician never typed."""
    result = ctl(None, *args, directory=False)
    assert result.returncode == 64 and said in result.stderr, result.stderr


def test_readme_commands_run_as_written(normal):
    """README.md's junctionctl lines (and docs/diagnostic-protocol.md's), the daemon's directory added."""
    assert json.loads(ctl(normal, "--json", "status").stdout)["junction"].startswith("Cirebon")
    assert json.loads(ctl(normal, "--json", "config", "show").stdout)["sequence"] == ["S1", "S2", "S3", "S4", "S5"]
    for args in (["status"], ["detectors"], ["counts"], ["config", "show"], ["events", "--since", "1", "--limit", "5"],
                 ["watch", "--interval-ms", "500", "--count", "1", "--no-colour"]):
        result = ctl(normal, *args)
        assert result.returncode == 0, (args, result.stderr)
    checked = ctl(None, "config", "check", str(CIREBON), directory=False)
    assert checked.returncode == 0 and "valid" in checked.stdout, checked.stderr
    text = ctl(normal, "config", "show").stdout
    assert "turn_arrow" in text and "pedestrian groups:" in text and "turnArrow" not in text, text
    assert "call_and_extend" in ctl(normal, "detectors").stdout


def test_garbage_and_oversized_lines_get_clear_errors(normal):
    replies = raw_request(normal.read_socket, b"this is not json\n")
    assert replies[0]["ok"] is False and replies[0]["error"]["code"] == "parse"
    replies = raw_request(normal.read_socket, b'{"v":1,"id":"a","cmd":"reboot"}\n')
    assert replies[0]["error"]["code"] == "unknown-command" and replies[0]["id"] == "a"
    replies = raw_request(normal.read_socket, b"{" + b"x" * 10000 + b"\n")
    assert replies[0]["error"]["code"] == "too-long"
    replies = raw_request(normal.read_socket, b'{"v":1,"id":7,"cmd":"hello"}\n')
    assert replies[0]["ok"] is True and replies[0]["data"]["socket"] == "read" and replies[0]["id"] == 7


# ---------------------------------------------------------------------------------------------
# Control commands


def test_forced_call_registers_a_call_for_the_detectors_group(normal):
    groups = {detector: detector.split("_")[0] for detector in ("PN_button", "PS_button", "PE_button", "PW_button")}
    for attempt in range(40):
        report = status(normal)
        by_name = {group["name"]: group for group in report["groups"]}
        free = [detector for detector, group in groups.items()
                if not by_name[group]["call"] and by_name[group]["state"] == "dont-walk"]
        if not free:
            time.sleep(1)
            continue
        detector = free[0]
        before = report["counters"]["journal_last_sequence"]
        result = ctl(normal, "call", detector)
        assert result.returncode == 0, result.stderr
        assert f"call {detector}: accepted" in result.stdout
        time.sleep(0.5)
        events = events_since(normal, before)
        audit = [event for event in events if event.get("operator", {}).get("command") == f"call {detector}"]
        assert audit and audit[0]["operator"]["uid"] == os.geteuid()
        registered = [event for event in events if event["name"] == "ped-call-registered" and event["subject"] == groups[detector]]
        assert registered, events
        assert registered[0]["sequence"] > audit[0]["sequence"]
        assert registered[0]["tick"] - audit[0]["tick"] <= 2
        return
    pytest.fail("no pedestrian group was free of calls to test a forced call")


def test_a_call_by_number_names_the_detector_it_reached(normal, config):
    """`call 3` answered "call 3: accepted": with a detector named "3" allowed then, the technician could not
    tell which loop was called. The reply names it."""
    first = config["detectors"][0]["name"]
    result = ctl(normal, "call", "1")
    assert result.returncode == 0 and f"call {first}: accepted" in result.stdout, result.stdout + result.stderr
    # Over the protocol "1" as a string is a name, which no detector can have: the refusal says how to give a number.
    [reply] = raw_request(normal.control_socket, b'{"cmd":"call","detector":"1"}\n')
    assert reply["error"]["code"] == "not-found", reply
    assert 'as a JSON number ("detector": 1)' in reply["error"]["message"], reply


def test_hold_keeps_the_stage_and_plan_switches(normal):
    wait_for(normal, lambda s: s["mode"] == "normal" and not s["in_transition"], 60, "a stage at rest")
    assert ctl(normal, "hold", "on").returncode == 0
    held = status(normal)
    assert held["hold"] is True
    stage = held["stage"]["number"]
    time.sleep(3)
    assert status(normal)["stage"]["number"] == stage
    assert ctl(normal, "hold", "off").returncode == 0
    assert status(normal)["hold"] is False
    # A plan switches at the next stage rest (a stage change under way finishes first).
    switched = ctl(normal, "plan", "off_peak")
    assert switched.returncode == 0, switched.stderr
    wait_for(normal, lambda s: s.get("plan") == "off_peak" and s["plan_source"] == "override", 30, "off_peak by override")
    assert ctl(normal, "plan", "actuated").returncode == 0
    wait_for(normal, lambda s: s.get("plan") is None and s["plan_source"] == "override", 30, "actuated by override")


def test_plan_auto_hands_the_junction_back_to_the_schedule(normal):
    # The module holds an override: release it, then take and release one while counting events.
    assert ctl(normal, "plan", "auto").returncode == 0
    wait_for(normal, lambda s: s["plan_source"] == "schedule", 30, "the schedule back")
    since = last_sequence(normal)
    assert ctl(normal, "plan", "off_peak").returncode == 0
    wait_for(normal, lambda s: s["plan_source"] == "override", 30, "the override")
    released = ctl(normal, "plan", "auto")
    assert released.returncode == 0, released.stderr
    scheduled = status(normal)["schedule"]["plan"]
    expected = None if scheduled in ("actuated", "adaptive") else scheduled
    wait_for(normal, lambda s: s["plan_source"] == "schedule" and s.get("plan") == expected, 30, "the schedule's plan")
    again = ctl(normal, "plan", "auto")
    assert again.returncode == 1 and "no technician plan override" in again.stderr, again.stderr
    events = events_since(normal, since)
    overrides = [(e["name"], e["parameter"]) for e in events if e["code"] == 210]
    assert overrides[-2:] == [("schedule-override", 1), ("schedule-override", 0)], overrides
    audits = [e for e in events if e.get("operator", {}).get("command") == "plan auto"]
    assert audits and audits[0]["operator"]["uid"] == os.getuid(), events
    # Back to the module's actuated override for the tests after this one.
    assert ctl(normal, "plan", "actuated").returncode == 0
    wait_for(normal, lambda s: s["plan_source"] == "override", 30, "the override again")


def group_timing(config):
    return {group["name"]: group for group in config["groups"]}


def intervals(events, start_name, end_name):
    """Per group, (start tick, end tick) pairs of an interval that both began and ended in `events`."""
    open_since = {}
    pairs = {}
    for event in events:
        if event["name"] == start_name:
            open_since[event["subject"]] = event["tick"]
        elif event["name"] == end_name and event["subject"] in open_since:
            pairs.setdefault(event["subject"], []).append((open_since.pop(event["subject"]), event["tick"]))
    return pairs


def test_manual_advance_honours_minimum_green_and_intergreen(normal, config):
    timing = group_timing(config)
    intergreen = {(entry["from"], entry["to"]): entry["tenths"] for entry in config["intergreens"]}
    # Ask just after a vehicle green began, so that its minimum green is still running.
    report = wait_for(
        normal,
        lambda s: any(g["state"] == "green" and g["interval_tenths"] is not None and g["interval_tenths"] <= 10
                      for g in s["groups"]),
        120, "a green that has just begun", interval=0.05)
    greens = [g["name"] for g in report["groups"] if g["state"] == "green"]
    before = report["counters"]["journal_last_sequence"]
    result = ctl(normal, "advance")
    assert result.returncode == 0, result.stderr
    wait_for(normal, lambda s: all(g["state"] != "green" for g in s["groups"] if g["name"] in greens), 60,
             "the advanced stage to end")
    time.sleep(12)
    events = events_since(normal, before - 200)
    began = {}
    for event in events:
        if event["name"] == "begin-green" and event["sequence"] <= before:
            began[event["subject"]] = event["tick"]
    ended = {e["subject"]: e["tick"] for e in events if e["name"] == "green-termination" and e["sequence"] > before}
    for name in greens:
        assert name in began and name in ended, (name, began, ended)
        assert ended[name] - began[name] >= timing[name]["min_green_tenths"], (name, began[name], ended[name])
    after = status(normal)
    assert all(g["last_termination"] == "advance" for g in after["groups"] if g["name"] in greens)
    next_greens = [e for e in events if e["name"] in ("begin-green", "begin-walk") and e["sequence"] > before]
    assert next_greens, "no stage followed the advance"
    for event in next_greens:
        for name in greens:
            needed = intergreen.get((name, event["subject"]))
            if needed is not None:
                assert event["tick"] - ended[name] >= needed, (name, event, needed)


PREEMPT_SEQUENCE = ["preempt-input-on", "preempt-entry-started", "preempt-track-clearance", "preempt-dwell",
                    "preempt-input-off", "preempt-exit"]


@pytest.mark.timeout(300)
def test_preempt_call_enters_through_clearances_dwells_and_exits(normal, config):
    """`junctionctl call EV_siliwangi` (the Cirebon file's preempt input) on the simulated field: the
    running greens end after their minimums, every amber, walk clearance and intergreen runs in full,
    S1 dwells for the minimum dwell, the exit goes to S3, and `junctionctl events` shows the preempt
    events in order."""
    import tomllib

    preempt = tomllib.loads(CIREBON.read_text())["preempt"][0]
    timing = group_timing(config)
    intergreen = {(entry["from"], entry["to"]): entry["tenths"] for entry in config["intergreens"]}
    stages = {stage["name"]: stage["groups"] for stage in config["stages"]}
    report = wait_for(normal, lambda s: s["mode"] == "normal" and s.get("preempt") is None, 90, "normal, no preempt")
    before = report["counters"]["journal_last_sequence"]
    result = ctl(normal, "call", preempt["input"])
    assert result.returncode == 0 and f"call {preempt['input']}: accepted" in result.stdout, result.stderr

    dwelling = wait_for(normal, lambda s: (s.get("preempt") or {}).get("phase") == "dwell", 90, "the dwell")
    assert dwelling["preempt"]["number"] == preempt["number"] and dwelling["preempt"]["name"] == preempt["name"]
    assert dwelling["stage"]["name"] == preempt["dwell_stage"]
    shown = {g["name"]: g["state"] for g in dwelling["groups"]}
    assert all(shown[name] == "green" for name in stages[preempt["dwell_stage"]]), shown
    text = ctl(normal, "status")
    assert f'preempt  {preempt["number"]} "{preempt["name"]}" dwell' in text.stdout, text.stdout
    wait_for(normal, lambda s: s.get("preempt") is None, 90, "the preempt to end")
    time.sleep(3)

    events = events_since(normal, before - 400)
    recent = [e for e in events if e["sequence"] > before]
    ours = [e for e in recent if e["name"].startswith("preempt-")]
    assert [e["name"] for e in ours] == PREEMPT_SEQUENCE, ours
    assert all(e["parameter"] == preempt["number"] and e["subject"] == preempt["name"] for e in ours), ours
    tick = {e["name"]: e["tick"] for e in ours}
    audit = [e for e in recent if e.get("operator", {}).get("command") == f"call {preempt['input']}"]
    assert audit and audit[0]["sequence"] < ours[0]["sequence"]
    assert tick["preempt-exit"] - tick["preempt-dwell"] >= round(preempt["min_dwell"] * 10)
    assert tick["preempt-input-off"] == tick["preempt-exit"], "a forced call holds for the minimum dwell"

    # Entry: every green running at the call ended only after its own minimum and the preempt's.
    entry = tick["preempt-entry-started"]
    began = {}
    for event in events:
        if event["name"] in ("begin-green", "begin-walk") and event["tick"] <= entry:
            began[event["subject"]] = event["tick"]
    ended = {}
    for event in recent:
        if event["name"] == "green-termination" and event["subject"] not in ended:
            ended[event["subject"]] = event["tick"]
    for name, start in began.items():
        if name in ended and ended[name] <= tick["preempt-dwell"] and timing[name]["kind"] != "pedestrian":
            assert ended[name] - start >= max(timing[name]["min_green_tenths"], round(preempt["min_green"] * 10)), name
    # Clearances in full: every amber and flashing don't walk that began after the call.
    for name, pairs in intervals(recent, "begin-amber", "end-amber").items():
        for start, end in pairs:
            assert end - start >= max(timing[name]["clearance_tenths"], 27), (name, start, end)
    for name, pairs in intervals(recent, "begin-ped-clearance", "begin-dont-walk").items():
        for start, end in pairs:
            assert end - start >= timing[name]["clearance_tenths"], (name, start, end)
    # Intergreens: every green that began after the call, from the last end of every conflicting green.
    last_end = {}
    for event in events:
        if event["name"] == "green-termination":
            last_end[event["subject"]] = event["tick"]
        elif event["name"] in ("begin-green", "begin-walk") and event["sequence"] > before:
            for name, end in last_end.items():
                needed = intergreen.get((name, event["subject"]))
                if needed is not None:
                    assert event["tick"] - end >= needed, (name, event, needed)
    # The dwell stage came on in the track clearance, the exit stage after the exit.
    dwell_greens = [e for e in recent if e["name"] == "begin-green" and e["subject"] in stages[preempt["dwell_stage"]]]
    exit_greens = [e for e in recent if e["name"] == "begin-green" and e["subject"] in stages[preempt["exit_stage"]]
                   and e["tick"] >= tick["preempt-exit"]]
    assert dwell_greens and exit_greens, recent
    record = (f"preempt events: " + ", ".join(f'{e["name"]} t+{(e["tick"] - entry) / 10:.1f}s' for e in ours))
    print(record)


def test_flash_on_enters_flash_by_the_automatic_flash_rule(normal, config):
    report = wait_for(
        normal,
        lambda s: s["mode"] == "normal" and any(
            g["state"] == "green" and g["interval_tenths"] is not None and g["interval_tenths"] <= 10
            for g in s["groups"]),
        120, "a green that has just begun", interval=0.05)
    before = report["counters"]["journal_last_sequence"]
    result = ctl(normal, "flash", "on")
    try:
        assert result.returncode == 0 and "flash on: accepted" in result.stdout, result.stderr
        check_flash_entry(normal, config, before)
    finally:
        leave = ctl(normal, "flash", "off")
        assert leave.returncode == 0, leave.stderr
        wait_for(normal, lambda s: s["mode"] in ("all-red", "normal"), 30, "leaving flash")


def check_flash_entry(normal, config, before):
    """The events after `before` show flash entered by the automatic-flash rule."""
    timing = group_timing(config)
    flashing = wait_for(normal, lambda s: s["mode"] == "flash", 90, "flash")
    assert flashing["flash_reason"] == "manual"
    events = events_since(normal, before - 300)
    recent = [e for e in events if e["sequence"] > before]
    flash = [e for e in recent if e["name"] == "flash-status"]
    assert flash and flash[0]["subject"] == "manual"
    flash_tick = flash[0]["tick"]
    audit = [e for e in recent if e.get("operator", {}).get("command") == "flash on"]
    assert audit and audit[0]["sequence"] < flash[0]["sequence"]
    # Every green running at the request served its minimum before its clearance began.
    began = {}
    for event in events:
        if event["name"] in ("begin-green", "begin-walk") and event["sequence"] <= before:
            began[event["subject"]] = event["tick"]
    terminated = {e["subject"]: e["tick"] for e in recent if e["name"] == "green-termination"}
    assert terminated, "no green ended on the way into flash"
    for name, tick in terminated.items():
        if name in began:
            assert tick - began[name] >= timing[name]["min_green_tenths"], (name, began[name], tick)
    # Clearances ran in full, then all-red for the startup all-red time, then flash.
    ambers = intervals(recent, "begin-amber", "end-amber")
    for name, pairs in ambers.items():
        for start, end in pairs:
            assert end - start >= timing[name]["clearance_tenths"], (name, start, end)
    clearance_ends = [e["tick"] for e in recent if e["name"] in ("end-amber", "begin-dont-walk") and e["tick"] <= flash_tick]
    assert clearance_ends
    all_red = flash_tick - max(clearance_ends)
    assert all_red >= config["startup_all_red_tenths"], \
        f"all-red before flash lasted {all_red} tenths, the junction's all-red is {config['startup_all_red_tenths']}"


# ---------------------------------------------------------------------------------------------
# Access control by peer credentials (root only)


def test_control_is_refused_to_a_reader_and_taken_from_an_admin(normal, users):
    socket_mode = stat.S_IMODE(os.stat(normal.control_socket).st_mode)
    assert socket_mode == 0o660
    assert grp.getgrgid(os.stat(normal.read_socket).st_gid).gr_name == READ_GROUP
    assert grp.getgrgid(os.stat(normal.control_socket).st_gid).gr_name == ADMIN_GROUP

    reads = ctl(normal, "status", user="jctl-reader")
    assert reads.returncode == 0, reads.stderr
    # The file mode keeps the reader off the control socket, and the message names the group.
    denied = ctl(normal, "flash", "on", user="jctl-reader")
    assert denied.returncode == 3 and "permission denied" in denied.stderr and ADMIN_GROUP in denied.stderr, denied.stderr
    # On the read socket, control is refused whoever asks.
    wrong_socket = ctl(normal, "hold", "on", "--socket", str(normal.read_socket), user="jctl-reader", directory=False)
    assert wrong_socket.returncode == 1 and "junctiond-control.sock" in wrong_socket.stderr
    # With the file mode opened up, SO_PEERCRED still refuses the reader.
    os.chmod(normal.control_socket, 0o666)
    try:
        peercred = ctl(normal, "hold", "on", user="jctl-reader")
        assert peercred.returncode == 1, peercred.stdout
        assert "forbidden" in peercred.stderr and ADMIN_GROUP in peercred.stderr
        assert str(users["reader"]) in peercred.stderr
        stranger = ctl(normal, "status", "--socket", str(normal.control_socket), user="jctl-nobody", directory=False)
        assert stranger.returncode != 0 and READ_GROUP in (stranger.stderr + stranger.stdout)
    finally:
        os.chmod(normal.control_socket, 0o660)
    assert status(normal)["hold"] is False

    nobody = ctl(normal, "status", user="jctl-nobody")
    assert nobody.returncode == 3 and "permission denied" in nobody.stderr and READ_GROUP in nobody.stderr

    # An admin outside the read group reads too (through the control socket, which its mode lets them reach).
    admin_reads = ctl(normal, "status", user="jctl-admin")
    assert admin_reads.returncode == 0 and "mode     " in admin_reads.stdout, admin_reads.stderr
    assert ctl(normal, "watch", "--json", "--count", "1", user="jctl-admin").returncode == 0

    wait_for(normal, lambda s: s["mode"] == "normal", 60, "normal operation")
    before = last_sequence(normal)
    taken = ctl(normal, "hold", "on", user="jctl-admin")
    assert taken.returncode == 0 and "hold on: accepted" in taken.stdout, taken.stderr
    assert status(normal)["hold"] is True
    audit = [e for e in events_since(normal, before) if e.get("operator")]
    assert audit[0]["operator"] == {"uid": users["admin"], "command": "hold on"}
    assert ctl(normal, "hold", "off", user="jctl-admin").returncode == 0
    forbidden_count = status(normal)["server"]["refused_forbidden"]
    assert forbidden_count >= 1


# ---------------------------------------------------------------------------------------------
# Client slots: idle connections are closed, and readers cannot lock admins out


def control_status(daemon):
    """Status over the control socket, which the reserved slots keep open to root."""
    replies = raw_request(daemon.control_socket, b'{"cmd":"status"}\n')
    assert replies and replies[0]["ok"], replies
    return replies[0]["data"]


@pytest.mark.timeout(120)
def test_blank_lines_do_not_keep_a_connection_open(short_idle):
    timeouts = control_status(short_idle)["server"]["timeouts"]
    received = b""
    with connect(short_idle.read_socket, timeout=0.2) as connection:
        # Far longer than the idle timeout: only a hang of the server would let this run out.
        deadline = time.monotonic() + 30 * SHORT_IDLE_MILLISECONDS / 1000
        while time.monotonic() < deadline:
            try:
                connection.sendall(b"\n")
                chunk = connection.recv(65536)
            except socket.timeout:
                continue
            except OSError:
                break
            if not chunk:
                break
            received += chunk
    replies = [json.loads(line) for line in received.decode().splitlines() if line.strip()]
    assert replies and replies[-1]["error"]["code"] == "timeout" and "idle" in replies[-1]["error"]["message"], \
        f"a client sending only blank lines was never timed out: {received[:500]!r}"
    assert control_status(short_idle)["server"]["timeouts"] > timeouts


@pytest.mark.timeout(120)
def test_requests_keep_a_connection_open_past_the_idle_timeout(short_idle):
    with connect(short_idle.read_socket) as connection:
        for number in range(3 * SHORT_IDLE_MILLISECONDS // 200):
            connection.sendall(b'{"id":%d,"cmd":"hello"}\n' % number)
            reply = read_line(connection)
            assert reply["ok"] and reply["id"] == number, reply
            time.sleep(0.2)


@pytest.mark.timeout(120)
def test_readers_holding_every_slot_leave_room_for_control(short_idle, users):
    cap = control_status(short_idle)["server"]["max_clients"]
    held = []
    try:
        # Readers take every ordinary slot and keep it as a subscriber may (never idle).
        for _ in range(cap):
            connection = connect(short_idle.read_socket)
            held.append(connection)
            connection.sendall(b'{"cmd":"subscribe","stream":"events"}\n')
            assert read_line(connection)["reply"] == "subscribe"
        one_more = raw_request(short_idle.read_socket, b'{"cmd":"hello"}\n')
        assert one_more and one_more[0]["error"]["code"] == "busy", one_more
        # An admin still gets in, by hand and with junctionctl, reads and controls.
        hello = raw_request(short_idle.control_socket, b'{"cmd":"hello"}\n')
        assert hello and hello[0]["ok"] and hello[0]["data"]["may_control"], hello
        admin = ctl(short_idle, "status", user="jctl-admin")
        assert admin.returncode == 0, admin.stderr
        refused = ctl(short_idle, "plan", "nosuch", user="jctl-admin")
        assert refused.returncode == 1 and "no plan named nosuch" in refused.stderr, refused.stderr
        # A reader with a loosened control socket is still held to the ordinary slots.
        os.chmod(short_idle.control_socket, 0o666)
        try:
            reader = ctl(short_idle, "status", "--socket", str(short_idle.control_socket), user="jctl-reader",
                         directory=False)
        finally:
            os.chmod(short_idle.control_socket, 0o660)
        assert reader.returncode == 1 and "busy" in reader.stderr, reader.stderr
        server = control_status(short_idle)["server"]
    finally:
        for connection in held:
            connection.close()
    assert server["refused_busy"] >= 2 and server["refused_busy_control"] == 0, server
    assert server["clients"] >= cap + 1 and server["reserved_control_slots"] >= 1, server


# ---------------------------------------------------------------------------------------------
# Directories in /tmp that another user made first


def hostile_directory(owner):
    """/tmp/junctiond-$UID of the jctl-reader test user, made world-writable by `owner` first."""
    uid = pwd.getpwnam("jctl-reader").pw_uid
    path = pathlib.Path(f"/tmp/junctiond-{uid}")
    shutil.rmtree(path, ignore_errors=True)
    subprocess.run(["runuser", "-u", owner, "--", "mkdir", "-m", "0777", str(path)], check=True)
    os.chmod(path, 0o777)
    return path


def run_as_reader(*command, timeout=60):
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("RUNTIME_DIRECTORY", "STATE_DIRECTORY", "JUNCTIOND_RUNTIME_DIRECTORY")}
    return subprocess.run(["runuser", "-u", "jctl-reader", "--", *command], capture_output=True, text=True,
                          timeout=timeout, env=environment)


@pytest.mark.timeout(120)
def test_a_demo_directory_made_by_another_user_is_refused(users):
    junctiond = copy_for_other_users(JUNCTIOND)
    directory = hostile_directory("jctl-nobody")
    # The reader's own state directory, where the reader can reach it (pytest's tmp_path is root's, 0700).
    state = pathlib.Path(tempfile.mkdtemp(prefix="jctl-state-"))
    shutil.chown(state, user="jctl-reader")
    try:
        # As the demo state directory: the daemon refuses to start, naming the owner and mode.
        refused = run_as_reader(junctiond, "--demo", "--view", "none", "--run-seconds", "1")
        assert refused.returncode == 1, refused.stdout + refused.stderr
        assert "jctl-nobody" in refused.stderr and "0777" in refused.stderr, refused.stderr
        # As the runtime directory: the junction runs, without sockets there, and says why.
        ran = run_as_reader(junctiond, "--demo", "--view", "none", "--run-seconds", "2", "--state-directory", str(state))
        assert ran.returncode == 0, ran.stdout + ran.stderr
        output = ran.stdout + ran.stderr
        assert "diagnostics" in output and "jctl-nobody" in output and "0777" in output, output
        assert not (directory / "junctiond.sock").exists() and not (directory / "junctiond-control.sock").exists()
        # junctionctl will not look for a socket there either.
        client = run_as_reader(junctionctl_for_other_users(), "status")
        assert client.returncode == 3 and "jctl-nobody" in client.stderr and "0777" in client.stderr, client.stderr
    finally:
        shutil.rmtree(directory, ignore_errors=True)
        shutil.rmtree(state, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# The live view


def test_watch_redraws_in_place_in_tmux(normal):
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    session = f"jctl-watch-{os.getpid()}"
    command = f"{JUNCTIONCTL} watch --runtime-directory {normal.directory} --interval-ms 250"
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "120", "-y", "40", command], check=True)
    try:
        time.sleep(3)
        first = subprocess.run(["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True).stdout
        coloured = subprocess.run(["tmux", "capture-pane", "-p", "-e", "-t", session], capture_output=True, text=True).stdout
        time.sleep(4)
        second = subprocess.run(["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True).stdout
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], check=False)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "junctionctl-watch-1.txt").write_text(first)
    (ARTIFACTS / "junctionctl-watch-2.txt").write_text(second)
    (ARTIFACTS / "junctionctl-watch-colour.txt").write_text(coloured)
    for text in (first, second):
        assert "junctiond  Cirebon" in text, text
        assert "loop lateness" in text and "N_stop" in text and "last end" in text
        assert text.count("\n") <= 40
    assert first != second, "the view did not change"
    assert any(f"\x1b[{code}m" in coloured for code in (31, 32, 33)), "no coloured heads"
    assert first.splitlines()[0].startswith("junctiond  Cirebon"), "not redrawn in place from the top"


def test_watch_stopped_past_the_daemons_patience_resumes_where_it_left_off(normal):
    """Stopped with Ctrl-Z for over 30 s, watch was closed by the daemon as a reader that took nothing, and on
    `fg` it exited with "closed the connection". It now subscribes again and the frames go on."""
    slow_before = status(normal)["server"]["slow_consumers"]
    watch = subprocess.Popen([JUNCTIONCTL, "watch", "--json", "--interval-ms", "100", "--runtime-directory",
                              str(normal.directory)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert json.loads(watch.stdout.readline())["mode"] == "normal"
        watch.send_signal(signal.SIGSTOP)
        # The daemon's limit for a reader that takes nothing is 30 s; it must have closed this one.
        deadline = time.monotonic() + 60
        while status(normal)["server"]["slow_consumers"] == slow_before and time.monotonic() < deadline:
            time.sleep(1)
        assert status(normal)["server"]["slow_consumers"] > slow_before, "the daemon never closed the stopped watch"
        watch.send_signal(signal.SIGCONT)
        resumed = time.monotonic()
        ticks = []
        while time.monotonic() - resumed < 4:
            line = watch.stdout.readline()
            assert line, watch.stderr.read()
            ticks.append(json.loads(line)["tick"])
        assert watch.poll() is None, watch.stderr.read()
        # The frames the socket held, then new ones from a new subscription: time goes on.
        assert ticks[-1] > ticks[0], ticks
    finally:
        watch.kill()
        watch.wait()


def test_watch_reports_a_daemon_that_closes_after_a_long_silence(normal, tmp_path):
    """A daemon silent for over 15 s inside one read, then closing, was taken for a Ctrl-Z resume: watch
    connected again instead of saying the daemon had closed the connection. A proxy in front of the daemon
    passes the subscription and its first frame, goes silent for 17 s, closes, and takes no second client."""
    proxy = tmp_path / "silent.sock"
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(proxy))
    listener.listen(1)

    def serve():
        client, _ = listener.accept()
        listener.close()
        with client, socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as daemon:
            daemon.connect(str(normal.directory / "junctiond.sock"))
            passed = b""
            while b'"stream"' not in passed:
                readable, _, _ = select.select([client, daemon], [], [], 10)
                assert readable, "the proxy saw nothing for 10 s"
                for source in readable:
                    data = source.recv(65536)
                    if not data:
                        return
                    (daemon if source is client else client).sendall(data)
                    if source is daemon:
                        passed += data
            time.sleep(17)

    server = threading.Thread(target=serve, daemon=True)
    server.start()
    watch = subprocess.run([JUNCTIONCTL, "watch", "--json", "--interval-ms", "10000", "--socket", str(proxy)],
                           capture_output=True, text=True, timeout=60)
    server.join(5)
    lines = watch.stdout.splitlines()
    # A frame, then the error, as JSON on stdout.
    assert len(lines) >= 2 and "mode" in json.loads(lines[0]), watch.stdout
    assert watch.returncode != 0 and json.loads(lines[-1])["error"]["code"] == "closed", watch.stdout


def test_watch_gives_up_on_a_daemon_that_sends_only_lines_of_another_stream(normal, tmp_path):
    """Every line that came in restarted the wait for a frame, so a peer sending lines of a stream watch does
    not show (ten a second) held it forever, past --timeout. A proxy passes the config and the subscription,
    then sends only such lines: watch gives up as it does on a silent daemon."""
    proxy = tmp_path / "other-stream.sock"
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(proxy))
    listener.listen(1)
    done = threading.Event()

    def serve():
        client, _ = listener.accept()
        listener.close()
        with client, client.makefile("rb") as requests:
            for line in requests:
                with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as daemon:
                    daemon.connect(str(normal.directory / "junctiond.sock"))
                    daemon.sendall(line)
                    client.sendall(daemon.makefile("rb").readline())
                if json.loads(line).get("cmd") == "subscribe":
                    while not done.is_set():
                        try:
                            client.sendall(b'{"v":1,"stream":"future-stream","data":{}}\n')
                        except (BrokenPipeError, ConnectionResetError):
                            return  # watch gave up and closed
                        time.sleep(0.1)
                    return

    server = threading.Thread(target=serve, daemon=True)
    server.start()
    started = time.monotonic()
    try:
        watch = subprocess.run([JUNCTIONCTL, "watch", "--json", "--timeout", "3", "--interval-ms", "1000",
                                "--socket", str(proxy)], capture_output=True, text=True, timeout=30)
    finally:
        done.set()
    elapsed = time.monotonic() - started
    lines = watch.stdout.splitlines()
    assert watch.returncode == 3 and lines and json.loads(lines[-1])["error"]["code"] == "timeout", watch.stdout
    assert elapsed < 15, elapsed


def test_a_flood_of_control_requests_is_logged_in_a_few_lines_and_counted():
    """Each control request wrote a log line: 20 admin clients pipelining 200 calls each wrote 3,203 lines in
    40 s. A technician's few in a row still get one line each; beyond ten in ten seconds from one uid the rest
    are counted, and the count is said when the ten seconds are over even if nothing follows."""
    daemon = Daemon("ctl-log")
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection, connection.makefile("rb") as replies:
            connection.settimeout(10)
            connection.connect(str(daemon.control_socket))
            for _ in range(40):
                connection.sendall(b'{"cmd":"call","detector":1}\n')
                assert json.loads(replies.readline()).get("ok") is True
        deadline = time.monotonic() + 20
        while "more control requests from uid" not in daemon.output() and time.monotonic() < deadline:
            time.sleep(0.2)
        lines = [line for line in daemon.output().splitlines() if "diagnostics:" in line and "control" in line]
        singles = [line for line in lines if "diagnostics: control \"call" in line]
        assert len(singles) == 10, lines
        assert re.search(r"diagnostics: 30 more control requests from uid \d+, not logged one by one "
                         r"\(each is in the event journal\)", daemon.output()), lines
    finally:
        daemon.stop()


def test_watch_into_a_pipe_read_late_goes_on(normal):
    """Blocked writing frames into a pipe nobody read for longer than its patience (a pager the user scrolls),
    watch gave up at its next read, with frames waiting in the socket: the time spent writing counted as the
    daemon's silence."""
    watch = subprocess.Popen([JUNCTIONCTL, "watch", "--json", "--interval-ms", "100", "--count", "150",
                              "--runtime-directory", str(normal.directory)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(9)  # nobody reads: the pipe fills within a few frames and watch blocks writing
    out, err = watch.communicate(timeout=60)
    assert watch.returncode == 0, err.decode()
    assert len(out.splitlines()) == 150


def test_watch_fits_80x24_without_wrapping_in_tmux(normal):
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    session = f"jctl-watch-small-{os.getpid()}"
    command = f"{JUNCTIONCTL} watch --runtime-directory {normal.directory} --interval-ms 250"
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "80", "-y", "24", command], check=True)
    try:
        time.sleep(3)
        # -J joins wrapped lines, so a line that wrapped shows up longer than 80 here.
        frames = [subprocess.run(["tmux", "capture-pane", "-p", "-J", "-t", session], capture_output=True,
                                 text=True).stdout]
        time.sleep(3)
        frames.append(subprocess.run(["tmux", "capture-pane", "-p", "-J", "-t", session], capture_output=True,
                                     text=True).stdout)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], check=False)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "junctionctl-watch-80x24.txt").write_text(frames[-1])
    for text in frames:
        lines = text.splitlines()
        assert lines[0].startswith("junctiond  Cirebon"), text
        assert len(lines) <= 24 and all(len(line) <= 80 for line in lines), text
        assert "N_stop" in text and "PW_button" in text and "loop lateness" in text, text
        assert lines[1].startswith(("stage ", "leaving stage ", "entering stage ")), text


# ---------------------------------------------------------------------------------------------
# Flood: garbage, oversized lines and a crowd of connections while the tick lateness is measured


def flood(directory, seconds, tallies):
    """Floods both sockets from several threads for `seconds`."""
    stop = time.monotonic() + seconds
    read_socket = str(directory / "junctiond.sock")
    control_socket = str(directory / "junctiond-control.sock")

    def garbage():
        rng = random.Random(1)
        while time.monotonic() < stop:
            try:
                with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                    s.settimeout(2)
                    s.connect(read_socket)
                    for _ in range(20):
                        s.sendall(bytes(rng.randrange(256) for _ in range(rng.randrange(1, 200))).replace(b"\n", b"") + b"\n")
                    while s.recv(65536):
                        tallies["garbage_replies"] += 1
            except OSError:
                tallies["errors"] += 1

    def oversized():
        while time.monotonic() < stop:
            try:
                with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                    s.settimeout(2)
                    s.connect(control_socket)
                    s.sendall(b'{"cmd":"status","pad":"' + b"x" * 20000)
                    data = s.recv(65536)
                    if b"too-long" in data:
                        tallies["too_long"] += 1
            except OSError:
                tallies["errors"] += 1

    def crowd():
        # Bursts of connections beyond the cap, held briefly, so the other floods get turns too.
        while time.monotonic() < stop:
            held = []
            try:
                for _ in range(40):
                    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                    held.append(s)
                    s.settimeout(2)
                    s.connect(read_socket)
                time.sleep(0.2)
                for s in held:
                    try:
                        if b"busy" in s.recv(4096, socket.MSG_DONTWAIT):
                            tallies["busy"] += 1
                    except OSError:
                        pass
            except OSError:
                tallies["errors"] += 1
            finally:
                for s in held:
                    s.close()
            time.sleep(0.3)

    def spam():
        while time.monotonic() < stop:
            received = b""
            try:
                with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                    s.settimeout(2)
                    s.connect(read_socket)
                    s.sendall(b'{"cmd":"status"}\n' * 50)
                    while received.count(b"\n") < 50:
                        chunk = s.recv(1 << 20)
                        if not chunk:
                            break
                        received += chunk
            except OSError:
                tallies["errors"] += 1
            # Status replies only (not a busy line), and those that came before a timeout too: on a
            # loaded machine a batch of 50 may not finish within the client's 2 s, and was lost whole.
            tallies["status_replies"] += received.count(b'"reply":"status"')

    threads = [threading.Thread(target=work) for work in (garbage, garbage, oversized, crowd, spam)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


@pytest.mark.timeout(420)
def test_flood_leaves_the_tick_lateness_unaffected(users_if_root):
    """Two daemons run side by side through the same window, so they share whatever else loads
    the machine; only one of them is flooded. Both run as deployed: SCHED_FIFO, mlockall and
    cpu_dma_latency 0 where permitted (each is skipped, and logged, if refused)."""
    seconds = int(os.environ.get("JUNCTIONCTL_FLOOD_SECONDS", "20"))
    calm = Daemon("calm", seed=1, realtime=True)
    flooded = Daemon("flood", seed=1, realtime=True)
    try:
        for daemon in (calm, flooded):
            wait_for(daemon, lambda s: s["mode"] == "normal", 40, "normal operation")
        tallies = {"garbage_replies": 0, "too_long": 0, "busy": 0, "status_replies": 0, "errors": 0}
        flood(flooded.directory, seconds, tallies)
        # A legitimate client is served as soon as the flood stops.
        calm_report, flood_report = status(calm), status(flooded)
    finally:
        calm.stop()
        flooded.stop()
    calm_loop, flood_loop, server = calm_report["loop"], flood_report["loop"], flood_report["server"]

    def row(name, loop):
        return (f"{name:8} ticks {loop['ticks']:6}  p50 {loop['lateness_p50_nanoseconds'] / 1000:8.1f} us  "
                f"p99 {loop['lateness_p99_nanoseconds'] / 1000:8.1f} us  p99.9 {loop['lateness_p999_nanoseconds'] / 1000:8.1f} us  "
                f"max {loop['lateness_max_nanoseconds'] / 1000:8.1f} us  overruns {loop['overruns']}  "
                f"missed {loop['missed_ticks']}  longest tick {loop['max_tick_work_nanoseconds'] / 1000:.1f} us")

    summary = "\n".join([
        f"tick lateness of two daemons run side by side (startup, then {seconds} s with one of them flooded)",
        row("no flood", calm_loop), row("flood", flood_loop),
        f"flood as the daemon counted it: {json.dumps(server)}",
        f"flood as the clients saw it: {json.dumps(tallies)}",
    ])
    print("\n" + summary)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "diagnostics-flood.txt").write_text(summary + "\n")

    # Each kind of flood reached the server and was counted (how much of each got past the cap
    # depends on how much CPU the server's low-priority thread got, so only presence is checked).
    assert server["refused_busy"] > 0 and tallies["busy"] > 0
    assert server["oversized_lines"] > 0 and tallies["too_long"] > 0
    assert server["errors"] > 0 and tallies["garbage_replies"] > 0
    assert tallies["status_replies"] > 0, "readers are still served during the flood"
    # The flood adds no overruns or missed ticks beyond what the calm daemon beside it counted
    # (whatever else loads the machine hits both), give or take one in a thousand ticks.
    tolerance = max(2, flood_loop["ticks"] // 1000)
    assert flood_loop["overruns"] <= calm_loop["overruns"] + tolerance, summary
    assert flood_loop["missed_ticks"] <= calm_loop["missed_ticks"] + tolerance, summary
    # Lateness stays within a small fraction of the 100 ms period, or near the calm daemon's own.
    assert flood_loop["lateness_p99_nanoseconds"] < max(10_000_000, 4 * calm_loop["lateness_p99_nanoseconds"]), summary
