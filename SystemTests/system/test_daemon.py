"""System tests of the built junctiond: systemd notify and watchdog, SIGHUP reload, SIGTERM
safe stop, a service that fails to start after others (all stopped, exit 1), the persisted fault
latch from a real trip to its reset, and --check-config. They run the real binary (JUNCTIOND_BIN,
default .build/release/junctiond; JUNCTIONCTL_BIN for junctionctl) against the simulated junction.

Test hooks of the daemon used here, each read only from its environment variable:
  JUNCTIOND_TEST_STALL_AFTER_TICKS=N          hold the control loop after N ticks (watchdog test)
  JUNCTIOND_TEST_READBACK_DARK_AFTER_TICKS=N  the simulated field's read-back of group 0 goes dark
                                              after N ticks: a real read-back mismatch to latch

No assertion depends on an idle machine: durations are measured between the daemon's own log
timestamps, or against limits many times what a busy machine needs. Every test has a time limit
(pytest-timeout), so a hang fails in minutes."""

import datetime
import json
import os
import pathlib
import re
import shutil
import signal
import socket
import statistics
import subprocess
import tempfile
import time

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BINARY = os.environ.get("JUNCTIOND_BIN", str(ROOT / ".build/release/junctiond"))
JUNCTIONCTL = os.environ.get("JUNCTIONCTL_BIN", str(ROOT / ".build/release/junctionctl"))
CIREBON = ROOT / "hardware/junctions/cirebon-4arm.toml"
TEST_TIMEOUT_SECONDS = 240
NOBODY = 65534

pytestmark = pytest.mark.timeout(TEST_TIMEOUT_SECONDS)


class Daemon:
    """A junctiond process with its output collected and a notify socket it reports to."""

    def __init__(self, tmp_path, *args, env=None, notify=True, state_directory=None, user=None, binary=BINARY,
                 cwd=None):
        self.notify_path = tmp_path / "notify.sock"
        self.notify = None
        environment = dict(os.environ)
        environment.pop("NOTIFY_SOCKET", None)
        environment.pop("WATCHDOG_USEC", None)
        if notify:
            self.notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            self.notify.bind(str(self.notify_path))
            environment["NOTIFY_SOCKET"] = str(self.notify_path)
        environment.update(env or {})
        self.log_path = tmp_path / "daemon.log"
        self.log = open(self.log_path, "w")
        command = [binary, "--view", "lines", "--state-directory", str(state_directory or tmp_path), *args]
        if user is not None:
            command = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", "--", *command]
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT, env=environment, cwd=cwd)

    def messages(self, seconds):
        """Every notify datagram received within `seconds`, with its arrival time."""
        received = []
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.notify.settimeout(max(deadline - time.monotonic(), 0.01))
            try:
                data = self.notify.recv(4096).decode()
            except socket.timeout:
                break
            for line in data.split("\n"):
                if line:
                    received.append((time.monotonic(), line))
        return received

    def wait_for_output(self, text, seconds):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if text in self.output():
                return True
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        return text in self.output()

    def output(self):
        if not self.log.closed:
            self.log.flush()
        return self.log_path.read_text()

    def logged_at(self, text):
        """The daemon's own timestamp of the first log line containing `text`."""
        for line in self.output().splitlines():
            match = LOG_TIME.match(line)
            if match and text in line:
                return datetime.datetime.fromisoformat(match.group(1).replace("Z", "+00:00")).timestamp()
        raise AssertionError(f"no log line with {text!r}:\n{self.output()}")

    def stop(self, sig=signal.SIGTERM, timeout=90):
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            return self.process.wait(timeout=timeout)
        finally:
            if self.notify:
                self.notify.close()
            self.log.close()

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


LOG_TIME = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) ")


@pytest.fixture
def daemons():
    started = []
    yield started
    for daemon in started:
        daemon.kill()


def messages_until(daemon, predicate, seconds):
    """Notify messages collected until `predicate(messages)` holds or `seconds` pass."""
    received = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not predicate(received):
        received += daemon.messages(0.25)
    return received


def test_ready_then_watchdog_keeps_coming(tmp_path, daemons):
    daemon = Daemon(tmp_path, "--demo", env={"WATCHDOG_USEC": "1000000"})
    daemons.append(daemon)
    messages = messages_until(daemon, lambda got: any(text == "READY=1" for _, text in got), 60)
    texts = [text for _, text in messages]
    assert "READY=1" in texts, texts
    # Fed at half the 1 s interval. Twenty feeds, however long a busy machine takes to send them.
    messages += messages_until(daemon, lambda got: sum(text == "WATCHDOG=1" for _, text in got) >= 20, 60)
    texts = [text for _, text in messages]
    ready_at = texts.index("READY=1")
    watchdogs = [at for at, text in messages[ready_at:] if text == "WATCHDOG=1"]
    assert len(watchdogs) >= 20, texts
    gaps = sorted(later - earlier for earlier, later in zip(watchdogs, watchdogs[1:]))
    # The typical gap is the half interval; nine in ten stay inside the interval systemd enforces,
    # measured here at the receiver, which a busy machine delays as well.
    assert 0.3 <= statistics.median(gaps) <= 0.7, gaps
    assert gaps[int(len(gaps) * 0.9) - 1] < 1.0, gaps


def test_watchdog_stops_when_the_loop_stalls(tmp_path, daemons):
    # The test hook holds the real-time loop after 20 ticks (2 s); the feeder must go silent.
    daemon = Daemon(tmp_path, "--demo", env={"WATCHDOG_USEC": "1000000", "JUNCTIOND_TEST_STALL_AFTER_TICKS": "20"})
    daemons.append(daemon)
    before = messages_until(daemon, lambda got: "stalling the control loop" in daemon.output(), 120)
    assert "stalling the control loop" in daemon.output(), daemon.output()
    assert any(text == "WATCHDOG=1" for _, text in before), "the watchdog was fed before the stall"
    stalled_seen = time.monotonic()
    # Fed every 0.5 s while the loop ran: over 8 s that would be about 16 feeds. The feeder may
    # send one last feed before it sees the heartbeat stand still, within one interval.
    after = [at for at, text in daemon.messages(8.0) if text == "WATCHDOG=1"]
    late = [round(at - stalled_seen, 2) for at in after if at - stalled_seen > 1.5]
    assert not late, f"the watchdog was still fed this long after the stall: {late}"


def test_sigterm_leaves_the_junction_in_flash_and_exits_zero(tmp_path, daemons):
    daemon = Daemon(tmp_path, "--demo", notify=False)
    daemons.append(daemon)
    assert daemon.wait_for_output("mode normal", 30), daemon.output()
    status = daemon.stop(signal.SIGTERM)
    output = daemon.output()
    assert status == 0, output
    assert "junction in flash; stopping" in output
    final_view = [line for line in output.splitlines() if " mode " in line][-1]
    assert "mode flash" in final_view, final_view


def test_stray_signals_are_ignored_and_sigterm_in_the_startup_flash_stops_at_once(tmp_path, daemons):
    """SIGUSR1, SIGUSR2, SIGALRM and SIGPIPE ended the daemon on the spot (no flash, no log line), and SIGTERM in
    the startup flash waited for the whole startup flash (up to 120 s, past systemd's stop timeout) although its
    lamps were flashing all along. Stray signals are now logged and ignored, and the startup flash counts as flash."""
    config = tmp_path / "junction.toml"
    config.write_text(re.sub(r"\[startup\]\nflash = [0-9.]+", "[startup]\nflash = 120.0", CIREBON.read_text()))
    daemon = Daemon(tmp_path, "--config", str(config), notify=False)
    daemons.append(daemon)
    assert daemon.wait_for_output("junctiond ready", 30), daemon.output()
    for stray in (signal.SIGUSR1, signal.SIGUSR2, signal.SIGALRM, signal.SIGPIPE):
        daemon.process.send_signal(stray)
        time.sleep(0.2)
        assert daemon.process.poll() is None, (stray, daemon.process.returncode, daemon.output())
    assert daemon.wait_for_output("SIGALRM", 10), daemon.output()
    # Far less than the 120 s startup flash; the bound is only there so that a regression fails instead of hanging.
    status = daemon.stop(signal.SIGTERM, timeout=60)
    output = daemon.output()
    assert status == 0, output
    assert "junction in flash; stopping" in output and "did not reach flash" not in output, output
    assert "event=ignored" in output, output


def test_a_stop_asks_systemd_for_as_long_as_the_files_flash_entry_needs(tmp_path, daemons):
    """The unit's TimeoutStopSec is one value for every file, but a crossing with a long walk takes longer to reach
    flash; the daemon tells systemd how long its own stop may take (EXTEND_TIMEOUT_USEC with STOPPING=1) so that
    systemd does not kill it short of flash."""
    # Without the fixed-time plans and their schedule, whose splits could not hold a 250 s walk.
    text = CIREBON.read_text()
    text = text[:text.index("[[plans]]")] + text[text.index("\n[[preempt]]") + 1:]
    config = tmp_path / "junction.toml"
    config.write_text(text.replace("walk = 7\n", "walk = 250\n", 1))
    daemon = Daemon(tmp_path, "--config", str(config))
    daemons.append(daemon)
    messages_until(daemon, lambda got: any(text == "READY=1" for _, text in got), 60)
    daemon.process.send_signal(signal.SIGTERM)
    texts = [text for _, text in messages_until(daemon, lambda got: any(t.startswith("EXTEND") for _, t in got), 30)]
    assert "STOPPING=1" in texts, (texts, daemon.output())
    extension = [int(text.split("=")[1]) for text in texts if text.startswith("EXTEND_TIMEOUT_USEC=")]
    assert len(extension) == 1 and texts.index("STOPPING=1") < texts.index(f"EXTEND_TIMEOUT_USEC={extension[0]}"), texts
    # The walk and its 15 s clearance, and more: the wait covers the rest of the flash entry too.
    assert extension[0] > (250 + 15) * 1_000_000, texts
    assert daemon.stop(signal.SIGTERM, timeout=60) == 0, daemon.output()


def cirebon_from_a_copy(tmp_path, daemons):
    """The Cirebon junction run from a copy of its file, which the test may then change and reload."""
    config = tmp_path / "junction.toml"
    shutil.copy(CIREBON, config)
    daemon = Daemon(tmp_path, "--config", str(config), notify=False)
    daemons.append(daemon)
    return config, daemon


def test_sighup_reloads_the_schedule_with_the_plans(tmp_path, daemons):
    """A reload that renames the scheduled plan: the schedule follows the file, so the plan runs
    under its new name rather than staying in free operation, and no choice is refused."""
    config = tmp_path / "junction.toml"
    every_day = re.sub(
        r"switches = \[.*?\]\n", 'switches = [{ at = 00:00:00, plan = "off_peak" }]\n', CIREBON.read_text(), flags=re.S)
    config.write_text(every_day)
    daemon = Daemon(tmp_path, "--config", str(config), notify=False)
    daemons.append(daemon)
    assert daemon.wait_for_output("plan off_peak", 60), daemon.output()
    config.write_text(every_day.replace('"off_peak"', '"midday"'))
    daemon.process.send_signal(signal.SIGHUP)
    assert daemon.wait_for_output("reload applied", 60), daemon.output()
    # The driver's line once the controller runs it (not the line that posts the choice).
    assert daemon.wait_for_output("plan midday (pattern", 60), daemon.output()
    # A refusal is noticed at the driver's next look, a second on.
    time.sleep(2)
    assert "refused" not in daemon.output().split("reload applied", 1)[1], daemon.output()
    assert daemon.stop() == 0


def test_sighup_with_a_broken_file_keeps_the_running_plan(tmp_path, daemons):
    config, daemon = cirebon_from_a_copy(tmp_path, daemons)
    assert daemon.wait_for_output("mode normal", 30), daemon.output()
    config.write_text(CIREBON.read_text().replace("max_green = 45", "max_green = 4"))
    daemon.process.send_signal(signal.SIGHUP)
    assert daemon.wait_for_output("reload refused, the running plan continues", 10), daemon.output()
    refusal = daemon.output().split("reload refused", 1)[1]
    assert "max_green" in refusal, refusal
    before = daemon.output().count(" stage ")
    deadline = time.monotonic() + 90
    while daemon.output().count(" stage ") == before and time.monotonic() < deadline:
        time.sleep(0.5)
    assert daemon.process.poll() is None, "still running on the old plan"
    assert daemon.output().count(" stage ") > before, "stages keep changing after the refused reload"


def test_sighup_with_a_file_junctiond_could_not_start_with_is_refused(tmp_path, daemons):
    """Valid as a file, but its key file is missing: applied, it would be the file the next
    restart fails on."""
    config, daemon = cirebon_from_a_copy(tmp_path, daemons)
    assert daemon.wait_for_output("mode normal", 30), daemon.output()
    config.write_text(CIREBON.read_text() + '\n[upstream]\njunction_id = 3\nkey_file = "/nonexistent/up.key"\n'
                      'central = ["127.0.0.1:4700"]\n')
    daemon.process.send_signal(signal.SIGHUP)
    assert daemon.wait_for_output("reload refused, the running plan continues", 10), daemon.output()
    refusal = daemon.output().split("reload refused", 1)[1]
    assert "could not start with it" in refusal and "/nonexistent/up.key" in refusal, refusal
    assert daemon.stop() == 0


def test_sighup_with_a_good_file_applies_at_a_stage_rest(tmp_path, daemons):
    config, daemon = cirebon_from_a_copy(tmp_path, daemons)
    assert daemon.wait_for_output("mode normal", 30), daemon.output()
    # Stages renamed as well: the lines after the reload name the new file's stages, not the old.
    renamed = re.sub(r'"S([1-5])"', r'"Phase\1"', CIREBON.read_text().replace("max_green = 45", "max_green = 50"))
    config.write_text(renamed)
    daemon.process.send_signal(signal.SIGHUP)
    assert daemon.wait_for_output("reload applied", 60), daemon.output()
    assert daemon.wait_for_output('"Phase', 60), daemon.output()
    # The log is written by a thread of its own, so its lines and the view's may interleave a little
    # differently: from the first line naming a new stage on, no line names an old one.
    after = daemon.output().split('"Phase', 1)[1]
    assert not re.search(r'stage \d "S[1-5]"', after), after
    assert daemon.stop() == 0


def test_a_latched_fault_survives_a_restart(tmp_path, daemons):
    (tmp_path / "latched-fault").write_text(
        "kind=1\ntick=42\ngroups=0,2\ndescription=conflicting groups N and S open together\n")
    daemon = Daemon(tmp_path, "--demo", "--run-seconds", "4", notify=False)
    daemons.append(daemon)
    assert daemon.process.wait(timeout=60) == 0
    output = daemon.output()
    assert "still in force" in output
    assert "mode fault" in output
    assert "mode normal" not in output
    assert (tmp_path / "latched-fault").exists()


def test_check_config_accepts_the_examples_and_names_the_field_of_an_error(tmp_path):
    for example in sorted((ROOT / "hardware/junctions").glob("*.toml")):
        result = subprocess.run([BINARY, "--check-config", str(example)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        assert "valid" in result.stdout
    broken = tmp_path / "broken.toml"
    broken.write_text(CIREBON.read_text().replace("amber = 3.0", "amber = 2.0", 1))
    result = subprocess.run([BINARY, "--check-config", str(broken)], capture_output=True, text=True)
    assert result.returncode != 0
    assert "amber" in result.stderr and "line" in result.stderr, result.stderr
    # Valid as a file, but junctiond could start with it nowhere: refused.
    sumo = tmp_path / "sumo.toml"
    sumo.write_text(CIREBON.read_text() + '\n[field]\ndetectors = "sumo"\n')
    result = subprocess.run([BINARY, "--check-config", str(sumo)], capture_output=True, text=True)
    assert result.returncode == 2 and "junction-bench" in result.stderr, result
    # A key file missing here is a warning: the file may be checked before it is installed.
    keyed = tmp_path / "keyed.toml"
    keyed.write_text(CIREBON.read_text() + '\n[upstream]\njunction_id = 3\nkey_file = "/nonexistent/up.key"\n'
                     'central = ["127.0.0.1:4700"]\n')
    result = subprocess.run([BINARY, "--check-config", str(keyed)], capture_output=True, text=True)
    assert result.returncode == 0 and "valid" in result.stdout, result
    assert "warning" in result.stderr and "/nonexistent/up.key" in result.stderr, result.stderr


def test_missing_config_file_is_a_clear_startup_error(tmp_path):
    result = subprocess.run([BINARY, "--config", str(tmp_path / "absent.toml"), "--view", "none"],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    assert "absent.toml" in result.stderr and "no such file" in result.stderr, result.stderr



def test_out_of_range_and_conflicting_options_are_usage_errors_naming_the_value(tmp_path):
    """Probe 4's D1, D2 and D8: --run-seconds 9223372037 trapped on an arithmetic overflow after READY (a
    crash-restart loop under systemd), --run-seconds=-5 ran and exited 0, a negative value given apart was
    reported as "Missing value", and --check-config ignored --demo and --run-seconds without a word."""
    cases = {
        ("--run-seconds", "9223372037"): "--run-seconds takes 1 to 9223372036 seconds, not 9223372037",
        ("--run-seconds=-5",): "--run-seconds takes 1 to 9223372036 seconds, not -5",
        ("--run-seconds", "-1"): "not -1",
        ("--run-seconds", "0"): "not 0",
        ("--seed", "-1"): "The value '-1' is invalid for '--seed <seed>'",
        ("--check-config", str(CIREBON), "--demo"): "--check-config only checks the file",
        ("--check-config", str(CIREBON), "--run-seconds", "5"): "--check-config only checks the file",
    }
    for args, message in cases.items():
        result = subprocess.run([BINARY, *args, "--view", "none", "--state-directory", str(tmp_path),
                                 "--runtime-directory", str(tmp_path)], capture_output=True, text=True, timeout=30)
        assert result.returncode == 64, (args, result.returncode, result.stderr)
        assert message in result.stderr and "Missing value" not in result.stderr, (args, result.stderr)
        assert "ready" not in result.stdout + result.stderr, (args, result.stdout)


def test_a_state_directory_that_is_missing_or_no_directory_is_refused_at_start(tmp_path):
    """Probe 4's D6 and D7: a --state-directory that did not exist started the junction with nowhere to latch
    a safety fault or keep the upstream replay state (every poll then went unanswered), and one that was a FIFO
    or a file put the junction in flash as if a fault were latched, exiting 0. Both are an operator's typo:
    refused before anything runs, with the path and what it is."""
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    plain = tmp_path / "plain"
    plain.write_text("")
    cases = {
        str(tmp_path / "missing" / "state"): "does not exist",
        str(fifo): "is a FIFO (named pipe), not a directory",
        str(plain): "is a regular file, not a directory",
        "": "the path is empty",
    }
    for path, message in cases.items():
        result = subprocess.run([BINARY, "--demo", "--view", "none", "--run-seconds", "1", "--state-directory", path,
                                 "--runtime-directory", str(tmp_path)], capture_output=True, text=True, timeout=30)
        assert result.returncode == 1, (path, result.returncode, result.stdout, result.stderr)
        assert "junctiond: state directory: " in result.stderr and message in result.stderr, (path, result.stderr)
        assert "ready" not in result.stdout + result.stderr and "flash" not in result.stdout, (path, result.stdout)
    # A state directory from systemd ($STATE_DIRECTORY) is held to the same rule.
    result = subprocess.run([BINARY, "--demo", "--view", "none", "--run-seconds", "1",
                             "--runtime-directory", str(tmp_path)], capture_output=True, text=True, timeout=30,
                            env={**os.environ, "STATE_DIRECTORY": str(fifo)})
    assert result.returncode == 1 and "is a FIFO (named pipe), not a directory" in result.stderr, result.stderr


def test_a_state_directory_others_may_change_is_refused_at_start(tmp_path):
    """The latched fault lives in the state directory: one that others may write to let another user remove
    it (or plant a FIFO where its replacement is written, which hung the daemon past SIGTERM). It was accepted;
    it is refused before anything runs, as the runtime directory is."""
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    os.chown(foreign, 65534, 65534)
    foreign.chmod(0o700)
    cases = {
        shared: "has mode 0777: group or others may write to it",
        foreign: "with mode 0700, not by uid 0",
    }
    for path, message in cases.items():
        result = subprocess.run([BINARY, "--demo", "--view", "none", "--run-seconds", "1", "--state-directory",
                                 str(path), "--runtime-directory", str(tmp_path)],
                                capture_output=True, text=True, timeout=30)
        assert result.returncode == 1, (path, result.returncode, result.stdout, result.stderr)
        assert "junctiond: state directory: " in result.stderr and message in result.stderr, (path, result.stderr)
        assert "ready" not in result.stdout + result.stderr, (path, result.stdout)

# ---------------------------------------------------------------------------------------------
# A service that cannot start stops what started before it (issue 14)


def test_a_late_start_failure_stops_everything_and_exits_one(tmp_path, daemons):
    # Upstream reads its key file when it starts, after the control loop and the diagnostic
    # sockets are already running; a key file that does not exist fails that start.
    config = tmp_path / "junction.toml"
    config.write_text(CIREBON.read_text() + f"""
[upstream]
junction_id = 7
key_file = "{tmp_path / 'absent.key'}"
central = ["127.0.0.1:9"]
listen = "127.0.0.1:0"
store = "{tmp_path / 'junctiond.db'}"
""")
    runtime = tmp_path / "run"
    daemon = Daemon(tmp_path, "--config", str(config), "--runtime-directory", str(runtime), notify=False)
    daemons.append(daemon)
    status = daemon.process.wait(timeout=60)
    output = daemon.output()
    assert status == 1, output
    # The loop and the diagnostic sockets had started before upstream failed ...
    assert "control loop running" in output and f"diagnostics: serving {runtime}" in output, output
    # ... and were stopped before the exit: the sockets removed, the loop by way of flash.
    assert not (runtime / "junctiond.sock").exists() and not (runtime / "junctiond-control.sock").exists()
    assert "junction in flash; stopping" in output, output
    # The reason is the last line, after everything logged on the way to it.
    assert output.rstrip().splitlines()[-1].startswith("junctiond: "), output
    assert "cannot start upstream" in output and "absent.key" in output, output
    assert "junctiond ready" not in output, output


# ---------------------------------------------------------------------------------------------
# A pending reload never holds up SIGTERM (issue 13, defect 1)


def fault_record(directory):
    (directory / "latched-fault").write_text(
        "kind=1\ntick=42\ngroups=0,2\ndescription=conflicting groups N and S open together\n")


@pytest.mark.parametrize("config_kind", ["valid file that cannot apply", "fifo"])
def test_sigterm_during_a_pending_reload_flashes_and_exits_zero(tmp_path, daemons, config_kind):
    config = tmp_path / "junction.toml"
    shutil.copy(CIREBON, config)
    # A latched fault keeps the junction out of normal mode, so a valid reload waits for a stage
    # rest that never comes; a FIFO without a writer is a file whose read never ends.
    fault_record(tmp_path)
    daemon = Daemon(tmp_path, "--config", str(config), notify=False)
    daemons.append(daemon)
    assert daemon.wait_for_output("mode fault", 60), daemon.output()
    if config_kind == "fifo":
        config.unlink()
        os.mkfifo(config)
        daemon.process.send_signal(signal.SIGHUP)
        assert daemon.wait_for_output("event=reload", 30), daemon.output()
    else:
        config.write_text(CIREBON.read_text().replace("max_green = 45", "max_green = 50"))
        daemon.process.send_signal(signal.SIGHUP)
        assert daemon.wait_for_output("waiting for the next stage rest", 60), daemon.output()
    daemon.process.send_signal(signal.SIGTERM)
    assert daemon.wait_for_output("junction in flash; stopping", 120), daemon.output()
    assert daemon.stop(timeout=60) == 0, daemon.output()
    # On the base the supervisor sat in the reload (30 s of waiting, or forever on the FIFO) and
    # acted on SIGTERM only after it. Measured by the daemon's own clock, a pass is 0.2 s.
    delay = daemon.logged_at("junction in flash; stopping") - daemon.logged_at("signal=SIGTERM")
    assert delay < 10, f"SIGTERM acted on {delay:.1f} s after it arrived:\n{daemon.output()}"


def resident_kib(pid):
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError(f"no VmRSS for {pid}")


def test_refused_reloads_do_not_grow_the_daemon(tmp_path, daemons):
    config, daemon = cirebon_from_a_copy(tmp_path, daemons)
    assert daemon.wait_for_output("junctiond ready", 60), daemon.output()
    # 10,000 unknown keys: a 150 KB file with 10,000 problems, parsed in the daemon itself.
    # A parser that keeps what it parsed grows it megabytes a refusal (TOMLKit, replaced, did).
    unknown = "".join(f"unknown_{index} = 1\n" for index in range(10_000))
    config.write_text(CIREBON.read_text().replace("[junction]\n", "[junction]\n" + unknown, 1))
    samples = []
    for reload in range(1, 41):
        daemon.process.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 60
        while daemon.output().count("reload refused") < reload and time.monotonic() < deadline:
            time.sleep(0.05)
        assert daemon.output().count("reload refused") == reload, daemon.output()[-2000:]
        samples.append(resident_kib(daemon.process.pid))
    # Every key is found; the report lists the first 50 (it once made one 1 MB log line per SIGHUP).
    assert "unknown_49" in daemon.output() and "and 9950 more problems" in daemon.output(), daemon.output()[-2000:]
    # Measured after the first ten, once the heap holds a refusal's passing memory.
    growth = samples[-1] - samples[9]
    assert growth < 10_000, f"resident memory grew {growth} KiB over 30 refused reloads: {samples}"
    assert daemon.stop() == 0


def test_a_relative_runtime_directory_holds_the_sockets_from_the_working_directory(tmp_path, daemons):
    # It used to turn the diagnostic sockets off ("unsupported") and run on without them.
    daemon = Daemon(tmp_path, "--demo", "--runtime-directory", "sockets", notify=False, cwd=tmp_path)
    daemons.append(daemon)
    assert daemon.wait_for_output("diagnostics: serving sockets", 60), daemon.output()
    status = junctionctl(tmp_path / "sockets", "status")
    assert status.returncode == 0, status
    assert daemon.stop() == 0, daemon.output()
    assert not (tmp_path / "sockets" / "junctiond.sock").exists()


# ---------------------------------------------------------------------------------------------
# The fault latch, from a real trip to its reset


def junctionctl(directory, *args):
    return subprocess.run([JUNCTIONCTL, *args, "--runtime-directory", str(directory)],
                          capture_output=True, text=True, timeout=60)


def test_a_real_read_back_fault_latches_survives_a_restart_and_is_reset(tmp_path, daemons):
    state = tmp_path / "state"
    state.mkdir()
    record = state / "latched-fault"
    # Group 0's lamps read back dark after 20 s, in normal running (startup takes 14 s): the
    # monitor sees a read-back mismatch.
    tripped = Daemon(tmp_path, "--demo", "--runtime-directory", str(tmp_path), notify=False, state_directory=state,
                     env={"JUNCTIOND_TEST_READBACK_DARK_AFTER_TICKS": "200"})
    daemons.append(tripped)
    assert tripped.wait_for_output("safety monitor latched fault flash", 120), tripped.output()
    deadline = time.monotonic() + 30
    while not record.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    text = record.read_text()
    assert "kind=8\n" in text and "groups=0\n" in text and "but shows -" in text, text
    assert "mode normal" in tripped.output(), "it ran normally before the trip"
    assert tripped.stop() == 0, tripped.output()

    restarted = Daemon(tmp_path, "--demo", "--runtime-directory", str(tmp_path), notify=False, state_directory=state)
    daemons.append(restarted)
    assert restarted.wait_for_output("mode fault", 60), restarted.output()
    assert "still in force" in restarted.output() and "but shows -" in restarted.output()
    assert "mode normal" not in restarted.output()
    status = junctionctl(tmp_path, "status")
    assert status.returncode == 0 and "fault" in status.stdout, status

    reset = junctionctl(tmp_path, "reset-fault")
    assert reset.returncode == 0, reset
    assert restarted.wait_for_output("latched fault cleared by reset", 30), restarted.output()
    deadline = time.monotonic() + 30
    while record.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not record.exists(), "the record outlived the reset"
    assert restarted.wait_for_output("mode normal", 120), restarted.output()
    assert restarted.stop() == 0


def state_directory_for_nobody(tmp_path):
    """A state directory the test can fill but user nobody cannot read, beside a runtime
    directory and a copy of the binary that nobody can use."""
    shared = pathlib.Path(tempfile.mkdtemp(prefix="junctiond-nobody-"))
    os.chmod(shared, 0o755)
    state = shared / "state"
    state.mkdir(mode=0o700)
    runtime = shared / "run"
    runtime.mkdir()
    os.chown(runtime, NOBODY, NOBODY)
    binary = shared / "junctiond"
    shutil.copy(BINARY, binary)
    os.chmod(binary, 0o755)
    return shared, state, runtime, binary


@pytest.mark.parametrize("kind", ["missing", "corrupt", "fifo", "directory", "too large", "unreadable"])
def test_a_doubtful_latch_record_means_flash_with_the_reason(tmp_path, daemons, kind):
    state = tmp_path / "state"
    state.mkdir()
    record = state / "latched-fault"
    extra = ["--runtime-directory", str(tmp_path)]
    user = None
    binary = BINARY
    if kind == "corrupt":
        record.write_text("kind=1\ntick=\x00\x01garbage")
    elif kind == "fifo":
        os.mkfifo(record)
    elif kind == "directory":
        record.mkdir()
    elif kind == "too large":
        record.write_text("description=" + "x" * 10_000 + "\n")
    elif kind == "unreadable":
        # A non-root daemon whose state directory it cannot read (EACCES): on the base,
        # fileExists said false and the latched fault was forgotten without a word.
        if os.geteuid() != 0:
            pytest.fail("this case needs root to run the daemon as another user")
        shared, state, runtime, binary = state_directory_for_nobody(tmp_path)
        fault_record(state)
        extra = ["--runtime-directory", str(runtime)]
        user = NOBODY
    daemon = Daemon(tmp_path, "--demo", "--run-seconds", "3", *extra, notify=False, state_directory=state, user=user,
                    binary=str(binary))
    daemons.append(daemon)
    assert daemon.process.wait(timeout=120) == 0, daemon.output()
    output = daemon.output()
    if kind == "unreadable":
        shutil.rmtree(shared, ignore_errors=True)
    if kind == "missing":
        assert "mode fault" not in output and "latched" not in output, output
        return
    assert "cannot tell whether a safety fault is latched" in output, output
    assert "treated as latched" in output
    reason = {"corrupt": "corrupt", "fifo": "FIFO", "directory": "a directory", "too large": "bytes",
              "unreadable": "EACCES"}[kind]
    critical = next(line for line in output.splitlines() if "cannot tell whether" in line)
    assert " critical " in critical and reason in critical, critical
    assert "mode fault" in output and "mode normal" not in output, output


def test_a_state_directory_the_daemon_cannot_write_is_said_at_start_and_shown_in_status(tmp_path, daemons):
    """A read-only or full state directory started the junction without a word until a fault was latched, and
    that fault was then forgotten at the next restart. The daemon (user nobody, a directory root owns, 0755)
    still runs the junction, and says so at once, in the log and in `junctionctl status`."""
    if os.geteuid() != 0:
        pytest.fail("this case needs root to run the daemon as another user")
    shared, state, runtime, binary = state_directory_for_nobody(tmp_path)
    os.chmod(state, 0o755)
    daemon = Daemon(tmp_path, "--demo", "--runtime-directory", str(runtime), notify=False, state_directory=state,
                    user=NOBODY, binary=str(binary))
    daemons.append(daemon)
    try:
        assert daemon.wait_for_output("mode normal", 120), daemon.output()
        said = next(line for line in daemon.output().splitlines() if "cannot be written" in line)
        assert str(state) in said and "EACCES" in said and "next restart" in said, said
        status = json.loads(junctionctl(runtime, "status", "--json").stdout)
        record = next(service for service in status["services"] if service["name"] == "fault-record")
        assert record["state"] == "unwritable" and record["counters"]["failed_writes"] == 1, record
        assert daemon.stop() == 0, daemon.output()
    finally:
        shutil.rmtree(shared, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# Tick stalls: a stopped process is one event and one log line, with the measured stall


def test_a_stopped_process_is_one_tick_stall_with_its_measured_length(tmp_path, daemons):
    daemon = Daemon(tmp_path, "--demo", "--runtime-directory", str(tmp_path), notify=False)
    daemons.append(daemon)
    assert daemon.wait_for_output("junctiond ready", 60), daemon.output()
    deadline = time.monotonic() + 30
    while junctionctl(tmp_path, "status").returncode != 0 and time.monotonic() < deadline:
        time.sleep(0.2)
    stopped_at = time.monotonic()
    os.kill(daemon.process.pid, signal.SIGSTOP)
    # The stall under test: the whole process, loop thread included, stands still about 3 s.
    time.sleep(3)
    os.kill(daemon.process.pid, signal.SIGCONT)
    stopped_ms = (time.monotonic() - stopped_at) * 1000
    assert daemon.wait_for_output("control loop stalled", 60), daemon.output()

    lines = [line for line in daemon.output().splitlines() if "control loop stalled" in line]
    assert len(lines) == 1, lines
    logged_ms = int(re.search(r"stall_ms=(\d+)", lines[0]).group(1))
    # The loop was due at most one period (100 ms) before the stop and woke after the continue.
    assert stopped_ms - 150 <= logged_ms <= stopped_ms + 10_000, (logged_ms, stopped_ms, lines)

    events = junctionctl(tmp_path, "events", "--json", "--limit", "500")
    assert events.returncode == 0, events
    stalls = [event for event in json.loads(events.stdout)["events"] if event["name"] == "tick-stall"]
    assert len(stalls) == 1, events.stdout
    assert stalls[0]["code"] == 207 and stalls[0]["parameter"] == logged_ms, stalls
    assert abs(stalls[0]["wall_time_milliseconds"] / 1000 - time.time()) < 600, stalls

    text = junctionctl(tmp_path, "events", "--limit", "500")
    assert any(f"tick-stall (207)" in line and f"stalled {logged_ms} ms" in line for line in text.stdout.splitlines()), text.stdout
    status = junctionctl(tmp_path, "status", "--json")
    clock = json.loads(status.stdout)["clock"]
    assert clock["tick_stalls"] == 1 and clock["last_tick_stall_milliseconds"] == logged_ms, clock
    assert clock["uptime_seconds"] >= 3, clock
    human = junctionctl(tmp_path, "status").stdout
    assert "1 tick stalls" in human and re.search(r"time     \d{4}-\d\d-\d\dT", human), human
    assert daemon.stop() == 0, daemon.output()
