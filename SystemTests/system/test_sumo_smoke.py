"""SUMO in the loop, briefly: the production controller (`junction-bench sumo peer`) drives the
benchmark junction's traffic light for a few simulated minutes through TraCI, the lamps change, and
the independent safety check of what SUMO really showed finds nothing.

Needs SUMO in the venv (bash bench/sumo/ensure-venv.sh) and a built junction-bench
(JUNCTION_BENCH_BIN, default .build/release/junction-bench); without SUMO the tests skip, which fails
in CI (SystemTests/conftest.py).
"""

import os
import subprocess
import sys

import pytest

from sumo_bench import BENCH, BINARY, ROOT, sumo_home  # also puts bench/sumo on the import path
SIMULATED_SECONDS = 240


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    import demand
    import network

    os.environ["SUMO_HOME"] = sumo_home()
    directory = tmp_path_factory.mktemp("sumo")
    net, loops = network.build(directory)
    routes = directory / "smoke.rou.xml"
    vehicles = demand.write_routes("high", routes, duration_s=SIMULATED_SECONDS - 60)
    return directory, net, loops, routes, vehicles


@pytest.mark.parametrize("strategy", ["advance", "saturation"])
def test_controller_drives_sumo_safely(built, strategy):
    import harness
    import metrics
    import safety_check

    directory, net, loops, routes, vehicles = built
    out = directory / strategy
    config = BENCH / "junction.toml"
    command = [BINARY, "sumo", "peer", "--config", str(config), "--strategy", strategy,
               "--events", str(out / "events.csv")]
    out.mkdir()
    _, summary, statuses, simulated = harness.run_junctiond(
        net, routes, [loops], command, out, seed=42, sublane=False, end_s=SIMULATED_SECONDS, status_every_s=60)

    assert "fault=none" in summary, summary
    assert simulated == pytest.approx(SIMULATED_SECONDS), simulated
    junction = safety_check.Junction(config)
    records = safety_check.read_states(out / "states.csv")
    # Lamps changed: every group was green, and there were many distinct states.
    for group in junction.groups:
        assert any(state[junction.links[group][0]] == "G" for _, state in records), f"{group} never green"
    assert len(records) > 40
    findings = safety_check.check(junction, records)
    assert findings == [], findings[:5]
    figures = metrics.run_figures(out, vehicles)
    assert figures["completed"] > vehicles // 2
    # The strategy reports itself in status, and the event log has the vendor-range decisions.
    assert any(f"strategy={strategy}" in line for line in statuses)
    codes = {line.split(",")[1] for line in (out / "events.csv").read_text().splitlines()[1:]}
    assert "1" in codes and "8" in codes
    assert codes & {"201", "202", "203", "204"}, "no adaptive decision was logged"


def test_checker_catches_a_conflict(built):
    """The independent check is not vacuous: a recorded conflicting green is reported."""
    import safety_check

    junction = safety_check.Junction(BENCH / "junction.toml")
    all_red = "r" * 16
    ns = list(all_red)
    for group in ("N", "S", "E"):
        for index in junction.links[group]:
            ns[index] = "G"
    findings = safety_check.check(junction, [(0.0, all_red), (10.0, "".join(ns)), (30.0, all_red)])
    assert any(kind == "conflict" for _, kind, _ in findings)
    assert any(kind == "sequence" for _, kind, _ in findings)


def test_bench_command_reports_unknown_scenario():
    result = subprocess.run([sys.executable, str(BENCH / "bench.py"), "bench", "--peer", BINARY, "--scenarios", "nope"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode != 0
    assert "unknown scenario nope" in result.stderr


def test_bench_repeats_each_run_with_each_seed(tmp_path):
    """`--seeds` reruns a run per SUMO seed (the drivers differ, so do the figures) and the table gives
    the means with the range over the seeds."""
    import json

    result = subprocess.run(
        [sys.executable, str(BENCH / "bench.py"), "bench", "--peer", BINARY, "--scenarios", "low",
         "--controllers", "sumo:static", "--seeds", "1,2", "--out", str(tmp_path)],
        capture_output=True, text=True, cwd=ROOT, env={**os.environ, "SUMO_HOME": sumo_home()})
    assert result.returncode == 0, result.stdout + result.stderr
    runs = json.loads((tmp_path / "results.json").read_text())
    assert sorted(r["seed"] for r in runs) == [1, 2]
    delays = sorted(r["mean_delay"] for r in runs)
    assert delays[0] != delays[1], "both seeds gave the same run"
    row = next(line for line in result.stdout.splitlines() if line.startswith("low "))
    assert f"{delays[0]:.1f}-{delays[1]:.1f}s" in row
    assert f"{sum(delays) / 2:.1f}s" in row.split()[4]
    assert (tmp_path / "low" / "sumo-static-seed1" / "tripinfo.xml").exists()


def test_over_seeds_averages_and_keeps_the_worst():
    import bench

    runs = [{"scenario": "low", "controller": "junctiond:advance", "mean_delay": m, "p95_delay": p,
             "mean_wait": w, "completed": c, "offered": 100, "max_queue": q, "safety_findings": f}
            for m, p, w, c, q, f in [(10.0, 30.0, 5.0, 100, 4, 0), (14.0, 40.0, 7.0, 98, None, 1)]]
    [row] = bench.over_seeds(runs)
    assert row["seeds"] == 2 and row["mean_delay"] == 12.0 and row["mean_delay_range"] == (10.0, 14.0)
    assert row["p95_delay"] == 35.0 and row["mean_wait"] == 6.0
    assert row["completed"] == 98 and row["offered"] == 100 and row["max_queue"] == 4
    assert row["safety_findings"] == 1
