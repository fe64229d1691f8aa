"""The figures the benchmark reports for one run, from SUMO's own output files.

- delay: SUMO's timeLoss plus departDelay per vehicle (time lost against free flow, including
  waiting to enter the network), mean and 95th percentile, over every vehicle of the route file
  (vehicles still running at the end count with the time they lost so far);
- waiting: SUMO's waitingTime (time spent below 0.1 m/s), mean;
- completed: vehicles that reached their destination, of those offered (by default the vehicles
  SUMO loaded);
- max queue: the longest queue of any approach of the network's traffic lights, in vehicles, in
  its longest lane, from SUMO's queue output (per minute and edge, the longest lane's queue; the
  approach's edges added up, so a queue backing up past a junction upstream counts whole: an upper
  bound of one lane's queue where the longest lanes of two stretches differ). The
  approaches are derived from the network (`network.approaches`), so it needs the network;
  without it the figure is None.

The figures are of every vehicle in the network, whichever lights it passed.
"""

import xml.etree.ElementTree as ElementTree

import network


def _percentile(values, share):
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = share * (len(ordered) - 1)
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _longest_queue(run_dir, approaches):
    longest = 0.0
    for _, element in ElementTree.iterparse(run_dir / "queues.xml"):
        if element.tag != "interval":
            continue
        per_approach = dict.fromkeys(approaches, 0.0)
        for edge in element.iter("edge"):
            for name, edges in approaches.items():
                if edge.get("id") in edges:
                    per_approach[name] += float(edge.get("maxQueueLengthInVehicles"))
        longest = max([longest, *per_approach.values()])
        element.clear()
    return longest


def run_figures(run_dir, vehicles_offered=None, net=None, tls_ids=None):
    """The run's figures; `net` (with `tls_ids`, every traffic light by default) gives max queue."""
    delays = []
    waits = []
    completed = 0
    for _, element in ElementTree.iterparse(run_dir / "tripinfo.xml"):
        if element.tag != "tripinfo":
            continue
        if element.get("depart") == "-1" and float(element.get("departDelay")) == 0:
            # Due at the run's last instant: not yet offered (SUMO's statistics leave it out too).
            element.clear()
            continue
        delays.append(float(element.get("timeLoss")) + float(element.get("departDelay")))
        waits.append(float(element.get("waitingTime")))
        if float(element.get("arrival", "-1")) >= 0:
            completed += 1
        element.clear()
    longest = _longest_queue(run_dir, network.approaches(net, tls_ids)) if net else None
    statistics = ElementTree.parse(run_dir / "statistics.xml").getroot()
    teleports = 0
    if statistics.find("teleports") is not None:
        teleports = int(statistics.find("teleports").get("total", "0"))
    if vehicles_offered is None:
        # The vehicles whose departure time came during the run, inserted or still waiting to enter:
        # SUMO loads routes ahead of time, so "loaded" also counts vehicles not yet due when a run
        # is cut short.
        vehicles = statistics.find("vehicles")
        vehicles_offered = int(vehicles.get("inserted")) + int(vehicles.get("waiting"))
    count = max(len(delays), 1)
    return {
        "mean_delay": sum(delays) / count,
        "p95_delay": _percentile(delays, 0.95),
        "mean_wait": sum(waits) / count,
        "completed": completed,
        "offered": vehicles_offered,
        "recorded": len(delays),
        "max_queue": longest,
        "teleports": teleports,
    }
