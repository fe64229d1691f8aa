"""Runs SUMO with every junction of a corridor under junctiond, or under SUMO's own programs.

junctiond runs in lockstep through one peer process for all junctions (`junction-bench sumo
corridor-peer`, the production SignalController per junction file): every 0.1 s step the harness
reads every induction loop through TraCI, sends one line with every junction's
presence and new vehicles, sets the lamp states the peer answers, and steps SUMO. The states SUMO
really showed are recorded per traffic light in states-<tls>.csv for the independent safety check.

Each run also measures where the CPU went: SUMO (the simulation step, in this process with
libsumo, a child process with traci), the harness (this process otherwise) and the peer (its
controllers, its neighbour exchange, the rest of it: the pipe).
"""

import pathlib
import resource
import subprocess
import time
import xml.etree.ElementTree as ElementTree

import traci.constants as tc

import process_group
from harness import STEP_S, PeerProcess, sumo_command, traci

IN_PROCESS = traci.__name__ == "libsumo"
ZERO, ONE = ord("0"), ord("1")


def step_reader(domain, getter, variable, object_ids):
    """A function that returns `variable` (`domain.getter`) of every object of `object_ids` in
    order, as SUMO had it during the last step. With SUMO in this process, asking each object costs
    less than a subscription, which SUMO updates every step (the offpeak corridor's 192 loops: 7.5 s
    of CPU per simulated hour subscribed, 3.4 s asked); over a socket a subscription saves a round
    trip per object."""
    if IN_PROCESS:
        ask = getattr(domain, getter)
        return lambda: [ask(name) for name in object_ids]
    for name in object_ids:
        domain.subscribe(name, (variable,))
    results = domain.getAllSubscriptionResults
    return lambda: [answer[variable] for answer in map(results().__getitem__, object_ids)]


def _children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_sumo_programs(net, routes, additionals, tls_ids, out_dir, seed, sublane):
    """SUMO alone with its own programs in `additionals`; every light's states go to states-<tls>.csv.
    Returns (wall seconds, SUMO CPU seconds)."""
    from harness import _tls_states_to_csv

    out_dir = pathlib.Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    recorder = out_dir / "record.add.xml"
    recorder.write_text("<additional>\n" + "".join(
        f'    <timedEvent type="SaveTLSStates" source="{tls}" dest="{out_dir / f"tls-{tls}.xml"}"/>\n'
        for tls in tls_ids) + "</additional>\n")
    started, cpu = time.monotonic(), _children_cpu()
    subprocess.run(sumo_command(net, routes, [*additionals, recorder], out_dir, seed, sublane, end_s=None), check=True,
                   stdout=subprocess.DEVNULL, preexec_fn=process_group.dies_with_parent)
    wall, sumo_cpu = time.monotonic() - started, _children_cpu() - cpu
    for tls in tls_ids:
        _tls_states_to_csv(out_dir / f"tls-{tls}.xml", out_dir / f"states-{tls}.csv")
        (out_dir / f"tls-{tls}.xml").unlink()
    return wall, sumo_cpu


class CorridorPeer(PeerProcess):
    """`junction-bench sumo corridor-peer` as a child process speaking the corridor line protocol."""

    def __init__(self, command):
        super().__init__(command)
        hello = self.read().split()
        if hello[:2] != ["hello-corridor", "1"]:
            raise RuntimeError(f"unexpected peer greeting: {hello}")
        # Per junction: tls, [(group name, links)], [(detector name, loop)]
        self.junctions = []
        self.strategy = ""
        self.mode = ""
        while True:
            words = self.read().split(" ")
            if words[0] == "junction":
                self.junctions.append((words[2], [], []))
            elif words[0] == "group":
                self.junctions[int(words[1])][1].append((words[3], [int(i) for i in words[4].split(",") if i]))
            elif words[0] == "detector":
                self.junctions[int(words[1])][2].append((words[3], words[4]))
            elif words[0] == "strategy":
                self.strategy = words[1]
            elif words[0] == "mode":
                self.mode = words[1]
            elif words[0] == "ready":
                break
            else:
                raise RuntimeError(f"unexpected peer line: {' '.join(words)}")



def peer_figures(summary):
    """The `key=value` words of the peer's closing line."""
    return dict(word.split("=", 1) for word in summary.split()[1:] if "=" in word)


def run_junctiond(net, routes, additionals, peer_command, out_dir, seed, sublane, end_s):
    """SUMO with every junction under the peer. Returns (wall seconds, peer summary, CPU seconds by
    part: sumo, harness, controllers, exchange, peer_other)."""
    out_dir = pathlib.Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    children_before = _children_cpu()
    harness_before = time.process_time()
    peer = CorridorPeer(peer_command)
    started = time.monotonic()
    traci.start(sumo_command(net, routes, additionals, out_dir, seed, sublane, end_s))
    sumo_in_process = 0.0
    try:
        loops_known = set(traci.inductionloop.getIDList())
        lights = []  # per junction: tls, group of each link, states file, last shown, last recorded
        loop_ids = []
        for tls, groups, detectors in peer.junctions:
            link_count = len(traci.trafficlight.getRedYellowGreenState(tls))
            owner = [None] * link_count
            for g, (name, links) in enumerate(groups):
                bad = [i for i in links if i >= link_count]
                if bad:
                    raise RuntimeError(f"{tls}: group {name} drives links {bad}, but {tls} has {link_count} links")
                for i in links:
                    owner[i] = g
            for _, loop in detectors:
                if loop not in loops_known:
                    raise RuntimeError(f"induction loop {loop} is not in the simulation (add it with --additional)")
                loop_ids.append(loop)
            states = open(out_dir / f"states-{tls}.csv", "w")
            states.write("time,state\n")
            lights.append([tls, owner, len(groups), states, None, None])
        # Per loop, the vehicles on it during the step (presence); per light, the state it showed.
        read_loops = step_reader(traci.inductionloop, "getLastStepVehicleIDs", tc.LAST_STEP_VEHICLE_ID_LIST, loop_ids)
        read_lamps = step_reader(traci.trafficlight, "getRedYellowGreenState", tc.TL_RED_YELLOW_GREEN_STATE,
                                 [light[0] for light in lights])
        seen = [() for _ in loop_ids]  # per loop, the vehicles on it during the last step
        flags = bytearray(b"0" * len(loop_ids))
        counts = bytearray(b"0" * len(loop_ids))
        counted = []  # the loops whose count is not 0
        presence = flags.decode()
        actuations = counts.decode()
        for step in range(int(round(end_s / STEP_S))):
            lamps = peer.step(presence, actuations)
            offset = 0
            for light in lights:
                tls, owner, count = light[0], light[1], light[2]
                mine = lamps[offset:offset + count]
                offset += count
                wanted = "".join("r" if g is None else mine[g] for g in owner)
                if wanted != light[4]:
                    traci.trafficlight.setRedYellowGreenState(tls, wanted)
                    light[4] = wanted
            before = time.process_time()
            traci.simulationStep()
            sumo_in_process += time.process_time() - before
            now = traci.simulation.getTime()
            for light, really in zip(lights, read_lamps()):
                # SUMO showed `really` during the step that just ended, from now - 0.1 s.
                if really != light[5]:
                    light[3].write(f"{now - STEP_S:.1f},{really}\n")
                    light[5] = really
            for d in counted:
                counts[d] = ZERO
            counted.clear()
            # Most loops show the same vehicles as a step before (mostly none): only a change is
            # looked at. A loop's count is its vehicles that were not on it a step before.
            for d, listed in enumerate(read_loops()):
                if listed == seen[d]:
                    continue
                flags[d] = ONE if listed else ZERO
                new = len(set(listed).difference(seen[d]))
                if new:
                    counts[d] = ZERO + min(new, 9)
                    counted.append(d)
                seen[d] = listed
            presence = flags.decode()
            actuations = counts.decode()
            if traci.simulation.getMinExpectedNumber() == 0 and now >= 60:
                break
    finally:
        traci.close()
        for light in lights:
            light[3].close()
    summary = peer.close()
    wall = time.monotonic() - started
    harness_total = time.process_time() - harness_before
    children = _children_cpu() - children_before
    figures = peer_figures(summary)
    peer_total = int(figures.get("peer_ms", 0)) / 1000
    controllers = int(figures.get("controllers_ms", 0)) / 1000
    exchange = int(figures.get("exchange_ms", 0)) / 1000
    sumo = sumo_in_process if IN_PROCESS else max(children - peer_total, 0.0)
    cpu = {"sumo": sumo, "harness": harness_total - (sumo_in_process if IN_PROCESS else 0.0),
           "controllers": controllers, "exchange": exchange, "peer_other": max(peer_total - controllers - exchange, 0.0)}
    return wall, summary, cpu


def edge_recorder(run_dir):
    """An additional that has SUMO write every edge's time loss over the whole run to edges.xml,
    for `junction_delays`. Returns its path."""
    run_dir = pathlib.Path(run_dir)
    path = run_dir / "edges.add.xml"
    path.write_text(f'<additional>\n    <edgeData id="per-junction" file="{run_dir / "edges.xml"}" '
                    'period="1000000" excludeEmpty="true"/>\n</additional>\n')
    return path


def junction_delays(run_dir, net, tls_ids):
    """Per traffic light, the mean time loss (s) of the vehicles on the roads that lead into it: a
    vehicle loses time on a road mostly to the light at its end, so this charges each junction with
    the delay it causes. Needs the run to have had `edge_recorder`'s additional."""
    into = {}
    for edge in ElementTree.parse(net).getroot().iter("edge"):
        if edge.get("function") != "internal" and edge.get("to") in tls_ids:
            into[edge.get("id")] = edge.get("to")
    loss = dict.fromkeys(tls_ids, 0.0)
    vehicles = dict.fromkeys(tls_ids, 0)
    for _, element in ElementTree.iterparse(pathlib.Path(run_dir) / "edges.xml"):
        if element.tag == "edge" and element.get("id") in into:
            tls = into[element.get("id")]
            loss[tls] += float(element.get("timeLoss", "0"))
            vehicles[tls] += int(element.get("entered", "0")) + int(element.get("departed", "0"))
        element.clear()
    return {tls: loss[tls] / max(vehicles[tls], 1) for tls in tls_ids}


def tripinfo_figures(run_dir, vehicles_offered):
    """Delay (timeLoss + departDelay: mean, p95), stops per vehicle (SUMO's waitingCount),
    end-to-end arterial trips (`art_` ids: travel time and stops), completed vehicles, teleports."""
    from metrics import _percentile

    delays, stops, arterial_times, arterial_stops = [], [], [], []
    completed = 0
    for _, element in ElementTree.iterparse(pathlib.Path(run_dir) / "tripinfo.xml"):
        if element.tag != "tripinfo":
            continue
        delays.append(float(element.get("timeLoss")) + float(element.get("departDelay")))
        stops.append(int(element.get("waitingCount")))
        arrived = float(element.get("arrival", "-1")) >= 0
        completed += arrived
        if element.get("id").startswith("art_") and arrived:
            arterial_times.append(float(element.get("duration")) + float(element.get("departDelay")))
            arterial_stops.append(int(element.get("waitingCount")))
        element.clear()
    teleports = 0
    statistics = ElementTree.parse(pathlib.Path(run_dir) / "statistics.xml").getroot().find("teleports")
    if statistics is not None:
        teleports = int(statistics.get("total", "0"))
    count = max(len(delays), 1)
    return {
        "mean_delay": sum(delays) / count,
        "p95_delay": _percentile(delays, 0.95),
        "stops_per_vehicle": sum(stops) / count,
        "arterial_trips": len(arterial_times),
        "arterial_time": sum(arterial_times) / max(len(arterial_times), 1),
        "arterial_stops": sum(arterial_stops) / max(len(arterial_stops), 1),
        "completed": completed,
        "offered": vehicles_offered,
        "recorded": len(delays),
        "teleports": teleports,
    }
