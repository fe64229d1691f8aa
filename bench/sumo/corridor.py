#!/usr/bin/env python3
"""`junction-bench sumo corridor`: every junction of a SUMO arterial or grid, junctiond against SUMO.

Builds the layout's network (corridor_network.py), one junction file per junction
(corridor_junctions.py) and the scenarios' vehicles (corridor_demand.py), then runs on identical
vehicles, per scenario:

  sumo:wave         SUMO static, Webster (tlsCycleAdaptation) with tlsCoordinator.py's offsets
  sumo:static       the same Webster programs without offsets
  sumo:actuated     SUMO's gap-based actuated programs (programs.py)
  sumo:delay_based  SUMO's time-loss based programs (programs.py)
  junctiond:isolated     every junction under its own controller, `advance`, no neighbour messages
  junctiond:coordinated  the same with neighbour messages over a simulated link (--loss, --delay, --silent)

Every run's lamps are checked at every junction by safety_check.py. The table gives per scenario
mean and p95 delay, stops per vehicle, end-to-end arterial travel time and stops, completed
vehicles, teleports, the safety verdict and the ratios to the best SUMO program and to junctiond
isolated; and the CPU of the lockstep runs against SUMO alone (the sumo:static run of the same
scenario), split into SUMO, harness and controllers. Results: <out>/results.txt and results.json.
"""

import argparse
import json
import os
import pathlib
import subprocess
import sys
import time
import xml.etree.ElementTree as ElementTree

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corridor_demand  # noqa: E402
import corridor_harness  # noqa: E402
import corridor_junctions  # noqa: E402
import corridor_network  # noqa: E402
import parallel  # noqa: E402
import programs  # noqa: E402
import process_group  # noqa: E402
import safety_check  # noqa: E402
from options import job_count, non_negative_seconds, positive_seconds, results_directory, seed_list, share  # noqa: E402
from user_files import InputError  # noqa: E402
from sumo_env import sumo_home, tool, tools_directory  # noqa: E402

SUMO_PROGRAMS = ["wave", "static", "actuated", "delay_based"]
JUNCTIOND_MODES = ["isolated", "coordinated"]
ALL_CONTROLLERS = [f"sumo:{p}" for p in SUMO_PROGRAMS] + [f"junctiond:{m}" for m in JUNCTIOND_MODES]
LABEL = {
    "sumo:wave": "SUMO Webster + green wave", "sumo:static": "SUMO Webster, no offsets",
    "sumo:actuated": "SUMO actuated", "sumo:delay_based": "SUMO delay_based",
    "junctiond:isolated": "junctiond isolated advance", "junctiond:coordinated": "junctiond coordinated",
}
SEED = 42


def _body(path):
    """The elements inside an additional file's root, as text."""
    root = ElementTree.parse(path).getroot()
    return "\n".join("    " + ElementTree.tostring(child, encoding="unicode").strip() for child in root)


def write_webster(junction_files, net, routes, directory):
    """Every junction's Webster program (SUMO's tlsCycleAdaptation over the whole network, from
    the routes), built from its junction file's stages and clearances as programs.py does for one
    junction; greens below a stage's minimum are raised to it. Returns the additional's path."""
    junctions = {tls: programs.JunctionFile(path) for tls, path in junction_files.items()}
    base = directory / "program-base.add.xml"
    base.write_text("<additional>\n" + "\n".join(
        programs._tl_logic(j, "static", "base", programs._cycle_phases(j)) for j in junctions.values())
        + "\n</additional>\n")
    base_net = directory / "static-base.net.xml"
    subprocess.run([tool("netconvert"), "-s", str(net), "-i", str(base), "-o", str(base_net), "--no-warnings"],
                   check=True, stdout=subprocess.DEVNULL)
    adapted = directory / "program-webster-all.add.xml"
    subprocess.run([sys.executable, str(tools_directory() / "tlsCycleAdaptation.py"), "-n", str(base_net),
                    "-r", str(routes), "-o", str(adapted), "-b", "0", "-y", str(int(programs.AMBER_S)), "-a", "2",
                    "-p", "static", "--min-cycle", "40", "--max-cycle", "150"], check=True, stdout=subprocess.DEVNULL)
    chosen = {}
    for logic in ElementTree.parse(adapted).getroot().iter("tlLogic"):
        junction = junctions.get(logic.get("id"))
        if junction is None:
            continue
        ours = {programs._green(junction, stage): stage for stage in junction.sequence}
        if not set(ours) <= {phase.get("state") for phase in logic.iter("phase")}:
            continue
        for phase in logic.iter("phase"):
            if phase.get("state") in ours:
                low, _ = programs._limits(junction, ours[phase.get("state")])
                phase.set("duration", f"{max(float(phase.get('duration')), low):g}")
        chosen[logic.get("id")] = "    " + ElementTree.tostring(logic, encoding="unicode").strip()
    missing = sorted(set(junctions) - set(chosen))
    if missing:
        raise RuntimeError(f"tlsCycleAdaptation wrote no program with the junction's stages for {missing}")
    out = directory / "program-static.add.xml"
    out.write_text("<additional>\n" + "\n".join(chosen[tls] for tls in junction_files) + "\n</additional>\n")
    return out


def write_offsets(net, routes, webster, directory):
    """SUMO's tlsCoordinator.py offsets for the Webster programs (a green wave along the routes'
    busiest pairs of lights)."""
    out = directory / "program-wave-offsets.add.xml"
    subprocess.run([sys.executable, str(tools_directory() / "tlsCoordinator.py"), "-n", str(net), "-r", str(routes),
                    "-a", str(webster), "-o", str(out)], check=True, stdout=subprocess.DEVNULL)
    return out


def write_programs(kind, junction_files, net, routes, directory):
    """One additional with every junction's `programs.py` program of `kind` (actuated, delay_based)."""
    parts = []
    for tls, path in junction_files.items():
        own = directory / f"{kind}-{tls}"
        own.mkdir(exist_ok=True)
        parts.append(_body(programs.write_program(kind, path, net, routes, own)))
    out = directory / f"program-{kind}.add.xml"
    out.write_text("<additional>\n" + "\n".join(parts) + "\n</additional>\n")
    return out


def peer_command(args, junction_files, mode, seed):
    command = [args.peer, "sumo", "corridor-peer", "--strategy", args.strategy]
    for path in junction_files.values():
        command += ["--config", str(path)]
    if mode == "coordinated":
        command += ["--coordinated", "--loss", str(args.loss), "--delay", str(args.delay), "--seed", str(seed)]
        if args.silent:
            command += ["--silent", args.silent]
    return command


def checked(junction, states_path):
    """safety_check.check's findings, less the minimum-duration ones of an interval the recording
    cut: a program with an offset starts mid-phase, so a group's first aspect began before the
    simulation did and its recorded length says nothing about the program."""
    records = safety_check.read_states(states_path)
    first_change = {}
    for time_s, state in records[1:]:
        for group in junction.groups:
            if group not in first_change and {state[i] for i in junction.links[group]} != {
                    records[0][1][i] for i in junction.links[group]}:
                first_change[group] = time_s
    return [(time_s, kind, text) for time_s, kind, text in safety_check.check(junction, records)
            if not (kind in ("min-green", "min-amber") and first_change.get(text.split()[0]) == time_s)]


def run_one(job):
    """One scenario with one controller; returns its figures and safety findings."""
    os.environ["SUMO_HOME"] = str(sumo_home())
    kind, name = job["controller"].split(":")
    run_dir = pathlib.Path(job["run_dir"])
    run_dir.mkdir(parents=True, exist_ok=True)
    files = {tls: pathlib.Path(p) for tls, p in job["junction_files"].items()}
    started = time.monotonic()
    summary = None
    edges = corridor_harness.edge_recorder(run_dir)
    if kind == "sumo":
        _, sumo_cpu = corridor_harness.run_sumo_programs(
            job["net"], job["routes"], [job["loops"], edges, *job["programs"]], list(files), run_dir, job["seed"],
            job["sublane"])
        cpu = {"sumo": sumo_cpu}
    else:
        _, summary, cpu = corridor_harness.run_junctiond(job["net"], job["routes"], [job["loops"], edges],
                                                         job["command"], run_dir, job["seed"], job["sublane"],
                                                         job["end_s"])
        (run_dir / "peer.txt").write_text(summary + "\n")
    figures = corridor_harness.tripinfo_figures(run_dir, job["vehicles"])
    figures["junction_delay"] = corridor_harness.junction_delays(run_dir, job["net"], list(files))
    findings = []
    for tls, path in files.items():
        findings += [(tls, *f) for f in checked(safety_check.Junction(path), run_dir / f"states-{tls}.csv")]
    figures.update({
        "scenario": job["scenario"], "controller": job["controller"], "seed": job["seed"],
        "wall_seconds": time.monotonic() - started, "cpu": cpu,
        "safety_findings": len(findings), "first_findings": [f"{j} {t:.1f} {k}: {x}" for j, t, k, x in findings[:5]],
        "peer": summary,
    })
    (run_dir / "figures.json").write_text(json.dumps(figures, indent=1))
    return figures


def prepare(args, out, scenarios, controllers):
    """Network, junction files, routes and SUMO programs; returns (jobs, foe findings)."""
    lay, net, loops = corridor_network.build(out / "network", args.layout)
    junction_files = corridor_junctions.write_all(lay, net, out / "junctions")
    # The files' conflicts must cover every pair SUMO's junction logic calls foes, at every junction.
    matrix = [f"{tls}: SUMO calls {a} and {b} foes; the file does not"
              for tls, path in junction_files.items()
              for a, b in sorted(safety_check.foes_not_in_conflict(safety_check.Junction(path), net))]
    jobs = []
    for scenario in scenarios:
        scenario_dir = out / scenario
        scenario_dir.mkdir(parents=True, exist_ok=True)
        routes = scenario_dir / "routes.rou.xml"
        vehicles, arterial = corridor_demand.write_routes(lay, scenario, routes, duration_s=args.seconds)
        program_files = {}
        if {"sumo:wave", "sumo:static"} & set(controllers):
            webster = write_webster(junction_files, net, routes, scenario_dir)
            program_files["static"] = [webster]
            program_files["wave"] = [webster, write_offsets(net, routes, webster, scenario_dir)]
        for kind in ("actuated", "delay_based"):
            if f"sumo:{kind}" in controllers:
                program_files[kind] = [write_programs(kind, junction_files, net, routes, scenario_dir)]
        for seed in args.seeds:
            for controller in controllers:
                kind, name = controller.split(":")
                suffix = "" if len(args.seeds) == 1 else f"-seed{seed}"
                jobs.append({
                    "scenario": scenario, "controller": controller, "seed": seed, "net": str(net), "loops": str(loops),
                    "routes": str(routes), "vehicles": vehicles, "arterial_vehicles": arterial,
                    "programs": [str(p) for p in program_files.get(name, [])],
                    "junction_files": {tls: str(p) for tls, p in junction_files.items()},
                    "command": peer_command(args, junction_files, name, seed) if kind == "junctiond" else None,
                    "sublane": corridor_demand.uses_sublane(scenario), "end_s": args.seconds + args.drain,
                    "run_dir": str(scenario_dir / (controller.replace(":", "-") + suffix)),
                })
    return jobs, matrix


def _mean(rows, key):
    return sum(r[key] for r in rows) / len(rows)


def junction_line(coordinated, isolated):
    """Each junction's delay coordinated against isolated (means over seeds; `junction_delays`), and
    the worst: the check that no junction pays for the others' gain, nor for a lossy or silent link."""
    def per_junction(rows):
        return {tls: sum(r["junction_delay"][tls] for r in rows) / len(rows) for tls in rows[0]["junction_delay"]}

    alone, together = per_junction(isolated), per_junction(coordinated)
    ratios = {tls: together[tls] / alone[tls] if alone[tls] > 0 else 1.0 for tls in alone}
    worst = max(ratios, key=ratios.get)
    seeds = [r["junction_delay"][worst] for r in isolated]
    return ("  per junction, coordinated / isolated delay: "
            + " ".join(f"{tls} {ratios[tls]:.2f}x" for tls in sorted(ratios, key=lambda t: (len(t), t)))
            + f"; worst {worst} {ratios[worst]:.2f}x ({together[worst]:.1f} vs {alone[worst]:.1f} s"
            + (f"; isolated {min(seeds):.1f}-{max(seeds):.1f} s over {len(seeds)} seeds)" if len(seeds) > 1 else ")"))


def scenario_lines(rows):
    """The ratio and speed lines under one scenario's table rows (means over seeds)."""
    by = {}
    for row in rows:
        by.setdefault(row["controller"], []).append(row)
    sumo = {c: _mean(r, "mean_delay") for c, r in by.items() if c.startswith("sumo:")}
    lines = []
    if sumo:
        best = min(sumo, key=sumo.get)
        best_p95 = min(_mean(r, "p95_delay") for c, r in by.items() if c.startswith("sumo:"))
        wave = by.get("sumo:wave")
        for mode in ("junctiond:isolated", "junctiond:coordinated"):
            if mode not in by:
                continue
            mean = _mean(by[mode], "mean_delay")
            text = (f"  {LABEL[mode]}: {mean / sumo[best]:.2f}x best SUMO ({LABEL[best]}, {sumo[best]:.1f} s); "
                    f"p95 {_mean(by[mode], 'p95_delay'):.1f} vs best {best_p95:.1f}")
            if mode == "junctiond:coordinated" and "junctiond:isolated" in by:
                text += f"; {mean / _mean(by['junctiond:isolated'], 'mean_delay'):.2f}x isolated"
            if wave:
                text += (f"; arterial stops {_mean(by[mode], 'arterial_stops'):.2f} vs wave "
                         f"{_mean(wave, 'arterial_stops'):.2f}")
            lines.append(text)
    if "junctiond:coordinated" in by and "junctiond:isolated" in by:
        lines.append(junction_line(by["junctiond:coordinated"], by["junctiond:isolated"]))
    alone = by.get("sumo:static")
    for mode in ("junctiond:isolated", "junctiond:coordinated"):
        if mode in by and alone:
            cpu = {k: sum(r["cpu"][k] for r in by[mode]) for k in by[mode][0]["cpu"]}
            base = sum(r["cpu"]["sumo"] for r in alone)
            total = sum(cpu.values())
            lines.append(f"  speed, {LABEL[mode]}: lockstep CPU {total:.1f} s = {total / base:.2f}x SUMO alone "
                         f"({base:.1f} s); split: SUMO {cpu['sumo']:.1f} s, harness {cpu['harness']:.1f} s, "
                         f"controllers {cpu['controllers']:.1f} s, neighbour exchange {cpu['exchange']:.1f} s, "
                         f"peer pipe and parsing {cpu['peer_other']:.1f} s")
    return lines


def print_table(results, scenarios, stream=sys.stdout):
    header = (f"{'scenario':<10} {'controller':<27} {'seed':>4} {'mean':>7} {'p95':>7} {'stops':>5} "
              f"{'art. time':>9} {'art. stops':>10} {'completed':>11} {'tele':>4} {'safety':>7}")
    print(header, file=stream)
    print("-" * len(header), file=stream)
    for scenario in scenarios:
        rows = [r for r in results if r["scenario"] == scenario]
        rows.sort(key=lambda r: (ALL_CONTROLLERS.index(r["controller"]), r["seed"]))
        for row in rows:
            safety = "ok" if row["safety_findings"] == 0 else f"{row['safety_findings']} !"
            print(f"{scenario:<10} {LABEL[row['controller']]:<27} {row['seed']:>4} {row['mean_delay']:>6.1f}s "
                  f"{row['p95_delay']:>6.1f}s {row['stops_per_vehicle']:>5.2f} {row['arterial_time']:>8.1f}s "
                  f"{row['arterial_stops']:>10.2f} {row['completed']:>5}/{row['offered']:<5} {row['teleports']:>4} "
                  f"{safety:>7}", file=stream)
        for line in scenario_lines(rows):
            print(line, file=stream)
        print(file=stream)


def bench(args):
    out = results_directory(args.out)
    scenarios = parallel.selection(args.scenarios, corridor_demand.SCENARIOS, "scenario")
    controllers = parallel.selection(args.controllers, ALL_CONTROLLERS, "controller")
    os.environ["SUMO_HOME"] = str(sumo_home())
    print(f"junction-bench sumo corridor: layout {args.layout}, {len(scenarios)} scenarios x {len(controllers)} "
          f"controllers x {len(args.seeds)} seeds, {'libsumo' if corridor_harness.IN_PROCESS else 'traci'}, "
          f"results in {out}", flush=True)
    jobs, matrix = prepare(args, out, scenarios, controllers)
    for line in matrix:
        print(f"  conflict matrix: {line}")
    results = parallel.run_all(
        run_one, jobs, args.jobs,
        lambda row: f"{row['scenario']:<9} {row['controller']:<22} seed {row['seed']} mean {row['mean_delay']:6.1f} s")
    (out / "results.json").write_text(json.dumps({"layout": args.layout, "seconds": args.seconds,
                                                  "loss": args.loss, "delay": args.delay, "silent": args.silent,
                                                  "matrix": matrix, "runs": results}, indent=1))
    print_table(results, scenarios)
    with open(out / "results.txt", "w") as stream:
        print(f"junction-bench sumo corridor --layout {args.layout} --seconds {args.seconds:g} "
              f"--loss {args.loss:g} --delay {args.delay:g}" + (f" --silent {args.silent}" if args.silent else ""),
              file=stream)
        print_table(results, scenarios, stream)
    failed = len(jobs) - len(results)
    # SUMO's programs' findings are in the table; junctiond's fail the command.
    unsafe = [r for r in results if r["safety_findings"] and r["controller"].startswith("junctiond:")]
    peer_errors = [r for r in results if r["peer"] and "fault=none" not in r["peer"]]
    if failed or unsafe or matrix or peer_errors:
        print(f"{failed} runs failed, {len(unsafe)} junctiond runs with safety findings, {len(matrix)} conflict-matrix gaps, "
              f"{len(peer_errors)} peers with a fault")
        return 1
    return 0


def main():
    process_group.lead_process_group()
    parser = argparse.ArgumentParser(prog="junction-bench sumo corridor", description=__doc__.splitlines()[0],
                                     epilog="\n".join(__doc__.splitlines()[2:]),
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["bench"], help=argparse.SUPPRESS)
    parser.add_argument("--peer", required=True, help=argparse.SUPPRESS)  # junction-bench passes itself
    parser.add_argument("--layout", default="corridor", choices=sorted(corridor_network.LAYOUTS),
                        help="the network: an 8-junction arterial, a 3x3 grid, or CI's 3 junctions (default %(default)s)")
    parser.add_argument("--scenarios", default=",".join(corridor_demand.SCENARIOS),
                        help="comma-separated demand scenarios (default: all, %(default)s)")
    parser.add_argument("--controllers", default=",".join(ALL_CONTROLLERS),
                        help="comma-separated controllers (default: all, %(default)s)")
    parser.add_argument("--seconds", type=positive_seconds, default=3600, help="simulated seconds of demand (default 3600)")
    parser.add_argument("--drain", type=non_negative_seconds, default=1800,
                        help="lockstep runs stop this long after the demand ends, or when every vehicle arrived")
    parser.add_argument("--strategy", default="advance", choices=["actuated", "saturation", "advance"],
                        help="junctiond's adaptive strategy (default %(default)s)")
    parser.add_argument("--loss", type=share, default=0.0, help="share of neighbour datagrams lost (0-1, seeded)")
    parser.add_argument("--delay", type=non_negative_seconds, default=0.1, help="neighbour datagram delay in seconds")
    parser.add_argument("--silent", help="a junction (tls id, e.g. J3) whose neighbour messages are never sent")
    parser.add_argument("--seeds", type=seed_list, default=[SEED], help="SUMO seeds, comma-separated (noise across seeds)")
    parser.add_argument("--out", default="artifacts/sumo-corridor", help="results directory (default %(default)s)")
    parser.add_argument("--jobs", type=job_count, default=1, help="runs in parallel (default %(default)s)")
    args = parser.parse_args()
    try:
        return bench(args)
    except InputError as error:
        print(f"junction-bench sumo corridor: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
