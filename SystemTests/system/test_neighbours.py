"""System test of the neighbour link (docs/config.md, `[neighbours]`): three real junctiond processes
on loopback, A ↔ B ↔ C, each running the simulated field of the Cirebon junction, their neighbour
datagrams passing through relays this test controls (30 % loss, delay, duplicates, a replayed
capture, a message held past `late_after`, one sealed with a wrong key). C is killed with SIGKILL
and restarted. Everything is asserted from `junctionctl status --json`: every junction keeps
ticking with 0 overruns, the counters show accepted profiles and drops by reason, B falls back
(C stale) while C is down and recovers (C fresh) once it is back; and B's upstream status report
carries the summed neighbour counters (docs/protocol.md, counters 35–49).

Environment:
    JUNCTIOND_BIN     the daemon under test (default .build/release/junctiond)
    JUNCTIONCTL_BIN   junctionctl (default .build/release/junctionctl)"""

import json
import os
import pathlib
import random
import signal
import socket
import struct
import subprocess
import threading
import time

import pytest

from upstream_peer import CentralTestPeer, seal

ROOT = pathlib.Path(__file__).resolve().parents[2]
BINARY = os.environ.get("JUNCTIOND_BIN", str(ROOT / ".build/release/junctiond"))
JUNCTIONCTL = os.environ.get("JUNCTIONCTL_BIN", str(ROOT / ".build/release/junctionctl"))
CIREBON = ROOT / "hardware/junctions/cirebon-4arm.toml"
NEIGHBOUR_OUTFLOW = 32
UPSTREAM_KEY = "757073747265616d2d6b65792d666f722d6e65696768626f7572732d74657374"
PAIR_KEYS = {frozenset((1, 2)): "61622d706169722d6b65792d6e65696768626f7572732d746573742d31323334",
             frozenset((2, 3)): "62632d706169722d6b65792d6e65696768626f7572732d746573742d35363738"}
WRONG_KEY = bytes.fromhex("77726f6e672d6b65792d77726f6e672d6b65792d77726f6e672d6b65792d2121")


def free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(predicate, seconds, what):
    """Polls `predicate` until it returns a true value (returned), failing with `what` after `seconds`."""
    deadline = time.monotonic() + seconds
    last = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(0.25)
    pytest.fail(f"timed out after {seconds} s waiting for {what}")


class Relay:
    """The road into one junction's neighbour socket: every neighbour sends here, and the relay forwards
    to the junction after a delay, dropping `loss` of the datagrams and sending `duplicate` of them twice.
    It keeps the last datagram it forwarded, so the test can replay it, and can hold one back past
    `late_after`."""

    def __init__(self, target_port, loss=0.3, duplicate=0.1, delay=(0.0, 0.05), seed=15):
        self.target = ("127.0.0.1", target_port)
        self.loss, self.duplicate, self.delay = loss, duplicate, delay
        self.random = random.Random(seed)
        self.lock = threading.Lock()
        self.captured = None
        self.hold_next_for = None
        self.counts = {"received": 0, "dropped": 0, "duplicated": 0, "held": 0}
        self.front = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.front.bind(("127.0.0.1", 0))
        self.front.settimeout(0.1)
        self.port = self.front.getsockname()[1]
        self.out = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.running = True
        self.thread = threading.Thread(target=self._pump, daemon=True)
        self.thread.start()

    def close(self):
        self.running = False
        self.thread.join()
        self.front.close()
        self.out.close()

    def send(self, data, after=0.0):
        """Delivers `data` to the junction, `after` seconds from now."""
        if after <= 0:
            self.out.sendto(data, self.target)
        else:
            threading.Timer(after, lambda: self.running and self.out.sendto(data, self.target)).start()

    def _pump(self):
        while self.running:
            try:
                data, _ = self.front.recvfrom(4096)
            except socket.timeout:
                continue
            except OSError:
                return
            with self.lock:
                self.counts["received"] += 1
                if self.hold_next_for is not None:
                    self.send(data, self.hold_next_for)
                    self.hold_next_for = None
                    self.counts["held"] += 1
                    continue
                if self.random.random() < self.loss:
                    self.counts["dropped"] += 1
                    continue
                self.captured = data
                self.send(data, self.random.uniform(*self.delay))
                if self.random.random() < self.duplicate:
                    self.counts["duplicated"] += 1
                    self.send(data, self.random.uniform(*self.delay))


class Junction:
    """One junctiond with [upstream] and [neighbours], its own state and runtime directories and log."""

    def __init__(self, tmp_path, junction_id, listen_port, central_port):
        self.id = junction_id
        self.listen_port = listen_port
        self.central_port = central_port
        self.directory = tmp_path / f"j{junction_id}"
        self.directory.mkdir()
        self.config = self.directory / "junction.toml"
        self.log_path = self.directory / "junctiond.log"
        self.process = None
        self.log = None

    def write_config(self, neighbours):
        """`neighbours`: (id, relay port, outflow, inflow) per neighbour."""
        junction = CIREBON.read_text()
        # The validator's shortest startup (3 s flash, 2 s all-red), so the junction soon runs normally.
        junction = junction.replace("\nflash = 10.0\n", "\nflash = 3.0\n").replace("\nall_red = 4.0\n", "\nall_red = 2.0\n")
        text = junction + f"""
[upstream]
junction_id = {self.id}
key = "{UPSTREAM_KEY}"
central = ["127.0.0.1:{self.central_port}"]
listen = "127.0.0.1:0"
store = "{self.directory / 'junctiond.db'}"

[neighbours]
listen = "127.0.0.1:{self.listen_port}"
stale_after = 3.0
late_after = 2.0
"""
        for other, port, outflow, inflow in neighbours:
            text += f"""
[[neighbours.junction]]
junction_id = {other}
address = "127.0.0.1:{port}"
key = "{PAIR_KEYS[frozenset((self.id, other))]}"
outflow = {outflow}
inflow = {inflow}
travel = 30.0
"""
        self.config.write_text(text)

    def start(self):
        self.log = open(self.log_path, "a")
        environment = {key: value for key, value in os.environ.items() if key not in ("NOTIFY_SOCKET", "WATCHDOG_USEC")}
        self.process = subprocess.Popen(
            [BINARY, "--config", str(self.config), "--view", "none", "--state-directory", str(self.directory),
             "--runtime-directory", str(self.directory), "--seed", str(self.id)],
            stdout=self.log, stderr=subprocess.STDOUT, env=environment)
        return self

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)
        self.log.close()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=90)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.log and not self.log.closed:
            self.log.close()

    def output(self):
        return self.log_path.read_text()

    def status(self):
        """`junctionctl status --json`, or None while the socket does not answer."""
        if self.process.poll() is not None:
            pytest.fail(f"junction {self.id} exited with {self.process.returncode}:\n{self.output()}")
        result = subprocess.run([JUNCTIONCTL, "status", "--json", "--runtime-directory", str(self.directory)],
                                capture_output=True, text=True, timeout=30)
        return json.loads(result.stdout) if result.returncode == 0 else None

    def neighbour(self, other):
        """The `neighbour-N` service of the status: state and counters, or None before it shows."""
        status = self.status()
        if status is None:
            return None
        for service in status.get("services", []):
            if service["name"] == f"neighbour-{other}":
                return service
        return None


def outflow_payload(bins=5):
    """A small valid OutflowProfile payload: start -1 s, `bins` bins of one vehicle."""
    return struct.pack(">hB", -10, bins) + struct.pack(f">{bins}H", *([100] * bins))


@pytest.fixture
def corridor(tmp_path):
    central = CentralTestPeer(2, bytes.fromhex(UPSTREAM_KEY))
    ports = {junction: free_udp_port() for junction in (1, 2, 3)}
    # Only B reports to the central peer (which speaks for one junction id); A and C to a port nobody reads.
    centrals = {1: free_udp_port(), 2: central.port, 3: free_udp_port()}
    junctions = {junction: Junction(tmp_path, junction, ports[junction], centrals[junction]) for junction in (1, 2, 3)}
    relays = {junction: Relay(ports[junction], seed=junction) for junction in (1, 2, 3)}
    # A (west) ↔ B ↔ C (east): eastbound traffic leaves on W's green toward the east, arrives on the
    # next junction's W approach; westbound the same with E.
    junctions[1].write_config([(2, relays[2].port, "{ W = 0.9 }", "{ E = 0.9 }")])
    junctions[2].write_config([(1, relays[1].port, "{ E = 0.9 }", "{ W = 0.9 }"),
                               (3, relays[3].port, "{ W = 0.9 }", "{ E = 0.9 }")])
    junctions[3].write_config([(2, relays[2].port, "{ E = 0.9 }", "{ W = 0.9 }")])
    for junction in junctions.values():
        junction.start()
    yield junctions, relays, central
    for junction in junctions.values():
        junction.stop()
    for relay in relays.values():
        relay.close()
    central.close()


def counter(service, name):
    return service["counters"].get(name, 0) if service else 0


def test_three_junctions_exchange_fall_back_and_recover(corridor):
    junctions, relays, central = corridor
    a, b, c = junctions[1], junctions[2], junctions[3]
    links = [(a, 2), (b, 1), (b, 3), (c, 2)]

    # 1. Through 30 % loss, delay and duplicates every link is heard and its forecast is used.
    for junction, other in links:
        wait_until(lambda: (lambda s: s and s["state"] == "fresh" and counter(s, "accepted") >= 5)(junction.neighbour(other)),
                   60, f"junction {junction.id} to hear neighbour {other}")

    # 2. A replayed capture, a message held past late_after and one sealed with the wrong key, into B.
    captured = wait_until(lambda: relays[2].captured, 10, "a datagram into B to capture")
    before = {other: b.neighbour(other) for other in (1, 3)}
    relays[2].send(captured, after=0.2)
    relays[2].hold_next_for = 3.0
    sender = struct.unpack_from(">I", captured, 4)[0]
    forged = seal(WRONG_KEY, NEIGHBOUR_OUTFLOW, sender, 2, 1, 1, outflow_payload())
    relays[2].send(forged)
    wait_until(lambda: counter(b.neighbour(sender), "drop_replayed") > counter(before[sender], "drop_replayed"),
               20, "B to drop the replayed capture")
    wait_until(lambda: counter(b.neighbour(sender), "drop_unauthenticated") > counter(before[sender], "drop_unauthenticated"),
               20, "B to drop the forged datagram")
    wait_until(lambda: sum(counter(b.neighbour(other), "drop_late") for other in (1, 3)) > 0,
               20, "B to drop the datagram held past late_after")
    assert "dropped: unauthenticated" in b.output() and "dropped: replayed" in b.output(), b.output()

    # 3. C killed: B falls back (C stale) and keeps ticking; C restarted: B recovers (C fresh).
    recoveries = counter(b.neighbour(3), "recoveries")
    c.kill()
    wait_until(lambda: (lambda s: s and s["state"] == "stale")(b.neighbour(3)), 30, "B to mark C stale")
    stale = b.neighbour(3)
    assert counter(stale, "stale_events") >= 1, stale
    # A's link is not touched by C's death (30 % loss may still make it stale for a moment).
    wait_until(lambda: (lambda s: s and s["state"] == "fresh")(b.neighbour(1)), 30, "B to keep hearing A")
    ticks_while_down = b.status()["tick"]
    time.sleep(2)
    assert b.status()["tick"] > ticks_while_down
    c.start()
    wait_until(lambda: (lambda s: s and s["state"] == "fresh" and counter(s, "recoveries") > recoveries)(b.neighbour(3)),
               60, "B to hear C again after its restart")
    wait_until(lambda: (lambda s: s and s["state"] == "fresh")(c.neighbour(2)), 60, "the restarted C to hear B")

    # 4. Every junction ticked without an overrun; B's upstream report carries the neighbour counters.
    for junction in junctions.values():
        status = wait_until(lambda: (lambda s: s if s and s["mode"] == "normal" else None)(junction.status()), 30,
                            f"junction {junction.id} to run normally")
        assert status["loop"]["overruns"] == 0, (junction.id, status["loop"])
    def both_fresh():
        latest = central.latest_status()
        return latest if latest and latest["counters"].get("neighbours_fresh") == 2 else None

    report = wait_until(both_fresh, 30, "a status report from B with both neighbours fresh")
    assert report["counters"]["neighbour_profiles_accepted"] > 0, report["counters"]
    assert report["counters"]["neighbour_drop_unauthenticated"] >= 1, report["counters"]
    assert report["counters"]["neighbour_stale_events"] >= 1, report["counters"]
    summary = {"relays": {junction: relay.counts for junction, relay in relays.items()},
               "b": {other: b.neighbour(other) for other in (1, 3)}}
    print(json.dumps(summary, indent=2))
