"""GPIO hardware-in-the-loop: junctiond on Debian 12's kernel in a QEMU guest, with gpio-sim
chips as the cabinet (hardware/vm/run-gpio-test.sh, hardware/vm/guest/scenario.sh).

The guest runs the T-junction of hardware/junctions/t-junction-gpio.toml: the scenario pulses and
holds detector lines, samples the lamp and watchdog lines, and shorts a lit lamp's driver at the
end. These tests read the guest's console: junctiond's own `--view lines` output and backend
report, the scenario's steps and the line samples.

Every test runs twice: with junctiond built against Debian 12's libgpiod 1.6 (`libgpiod1`) and
against libgpiod 2.x (`libgpiod2`: Debian 13's source built by scripts/build-libgpiod2.sh into a
private prefix), through the one C shim of Sources/CGPIOShim. CI runs each in its own stage
(scripts/test.sh: gpio_vm and gpio_vm_gpiod2, `-k libgpiod1` and `-k libgpiod2`).

Set GPIO_VM_CONSOLE to a console log of an earlier run to check it without booting the guest
(with `-k` naming the libgpiod version that run used)."""

import os
import pathlib
import re
import subprocess
import tomllib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
JUNCTION = tomllib.loads((ROOT / "hardware/junctions/t-junction-gpio.toml").read_text())
# Lamp offsets on the jd-lamps chip, in the order the scenario's LAMPS lines print them.
VEHICLE_HEADS = {"W": 0, "WR": 3, "E": 6, "S": 9}
PEDESTRIAN_HEADS = {"PS": 12, "PE": 14}
DETECTOR_NUMBER = {d["name"]: i + 1 for i, d in enumerate(JUNCTION["detectors"])}


class GuestRun:
    """The parsed console of one guest run, with junctiond built against libgpiod `libgpiod` (1 or 2)."""

    def __init__(self, text, seconds, libgpiod):
        self.libgpiod = libgpiod
        self.text = text.replace("\r", "")
        self.seconds = seconds
        lines = self.text.split("\n")
        try:
            start, end = lines.index("=== junctiond ==="), lines.index("=== end junctiond ===")
        except ValueError:
            start, end = len(lines), len(lines)
        self.daemon = lines[start + 1:end]
        self.console = lines[:start] + lines[end + 1:]
        self.steps = [line for line in self.console if line.startswith("STEP ")]
        self.views = [line for line in self.daemon if " mode " in line and " | " in line]
        self.reports = [line[line.index("gpio inputs:"):] for line in self.daemon if "gpio inputs:" in line]
        self.lamps = []
        for line in self.console:
            match = re.fullmatch(r"LAMPS ([\d.]+) ([01]{16})", line)
            if match:
                self.lamps.append((float(match.group(1)), decode(match.group(2))))
        self.watchdog = {}
        for line in self.console:
            match = re.fullmatch(r"WATCHDOG (\S+) ([01]+)", line)
            if match:
                self.watchdog[match.group(1)] = match.group(2)

    def step_time(self, text):
        for line in self.steps:
            if text in line:
                return float(line.split()[1])
        return None


def decode(bits):
    """Aspect per group from the 16 lamp lines: R, RA, G, A, DW, W, '-' (dark) or X (illegal)."""
    vehicle = {"100": "R", "110": "RA", "001": "G", "010": "A", "000": "-"}
    pedestrian = {"10": "DW", "01": "W", "00": "-"}
    aspects = {}
    for group, first in VEHICLE_HEADS.items():
        aspects[group] = vehicle.get(bits[first:first + 3], "X" + bits[first:first + 3])
    for group, first in PEDESTRIAN_HEADS.items():
        aspects[group] = pedestrian.get(bits[first:first + 2], "X" + bits[first:first + 2])
    return aspects


def view_signals(line):
    """Group → aspect from a `--view lines` line."""
    signals = {}
    for part in line.split(" | ")[1:]:
        words = part.split()
        if words and words[0] in VEHICLE_HEADS.keys() | PEDESTRIAN_HEADS.keys():
            signals[words[0]] = words[1]
    return signals


def marks(line):
    """Detector number → mark (`#` occupied, `.` clear, `!` fault, `x` unreadable) of a view line."""
    tail = line.split(" | det ")[-1] if " | det " in line else ""
    return {int(m.group(1)): m.group(2) for m in re.finditer(r"(\d+)([#.!x])", tail)}


def report_counts(report):
    """Detector name → (presence, delivered rising edges) from a `gpio inputs:` line."""
    body = report.split(":", 1)[1].split(";")[0]
    counts = {}
    for item in body.split(","):
        name, level, rises = item.split()
        counts[name] = (level == "on", int(rises))
    return counts


@pytest.fixture(scope="module", params=[1, 2], ids=["libgpiod1", "libgpiod2"])
def run(request):
    existing = os.environ.get("GPIO_VM_CONSOLE")
    if existing:
        return GuestRun(pathlib.Path(existing).read_text(errors="replace"), None, request.param)
    log = ROOT / "artifacts" / f"gpio-vm-console-libgpiod{request.param}.log"
    log.parent.mkdir(exist_ok=True)
    # The boot, and gpio-sim.ko's build on a first run, took about 2 min in CI: 800 s means a hang. It
    # stays under the stage's per-test limit (--timeout=900 in scripts/test.sh), so this error is the one
    # seen. CI builds junctiond before (run-gpio-test.sh --build-only), outside this limit.
    completed = subprocess.run(
        ["bash", str(ROOT / "hardware/vm/run-gpio-test.sh"), str(log)],
        env=os.environ | {"JUNCTIOND_VM_LIBGPIOD": str(request.param)},
        stderr=subprocess.PIPE, text=True, timeout=800)
    print(completed.stderr)
    assert completed.returncode == 0, completed.stderr[-3000:]
    seconds = re.search(r"guest ran (\d+) s", completed.stderr)
    return GuestRun(log.read_text(errors="replace"), int(seconds.group(1)) if seconds else None, request.param)


def test_junctiond_ran_on_the_libgpiod_under_test(run):
    # libgpiod 1.6 is libgpiod.so.2; 2.x is libgpiod.so.3, from the private prefix.
    mapped = [line.split(" ", 1)[1] for line in run.console if line.startswith("LIBGPIOD ")]
    assert mapped, run.console[-20:]
    expected = {1: "/libgpiod.so.2", 2: "/opt/libgpiod2/lib/libgpiod.so.3"}[run.libgpiod]
    assert expected in mapped[0], mapped


def test_the_guest_ran_the_whole_scenario(run):
    assert "GUEST scenario exit 0" in run.console, run.text[-4000:]
    for step in ["normal operation", "stage S2 commanded", "detector faults shown", "fault latched",
                 "junctiond exited 0"]:
        assert run.step_time(step) is not None, (step, run.steps)
    assert run.lamps, "the scenario sampled the lamp lines"


def test_detector_counts_and_states_reach_junctiond(run):
    assert run.reports, run.daemon[-20:]
    counts = report_counts(run.reports[-1])
    assert counts["E_stop"] == (False, 3), counts
    assert counts["WR_stop"] == (False, 1), counts
    assert counts["PS_button"] == (False, 12), counts
    assert counts["S_stop"] == (True, 0), "held since before the start: present, never a rising edge"
    for name in ["W_stop", "W_advance", "E_advance", "PE_button"]:
        assert counts[name] == (False, 0), (name, counts)
    assert "missed 0" in run.reports[-1], run.reports[-1]
    # The view's detector marks: S_stop occupied and healthy before its fault, others clear.
    s_stop = DETECTOR_NUMBER["S_stop"]
    normal = [marks(line) for line in run.views if "mode normal" in line]
    assert any(m.get(s_stop) == "#" for m in normal), run.views
    assert all(m.get(DETECTOR_NUMBER["W_stop"]) == "." for m in normal)


def test_a_commanded_stage_change_drives_the_lamp_lines(run):
    # The WR_stop call makes the controller move from S1 (W, E) to S2 (W, WR): E must go green,
    # amber, red, then WR red+amber (PM 49/2014) and green, while W stays green throughout.
    called = run.step_time("pulsed WR_stop 1")
    samples = [aspects for at, aspects in run.lamps if at >= called]
    wr_green = next(i for i, aspects in enumerate(samples) if aspects["WR"] == "G")
    e_green = max(i for i, aspects in enumerate(samples[:wr_green]) if aspects["E"] == "G")
    change = samples[e_green:wr_green + 1]
    wr = [aspects["WR"] for aspects in change]
    e = [aspects["E"] for aspects in change]
    assert "A" in e and "RA" in wr, (e, wr)
    assert e.index("A") < e.index("R") < wr.index("RA") < wr.index("G"), (e, wr)
    assert all(aspects["W"] == "G" for aspects in change), [aspects["W"] for aspects in change]
    assert [line for line in run.views if 'stage 2 "S2"' in line], "junctiond reported the change to S2"
    rest = samples[wr_green]
    assert (rest["W"], rest["WR"], rest["E"], rest["S"], rest["PS"], rest["PE"]) == ("G", "G", "R", "R", "DW", "DW"), rest


def test_the_lamp_lines_never_show_conflicting_groups_open(run):
    # From normal operation to the injected fault (flash, before and after, lights amber alone).
    opened = {"G", "A", "RA", "W"}
    conflicts = JUNCTION["conflicts"]
    normal, faulted = run.step_time("normal operation"), run.step_time("shorted lamp line")
    checked = [(at, aspects) for at, aspects in run.lamps if normal <= at < faulted]
    assert len(checked) > 100, len(checked)
    # A sample reads the lines one by one, so one that straddles a switch may mix two aspects.
    mixed = [at for at, aspects in checked if any(aspect[0] == "X" for aspect in aspects.values())]
    assert len(mixed) <= len(checked) // 50, mixed
    for at, aspects in checked:
        for group, others in conflicts.items():
            for other in others:
                assert not (aspects[group] in opened and aspects[other] in opened), (at, aspects)


def test_the_watchdog_toggles_while_healthy_and_stops_on_a_fault(run):
    def changes(bits):
        return sum(1 for a, b in zip(bits, bits[1:]) if a != b)

    assert changes(run.watchdog["healthy"]) >= 5, run.watchdog
    assert changes(run.watchdog["before-fault"]) >= 5, run.watchdog
    assert changes(run.watchdog["faulted"]) == 0, run.watchdog


def test_a_shorted_lamp_driver_latches_the_monitor(run):
    faults = [line for line in run.views if "mode fault" in line]
    assert faults, run.daemon[-20:]
    assert "FAULT:" in faults[0] and "commanded" in faults[0] and "shows" in faults[0], faults[0]


def test_detector_diagnostics_through_the_real_backend(run):
    # S_stop held past max presence (1 minute) and PS_button chattering (12 > 5 per minute) are
    # both flagged; no other detector is.
    s_stop, ps_button = DETECTOR_NUMBER["S_stop"], DETECTOR_NUMBER["PS_button"]
    flagged = [marks(line) for line in run.views if marks(line).get(s_stop) == "!"]
    assert flagged, run.views
    assert any(m.get(ps_button) == "!" for m in flagged), run.views
    for m in flagged:
        assert all(mark in ".#" for number, mark in m.items() if number not in (s_stop, ps_button)), m
    first_minute = [line for line in run.views if float(re.search(r" t ([\d.]+) s", line).group(1)) < 59.0]
    assert all(marks(line).get(s_stop) != "!" for line in first_minute), "no fault before a minute of presence"


def test_edge_to_tick_latency_is_measured(run):
    report = run.reports[-1]
    match = re.search(r"p50 ([\d.]+) ms, p99 ([\d.]+) ms, max ([\d.]+) ms over (\d+) transitions", report)
    assert match, report
    p50, p99, worst, samples = float(match.group(1)), float(match.group(2)), float(match.group(3)), int(match.group(4))
    print(f"libgpiod {run.libgpiod}: edge-to-tick latency in the TCG guest: p50 {p50} ms, p99 {p99} ms, "
          f"max {worst} ms over {samples} transitions; guest ran {run.seconds} s")
    # 3 E_stop, 1 WR_stop and 12 PS_button pulses: two transitions each.
    assert samples >= 32, report
    assert 0 < p50 <= p99 <= worst
    # A tick every 100 ms plus a 10-20 ms debounce; under TCG allow a generous margin.
    assert p99 < 1000, report
