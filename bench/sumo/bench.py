#!/usr/bin/env python3
"""`junction-bench sumo`: junctiond's controller against SUMO's own programs, SUMO in the loop.

Modes:
  bench    build the benchmark junction, generate the scenarios, run every controller on every
           scenario, check every run's lamps independently, print the table (the default);
  control  run one junction file's controller on any SUMO network (--net, --routes, --config);
  check    check a junction file against a SUMO network (links exist, conflicts cover SUMO's foes);
  links    print a traffic light's link table (links.py).

The Swift side (`junction-bench sumo peer`) is started by this script for every junctiond run;
`--peer` names the junction-bench executable (junction-bench passes itself). `junction-bench sumo
MODE --help` shows this script's options for MODE.
"""

import argparse
import json
import os
import pathlib
import re
import sys
import time
import xml.etree.ElementTree as ElementTree

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import demand  # noqa: E402
import harness  # noqa: E402
import parallel  # noqa: E402
import links  # noqa: E402
import metrics  # noqa: E402
import network  # noqa: E402
import programs  # noqa: E402
import process_group  # noqa: E402
import safety_check  # noqa: E402
from sumo_env import sumo_home  # noqa: E402
from options import job_count, positive_seconds, results_directory, seed, seed_list, status_interval  # noqa: E402
import user_files  # noqa: E402
from user_files import InputError  # noqa: E402

SUMO_PROGRAMS = ["static", "actuated", "delay_based", "NEMA"]
JUNCTIOND_MODES = ["fixed", "actuated", "saturation", "advance"]
ALL_CONTROLLERS = [f"sumo:{p}" for p in SUMO_PROGRAMS] + [f"junctiond:{m}" for m in JUNCTIOND_MODES]
LABEL = {
    "sumo:static": "SUMO static (Webster)", "sumo:actuated": "SUMO actuated", "sumo:delay_based": "SUMO delay_based",
    "sumo:NEMA": "SUMO NEMA", "junctiond:fixed": "junctiond fixed (Webster)", "junctiond:actuated": "junctiond actuated",
    "junctiond:saturation": "junctiond adaptive, saturation", "junctiond:advance": "junctiond adaptive, advance",
}
SEED = 42


def webster_from_static(program_path, junction):
    """Our fixed plan from SUMO's Webster program: each split is the stage's green plus the
    interstage after it, in whole seconds as tlsCycleAdaptation writes them."""
    logic = ElementTree.parse(program_path).getroot().find("tlLogic")
    greens = {programs._green(junction, stage): stage for stage in junction.sequence}
    splits = []
    for phase in logic.iter("phase"):
        duration = float(phase.get("duration"))
        if phase.get("state") in greens:
            splits.append(duration)
        else:
            splits[-1] += duration
    return splits


def junction_with_plan(source, target, splits):
    text = pathlib.Path(source).read_text()
    block = re.compile(r'(name = "fixed"\ncycle = )[0-9.]+(\noffset = )[0-9.]+(\nsplits = )\[[^\]]*\]')
    if not block.search(text):
        raise RuntimeError(f"{source} has no [[plans]] entry named \"fixed\" to re-time")
    cycle = sum(splits)
    rendered = ", ".join(f"{s:g}" for s in splits)
    text = block.sub(lambda m: f"{m.group(1)}{cycle:g}{m.group(2)}0{m.group(3)}[{rendered}]", text)
    pathlib.Path(target).write_text(text)
    return target


def run_one(job):
    """One scenario with one controller; returns its figures and safety findings."""
    os.environ["SUMO_HOME"] = str(sumo_home())
    kind, name = job["controller"].split(":")
    run_dir = pathlib.Path(job["run_dir"])
    run_dir.mkdir(parents=True, exist_ok=True)
    sublane = demand.uses_sublane(job["scenario"])
    started = time.monotonic()
    strategy = None
    if kind == "sumo":
        harness.run_sumo_program(job["net"], job["routes"], job["loops"], job["program"], run_dir, job["seed"], sublane)
    else:
        command = [job["peer"], "sumo", "peer", "--config", job["config"], "--events", str(run_dir / "events.csv")]
        if name == "fixed":
            command += ["--plan", "fixed"]
        else:
            command += ["--strategy", name]
        _, summary, statuses, _ = harness.run_junctiond(
            job["net"], job["routes"], [job["loops"]], command, run_dir, job["seed"], sublane, status_every_s=300)
        (run_dir / "peer.txt").write_text(summary + "\n" + "\n".join(statuses) + "\n")
        strategy = summary
    figures = metrics.run_figures(run_dir, job["vehicles"], net=job["net"])
    junction = safety_check.Junction(job["config"])
    # SUMO's NEMA controller has no red+amber (US sequence): only that rule is waived for it.
    findings = safety_check.check(junction, safety_check.read_states(run_dir / "states.csv"),
                                  sequence=job["controller"] != "sumo:NEMA")
    figures.update({
        "scenario": job["scenario"], "controller": job["controller"], "seed": job["seed"],
        "wall_seconds": time.monotonic() - started,
        "safety_findings": len(findings), "first_findings": [f"{t:.1f} {k}: {x}" for t, k, x in findings[:5]],
        "peer": strategy,
    })
    (run_dir / "figures.json").write_text(json.dumps(figures, indent=1))
    return figures


def prepare(out, scenarios, controllers, seeds, peer, junction_path):
    net, loops = network.build(out / "network")
    findings = safety_check.network_findings(safety_check.Junction(junction_path), net)
    if findings:
        sys.exit(f"refusing to run {junction_path} on the benchmark junction:\n  " + "\n  ".join(findings))
    junction = programs.JunctionFile(junction_path)
    jobs = []
    for scenario in scenarios:
        scenario_dir = out / scenario
        scenario_dir.mkdir(parents=True, exist_ok=True)
        routes = scenario_dir / "routes.rou.xml"
        vehicles = demand.write_routes(scenario, routes)
        program_paths = {}
        for program in SUMO_PROGRAMS:
            if f"sumo:{program}" in controllers or (program == "static" and "junctiond:fixed" in controllers):
                program_paths[program] = programs.write_program(program, junction_path, net, routes, scenario_dir)
        config = str(junction_path)
        if "junctiond:fixed" in controllers:
            splits = webster_from_static(program_paths["static"], junction)
            config = str(junction_with_plan(junction_path, scenario_dir / "junction.toml", splits))
        for controller in controllers:
            kind, name = controller.split(":")
            for seed in seeds:
                suffix = "" if len(seeds) == 1 else f"-seed{seed}"
                jobs.append({
                    "scenario": scenario, "controller": controller, "seed": seed, "net": str(net),
                    "loops": str(loops), "routes": str(routes), "vehicles": vehicles,
                    "program": str(program_paths.get(name, "")), "config": config, "peer": peer,
                    "run_dir": str(scenario_dir / (controller.replace(":", "-") + suffix)),
                })
    return jobs


def over_seeds(results):
    """One row per scenario and controller: delays and waits averaged over its seeds, the fewest
    vehicles completed and the longest queue of any seed, safety findings added up, and the spread
    of the mean delay (`mean_delay_range`) so a difference can be told from the seeds' noise."""
    groups = {}
    for row in results:
        groups.setdefault((row["scenario"], row["controller"]), []).append(row)
    merged = []
    for (scenario, controller), rows in groups.items():
        means = [r["mean_delay"] for r in rows]
        queues = [r["max_queue"] for r in rows if r["max_queue"] is not None]
        merged.append({
            "scenario": scenario, "controller": controller, "seeds": len(rows),
            "mean_delay": sum(means) / len(rows), "mean_delay_range": (min(means), max(means)),
            "p95_delay": sum(r["p95_delay"] for r in rows) / len(rows),
            "mean_wait": sum(r["mean_wait"] for r in rows) / len(rows),
            "completed": min(r["completed"] for r in rows), "offered": rows[0]["offered"],
            "max_queue": max(queues) if queues else None,
            "safety_findings": sum(r["safety_findings"] for r in rows),
        })
    return merged


def ratio_line(rows):
    sumo = [r for r in rows if r["controller"].startswith("sumo:")]
    best = min(sumo, key=lambda r: r["mean_delay"]) if sumo else None
    best_p95 = min((r["p95_delay"] for r in sumo), default=None)
    notes = []
    for mode in ("junctiond:advance", "junctiond:saturation"):
        row = next((r for r in rows if r["controller"] == mode), None)
        if row and best:
            notes.append(f"{LABEL[mode].split(', ')[-1]} {row['mean_delay'] / best['mean_delay']:.2f}x "
                         f"(p95 {row['p95_delay']:.1f} vs best {best_p95:.1f})")
    if not best or not notes:
        return ""
    return f"  adaptive / best SUMO ({LABEL[best['controller']]}, {best['mean_delay']:.1f} s): " + "; ".join(notes)


def _queue(row):
    return "-" if row["max_queue"] is None else f"{row['max_queue']:.0f}"


def print_table(results, scenarios, stream=sys.stdout):
    """The table of `over_seeds` rows; with more than one seed, a last column gives the range of the
    mean delay over them."""
    seeded = any(r["seeds"] > 1 for r in results)
    header = (f"{'scenario':<9} {'controller':<31} {'mean delay':>10} {'p95 delay':>9} {'mean wait':>9} "
              f"{'completed':>11} {'max queue':>9} {'safety':>7}" + (f" {'mean, range over seeds':>22}" if seeded else ""))
    print(header, file=stream)
    print("-" * len(header), file=stream)
    for scenario in scenarios:
        rows = [r for r in results if r["scenario"] == scenario]
        rows.sort(key=lambda r: ALL_CONTROLLERS.index(r["controller"]))
        for row in rows:
            safety = "ok" if row["safety_findings"] == 0 else f"{row['safety_findings']} !"
            low, high = row["mean_delay_range"]
            spread = f" {f'{low:.1f}-{high:.1f}s':>22}" if seeded else ""
            print(f"{scenario:<9} {LABEL[row['controller']]:<31} {row['mean_delay']:>9.1f}s {row['p95_delay']:>8.1f}s "
                  f"{row['mean_wait']:>8.1f}s {row['completed']:>5}/{row['offered']:<5} {_queue(row):>9} "
                  f"{safety:>7}{spread}", file=stream)
        line = ratio_line(rows)
        if line:
            print(line, file=stream)
        print(file=stream)


def bench(args):
    out = results_directory(args.out)
    scenarios = parallel.selection(args.scenarios, demand.SCENARIOS, "scenario")
    controllers = parallel.selection(args.controllers, ALL_CONTROLLERS, "controller")
    junction_path = pathlib.Path(args.config).resolve()
    seeds = f"{len(args.seeds)} SUMO seeds" if len(args.seeds) > 1 else f"SUMO seed {args.seeds[0]}"
    print(f"junction-bench sumo: {len(scenarios)} scenarios x {len(controllers)} controllers x {seeds}, "
          f"SUMO {sumo_home()} through {harness.BACKEND}, results in {out}", flush=True)
    jobs = prepare(out, scenarios, controllers, args.seeds, args.peer, junction_path)
    results = parallel.run_all(
        run_one, jobs, args.jobs,
        lambda row: f"{row['scenario']:<8} {row['controller']:<22} seed {row['seed']:<4} mean {row['mean_delay']:6.1f} s")
    (out / "results.json").write_text(json.dumps(results, indent=1))
    table = over_seeds(results)
    print_table(table, scenarios)
    with open(out / "results.txt", "w") as stream:
        print_table(table, scenarios, stream)
    failed = len(jobs) - len(results)
    unsafe = [r for r in results if r["safety_findings"] and r["controller"].startswith("junctiond:")]
    if failed or unsafe:
        print(f"{failed} runs failed, {len(unsafe)} junctiond runs with safety findings")
        return 1
    return 0


def check(args):
    """A junction file against a SUMO network, without running SUMO."""
    junction, net = safety_check.Junction(args.config), network.read_net(args.net)
    findings = safety_check.network_findings(junction, net)
    for text in findings:
        print(f"{args.config}: {text}")
    if not findings:
        print(f"{args.config}: ok: {len(junction.groups)} groups drive links of {junction.tls}, and the file's "
              f"conflicts cover every pair of them that SUMO calls foes")
        note_undriven_links(args.config, junction, net, sys.stdout)
    return 1 if findings else 0


def note_undriven_links(junction_path, junction, net, stream):
    """Prints a note naming the light's links that no group drives (they stay red all run), if any."""
    undriven = safety_check.undriven_links(junction, net)
    if undriven:
        print(f"{junction_path}: note: no group drives link{'s' if len(undriven) > 1 else ''} "
              f"{', '.join(undriven)} of {junction.tls}; SUMO shows {'them' if len(undriven) > 1 else 'it'} "
              f"red all run (add to [sumo.links] if traffic should use {'them' if len(undriven) > 1 else 'it'})",
              file=stream)


def control(args):
    """One junction file on any SUMO network: lockstep run, figures and the safety check."""
    junction, net = safety_check.Junction(args.config), network.read_net(args.net)
    findings = safety_check.network_findings(junction, net)
    if findings:
        print(f"junction-bench sumo control: refusing to run {args.config} on {args.net}:", file=sys.stderr)
        for text in findings:
            print(f"  {text}", file=sys.stderr)
        return 2
    if args.plan is not None and args.plan not in junction.plans:
        raise InputError(f"--plan {args.plan}: {args.config} has no such plan "
                         + (f"(its [[plans]]: {', '.join(junction.plans)})" if junction.plans else "(it has no [[plans]])"))
    routes = args.routes.split(",") if args.routes else []
    additionals = args.additional.split(",") if args.additional else []
    for path in routes:
        user_files.require_file(path, "route file")
    for path in additionals:
        user_files.require_file(path, "additional file")
    note_undriven_links(args.config, junction, net, sys.stdout)
    out = results_directory(args.out)
    command = [args.peer, "sumo", "peer", "--config", args.config, "--events", str(out / "events.csv")]
    if args.strategy:
        command += ["--strategy", args.strategy]
    if args.plan:
        command += ["--plan", args.plan]
    os.environ["SUMO_HOME"] = str(sumo_home())
    length = (f"{args.seconds:g} s (or to SUMO's end, if sooner)" if args.seconds is not None
              else "until every vehicle has arrived or SUMO's end")
    print(f"SUMO {sumo_home()} through {harness.BACKEND}; running {length}", flush=True)
    try:
        wall, summary, statuses, simulated = harness.run_junctiond(
            args.net, args.routes, additionals, command, out, args.seed, args.sublane, end_s=args.seconds,
            status_every_s=args.status_every, sumo_args=args.sumo_arg, detector_groups=junction.detector_groups)
    except harness.RUN_ERRORS as error:
        print(f"junction-bench sumo control: {error}", file=sys.stderr)
        return 2
    for line in statuses:
        print(line)
    print(summary)
    figures = metrics.run_figures(out, net=net, tls_ids=[junction.tls])
    findings = safety_check.check(junction, safety_check.read_states(out / "states.csv"))
    print(f"ran {simulated:.1f} s of simulated time in {wall:.1f} s; every vehicle of the network: mean delay "
          f"{figures['mean_delay']:.1f} s, p95 {figures['p95_delay']:.1f} s, completed "
          f"{figures['completed']}/{figures['offered']}; max queue {figures['max_queue']:.0f} vehicles "
          f"(longest lane, along an approach of {junction.tls})")
    print(f"independent safety check: {len(findings)} findings")
    for time_s, kind, text in findings[:10]:
        print(f"  {time_s:.1f} {kind}: {text}")
    return 1 if findings else 0


def main():
    process_group.lead_process_group()
    # Everything after `--` goes to SUMO as it is (control only).
    argv = sys.argv[1:]
    passthrough = argv[argv.index("--") + 1:] if "--" in argv else []
    argv = argv[:argv.index("--")] if "--" in argv else argv
    parser = argparse.ArgumentParser(prog="junction-bench sumo", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="mode", required=True)

    def mode(name, description):
        command = sub.add_parser(name, prog=f"junction-bench sumo {name}", description=description, help=description)
        command.add_argument("--peer", required=True, help=argparse.SUPPRESS)  # junction-bench passes itself
        return command

    b = mode("bench", "Run every scenario with every controller on the benchmark junction and print the table.")
    b.add_argument("--scenarios", default=",".join(demand.SCENARIOS), help="comma-separated (default: all)")
    b.add_argument("--controllers", default=",".join(ALL_CONTROLLERS), help="comma-separated (default: all)")
    b.add_argument("--config", default=str(HERE / "junction.toml"), help="the benchmark's junction file")
    b.add_argument("--out", default="artifacts/sumo", help="results directory (default: %(default)s)")
    b.add_argument("--jobs", type=job_count, default=2, help="runs in parallel (default: %(default)s)")
    b.add_argument("--seeds", type=seed_list, default=[SEED],
                   help=f"SUMO's random seeds, comma-separated (default: {SEED}); each run is repeated with each, "
                        "the table gives means over them and the spread of the mean delay (the vehicles and their "
                        "departures stay the scenario's; drivers and lanes vary)")
    c = mode("control", "Run one junction file's controller on a SUMO network's traffic light, in lockstep, then "
                        "print the delays and the independent safety check. Refuses a junction file that "
                        "`check` faults. Options after `--` go to SUMO.")
    c.add_argument("--net", required=True, help="the SUMO network (.net.xml)")
    c.add_argument("--routes", help="route files, comma-separated (or in a SUMO configuration file: "
                                    "--sumo-arg=--configuration-file=FILE)")
    c.add_argument("--additional", help="comma-separated additional files (the induction loops, at least)")
    c.add_argument("--config", required=True, help="junction file with a [sumo] section")
    c.add_argument("--strategy", choices=["actuated", "saturation", "advance"], help="override its [adaptive] strategy")
    c.add_argument("--plan", help="run this fixed-time plan of the junction file instead")
    c.add_argument("--seconds", type=positive_seconds,
                   help="simulated seconds to run, from SUMO's begin (default: until every vehicle has arrived, "
                        "or SUMO's --end); unfinished vehicles count with the delay they had so far")
    c.add_argument("--seed", type=seed, default=SEED, help="SUMO's random seed (default: %(default)s)")
    c.add_argument("--sublane", action="store_true", help="SUMO's sublane model (--lateral-resolution 0.8)")
    c.add_argument("--status-every", type=status_interval, default=0,
                   help="print the controller's status every N s (0.1 s or more)")
    c.add_argument("--out", default="artifacts/sumo-control", help="results directory (default: %(default)s)")
    c.add_argument("--sumo-arg", action="append", default=[], metavar="ARG",
                   help="one more SUMO option or value, repeatable (--sumo-arg=--begin=25200 --sumo-arg=--end=28800); "
                        "it replaces the harness's default of that name (seed, --time-to-teleport 300, ...)")
    k = mode("check", "Check a junction file against a SUMO network without running it: junctiond's loader "
                      "accepts the file, the traffic light and its links exist, and the file's conflicts cover "
                      "every pair of links that SUMO's junction logic calls foes.")
    k.add_argument("--net", required=True, help="the SUMO network (.net.xml)")
    k.add_argument("--config", required=True, help="junction file with a [sumo] section")
    links.add_arguments(mode("links", links.__doc__.splitlines()[0]))
    args = parser.parse_args(argv)
    if passthrough and args.mode != "control":
        parser.error("options after -- go to SUMO, which only `control` runs")
    if args.mode == "control":
        args.sumo_arg += passthrough
    try:
        return {"bench": bench, "control": control, "check": check, "links": links.run}[args.mode](args)
    except InputError as error:
        print(f"junction-bench sumo {args.mode}: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
