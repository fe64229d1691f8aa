#!/usr/bin/env python3
"""Tick lateness of junctiond against cyclictest, measured side by side in the same run.

    sudo python3 bench/realtime/lateness.py [--ticks 3000] [--scenarios idle,stress]

For each scenario (idle, then under `stress-ng --cpu 2`) it starts `junctiond --demo --realtime`
(SCHED_FIFO 80, memory lock, 1 ns timer slack, cpu_dma_latency 0) and, at the same time, two
`cyclictest -m -p80` with the loop's own 100 ms period for the same number of loops: the first is the
baseline, and the second, identical one shows how much two identical threads differ in one run. When
both are done it reads the daemon's lateness percentiles with `junctionctl --json status`, then
stops the daemon with SIGTERM. It prints p50/p99/p99.9/max of all three, the p99.9 ratio
junctiond/cyclictest (goal <= 1.5) beside the same ratio between the two cyclictests, and the
daemon's overruns (goal 0), with the load average, since the machine may be shared. Exit status 1 if a goal is missed, 2 if the benchmark could not run.
"""

import argparse
import json
import subprocess
import sys
import time

import rtbench

HISTOGRAM_MICROSECONDS = 10_000  # junctiond's histogram also ends at 10 ms


def junctiond_loop(junctionctl, daemon):
    """The `loop` object of `junctionctl --json status`, whatever the key spelling."""
    reply = subprocess.run(
        [str(junctionctl), "status", "--json", "--runtime-directory", daemon.runtime],
        capture_output=True, text=True, timeout=30,
    )
    if reply.returncode != 0:
        raise rtbench.BenchError(f"junctionctl status failed ({reply.returncode}): {reply.stderr.strip()}")
    status = json.loads(reply.stdout.splitlines()[0])

    def find(value):
        if isinstance(value, dict):
            if "loop" in value and isinstance(value["loop"], dict):
                return value["loop"]
            for inner in value.values():
                found = find(inner)
                if found is not None:
                    return found
        return None

    loop = find(status)
    if loop is None:
        raise rtbench.BenchError("junctionctl status has no loop object: " + reply.stdout[:500])
    # Normalise camelCase and snake_case keys to lower case without underscores.
    return {key.replace("_", "").lower(): value for key, value in loop.items()}


def run_scenario(name, args, junctiond, junctionctl):
    stress = None
    if name == "stress":
        stress = subprocess.Popen(
            ["stress-ng", "--cpu", str(args.stress_cpus), "--timeout", "0"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        time.sleep(2)  # let the load settle before either measurement starts
    load_before = rtbench.load_average()
    daemon = rtbench.Daemon(junctiond, realtime=True)
    try:
        daemon.wait_ready()
        # Two identical cyclictest instances: the first is the baseline, the second shows how far two
        # identical real-time threads in the same run differ at this percentile (the noise floor).
        command = [
            "cyclictest", "-m", f"-p{args.priority}", f"-i{rtbench.PERIOD_MICROSECONDS}", f"-l{args.ticks}",
            "-q", f"-h{HISTOGRAM_MICROSECONDS}",
        ]
        instances = []
        for _ in range(2):
            instances.append(subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
            # Half a period apart, so the two never wake at the same instant: started together
            # they shared every wake-up and their tails came out the same.
            time.sleep(rtbench.PERIOD_MICROSECONDS / 2e6)
        histograms = []
        for instance in instances:
            output, errors = instance.communicate(timeout=args.ticks * rtbench.PERIOD_MICROSECONDS / 1e6 + 120)
            if instance.returncode != 0:
                raise rtbench.BenchError(f"cyclictest failed: {errors.strip()}")
            histograms.append(rtbench.parse_cyclictest(output))
        # The daemon refreshes its loop statistics for status about once a second.
        deadline = time.monotonic() + 30
        while True:
            loop = junctiond_loop(junctionctl, daemon)
            if loop["ticks"] >= args.ticks or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        load_after = rtbench.load_average()
        granted = [line for line in daemon.log_lines() if "control loop running" in line]
    finally:
        exit_status = daemon.stop()
        if stress is not None:
            stress.terminate()
            stress.wait()
        daemon.cleanup()
    if loop["ticks"] < args.ticks:
        raise rtbench.BenchError(f"junctiond made only {loop['ticks']} ticks")

    def cyclic(histogram):
        buckets, overflow, maximum = histogram
        return {
            "loops": sum(buckets.values()) + overflow,
            "overflows": overflow,
            "us": {
                "p50": rtbench.histogram_percentile_microseconds(buckets, overflow, maximum, 0.5),
                "p99": rtbench.histogram_percentile_microseconds(buckets, overflow, maximum, 0.99),
                "p99.9": rtbench.histogram_percentile_microseconds(buckets, overflow, maximum, 0.999),
                "max": maximum,
            },
        }

    baseline, twin = cyclic(histograms[0]), cyclic(histograms[1])

    result = {
        "scenario": name,
        "load_before": load_before,
        "load_after": load_after,
        "junctiond_grant": granted[0].split("control loop running: ", 1)[-1] if granted else "?",
        "junctiond_exit": exit_status,
        "junctiond_ticks": loop["ticks"],
        "junctiond_overruns": loop["overruns"],
        "junctiond_us": {
            "p50": loop["latenessp50nanoseconds"] / 1000,
            "p99": loop["latenessp99nanoseconds"] / 1000,
            "p99.9": loop["latenessp999nanoseconds"] / 1000,
            "max": loop["latenessmaxnanoseconds"] / 1000,
        },
        "cyclictest_loops": baseline["loops"],
        "cyclictest_overflows": baseline["overflows"],
        "cyclictest_us": baseline["us"],
        "cyclictest_twin_loops": twin["loops"],
        "cyclictest_twin_us": twin["us"],
    }
    result["p999_ratio"] = result["junctiond_us"]["p99.9"] / max(result["cyclictest_us"]["p99.9"], 1)
    result["twin_p999_ratio"] = result["cyclictest_twin_us"]["p99.9"] / max(result["cyclictest_us"]["p99.9"], 1)
    return result


def report(result):
    j, c = result["junctiond_us"], result["cyclictest_us"]
    print(f"== {result['scenario']}  (load average before {result['load_before']}, after {result['load_after']})")
    print(f"   junctiond: {result['junctiond_grant']}; exit {result['junctiond_exit']}")
    print(f"   {'':12}{'ticks':>8}{'p50 µs':>10}{'p99 µs':>10}{'p99.9 µs':>10}{'max µs':>10}")
    print(f"   {'junctiond':12}{result['junctiond_ticks']:>8}{j['p50']:>10.0f}{j['p99']:>10.0f}"
          f"{j['p99.9']:>10.0f}{j['max']:>10.0f}")
    t = result["cyclictest_twin_us"]
    print(f"   {'cyclictest':12}{result['cyclictest_loops']:>8}{c['p50']:>10}{c['p99']:>10}{c['p99.9']:>10}{c['max']:>10}")
    print(f"   {'cyclictest 2':12}{result['cyclictest_twin_loops']:>8}{t['p50']:>10}{t['p99']:>10}{t['p99.9']:>10}"
          f"{t['max']:>10}")
    print(f"   noise floor: the second cyclictest / the first, p99.9 = {result['twin_p999_ratio']:.2f}")
    ratio_ok = result["p999_ratio"] <= 1.5
    overruns_ok = result["junctiond_overruns"] == 0
    print(f"   p99.9 ratio junctiond/cyclictest = {result['p999_ratio']:.2f} (goal <= 1.5: "
          f"{'met' if ratio_ok else 'MISSED'}); overruns {result['junctiond_overruns']} "
          f"(goal 0: {'met' if overruns_ok else 'MISSED'})")
    return ratio_ok and overruns_ok


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ticks", type=int, default=3000, help="ticks (and cyclictest loops) per scenario")
    parser.add_argument("--scenarios", default="idle,stress", help="comma-separated: idle, stress")
    parser.add_argument("--priority", type=int, default=80, help="cyclictest's SCHED_FIFO priority (junctiond's is 80)")
    parser.add_argument("--stress-cpus", type=int, default=2, help="stress-ng --cpu workers")
    parser.add_argument("--junctiond", help="the daemon binary (default: newest .build*/release/junctiond)")
    parser.add_argument("--junctionctl", help="the CLI binary (default: newest .build*/release/junctionctl)")
    parser.add_argument("--json", action="store_true", help="also print each result as one JSON line")
    args = parser.parse_args()
    return rtbench.run_main("lateness", lambda: run(args))


def run(args):
    rtbench.require_root()
    rtbench.require_tool("cyclictest", "rt-tests")
    rtbench.require_tool("stress-ng", "stress-ng")
    junctiond = rtbench.find_binary("junctiond", args.junctiond)
    junctionctl = rtbench.find_binary("junctionctl", args.junctionctl)
    print(f"junctiond {junctiond}\njunctionctl {junctionctl}\n{args.ticks} ticks of "
          f"{rtbench.PERIOD_MICROSECONDS // 1000} ms per scenario, cyclictest -p{args.priority} alongside")
    all_met = True
    for name in args.scenarios.split(","):
        if name not in ("idle", "stress"):
            raise rtbench.BenchError(f"unknown scenario {name}")
        result = run_scenario(name, args, junctiond, junctionctl)
        all_met = report(result) and all_met
        if args.json:
            print(json.dumps(result))
        sys.stdout.flush()
    return 0 if all_met else 1


if __name__ == "__main__":
    sys.exit(main())
