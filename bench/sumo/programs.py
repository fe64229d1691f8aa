"""SUMO's own signal programs for the benchmark junction, built from the same junction file.

Every program uses the junction file's stages, link mapping, minimum and maximum greens and
clearances (3 s amber, 2 s all-red, the entering group's red+amber at the end of the all-red), so
the comparison is between control logics, not between clearance settings:

- static: a fixed cycle re-timed by SUMO's tlsCycleAdaptation.py (Webster) from the routes;
- actuated: SUMO's gap-based actuated logic with its own detectors, and phase skipping;
- delay_based: SUMO's time-loss based logic (Oertel & Wagner) with its own lane-area detectors;
- NEMA: SUMO's dual-ring NEMA controller (phases 1/5 right turns, 2/6 through north-south,
  3/7 and 4/8 east-west). NEMA has no red+amber, so its all-red is the whole 2 s.
"""

import pathlib
import subprocess
import sys
import tomllib

from sumo_env import tool, tools_directory

AMBER_S = 3.0


class JunctionFile:
    """What the programs need from a junction file, read with Python's own TOML parser."""

    def __init__(self, path):
        data = tomllib.loads(pathlib.Path(path).read_text())
        self.groups = [g["name"] for g in data["groups"]]
        self.timing = {g["name"]: g for g in data["groups"]}
        self.stages = {s["name"]: s["groups"] for s in data["stages"]}
        self.sequence = data["junction"].get("sequence", list(self.stages))
        self.links = data["sumo"]["links"]
        self.tls = data["sumo"]["tls"]
        self.intergreen = data.get("intergreen", {})
        self.conflicts = data.get("conflicts", {})
        self.link_count = 1 + max(i for indices in self.links.values() for i in indices)

    def state(self, marks):
        """A SUMO state string: `marks` maps group name to its character, every other link red."""
        chars = ["r"] * self.link_count
        for group, char in marks.items():
            for index in self.links[group]:
                chars[index] = char
        return "".join(chars)

    def interstage(self, leaving, entering):
        longest = 0.0
        for g in leaving:
            for h in entering:
                longest = max(longest, float(self.intergreen.get(g, {}).get(h, 0.0)))
        return longest


def _transition(junction, from_stage, to_stage):
    """(duration, state) phases from the end of one stage's green to the start of the next's."""
    leaving = [g for g in junction.stages[from_stage] if g not in junction.stages[to_stage]]
    staying = [g for g in junction.stages[from_stage] if g in junction.stages[to_stage]]
    entering = [g for g in junction.stages[to_stage] if g not in junction.stages[from_stage]]
    total = junction.interstage(leaving, entering)
    red_amber = max((float(junction.timing[g].get("red_amber", 0.0)) for g in entering), default=0.0)
    base = {g: "G" for g in staying}
    phases = [(AMBER_S, junction.state({**base, **{g: "y" for g in leaving}}))]
    red = round(total - AMBER_S - red_amber, 1)
    if red > 0:
        phases.append((red, junction.state(base)))
    if red_amber > 0:
        phases.append((red_amber, junction.state({**base, **{g: "u" for g in entering}})))
    return phases


def _green(junction, stage):
    return junction.state({g: "G" for g in junction.stages[stage]})


def _limits(junction, stage):
    groups = junction.stages[stage]
    return (max(float(junction.timing[g]["min_green"]) for g in groups),
            max(float(junction.timing[g]["max_green"]) for g in groups))


def _cycle_phases(junction, greens=None, variable=False):
    phases = []
    sequence = junction.sequence
    for position, stage in enumerate(sequence):
        low, high = _limits(junction, stage)
        duration = greens[position] if greens else high
        attributes = f' minDur="{low:.1f}" maxDur="{high:.1f}"' if variable else ""
        phases.append(f'        <phase duration="{duration:.1f}" state="{_green(junction, stage)}"{attributes}/>')
        for length, state in _transition(junction, stage, sequence[(position + 1) % len(sequence)]):
            phases.append(f'        <phase duration="{length:.1f}" state="{state}"/>')
    return phases


def _skipping_phases(junction):
    """Greens first, then a transition chain from every stage to every other; each green lists the
    transitions to the stages after it in cycle order, so actuated control can skip empty stages."""
    sequence = junction.sequence
    phases = []
    chains = {}
    index = len(sequence)
    for i, stage in enumerate(sequence):
        for step in range(1, len(sequence)):
            j = (i + step) % len(sequence)
            chain = _transition(junction, stage, sequence[j])
            chains[(i, j)] = (index, chain)
            index += len(chain)
    for i, stage in enumerate(sequence):
        low, high = _limits(junction, stage)
        candidates = [chains[(i, (i + step) % len(sequence))][0] for step in range(1, len(sequence))]
        phases.append(f'        <phase duration="{low:.1f}" state="{_green(junction, stage)}" minDur="{low:.1f}" '
                      f'maxDur="{high:.1f}" next="{" ".join(map(str, candidates))}"/>')
    for (i, j), (start, chain) in chains.items():
        for k, (length, state) in enumerate(chain):
            following = j if k == len(chain) - 1 else start + k + 1
            phases.append(f'        <phase duration="{length:.1f}" state="{state}" next="{following}"/>')
    return phases


NEMA_NUMBERS = {"SR": 1, "N": 2, "WR": 3, "E": 4, "NR": 5, "S": 6, "ER": 7, "W": 8}


def _nema_phases(junction):
    phases = []
    for group, number in sorted(NEMA_NUMBERS.items(), key=lambda item: item[1]):
        timing = junction.timing[group]
        phases.append(
            f'        <phase duration="{float(timing["max_green"]):.1f}" state="{junction.state({group: "G"})}" '
            f'minDur="{float(timing["min_green"]):.1f}" maxDur="{float(timing["max_green"]):.1f}" '
            f'vehext="{float(timing["passage"]):.1f}" yellow="{AMBER_S:.1f}" red="2.0" name="{number}"/>')
    params = ['        <param key="ring1" value="1,2,3,4"/>', '        <param key="ring2" value="5,6,7,8"/>',
              '        <param key="barrierPhases" value="4,8"/>', '        <param key="barrier2Phases" value="2,6"/>']
    return phases + params


def _tl_logic(junction, kind, program, phases):
    return "\n".join([f'    <tlLogic id="{junction.tls}" type="{kind}" programID="{program}" offset="0">', *phases,
                      '    </tlLogic>'])


def _adapted_base(path, junction):
    """The re-timed copy of our base program: tlsCycleAdaptation also re-times the network's
    default program (which has permissive right turns), so pick ours by its green states. Greens
    below a stage's minimum are raised to it, as any real plan would be."""
    import xml.etree.ElementTree as ElementTree

    ours = {_green(junction, stage): stage for stage in junction.sequence}
    for logic in ElementTree.parse(path).getroot().iter("tlLogic"):
        states = {phase.get("state") for phase in logic.iter("phase")}
        if set(ours) <= states:
            # Webster knows no minimum green: raise short greens to the junction's minimums.
            for phase in logic.iter("phase"):
                if phase.get("state") in ours:
                    low, _ = _limits(junction, ours[phase.get("state")])
                    phase.set("duration", f"{max(float(phase.get('duration')), low):g}")
            return ElementTree.tostring(logic, encoding="unicode").rstrip()
    raise RuntimeError(f"tlsCycleAdaptation wrote no program with the junction's stages in {path}")


def write_program(kind, junction_path, net_path, routes_path, directory):
    """Writes `<kind>.add.xml` in `directory` with SUMO's program of that kind; returns its path."""
    junction = JunctionFile(junction_path)
    directory = pathlib.Path(directory)
    out = directory / f"program-{kind}.add.xml"
    if kind == "static":
        base = directory / "program-static-base.add.xml"
        base.write_text("<additional>\n" + _tl_logic(junction, "static", "base", _cycle_phases(junction)) +
                        "\n</additional>\n")
        base_net = directory / "static-base.net.xml"
        subprocess.run([tool("netconvert"), "-s", str(net_path), "-i", str(base), "-o", str(base_net),
                        "--no-warnings"], check=True, stdout=subprocess.DEVNULL)
        adapted = directory / "program-static-webster.add.xml"
        subprocess.run([sys.executable, str(tools_directory() / "tlsCycleAdaptation.py"), "-n", str(base_net),
                        "-r", str(routes_path), "-o", str(adapted), "-b", "0", "-y", str(int(AMBER_S)), "-a", "2",
                        "-p", "static", "--min-cycle", "40", "--max-cycle", "150"],
                       check=True, stdout=subprocess.DEVNULL)
        out.write_text("<additional>\n" + _adapted_base(adapted, junction) + "\n</additional>\n")
        return out
    if kind == "actuated":
        body = _tl_logic(junction, "actuated", "actuated", _skipping_phases(junction))
    elif kind == "delay_based":
        body = _tl_logic(junction, "delay_based", "delay_based", _cycle_phases(junction, variable=True))
    elif kind == "NEMA":
        body = _tl_logic(junction, "NEMA", "NEMA", _nema_phases(junction))
    else:
        raise ValueError(kind)
    out.write_text("<additional>\n" + body + "\n</additional>\n")
    return out
