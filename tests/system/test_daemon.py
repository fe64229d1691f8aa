"""System tests of the built junctiond: systemd notify and watchdog, SIGHUP reload, SIGTERM
safe stop, the persisted fault latch, and --check-config. They run the real binary
(JUNCTIOND_BIN, default .build/release/junctiond) against the built-in simulated junction."""

import os
import pathlib
import shutil
import signal
import socket
import subprocess
import time

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BINARY = os.environ.get("JUNCTIOND_BIN", str(ROOT / ".build/release/junctiond"))
CIREBON = ROOT / "hardware/junctions/cirebon-4arm.toml"


class Daemon:
    """A junctiond process with its output collected and a notify socket it reports to."""

    def __init__(self, tmp_path, *args, env=None, notify=True):
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
        self.process = subprocess.Popen(
            [BINARY, "--view", "lines", "--state-directory", str(tmp_path), *args],
            stdout=self.log, stderr=subprocess.STDOUT, env=environment)

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


@pytest.fixture
def daemons():
    started = []
    yield started
    for daemon in started:
        daemon.kill()


def test_ready_then_watchdog_keeps_coming(tmp_path, daemons):
    daemon = Daemon(tmp_path, "--demo", env={"WATCHDOG_USEC": "400000"})
    daemons.append(daemon)
    messages = daemon.messages(4.0)
    texts = [text for _, text in messages]
    assert "READY=1" in texts, texts
    ready_at = texts.index("READY=1")
    watchdogs = [at for at, text in messages[ready_at:] if text == "WATCHDOG=1"]
    # Fed at half the 400 ms interval: about 18 in the 3.6 s after READY; allow slack for CI.
    assert len(watchdogs) >= 8, texts
    gaps = [later - earlier for earlier, later in zip(watchdogs, watchdogs[1:])]
    assert max(gaps) < 0.4, gaps


def test_watchdog_stops_when_the_loop_stalls(tmp_path, daemons):
    # The test hook holds the real-time loop after 20 ticks (2 s); the feeder must go silent.
    daemon = Daemon(tmp_path, "--demo", env={"WATCHDOG_USEC": "400000", "JUNCTIOND_TEST_STALL_AFTER_TICKS": "20"})
    daemons.append(daemon)
    messages = daemon.messages(6.0)
    watchdogs = [at for at, text in messages if text == "WATCHDOG=1"]
    assert watchdogs, "the watchdog was fed before the stall"
    assert daemon.wait_for_output("stalling the control loop", 1)
    silence = messages[-1][0] - watchdogs[-1] if messages else 0
    assert time.monotonic() - watchdogs[-1] > 2.0, f"watchdog still fed {silence:.1f} s before the end"


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


def test_sighup_with_a_broken_file_keeps_the_running_plan(tmp_path, daemons):
    config = tmp_path / "junction.toml"
    shutil.copy(CIREBON, config)
    daemon = Daemon(tmp_path, "--config", str(config), notify=False)
    daemons.append(daemon)
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


def test_sighup_with_a_good_file_applies_at_a_stage_rest(tmp_path, daemons):
    config = tmp_path / "junction.toml"
    shutil.copy(CIREBON, config)
    daemon = Daemon(tmp_path, "--config", str(config), notify=False)
    daemons.append(daemon)
    assert daemon.wait_for_output("mode normal", 30), daemon.output()
    config.write_text(CIREBON.read_text().replace("max_green = 45", "max_green = 50"))
    daemon.process.send_signal(signal.SIGHUP)
    assert daemon.wait_for_output("reload applied", 60), daemon.output()
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


def test_missing_config_file_is_a_clear_startup_error(tmp_path):
    result = subprocess.run([BINARY, "--config", str(tmp_path / "absent.toml"), "--view", "none"],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    assert "absent.toml" in result.stderr and "no such file" in result.stderr, result.stderr
