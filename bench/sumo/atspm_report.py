#!/usr/bin/env python3
"""ATSPM measures from a junctiond run's event log, computed by the PyPI package `atspm`.

junctiond logs Indiana/Purdue high-resolution events (`junction-bench sumo peer --events`,
`tick,code,parameter`). This script writes them in the hi-res exchange format ATSPM tools read,
`SignalId,Timestamp,EventCode,EventParam` with timestamps to 0.1 s, builds the detector table
(stop-line loops are `Presence`, advance loops `Advance`; the phase is the 1-based signal group),
and runs atspm's SignalDataProcessor for split failures, arrivals on green, terminations and
actuations in 15-minute bins.

Usage: python3 atspm_report.py RUN_DIR [--config JUNCTION.toml] [--start "2026-01-05 07:00:00"]
(needs bench/sumo/requirements-atspm.txt installed)
"""

import argparse
import csv
import datetime
import pathlib
import sys
import tomllib

HERE = pathlib.Path(__file__).resolve().parent
SIGNAL_ID = 1001


def hires_rows(events_csv, start):
    with open(events_csv) as source:
        for row in csv.DictReader(source):
            stamp = start + datetime.timedelta(seconds=int(row["tick"]) / 10)
            yield SIGNAL_ID, stamp, int(row["code"]), int(row["parameter"])


def detector_table(config_path):
    data = tomllib.loads(pathlib.Path(config_path).read_text())
    groups = [g["name"] for g in data["groups"]]
    rows = []
    for number, detector in enumerate(data.get("detectors", []), start=1):
        function = {"stop_line": "Presence", "advance": "Advance"}.get(detector.get("placement", "stop_line"))
        if function is None:
            continue
        for group in detector["groups"]:
            rows.append((SIGNAL_ID, groups.index(group) + 1, number, function))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run_dir", type=pathlib.Path)
    parser.add_argument("--config", type=pathlib.Path, default=HERE / "junction.toml")
    parser.add_argument("--start", default="2026-01-05 07:00:00", help="wall-clock time of tick 0")
    args = parser.parse_args()

    import pandas
    from atspm import SignalDataProcessor

    start = datetime.datetime.fromisoformat(args.start)
    rows = list(hires_rows(args.run_dir / "events.csv", start))
    hires = args.run_dir / "hires.csv"
    with open(hires, "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["SignalId", "Timestamp", "EventCode", "EventParam"])
        for signal, stamp, code, parameter in rows:
            writer.writerow([signal, stamp.strftime("%Y-%m-%d %H:%M:%S.%f")[:-5], code, parameter])
    print(f"wrote {len(rows)} hi-res events to {hires}")

    # atspm reads files by its own column names.
    raw = args.run_dir / "atspm-raw.csv"
    pandas.read_csv(hires).rename(
        columns={"SignalId": "DeviceId", "Timestamp": "TimeStamp", "EventCode": "EventId", "EventParam": "Parameter"}
    ).to_csv(raw, index=False)
    config = args.run_dir / "atspm-detectors.csv"
    pandas.DataFrame(detector_table(args.config), columns=["DeviceId", "Phase", "Parameter", "Function"]).to_csv(
        config, index=False)
    output = args.run_dir / "atspm"
    processor = SignalDataProcessor(
        raw_data=str(raw), detector_config=str(config), bin_size=15, output_dir=str(output), output_format="csv",
        output_to_separate_folders=False, remove_incomplete=False, verbose=0,
        aggregations=[
            {"name": "actuations", "params": {}},
            {"name": "arrival_on_green", "params": {"latency_offset_seconds": 0}},
            {"name": "split_failures", "params": {"red_time": 5, "red_occupancy_threshold": 0.80,
                                                   "green_occupancy_threshold": 0.80, "by_approach": True}},
            {"name": "terminations", "params": {}},
        ])
    processor.run()
    groups = [g["name"] for g in tomllib.loads(args.config.read_text())["groups"]]
    pandas.set_option("display.width", 140)
    for measure in ("split_failures", "arrival_on_green", "terminations"):
        path = output / f"{measure}.csv"
        if not path.exists():
            print(f"\n{measure}: no output")
            continue
        table = pandas.read_csv(path)
        if "Phase" in table:
            table = table.sort_values(["TimeStamp", "Phase"], kind="stable")
            table.insert(table.columns.get_loc("Phase") + 1, "Group", table["Phase"].map(lambda p: groups[p - 1]))
        print(f"\n== {measure} (atspm {__import__('atspm').__version__}, 15-minute bins)")
        print(table.drop(columns=["DeviceId"], errors="ignore").to_string(index=False, float_format=lambda v: f"{v:.2f}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
