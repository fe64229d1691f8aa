"""The figures the benchmark reports for one run, from SUMO's own output files.

- delay: SUMO's timeLoss plus departDelay per vehicle (time lost against free flow, including
  waiting to enter the network), mean and 95th percentile, over every vehicle of the route file
  (vehicles still running at the end count with the time they lost so far);
- waiting: SUMO's waitingTime (time spent below 0.1 m/s), mean;
- completed: vehicles that reached their destination;
- max queue: the longest queue on any approach, in vehicles, from SUMO's queue output (per
  minute, the approach's edges added up).
"""

import xml.etree.ElementTree as ElementTree

from network import ARMS, approach_edge, upstream_edge


def _percentile(values, share):
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = share * (len(ordered) - 1)
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def run_figures(run_dir, vehicles_offered):
    delays = []
    waits = []
    completed = 0
    for _, element in ElementTree.iterparse(run_dir / "tripinfo.xml"):
        if element.tag != "tripinfo":
            continue
        delays.append(float(element.get("timeLoss")) + float(element.get("departDelay")))
        waits.append(float(element.get("waitingTime")))
        if float(element.get("arrival", "-1")) >= 0:
            completed += 1
        element.clear()
    edges_of = {arm: {approach_edge(arm), upstream_edge(arm)} for arm in ARMS}
    longest = 0.0
    for _, element in ElementTree.iterparse(run_dir / "queues.xml"):
        if element.tag != "interval":
            continue
        per_arm = {arm: 0.0 for arm in ARMS}
        for edge in element.iter("edge"):
            for arm, edges in edges_of.items():
                if edge.get("id") in edges:
                    per_arm[arm] += float(edge.get("maxQueueLengthInVehicles"))
        longest = max(longest, max(per_arm.values()))
        element.clear()
    teleports = 0
    statistics = ElementTree.parse(run_dir / "statistics.xml").getroot().find("teleports")
    if statistics is not None:
        teleports = int(statistics.get("total", "0"))
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
