"""The corridor benchmark, briefly: `junction-bench sumo corridor` on the three-junction `smoke`
layout for ten simulated minutes, SUMO's green wave and junctiond isolated and coordinated (with 30 %
of the neighbour datagrams lost), each junction under its own production controller from its own
junction file through one lockstep peer; the independent safety check of every light finds nothing,
no peer faults, and the coordinated junctions did exchange neighbour messages.

Needs SUMO in the venv (bash bench/sumo/ensure-venv.sh) and a built junction-bench
(JUNCTION_BENCH_BIN, default .build/release/junction-bench); without SUMO the tests skip, which fails
in CI (SystemTests/conftest.py).
"""

import json
import os
import pathlib
import subprocess
import sys

import pytest

from sumo_bench import BENCH, BINARY, ROOT, sumo_home  # also puts bench/sumo on the import path


@pytest.fixture(scope="module")
def corridor_run(tmp_path_factory):
    home = sumo_home()
    out = tmp_path_factory.mktemp("corridor")
    result = subprocess.run(
        [sys.executable, str(BENCH / "corridor.py"), "bench", "--peer", BINARY, "--layout", "smoke",
         "--scenarios", "balanced", "--seconds", "600", "--drain", "300", "--loss", "0.3",
         "--controllers", "sumo:wave,junctiond:isolated,junctiond:coordinated", "--out", str(out)],
        capture_output=True, text=True, cwd=ROOT, env={**os.environ, "SUMO_HOME": home}, timeout=600)
    print(result.stdout[-4000:], result.stderr[-4000:])
    return result, json.loads((out / "results.json").read_text()), out


def test_corridor_runs_every_controller_safely(corridor_run):
    result, results, _ = corridor_run
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert results["matrix"] == []
    runs = {run["controller"]: run for run in results["runs"]}
    assert set(runs) == {"sumo:wave", "junctiond:isolated", "junctiond:coordinated"}
    for controller, run in runs.items():
        assert run["safety_findings"] == 0, (controller, run["first_findings"])
        assert run["completed"] > run["offered"] // 2, controller
        assert run["arterial_trips"] > 0, controller
    for mode in ("junctiond:isolated", "junctiond:coordinated"):
        assert "fault=none" in runs[mode]["peer"], runs[mode]["peer"]


def test_each_junction_is_charged_its_own_delay(corridor_run):
    """Every run reports each light's delay (time loss on the roads into it), and the table compares
    coordinated with isolated junction by junction."""
    result, results, _ = corridor_run
    for run in results["runs"]:
        delays = run["junction_delay"]
        assert sorted(delays) == ["J1", "J2", "J3"], (run["controller"], delays)
        assert all(0 < seconds < 600 for seconds in delays.values()), (run["controller"], delays)
    line = next(line for line in result.stdout.splitlines() if "per junction, coordinated / isolated" in line)
    assert all(f"J{n} " in line for n in (1, 2, 3)) and "worst J" in line, line


def test_every_group_of_every_junction_was_green(corridor_run):
    import safety_check

    _, _, out = corridor_run
    for mode in ("junctiond-isolated", "junctiond-coordinated"):
        for path in sorted((out / "junctions").glob("J*.toml")):
            junction = safety_check.Junction(path)
            records = safety_check.read_states(out / "balanced" / mode / f"states-{path.stem}.csv")
            for group in junction.groups:
                assert any(state[junction.links[group][0]] == "G" for _, state in records), (mode, path.stem, group)


def test_coordinated_junctions_exchanged_messages(corridor_run):
    """Every junction accepted neighbour datagrams, and the simulated link lost some (30 %)."""
    _, results, _ = corridor_run
    peer = next(r["peer"] for r in results["runs"] if r["controller"] == "junctiond:coordinated")
    words = dict(word.split("=", 1) for word in peer.split()[1:] if "=" in word)
    assert int(words["lost"]) > 0, peer
    for junction in ("J1", "J2", "J3"):
        assert int(words[f"{junction}.accepted"]) > 0, peer


def test_corridor_peer_stops_on_a_malformed_line(corridor_run):
    _, _, out = corridor_run
    configs = sum((["--config", str(p)] for p in sorted((out / "junctions").glob("J*.toml"))), [])
    result = subprocess.run([BINARY, "sumo", "corridor-peer", *configs], input="s 01 00\n", capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 65
    assert "tick 1" in result.stderr and "detectors" in result.stderr


def test_recording_cut_is_the_only_waived_finding():
    """corridor.py waives a too-short first interval (the recording began mid-phase), nothing later."""
    import corridor
    import safety_check

    junction = safety_check.Junction(BENCH / "junction.toml")
    all_red = "r" * 16

    def state(groups, char="G"):
        chars = list(all_red)
        for group in groups:
            for index in junction.links[group]:
                chars[index] = char
        return "".join(chars)

    records = [(0.0, state(["N", "S"])), (1.0, state(["N", "S"], "y")), (4.0, all_red), (6.0, state(["E", "W"], "u")),
               (7.5, state(["E", "W"])), (10.5, state(["E", "W"], "y")), (13.5, all_red)]
    path = pathlib.Path(os.environ.get("TMPDIR", "/tmp")) / f"corridor-check-{os.getpid()}.csv"
    path.write_text("time,state\n" + "".join(f"{t},{s}\n" for t, s in records))
    try:
        findings = corridor.checked(junction, path)
    finally:
        path.unlink()
    # N and S's 1 s first green is waived; E and W's 3 s green after a real start is not.
    assert sorted(text.split()[0] for _, kind, text in findings if kind == "min-green") == ["E", "W"]


def test_silent_junction_is_heard_by_nobody(corridor_run):
    """Without SUMO: 60 simulated seconds of idle detectors through the coordinated peer with J2
    silent. J2 still hears J1 and J3; they hear nothing (J2 is their only neighbour), and fall back."""
    _, _, out = corridor_run
    configs = sum((["--config", str(p)] for p in sorted((out / "junctions").glob("J*.toml"))), [])
    idle = "s " + "0" * 72 + " " + "0" * 72 + "\n"
    result = subprocess.run([BINARY, "sumo", "corridor-peer", "--coordinated", "--silent", "J2", *configs],
                            input=idle * 600 + "quit\n", capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    bye = result.stdout.splitlines()[-1]
    words = dict(word.split("=", 1) for word in bye.split()[1:] if "=" in word)
    assert int(words["J2.accepted"]) >= 100, bye
    assert words["J1.accepted"] == "0" and words["J3.accepted"] == "0", bye
    assert words["lost"] == "0" and words["fault"] == "none", bye


def test_silent_must_name_a_junction(corridor_run):
    _, _, out = corridor_run
    configs = sum((["--config", str(p)] for p in sorted((out / "junctions").glob("J*.toml"))), [])
    result = subprocess.run([BINARY, "sumo", "corridor-peer", "--coordinated", "--silent", "J9", *configs],
                            input="quit\n", capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "--silent J9" in result.stderr
