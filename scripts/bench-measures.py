#!/usr/bin/env python3
"""Benchmark, not a test: the time central takes to answer a junction-day's performance measures page
(`GET /api/junctions/:id/measures?day=…`, every measure of the day in 15-minute bins), in a store holding one
junction-day and in one holding 8 junctions x 30 days, each beside a baseline measured in the same run: the time
to merely read that day's events from the same store (SQLite, the query StoreReader.events runs). Goal: at most
1 s per page.

Events: `junction-bench events` simulates one day (UTC midnight to midnight) per junction, each with its own seed;
the 30 days of a junction are its day repeated with the date changed (simulating 240 days would take hours here;
the page reads one day, and what the other days change is the store's size). They are loaded with
`junction-central import-events`, and `junction-central serve` answers on a free port.

    python3 scripts/bench-measures.py [--bench-bin B] [--central-bin C] [--junctions 8] [--days 30] [--repeats 5]

Build in release first for meaningful figures: swift build -c release --product junction-bench;
swift build -c release --package-path central --product junction-central. Work files go under a temporary
directory, removed afterwards (--work DIR keeps them, and a rerun reuses its simulated days).
"""

import argparse
import datetime
import json
import os
import pathlib
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[1]
JUNCTION_FILE = ROOT / "hardware/junctions/cirebon-4arm.toml"
sys.path.insert(0, str(ROOT / "SystemTests/central"))
import central_serve  # noqa: E402 (found through the path above)


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bench-bin", default=ROOT / ".build/release/junction-bench", type=pathlib.Path)
    parser.add_argument("--central-bin", default=ROOT / "central/.build/release/junction-central", type=pathlib.Path)
    parser.add_argument("--junctions", type=int, default=8)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--repeats", type=int, default=5, help="timed requests per figure; the median is printed")
    parser.add_argument("--work", type=pathlib.Path,
                        help="work directory, kept afterwards; its junction days (jN.csv) are reused if there")
    return parser.parse_args()


def run(*command):
    result = subprocess.run([str(c) for c in command], capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"{command} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def generate(args, work, first_day):
    """One simulated day per junction: {junction: csv path}, all dated first_day."""
    days = {}
    for junction in range(1, args.junctions + 1):
        path = work / f"j{junction}.csv"
        days[junction] = path
        if path.exists():
            print(f"  junction {junction}: reusing {path}")
            continue
        started = time.monotonic()
        run(args.bench_bin, "events", "--junction", JUNCTION_FILE, "--start", f"{first_day}T00:00:00Z", "--hours", 24,
            "--seed", junction, "--signal-id", junction, "--output", path)
        lines = sum(1 for _ in open(path)) - 1
        print(f"  junction {junction}: {lines} events in a day, simulated in {time.monotonic() - started:.1f} s")
    return days


def load(args, store, days, first_day, day_count):
    """Imports each junction's day as day_count days from first_day; returns the seconds taken."""
    started = time.monotonic()
    for junction, path in days.items():
        header, *lines = path.read_text().splitlines(keepends=True)
        generated = lines[0].split(",")[1].split(" ")[0]  # the date of the first event
        # Only that day: a file of junction-bench before its first tick was stamped at --start ends at midnight.
        text = header + "".join(line for line in lines if line.split(",")[1].startswith(generated))
        for offset in range(day_count):
            date = (first_day + datetime.timedelta(days=offset)).isoformat()
            shifted = path.with_suffix(".day.csv")
            shifted.write_text(text.replace(f",{generated} ", f",{date} "))
            run(args.central_bin, "import-events", "--store", store, "--junction", junction, shifted)
    return time.monotonic() - started


def serve(args, work, store):
    junctions = "".join(f"""
[[junctions]]
id = {j}
name = "J{j}"
key = "{'ab' * 32}"
layout = "{JUNCTION_FILE}"
""" for j in range(1, args.junctions + 1))
    city = work / "city.toml"
    city.write_text(f'[central]\nid = 1\ndatabase = "{store}"\n{junctions}')
    process, _, base = central_serve.serve(args.central_bin, city, work / "central.log")
    return process, base


def median_seconds(repeats, action):
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure(args, work, store, day, label):
    """Prints and returns (page seconds, baseline seconds) for junction 1's day in `store`."""
    since = int(datetime.datetime.combine(day, datetime.time(), datetime.UTC).timestamp())
    database = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    events = []

    def read_day():
        events[:] = database.execute(
            "SELECT record, time_ms, code, parameter FROM events WHERE junction_id = ? AND time_ms >= ? "
            "AND time_ms < ? ORDER BY time_ms, record", (1, since * 1000, (since + 86_400) * 1000)).fetchall()

    baseline = median_seconds(args.repeats, read_day)
    database.close()
    process, base = serve(args, work, store)
    size = [0]
    try:
        def page():
            with urllib.request.urlopen(f"{base}/api/junctions/1/measures?day={day.isoformat()}&bin=15",
                                        timeout=600) as answer:
                body = answer.read()
            size[0] = len(body)
            json.loads(body)

        page()  # the first request also warms SQLite's page cache, as the baseline's repeats do
        seconds = median_seconds(args.repeats, page)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)
    print(f"  {label}: measures page {seconds:.3f} s ({size[0]} bytes of JSON); reading the day's "
          f"{len(events)} events {baseline:.3f} s; ratio {seconds / baseline:.1f}")
    return seconds, baseline


def main():
    args = arguments()
    for binary in (args.bench_bin, args.central_bin):
        if not binary.exists():
            raise SystemExit(f"{binary} missing (see --help for the release builds)")
    work = args.work or pathlib.Path(tempfile.mkdtemp(prefix="bench-measures-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        # Recent days, so central's retention (400 days) keeps them.
        first_day = datetime.datetime.now(datetime.UTC).date() - datetime.timedelta(days=args.days + 1)
        page_day = first_day + datetime.timedelta(days=args.days // 2)
        print(f"generating {args.junctions} junction-days ({JUNCTION_FILE.name}) dated {first_day}")
        days = generate(args, work, first_day)

        one = work / "one.sqlite"
        for store in (one, work / "city.sqlite"):
            for suffix in ("", "-wal", "-shm"):
                pathlib.Path(f"{store}{suffix}").unlink(missing_ok=True)
        seconds = load(args, one, {1: days[1]}, page_day, 1)
        print(f"store of 1 junction-day: imported in {seconds:.1f} s, {one.stat().st_size / 1e6:.0f} MB")
        single = measure(args, work, one, page_day, "1 junction-day")

        city = work / "city.sqlite"
        seconds = load(args, city, days, first_day, args.days)
        print(f"store of {args.junctions} junctions x {args.days} days: imported in {seconds:.1f} s, "
              f"{city.stat().st_size / 1e6:.0f} MB")
        whole = measure(args, work, city, page_day, f"{args.junctions} x {args.days} days")
        print(f"RESULT measures page for one junction-day: {single[0]:.3f} s in a store of 1 junction-day, "
              f"{whole[0]:.3f} s in a store of {args.junctions} junctions x {args.days} days (goal <= 1 s); "
              f"reading the day's events alone {single[1]:.3f} s and {whole[1]:.3f} s "
              f"(ratios {single[0] / single[1]:.1f} and {whole[0] / whole[1]:.1f})")
    finally:
        if args.work is None:
            shutil.rmtree(work)


if __name__ == "__main__":
    main()
