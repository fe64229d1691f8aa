"""An independent safety check of what SUMO's traffic light really showed.

It shares no code with junctiond's SafetyMonitor: it reads the junction file with Python's own TOML
parser and the state strings SUMO recorded (states.csv: the time each state began), turns them back
into one aspect per signal group through the [sumo] link mapping, and checks:

- consistency: all links of a group show the same aspect;
- conflict: two conflicting groups never open (green, amber or red+amber) at once;
- minimum green: every green lasts at least the group's min_green;
- minimum amber: every amber lasts at least max(amber, 2.7 s) and follows a green;
- intergreen: from the end of a group's green to the start of a conflicting group's green at least
  the configured intergreen passes;
- sequence (PM 49/2014): green starts only from red+amber (for groups with red_amber > 0), and
  red+amber comes only right before green.

It also checks that the junction file's conflicts cover every pair of links that SUMO's junction
logic calls foes, so a wrong conflict matrix cannot hide behind a clean run.

Usage: python3 safety_check.py JUNCTION.toml STATES.csv [--net NET.net.xml] [--no-sequence]
"""

import argparse
import csv
import pathlib
import sys
import tomllib

AMBER_FLOOR_S = 2.7
EPSILON = 1e-6
OPEN = set("Gguy")


class Junction:
    def __init__(self, path):
        data = tomllib.loads(pathlib.Path(path).read_text())
        self.groups = [g["name"] for g in data["groups"]]
        self.spec = {g["name"]: g for g in data["groups"]}
        self.links = data["sumo"]["links"]
        self.tls = data["sumo"]["tls"]
        self.conflicts = set()
        for group, others in data.get("conflicts", {}).items():
            for other in others:
                self.conflicts.add((group, other))
                self.conflicts.add((other, group))
        self.intergreen = {(a, b): float(v) for a, row in data.get("intergreen", {}).items() for b, v in row.items()}

    def min_green(self, g):
        return float(self.spec[g].get("min_green", self.spec[g].get("walk", 0)))

    def amber(self, g):
        return max(float(self.spec[g].get("amber", 0)), AMBER_FLOOR_S)

    def red_amber(self, g):
        return float(self.spec[g].get("red_amber", 0))


def read_states(path):
    with open(path) as source:
        return [(float(row["time"]), row["state"]) for row in csv.DictReader(source)]


def check(junction, records, end_time=None, sequence=True):
    """Every finding as (time, kind, text); an empty list means the run was safe."""
    findings = []
    if not records:
        return [(0.0, "empty", "no states recorded")]
    end_time = end_time if end_time is not None else records[-1][0] + 0.1
    aspects = []
    for time, state in records:
        row = {}
        for g in junction.groups:
            chars = {state[i] for i in junction.links[g] if i < len(state)}
            if len(chars) != 1:
                findings.append((time, "consistency", f"group {g} shows {sorted(chars)} on its links"))
            row[g] = min(chars) if chars else "?"
        aspects.append((time, row))
    # Conflicts at every recorded instant (the state holds until the next record).
    for time, row in aspects:
        for a, b in junction.conflicts:
            if a < b and row[a] in OPEN and row[b] in OPEN:
                findings.append((time, "conflict", f"{a} ({row[a]}) and {b} ({row[b]}) open together"))
    # Per-group intervals.
    green_start = {g: None for g in junction.groups}
    green_end = {g: None for g in junction.groups}
    since = {g: aspects[0][0] for g in junction.groups}
    previous = {g: aspects[0][1][g] for g in junction.groups}
    for time, row in aspects[1:] + [(end_time, None)]:
        for g in junction.groups:
            now = row[g] if row else None
            before = previous[g]
            if now == before:
                continue
            held = time - since[g]
            if before == "G" and now is not None:
                if held + EPSILON < junction.min_green(g):
                    findings.append((time, "min-green", f"{g} green lasted {held:.1f} s < {junction.min_green(g)} s"))
                if now != "y":
                    findings.append((time, "sequence", f"{g} went from green to {now} without amber"))
                green_end[g] = time
            if before == "y" and now is not None and held + EPSILON < junction.amber(g):
                findings.append((time, "min-amber", f"{g} amber lasted {held:.1f} s < {junction.amber(g)} s"))
            if now == "y" and before != "G":
                findings.append((time, "sequence", f"{g} went from {before} to amber"))
            if now == "u" and sequence and before not in ("r",):
                findings.append((time, "sequence", f"{g} went from {before} to red+amber"))
            if before == "u" and now not in ("G", None):
                findings.append((time, "sequence", f"{g} red+amber was followed by {now}, not green"))
            if now == "G":
                if sequence and junction.red_amber(g) > 0 and before != "u":
                    findings.append((time, "sequence", f"{g} got green from {before} without red+amber"))
                for h in junction.groups:
                    if (h, g) in junction.conflicts and green_end[h] is not None:
                        needed = junction.intergreen.get((h, g), 0.0)
                        gap = time - green_end[h]
                        if gap + EPSILON < needed:
                            findings.append((time, "intergreen", f"{g} green {gap:.1f} s after {h}, needs {needed} s"))
                green_start[g] = time
            since[g] = time
            previous[g] = now
    return findings


def foes_not_in_conflict(junction, net_path):
    """Pairs of groups whose links SUMO's junction logic calls foes but the junction file does not."""
    import sumolib

    net = sumolib.net.readNet(str(net_path), withInternal=True, withFoes=True)
    node = net.getNode(junction.tls) if net.hasNode(junction.tls) else None
    group_of = {i: g for g in junction.groups for i in junction.links[g]}
    missing = set()
    if node is None:
        return missing
    for i, g in group_of.items():
        for j, h in group_of.items():
            if g != h and (g, h) not in junction.conflicts and node.areFoes(i, j):
                missing.add(tuple(sorted((g, h))))
    return missing


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("junction")
    parser.add_argument("states")
    parser.add_argument("--net")
    parser.add_argument("--no-sequence", action="store_true", help="skip the red+amber sequence rule")
    args = parser.parse_args()
    junction = Junction(args.junction)
    findings = check(junction, read_states(args.states), sequence=not args.no_sequence)
    if args.net:
        for pair in sorted(foes_not_in_conflict(junction, args.net)):
            findings.append((0.0, "matrix", f"SUMO calls {pair[0]} and {pair[1]} foes; the file does not"))
    for time, kind, text in findings[:50]:
        print(f"{time:9.1f} {kind}: {text}")
    print(f"{len(findings)} findings")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
