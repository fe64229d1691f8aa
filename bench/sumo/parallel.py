"""What both benches (bench.py, corridor.py) do around their runs: choose them, run them in parallel."""

import concurrent.futures
import sys
import time


def selection(text, known, kind):
    """The comma-separated names in `text`; exits naming the first one not in `known` (a `kind`)."""
    names = text.split(",")
    for name in names:
        if name not in known:
            sys.exit(f"unknown {kind} {name}; known: {', '.join(known)}")
    return names


def run_all(run_one, jobs, workers, describe):
    """Runs `run_one(job)` for every job on `workers` processes and returns the rows it gave.

    Each finished run prints one line: `describe(row)`, or the job's scenario and controller with the
    error when it failed; a failed run is reported, never dropped silently, and left out of the rows.
    """
    rows = []
    started = time.monotonic()
    with concurrent.futures.ProcessPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(run_one, job): job for job in jobs}
        for future in concurrent.futures.as_completed(futures):
            job = futures[future]
            try:
                row = future.result()
            except Exception as error:
                print(f"  {job['scenario']:<9} {job['controller']:<22} FAILED: {error}", flush=True)
                continue
            rows.append(row)
            print(f"  {describe(row)}  safety {'ok' if row['safety_findings'] == 0 else row['first_findings']}  "
                  f"({row['wall_seconds']:.0f} s)", flush=True)
    print(f"\nall runs done in {time.monotonic() - started:.0f} s\n")
    return rows
