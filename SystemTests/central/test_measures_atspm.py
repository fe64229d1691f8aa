"""Central's signal performance measures against atspm 2.6.1 on the same events (issue 17's cross-check).

`junction-bench events` runs the real controller on the Cirebon junction file through a simulated morning
(yesterday 04:00-09:00 UTC: light traffic that gaps out, then the peak that maxes out and fails splits), the CSV
is imported into a fresh store with `junction-central import-events`, `junction-central serve` serves it with a city
file naming the junction file, and every measure atspm has is compared bin by bin and phase (or detector) by phase
with atspm_reference.run on the same CSV: terminations, split failures, arrivals on green, detector volumes,
pedestrian actuations, unique actuations, services and delay. Counts must be equal, means equal within rounding.

Environment: CENTRAL_BIN (default central/.build/debug/junction-central), JUNCTION_BENCH_BIN (default
.build/debug/junction-bench), CROSSCHECK_FULL_DAY=1 for a whole simulated day rather than the morning."""

import datetime
import json
import os
import pathlib
import signal
import subprocess
import urllib.request

import atspm_reference
import central_serve

ROOT = pathlib.Path(__file__).resolve().parents[2]
CENTRAL = pathlib.Path(os.environ.get("CENTRAL_BIN", ROOT / "central/.build/debug/junction-central"))
BENCH = pathlib.Path(os.environ.get("JUNCTION_BENCH_BIN", ROOT / ".build/debug/junction-bench"))
JUNCTION_FILE = ROOT / "hardware/junctions/cirebon-4arm.toml"
JUNCTION_ID = 7
# CI's short morning; CROSSCHECK_FULL_DAY=1 checks the whole day (midnight to midnight) instead.
START_HOUR, HOURS = (0, 24) if os.environ.get("CROSSCHECK_FULL_DAY") == "1" else (4, 5)
BIN_MINUTES = 15

# Per measure: the fields compared, and for each its tolerance (0: equal) and its value when a row is missing
# (None: no value; atspm and central both leave out rows whose counts are all zero).
FIELDS = {
    "terminations": {"gap_out": (0, 0), "max_out": (0, 0), "force_off": (0, 0)},
    "split_failures": {"split_failures": (0, None), "green_time_s": (0.001, None),
                       "green_occupancy": (1e-6, None), "red_occupancy": (1e-6, None)},
    "arrivals_on_green": {"total_arrivals": (0, None), "percent_arrivals_on_green": (1e-6, None)},
    "detector_volumes": {"volume": (0, 0)},
    "pedestrian": {"ped_actuations": (0, 0), "unique_ped_actuations": (0, 0), "ped_services": (0, 0),
                   "ped_delay_samples": (0, 0), "ped_delay_s": (0.001, None)},
}
# The count that must be above zero on both sides for the comparison to mean something.
NON_TRIVIAL = {"terminations": ["gap_out", "max_out"], "split_failures": ["split_failures"],
               "arrivals_on_green": ["total_arrivals"], "detector_volumes": ["volume"],
               "pedestrian": ["ped_actuations", "unique_ped_actuations", "ped_services", "ped_delay_samples"]}


def run(*command, timeout):
    result = subprocess.run([str(c) for c in command], capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{command} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
    return result.stdout


def central_rows(response):
    """Central's response in atspm_reference's shape: {measure: {(bin_start, phase or detector): fields}}."""
    result = {}
    for measure in FIELDS:
        key = "detector" if measure == "detector_volumes" else "phase"
        rows = response[measure]
        if measure == "arrivals_on_green":
            # atspm writes no row for a bin without an arrival on green (central writes one with 0).
            rows = [r for r in rows if r["green_arrivals"] > 0]
        result[measure] = {(r["bin_start"], r[key]): r for r in rows}
    return result


def compare(reference, central):
    """(table lines, differences): per measure and field the rows compared, both totals and the largest
    difference; each difference in words, earliest bin first."""
    lines = [f"{'measure':<18} {'field':<26} {'rows':>5} {'atspm total':>12} {'central total':>14} {'max diff':>9}"]
    differences = []
    for measure, fields in FIELDS.items():
        keys = sorted(set(reference[measure]) | set(central[measure]))
        for field, (tolerance, missing) in fields.items():
            totals, largest, compared = [0, 0], 0.0, 0
            for key in keys:
                values = [side[measure].get(key, {}).get(field, missing) for side in (reference, central)]
                if values == [None, None]:
                    continue
                compared += 1
                if None in values:
                    differences.append((key, measure, field, values))
                    continue
                totals = [t + v for t, v in zip(totals, values)]
                difference = abs(values[0] - values[1])
                largest = max(largest, difference)
                if difference > tolerance:
                    differences.append((key, measure, field, values))
            lines.append(f"{measure:<18} {field:<26} {compared:>5} {totals[0]:>12.6g} {totals[1]:>14.6g} "
                         f"{largest:>9.3g}")
    # The earliest bin first, so the message names where the two first part.
    return lines, [f"{measure} bin {stamp(key[0])} {label(measure)} {key[1]}: {field} atspm {values[0]}, "
                   f"central {values[1]}" for key, measure, field, values in sorted(differences)]


def label(measure):
    return "detector" if measure == "detector_volumes" else "phase"


def stamp(seconds):
    return datetime.datetime.fromtimestamp(seconds, datetime.UTC).strftime("%Y-%m-%d %H:%M")


def serve(tmp_path, store):
    """junction-central serve on the store, its city file naming the junction file; returns (process, base URL)."""
    city = tmp_path / "city.toml"
    city.write_text(f"""
[central]
id = 1
udp = "127.0.0.1:47800"
http = "127.0.0.1:8080"
database = "{store}"

[[junctions]]
id = {JUNCTION_ID}
name = "Cirebon, simulated morning"
key = "{'ab' * 32}"
layout = "{JUNCTION_FILE}"
""")
    return central_serve.serve(CENTRAL, city, tmp_path / "central.log")


def test_measures_equal_atspm(tmp_path):
    assert BENCH.exists(), f"{BENCH} missing: swift build --product junction-bench"
    assert CENTRAL.exists(), f"{CENTRAL} missing: swift build --package-path central"
    yesterday = datetime.datetime.now(datetime.UTC).date() - datetime.timedelta(days=1)
    start = datetime.datetime.combine(yesterday, datetime.time(START_HOUR), datetime.UTC)
    events = tmp_path / "events.csv"
    print(run(BENCH, "events", "--junction", JUNCTION_FILE, "--start", start.strftime("%Y-%m-%dT%H:%M:%SZ"),
              "--hours", HOURS, "--seed", 17, "--output", events, timeout=600))
    store = tmp_path / "central.sqlite"
    print(run(CENTRAL, "import-events", "--store", store, "--junction", JUNCTION_ID, events, timeout=300))

    reference = atspm_reference.run(events, JUNCTION_FILE, BIN_MINUTES)

    process, log, base = serve(tmp_path, store)
    try:
        since = int(start.timestamp())
        url = f"{base}/api/junctions/{JUNCTION_ID}/measures?from={since}&to={since + HOURS * 3600}&bin={BIN_MINUTES}"
        with urllib.request.urlopen(url, timeout=120) as answer:
            response = json.load(answer)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)
        log.close()
    assert response["detector_map"], response["notes"]
    central = central_rows(response)

    lines, differences = compare(reference, central)
    print("\n".join(lines))
    for measure, fields in NON_TRIVIAL.items():
        for field in fields:
            for name, side in (("atspm", reference), ("central", central)):
                total = sum(row.get(field) or 0 for row in side[measure].values())
                assert total > 0, f"{name}'s {measure} {field} is zero over the morning: the comparison shows nothing"
    assert not differences, f"{len(differences)} differences; the first: {differences[0]}"
