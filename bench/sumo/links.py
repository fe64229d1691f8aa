#!/usr/bin/env python3
"""A SUMO traffic light's link table, for writing a junction file's [sumo] section.

One row per link: SUMO's link index (what [sumo.links] lists), the lane it leaves and the lane it
enters, its direction (s straight, l left, r right, t U-turn, L/R partly left/right) and the links
SUMO's junction logic calls its foes. Groups that drive foe links must conflict in the junction
file; `junction-bench sumo check` verifies that.

Usage: junction-bench sumo links --net NET.net.xml [--tls ID]
   or, in the bench venv: .venv/bin/python bench/sumo/links.py --net NET.net.xml [--tls ID]
Without --tls it lists the network's traffic lights.
"""

import argparse
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import network  # noqa: E402
import safety_check  # noqa: E402


def add_arguments(parser):
    parser.add_argument("--net", required=True, help="the SUMO network (.net.xml)")
    parser.add_argument("--tls", help="the traffic light (tlLogic id); without it, list the network's lights")


def run(args):
    net = network.read_net(args.net)
    if not args.tls:
        if not net.getTrafficLights():
            print(f"links: {args.net} has no traffic lights", file=sys.stderr)
            return 1
        for light in sorted(net.getTrafficLights(), key=lambda light: light.getID()):
            print(f"{light.getID()}  {1 + max((index for _, _, index in light.getConnections()), default=-1)} links")
        return 0
    try:
        rows = network.link_table(net, args.tls)
    except ValueError as error:
        print(f"links: {error}", file=sys.stderr)
        return 1
    if not rows:
        # SUMO loads a tlLogic that controls no connection; it has nothing to map.
        print(f"{args.tls}: no links (its tlLogic controls no connection)")
        return 0
    foes = {}
    for i, j in safety_check.link_foes(net, args.tls):
        foes.setdefault(i, []).append(j)
        foes.setdefault(j, []).append(i)
    width = max(len("from lane"), *(len(source) for _, source, _, _ in rows))
    target_width = max(len("to lane"), *(len(target) for _, _, target, _ in rows))
    print(f"{'index':>5}  {'from lane':<{width}}  {'to lane':<{target_width}}  dir  foes")
    for index, source, target, direction in rows:
        print(f"{index:>5}  {source:<{width}}  {target:<{target_width}}  {direction:<3}  "
              f"{','.join(map(str, sorted(foes.get(index, [])))) or '-'}")
    # A crossing's lanes are named by SUMO after the junction (:C_c0_0); say which road each crosses.
    crossings = sorted({net.getLane(lane).getEdge() for _, source, target, _ in rows for lane in (source, target)
                        if net.getLane(lane).getEdge().getFunction() == "crossing"}, key=lambda edge: edge.getID())
    for edge in crossings:
        print(f"{edge.getID()} crosses {' '.join(e.getID() for e in edge.getCrossingEdges())}")
    return 0


def main():
    parser = argparse.ArgumentParser(prog="links.py", description=__doc__.splitlines()[0])
    add_arguments(parser)
    return run(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
