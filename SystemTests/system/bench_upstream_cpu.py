"""Benchmark: the junction-side CPU cost of upstream reporting at 1 Hz.

Runs two junctiond processes side by side for the same wall time on the built-in Cirebon junction,
one with an [upstream] section (status every second, store writer committing every 5 s, records
forwarded to a test central that acknowledges) and one without, and prints the CPU seconds of
each (utime + stime from /proc), the difference per second of running, and the ratio.

Usage: .venv/bin/python SystemTests/system/bench_upstream_cpu.py [seconds, default 60]
(JUNCTIOND_BIN selects the binary, default .build/release/junctiond)."""

import json
import os
import pathlib
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from upstream_peer import CentralTestPeer, upstream_section  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
BINARY = os.environ.get("JUNCTIOND_BIN", str(ROOT / ".build/release/junctiond"))
CIREBON = ROOT / "hardware/junctions/cirebon-4arm.toml"
KEY_HEX = "42" * 32
TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS_PER_SECOND


def start(directory, config):
    return subprocess.Popen([BINARY, "--config", str(config), "--view", "none", "--state-directory", str(directory)],
                            stdout=open(directory / "log", "w"), stderr=subprocess.STDOUT)


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 60.0
    central = CentralTestPeer(7, bytes.fromhex(KEY_HEX))
    with tempfile.TemporaryDirectory() as base:
        plain_dir = pathlib.Path(base) / "plain"
        upstream_dir = pathlib.Path(base) / "upstream"
        plain_dir.mkdir()
        upstream_dir.mkdir()
        plain_config = plain_dir / "junction.toml"
        plain_config.write_text(CIREBON.read_text())
        upstream_config = upstream_dir / "junction.toml"
        upstream_config.write_text(CIREBON.read_text()
                                   + upstream_section(7, KEY_HEX, central.port, upstream_dir / "junctiond.db"))
        plain = start(plain_dir, plain_config)
        upstream = start(upstream_dir, upstream_config)
        time.sleep(3)  # past startup, before measuring
        before = (cpu_seconds(plain.pid), cpu_seconds(upstream.pid))
        time.sleep(seconds)
        after = (cpu_seconds(plain.pid), cpu_seconds(upstream.pid))
        for process in (plain, upstream):
            process.send_signal(signal.SIGTERM)
        for process in (plain, upstream):
            process.wait(timeout=90)
    reports = len(central.statuses)
    central.close()
    plain_cpu = after[0] - before[0]
    upstream_cpu = after[1] - before[1]
    figures = {
        "seconds": seconds,
        "cpu_seconds_without_upstream": round(plain_cpu, 3),
        "cpu_seconds_with_upstream": round(upstream_cpu, 3),
        "reporting_cpu_percent_of_one_core": round(100 * (upstream_cpu - plain_cpu) / seconds, 3),
        "ratio_with_to_without": round(upstream_cpu / plain_cpu, 3) if plain_cpu > 0 else None,
        "status_reports_received": reports,
        "events_received": len(central.events),
    }
    print(json.dumps(figures, indent=2))
    artifacts = ROOT / "artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "upstream-cpu.json").write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
