"""Runs SUMO for one scenario and one controller, and records what the lamps really showed.

junctiond runs in lockstep: every 0.1 s step the harness reads the induction loops through TraCI
subscriptions, hands presence and new vehicles to `junction-bench sumo peer` (the production
SignalController), sets the lamp states it answers, and steps SUMO. SUMO's own programs run
without TraCI. Either way the traffic light state SUMO showed is recorded step by step in
states.csv for the independent safety check.
"""

import difflib
import itertools
import pathlib
import subprocess
import time

import traci.constants as tc

try:
    # SUMO in this process: no socket round trip per step (same API as traci, same SUMO version).
    import libsumo as traci

    BACKEND = "libsumo (SUMO in this process)"
except ImportError:
    import traci

    BACKEND = "traci over a socket (slower: libsumo is not installed in this python)"

import process_group
from sumo_env import tool

# What a run can fail with, reported to the user as one line: a bad option or mapping (ValueError,
# RuntimeError) or SUMO refusing its input (TraCI's errors, which SUMO explains on stderr first).
RUN_ERRORS = (ValueError, RuntimeError, traci.TraCIException, traci.FatalTraCIError)

STEP_S = 0.1
END_S = 7200

# SUMO options a pass-through argument may not set: the harness gives the inputs through its own
# flags (SUMO takes each option once), ticks the controller every 0.1 s and reads the outputs back.
HARNESS_OPTIONS = {
    "net-file": "give the network with --net", "route-files": "give the routes with --routes",
    "additional-files": "give additional files with --additional", "step-length": "the controller ticks every 0.1 s",
    "tripinfo-output": "the harness reads it", "statistic-output": "the harness reads it",
    "queue-output": "the harness reads it",
    # A TraCI server makes SUMO wait for clients before its first step; none ever connects.
    "remote-port": "the harness drives SUMO itself; SUMO would wait forever for a TraCI client",
    "num-clients": "the harness drives SUMO itself; SUMO would wait forever for further TraCI clients",
    # SUMO prints these and exits without a simulation, which the harness would then misreport.
    "help": "SUMO would only print its help; run `sumo --help` for that",
    "version": "SUMO would only print its version; run `sumo --version` for that",
    "save-configuration": "SUMO would only save its configuration; run `sumo ... --save-configuration FILE` for that",
    "save-template": "SUMO would only save a configuration template; run `sumo --save-template FILE` for that",
    "save-schema": "SUMO would only save its configuration schema; run `sumo --save-schema FILE` for that",
}
SHORT_OPTIONS = {"n": "net-file", "r": "route-files", "a": "additional-files", "b": "begin", "e": "end",
                 "c": "configuration-file", "s": "route-steps", "?": "help", "V": "version",
                 "C": "save-configuration"}


def option_names(arguments):
    """The long names of the SUMO options set in `arguments` (`--name value`, `--name=value`, `-x value`);
    negative numbers are values."""
    names = set()
    for word in arguments:
        if word.startswith("--"):
            names.add(word[2:].split("=", 1)[0])
        elif word.startswith("-") and (word[1:2].isalpha() or word[1:2] == "?"):
            names.add(SHORT_OPTIONS.get(word[1:].split("=", 1)[0], word[1:]))
    return names


def sumo_command(net, routes, additionals, out_dir, seed, sublane, end_s=END_S, extra=()):
    """SUMO's command line; `end_s` is SUMO's --end (None: none), and `extra` are further SUMO
    options, which replace the harness's defaults of the same name (seed, teleport time...)."""
    out_dir = pathlib.Path(out_dir)
    given = option_names(extra)
    clash = sorted(given & set(HARNESS_OPTIONS))
    if clash:
        raise ValueError(f"SUMO option --{clash[0]} cannot be passed through: {HARNESS_OPTIONS[clash[0]]}")
    options = [
        ("net-file", [str(net)]), ("route-files", [str(routes)] if routes else None),
        ("additional-files", [",".join(map(str, additionals))] if additionals else None),
        ("step-length", [str(STEP_S)]), ("seed", [str(seed)]), ("end", [str(end_s)] if end_s else None),
        ("no-step-log", []), ("no-warnings", []), ("time-to-teleport", ["300"]),
        ("tripinfo-output", [str(out_dir / "tripinfo.xml")]), ("tripinfo-output.write-unfinished", []),
        # Vehicles still waiting to enter when a run is cut short count too, with the wait they had.
        ("tripinfo-output.write-undeparted", []),
        ("statistic-output", [str(out_dir / "statistics.xml")]),
        ("queue-output", [str(out_dir / "queues.xml")]), ("queue-output.aggregation", ["60"]),
        ("queue-output.skip-empty", []), ("lateral-resolution", ["0.8"] if sublane else None),
    ]
    command = [tool("sumo")]
    for name, values in options:
        if values is not None and name not in given:
            command += [f"--{name}", *values]
    return command + list(extra)


def run_sumo_program(net, routes, loops, program, out_dir, seed, sublane, tls="C"):
    """Runs SUMO with one of its own programs; the shown states go to states.csv."""
    out_dir = pathlib.Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    recorder = out_dir / "record.add.xml"
    recorder.write_text(f'<additional>\n    <timedEvent type="SaveTLSStates" source="{tls}" '
                        f'dest="{out_dir / "tls-states.xml"}"/>\n</additional>\n')
    started = time.monotonic()
    # Without --end SUMO stops once every vehicle has arrived; teleports keep a jam from running forever.
    subprocess.run(sumo_command(net, routes, [loops, program, recorder], out_dir, seed, sublane, end_s=None), check=True,
                   stdout=subprocess.DEVNULL, preexec_fn=process_group.dies_with_parent)
    _tls_states_to_csv(out_dir / "tls-states.xml", out_dir / "states.csv")
    return time.monotonic() - started


def _tls_states_to_csv(source, target):
    import xml.etree.ElementTree as ElementTree

    last = None
    with open(target, "w") as out:
        out.write("time,state\n")
        for _, element in ElementTree.iterparse(source):
            if element.tag == "tlsState":
                state = element.get("state")
                if state != last:
                    out.write(f"{element.get('time')},{state}\n")
                    last = state
            element.clear()


class PeerProcess:
    """A lockstep peer as a child process: every request is one line, answered by one line."""

    def __init__(self, command):
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)

    def read(self):
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"peer exited with {self.process.wait()}")
        return line.rstrip("\n")

    def step(self, presence, actuations):
        self.process.stdin.write(f"s {presence} {actuations}\n")
        return self.read()

    def ask(self, command):
        self.process.stdin.write(command + "\n")
        return self.read()

    def close(self):
        summary = self.ask("quit")
        self.process.stdin.close()
        self.process.wait(timeout=30)
        return summary


class Peer(PeerProcess):
    """`junction-bench sumo peer` as a child process speaking the line protocol."""

    def __init__(self, command):
        super().__init__(command)
        hello = self.read().split()
        if hello[:2] != ["hello", "1"]:
            raise RuntimeError(f"unexpected peer greeting: {hello}")
        self.tls = hello[2]
        self.groups = []
        self.detectors = []
        self.strategy = ""
        while True:
            line = self.read()
            words = line.split(" ")
            if words[0] == "group":
                self.groups.append((words[2], [int(i) for i in words[3].split(",") if i]))
            elif words[0] == "detector":
                self.detectors.append((words[2], words[3]))
            elif words[0] == "strategy":
                self.strategy = words[1]
            elif words[0] == "ready":
                break
            else:
                raise RuntimeError(f"unexpected peer line: {line}")



def note_loops_off_the_approaches(net, peer, detector_groups):
    """Prints a note for each detector whose loop lies on no approach of the light (another junction's
    lane, an exit), or on one that none of its groups (`detector_groups`: detector name -> group
    names) drives: its counts are of traffic that it does not call or extend for. On the lane of a
    link, the lane's own links are compared; upstream, its approach's. Not refused: a user may mean it."""
    import network

    net = network.read_net(net)
    links_of = dict(peer.groups)
    approaches = network.approaches(net, [peer.tls])
    lane_links, edge_links = {}, {}  # lane or approach edge -> the link indices it feeds
    for from_lane, _, index in network.traffic_light(net, peer.tls).getConnections():
        lane_links.setdefault(from_lane.getID(), set()).add(index)
        for member in approaches.get(from_lane.getEdge().getID(), ()):
            edge_links.setdefault(member, set()).add(index)
    for name, loop in peer.detectors:
        lane = traci.inductionloop.getLaneID(loop)
        if network.is_footway(net.getLane(lane)):
            continue  # a push-button's loop: where people wait is not an approach, nor told from it
        fed = lane_links.get(lane, edge_links.get(traci.lane.getEdgeID(lane)))
        if fed is None:
            print(f"note: detector {name}'s loop {loop} is on lane {lane}, which is on no approach of {peer.tls}: "
                  f"it counts traffic that this light does not serve", flush=True)
            continue
        groups = detector_groups.get(name, [])
        if groups and not fed & {i for g in groups for i in links_of.get(g, [])}:
            drivers = sorted({g for g, links in links_of.items() if fed & set(links)})
            print(f"note: detector {name}'s loop {loop} is on lane {lane}, whose traffic takes links of "
                  f"{', '.join(drivers) or 'no group'}, not of {', '.join(groups)} (the groups it calls or extends)",
                  flush=True)


def missing_loop(loop, additionals):
    """Why `loop`, a detector's loop, is not among the simulation's induction loops, in one sentence."""
    if loop in traci.lanearea.getIDList():
        return f"{loop} is a lane-area detector (E2); junctiond's detectors read induction loops (E1)"
    known = traci.inductionloop.getIDList()
    close = difflib.get_close_matches(loop, known, n=3)
    where = f"the network and {', '.join(map(str, additionals))}" if additionals else \
        "the network (give the loops' file with --additional)"
    return (f"no induction loop {loop} in {where}: {len(known)} loops are defined"
            + (f"; did you mean {', '.join(close)}?" if close else ""))


def run_junctiond(net, routes, additionals, peer_command, out_dir, seed, sublane, end_s=END_S, status_every_s=0,
                  sumo_args=(), detector_groups=None):
    """Runs SUMO with junctiond's controller in the loop; returns (wall seconds, peer summary, status
    lines, simulated seconds). `detector_groups` (detector name -> group names) lets it note loops on
    another group's lanes.

    The run lasts `end_s` simulated seconds from SUMO's begin (None: until every vehicle has
    arrived), and stops earlier once every vehicle has arrived or at SUMO's own --end, which only
    `sumo_args` (further SUMO options) set."""
    out_dir = pathlib.Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    command = sumo_command(net, routes, additionals, out_dir, seed, sublane, end_s=None, extra=sumo_args)
    peer = Peer(peer_command)
    started = time.monotonic()
    traci.start(command)
    try:
        if abs(traci.simulation.getDeltaT() - STEP_S) > 1e-9:
            raise RuntimeError(f"SUMO steps {traci.simulation.getDeltaT()} s; the controller ticks every {STEP_S} s")
        begin = now = traci.simulation.getTime()
        limits = [round(end_s / STEP_S)] if end_s is not None else []
        if traci.simulation.getEndTime() >= 0:
            limits.append(round((traci.simulation.getEndTime() - begin) / STEP_S))
        link_count = len(traci.trafficlight.getRedYellowGreenState(peer.tls))
        for name, links in peer.groups:
            bad = [i for i in links if i >= link_count]
            if bad:
                raise RuntimeError(f"group {name} drives links {bad}, but {peer.tls} has {link_count} links")
        loops_known = set(traci.inductionloop.getIDList())
        loop_ids = [loop for _, loop in peer.detectors]
        for loop in loop_ids:
            if loop not in loops_known:
                raise RuntimeError(missing_loop(loop, additionals))
            traci.inductionloop.subscribe(loop, (tc.LAST_STEP_VEHICLE_ID_LIST, tc.LAST_STEP_OCCUPANCY))
        note_loops_off_the_approaches(net, peer, detector_groups or {})
        traci.trafficlight.subscribe(peer.tls, (tc.TL_RED_YELLOW_GREEN_STATE,))
        owner = ["r"] * link_count
        group_of_link = [None] * link_count
        for g, (_, links) in enumerate(peer.groups):
            for i in links:
                group_of_link[i] = g
        seen = [set() for _ in loop_ids]
        presence = "0" * len(loop_ids)
        actuations = "0" * len(loop_ids)
        shown = None
        statuses = []
        with open(out_dir / "states.csv", "w") as states:
            states.write("time,state\n")
            for step in range(min(limits)) if limits else itertools.count():
                lamps = peer.step(presence, actuations)
                for i, g in enumerate(group_of_link):
                    owner[i] = lamps[g] if g is not None else "r"
                wanted = "".join(owner)
                if wanted != shown:
                    traci.trafficlight.setRedYellowGreenState(peer.tls, wanted)
                    shown = wanted
                if status_every_s and step % round(status_every_s / STEP_S) == 0:
                    statuses.append(peer.ask("status"))
                traci.simulationStep()
                now = traci.simulation.getTime()
                really = traci.trafficlight.getSubscriptionResults(peer.tls)[tc.TL_RED_YELLOW_GREEN_STATE]
                # SUMO showed `really` during the step that just ended, from now - 0.1 s.
                if step == 0 or really != last_really:
                    states.write(f"{now - STEP_S:.1f},{really}\n")
                    last_really = really
                flags = []
                counts = []
                for d, loop in enumerate(loop_ids):
                    result = traci.inductionloop.getSubscriptionResults(loop)
                    ids = set(result[tc.LAST_STEP_VEHICLE_ID_LIST])
                    flags.append("1" if result[tc.LAST_STEP_OCCUPANCY] > 0 else "0")
                    counts.append(str(min(len(ids - seen[d]), 9)))
                    seen[d] = ids
                presence = "".join(flags)
                actuations = "".join(counts)
                if traci.simulation.getMinExpectedNumber() == 0 and now - begin >= 60:
                    break
        simulated = now - begin
    finally:
        traci.close()
    summary = peer.close()
    return time.monotonic() - started, summary, statuses, simulated
