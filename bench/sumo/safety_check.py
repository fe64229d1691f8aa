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

With --net it also checks that the junction file's conflicts cover every pair of links that SUMO's
junction logic calls foes, so a wrong conflict matrix cannot hide behind a clean run;
`junction-bench sumo check` and `sumo control` run that check (network_findings) before any run.

Usage: python3 safety_check.py JUNCTION.toml STATES.csv [--net NET.net.xml] [--no-sequence]
"""

import argparse
import csv
import pathlib
import sys
import tomllib

from user_files import InputError, read_text

AMBER_FLOOR_S = 2.7
EPSILON = 1e-6
OPEN = set("Gguy")


class Junction:
    """What the check needs of a junction file. junctiond's loader validates the file in full
    (`junction-bench sumo` runs it first); this refuses, with `InputError`, only what it cannot
    read: a file that is not TOML, or one without the groups and [sumo] section it maps."""

    def __init__(self, path):
        try:
            data = tomllib.loads(read_text(path, "junction file"))
        except tomllib.TOMLDecodeError as error:
            raise InputError(f"{path}: not a TOML junction file: {error}") from None
        if "nema" in data:
            # The check reads groups, conflicts and intergreens as written; the ring-barrier layout is
            # compiled into them only by junctiond's loader, which this check is independent of.
            raise InputError(f"{path}: a [nema] ring-barrier file: the SUMO tools read only the group layout "
                             f"([[groups]], [conflicts], [intergreen], [[stages]]); write the junction that way "
                             f"to run it on SUMO (docs/config.md gives the compilation rules)")
        if not isinstance(data.get("sumo"), dict):
            raise InputError(f"{path}: no [sumo] section: it names the SUMO traffic light (tls) and the links "
                             f"each group drives (see docs/sumo.md)")
        try:
            self.groups = [g["name"] for g in data["groups"]]
            self.spec = {g["name"]: g for g in data["groups"]}
            self.links = {g: [int(i) for i in links] for g, links in data["sumo"]["links"].items()}
            self.tls = str(data["sumo"]["tls"])
            self.conflicts = set()
            for group, others in data.get("conflicts", {}).items():
                for other in others:
                    self.conflicts.add((group, other))
                    self.conflicts.add((other, group))
            self.intergreen = {(a, b): float(v) for a, row in data.get("intergreen", {}).items()
                               for b, v in row.items()}
            self.detector_groups = {d["name"]: list(d.get("groups", [])) for d in data.get("detectors", [])}
            self.plans = [plan["name"] for plan in data.get("plans", [])]
            loops = data["sumo"].get("loops", {})
            named = ([("traffic light", self.tls)] + [("group", g) for g in self.groups]
                     + [("detector", d["name"]) for d in data.get("detectors", [])]
                     + [("detector", d) for d in loops] + [("induction loop", loop) for loop in loops.values()])
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise InputError(f"{path}: not a junction file with [[groups]] and [sumo] tls and links "
                             f"({type(error).__name__}: {error}); junctiond --check-config names the problem") from None
        missing = [g for g in self.groups if g not in self.links]
        if missing:
            raise InputError(f"{path}: [sumo.links] gives no links for group {', '.join(missing)}")
        # The lockstep protocol to `junction-bench sumo peer` separates these names by spaces, so one
        # with whitespace is read as another name (a detector "dn Lw" as loop Lw) or breaks the run.
        spaced = list(dict.fromkeys(f"{kind} {str(name)!r}" for kind, name in named
                                    if any(c.isspace() for c in str(name))))
        if spaced:
            raise InputError(f"{path}: {', '.join(spaced)}: a name with whitespace cannot cross the lockstep "
                             f"protocol between SUMO and junctiond (it separates names by spaces); rename it")

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


def link_foes(net, tls_id):
    """Pairs (i, j), i < j, of the traffic light's link indices whose connections SUMO's junction
    logic calls foes (they cross or merge). SUMO keeps foes per junction in its own request order,
    not by the light's link index, so each link is first mapped to its junction and request index;
    links at different junctions of a light over joined junctions are never foes.

    A crossing with a second signal (`linkIndex2`, the far end's pedestrians) carries it on the
    link leaving the crossing, which has no request of its own: it takes the crossing's, the
    request of the link entering it, so its foes are the crossing's foes."""
    import network

    net = network.read_net(net)
    at = {}  # link index -> [(junction, request index)]
    for from_lane, to_lane, index in network.traffic_light(net, tls_id).getConnections():
        node = from_lane.getEdge().getToNode()
        requests = [node.getLinkIndex(network.connection(from_lane, to_lane))]
        if requests[0] < 0 and from_lane.getEdge().getFunction() == "crossing":
            requests = [node.getLinkIndex(network.connection(entry, from_lane)) for entry in from_lane.getIncoming()]
        at.setdefault(index, []).extend((node, request) for request in requests)
    foes = set()
    for i, here in at.items():
        for j, there in at.items():
            if i < j and any(a is b and a.areFoes(k, m) for a, k in here for b, m in there if k >= 0 and m >= 0):
                foes.add((i, j))
    return foes


def uncovered_foes(junction, net):
    """Every pair of links that SUMO calls foes but the junction file may show green together, as
    (group, group, link, link): their groups do not conflict, or one group drives both."""
    group_of = {i: g for g in junction.groups for i in junction.links[g]}
    missing = []
    for i, j in sorted(link_foes(net, junction.tls)):
        g, h = group_of.get(i), group_of.get(j)
        if g is not None and h is not None and (g == h or (g, h) not in junction.conflicts):
            missing.append((g, h, i, j))
    return missing


def foes_not_in_conflict(junction, net_path):
    """Pairs of groups whose links SUMO's junction logic calls foes but the junction file does not
    (a group paired with itself drives two foe links)."""
    return {tuple(sorted((g, h))) for g, h, _, _ in uncovered_foes(junction, net_path)}


def network_findings(junction, net):
    """What makes the junction file unfit to drive this network's light, one sentence each: a
    missing light, links it does not have, and every pair of foe links the file may open together."""
    import network

    net = network.read_net(net)
    try:
        rows = {index: (source, target) for index, source, target, _ in network.link_table(net, junction.tls)}
    except ValueError as error:
        return [f"[sumo] tls: {error}"]
    count = max(rows, default=-1) + 1
    findings = [f"group {g} drives links {bad}, but {junction.tls} has {count} links"
                for g in junction.groups if (bad := [i for i in junction.links[g] if i >= count])]

    def link(i):
        return f"{i} ({rows[i][0]} -> {rows[i][1]})"

    pairs = {}  # one finding per pair of groups, naming its first pair of links
    for g, h, i, j in uncovered_foes(junction, net):
        pairs.setdefault((g, h), []).append((i, j))
    for (g, h), links in pairs.items():
        i, j = links[0]
        more = f" (and {len(links) - 1} more pairs of their links)" if len(links) > 1 else ""
        if g == h:
            findings.append(f"group {g} drives links {link(i)} and {link(j)}, which SUMO calls foes{more}, but a "
                            f"group shows one aspect on all its links: put them in two conflicting groups")
        else:
            findings.append(f"groups {g} and {h} do not conflict in the junction file, but SUMO calls their links "
                            f"{link(i)} and {link(j)} foes{more}: add the pair to [conflicts] and [intergreen]")
    return findings


def undriven_links(junction, net):
    """The light's links that no group of the junction file drives, as "index (from -> to)": SUMO
    shows them red for the whole run, so traffic on them never moves. Not a safety finding (red is
    safe), but rarely what the file's author meant."""
    import network

    driven = {i for g in junction.groups for i in junction.links.get(g, [])}
    try:
        rows = network.link_table(network.read_net(net), junction.tls)
    except ValueError:
        return []  # network_findings names the missing light
    return [f"{index} ({source} -> {target})" for index, source, target, _ in rows if index not in driven]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("junction")
    parser.add_argument("states")
    parser.add_argument("--net")
    parser.add_argument("--no-sequence", action="store_true", help="skip the red+amber sequence rule")
    args = parser.parse_args()
    try:
        junction = Junction(args.junction)
        findings = check(junction, read_states(args.states), sequence=not args.no_sequence)
        if args.net:
            findings += [(0.0, "matrix", text) for text in network_findings(junction, args.net)]
    except InputError as error:
        print(f"safety_check: {error}", file=sys.stderr)
        return 2
    for time, kind, text in findings[:50]:
        print(f"{time:9.1f} {kind}: {text}")
    print(f"{len(findings)} findings")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
