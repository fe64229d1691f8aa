"""Runs SUMO for one scenario and one controller, and records what the lamps really showed.

junctiond runs in lockstep: every 0.1 s step the harness reads the induction loops through TraCI
subscriptions, hands presence and new vehicles to `junction-bench sumo peer` (the production
SignalController), sets the lamp states it answers, and steps SUMO. SUMO's own programs run
without TraCI. Either way the traffic light state SUMO showed is recorded step by step in
states.csv for the independent safety check.
"""

import pathlib
import subprocess
import time

import traci.constants as tc

try:
    # SUMO in this process: no socket round trip per step (same API as traci, same SUMO version).
    import libsumo as traci
except ImportError:
    import traci

from sumo_env import tool

STEP_S = 0.1
END_S = 7200


def sumo_command(net, routes, additionals, out_dir, seed, sublane, end_s=END_S):
    out_dir = pathlib.Path(out_dir)
    command = [
        tool("sumo"), "-n", str(net), "-r", str(routes), *(["-a", ",".join(map(str, additionals))] if additionals else []),
        "--step-length", str(STEP_S), "--seed", str(seed), *(["--end", str(end_s)] if end_s else []),
        "--no-step-log", "--no-warnings", "--time-to-teleport", "300",
        "--tripinfo-output", str(out_dir / "tripinfo.xml"), "--tripinfo-output.write-unfinished",
        "--statistic-output", str(out_dir / "statistics.xml"),
        "--queue-output", str(out_dir / "queues.xml"), "--queue-output.aggregation", "60",
        "--queue-output.skip-empty",
    ]
    if sublane:
        command += ["--lateral-resolution", "0.8"]
    return command


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
                   stdout=subprocess.DEVNULL)
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


class Peer:
    """`junction-bench sumo peer` as a child process speaking the line protocol."""

    def __init__(self, command):
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
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


def run_junctiond(net, routes, additionals, peer_command, out_dir, seed, sublane, end_s=END_S, status_every_s=0):
    """Runs SUMO with junctiond's controller in the loop; returns (wall seconds, peer summary, status lines)."""
    out_dir = pathlib.Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    peer = Peer(peer_command)
    command = sumo_command(net, routes, additionals, out_dir, seed, sublane, end_s)
    started = time.monotonic()
    traci.start(command)
    try:
        link_count = len(traci.trafficlight.getRedYellowGreenState(peer.tls))
        for name, links in peer.groups:
            bad = [i for i in links if i >= link_count]
            if bad:
                raise RuntimeError(f"group {name} drives links {bad}, but {peer.tls} has {link_count} links")
        loops_known = set(traci.inductionloop.getIDList())
        loop_ids = [loop for _, loop in peer.detectors]
        for loop in loop_ids:
            if loop not in loops_known:
                raise RuntimeError(f"induction loop {loop} is not in the simulation (add it with --additional)")
            traci.inductionloop.subscribe(loop, (tc.LAST_STEP_VEHICLE_ID_LIST, tc.LAST_STEP_OCCUPANCY))
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
        end_step = int(round(end_s / STEP_S))
        with open(out_dir / "states.csv", "w") as states:
            states.write("time,state\n")
            for step in range(end_step):
                lamps = peer.step(presence, actuations)
                for i, g in enumerate(group_of_link):
                    owner[i] = lamps[g] if g is not None else "r"
                wanted = "".join(owner)
                if wanted != shown:
                    traci.trafficlight.setRedYellowGreenState(peer.tls, wanted)
                    shown = wanted
                if status_every_s and step % int(status_every_s / STEP_S) == 0:
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
                if traci.simulation.getMinExpectedNumber() == 0 and now >= 60:
                    break
    finally:
        traci.close()
    summary = peer.close()
    return time.monotonic() - started, summary, statuses
