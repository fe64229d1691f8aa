#!/usr/bin/env python3
"""Idle CPU share, RSS and start-up time of junctiond, with and without the memory lock.

    sudo python3 bench/realtime/idle.py [--seconds 60]

Runs `junctiond --demo --view none --realtime` (as root the real-time options are granted:
SCHED_FIFO 80, memory lock, 1 ns timer slack, cpu_dma_latency 0) under a NOTIFY_SOCKET this
script listens on, times exec to READY=1, then samples utime+stime from /proc/<pid>/stat and VmRSS
once a second for --seconds. Then the same without --realtime (no memory lock, no other favours).
Prints the CPU share of one core (goal <= 0.5 %) and RSS (goal <= 20 MB) of each run, with the
load average. Exit status 1 if a goal is missed by the real-time run, 2 if it could not run.
"""

import argparse
import sys
import time

import rtbench


def measure(junctiond, realtime, seconds):
    load_before = rtbench.load_average()
    daemon = rtbench.Daemon(junctiond, realtime=realtime)
    try:
        ready_seconds = daemon.wait_ready()
        start_ticks = rtbench.cpu_ticks(daemon.pid)
        start = time.monotonic()
        rss_kilobytes = []
        while time.monotonic() - start < seconds:
            time.sleep(min(1.0, max(0.0, seconds - (time.monotonic() - start))))
            rss_kilobytes.append(rtbench.status_kilobytes(daemon.pid, "VmRSS"))
        elapsed = time.monotonic() - start
        cpu_seconds = (rtbench.cpu_ticks(daemon.pid) - start_ticks) / rtbench.CLOCK_TICKS_PER_SECOND
        rollup = rtbench.smaps_rollup_kilobytes(daemon.pid)
        memory_lines = [line for line in daemon.log_lines() if "memory locked" in line or "mlockall" in line]
        memory_lines = [line.split(" info junctiond: ", 1)[-1] for line in memory_lines]
        granted = [line for line in daemon.log_lines() if "control loop running" in line]
        load_after = rtbench.load_average()
    finally:
        exit_status = daemon.stop()
        daemon.cleanup()
    return {
        "realtime": realtime,
        "load_before": load_before,
        "load_after": load_after,
        "ready_seconds": ready_seconds,
        "seconds": elapsed,
        "cpu_percent": 100 * cpu_seconds / elapsed,
        "rss_mb_last": rss_kilobytes[-1] / 1024,
        "rss_mb_max": max(rss_kilobytes) / 1024,
        "pss_mb": rollup["Pss"] / 1024,
        "locked_mb": rollup["Locked"] / 1024,
        "grant": granted[0].split("control loop running: ", 1)[-1] if granted else "?",
        "memory_log": memory_lines,
        "exit": exit_status,
    }


def report(result):
    title = "with --realtime (memory lock on)" if result["realtime"] else "without --realtime (no memory lock)"
    cpu_ok = result["cpu_percent"] <= 0.5
    rss_ok = result["rss_mb_max"] <= 20
    print(f"== {title}  (load average before {result['load_before']}, after {result['load_after']})")
    print(f"   grant: {result['grant']}; exit {result['exit']}")
    for line in result["memory_log"]:
        print(f"   log: {line}")
    print(f"   start to READY=1 {result['ready_seconds'] * 1000:.0f} ms")
    print(f"   CPU {result['cpu_percent']:.2f} % of one core over {result['seconds']:.0f} s (goal <= 0.5: "
          f"{'met' if cpu_ok else 'MISSED'})")
    print(f"   RSS {result['rss_mb_last']:.1f} MB at the end, {result['rss_mb_max']:.1f} MB at most (goal <= 20: "
          f"{'met' if rss_ok else 'MISSED'})")
    # smaps counts Locked as a proportional share, so it is compared with Pss, not Rss.
    print(f"   resident pages locked: {result['locked_mb']:.1f} MB of Pss {result['pss_mb']:.1f} MB")
    return cpu_ok and rss_ok


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60, help="sampling time per run")
    parser.add_argument("--junctiond", help="the daemon binary (default: newest .build*/release/junctiond)")
    parser.add_argument("--only", choices=["lock", "nolock"], help="run just one of the two")
    args = parser.parse_args()
    return rtbench.run_main("idle", lambda: run(args))


def run(args):
    rtbench.require_root()
    junctiond = rtbench.find_binary("junctiond", args.junctiond)
    print(f"junctiond {junctiond}; {args.seconds:.0f} s per run")
    goals_met = True
    for realtime in (True, False):
        if args.only == ("nolock" if realtime else "lock"):
            continue
        met = report(measure(junctiond, realtime, args.seconds))
        if realtime:
            goals_met = met
        sys.stdout.flush()
    return 0 if goals_met else 1


if __name__ == "__main__":
    sys.exit(main())
