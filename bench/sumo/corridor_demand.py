"""Demand of the corridor benchmark: explicit vehicles from fixed seeds, one route each.

Vehicles enter at the network's boundary approaches and, at every junction they reach, turn left,
go through or turn right with fixed probabilities (arterial approaches, north-south: 10 % left,
80 % through, 10 % right; side streets, east-west: demand.py's 15 / 65 / 20 %), until they leave
the network. The turning fractions the junction files' [neighbours] shares are derived from are
therefore exactly the demand's. A vehicle that enters at one end of the arterial and leaves at the
other, through every junction of it, gets an id starting with `art_` (end-to-end arterial trips);
every other vehicle's id starts with `v_`.

Flows are set as a share of capacity at the busiest junction, with demand.py's capacity
definition (four stages, C = 120 s, L = 20 s, Y = 0.833; s = 1800 veh/h per through lane and
1700 for the pocket): the expected flows of every approach are propagated through the turning
fractions, and the entry rates are scaled so that the busiest junction's sum of critical flow
ratios is the scenario's share of Y at capacity.
"""

import random

from demand import CAPACITY_Y, MOTORCYCLE_PCU, RIGHT_SATURATION, SHARES, THROUGH_GROUP_SATURATION, VTYPES
from network import LEFT_OF, OPPOSITE, RIGHT_OF

ARTERIAL_SHARES = {"left": 0.10, "through": 0.80, "right": 0.10}
DURATION_S = 3600

# Per scenario: capacity share at the busiest junction, entry weights per boundary arm (the arm a
# vehicle enters from: N = southbound), the side streets' multiplier over time (minute, factor),
# motorcycle share and seed.
SCENARIOS = {
    "peak": {"share": 0.85, "weights": {"N": 1.0, "S": 0.35, "E": 0.3, "W": 0.3}, "seed": 201},
    "offpeak": {"share": 0.30, "weights": {"N": 1.0, "S": 1.0, "E": 0.4, "W": 0.4}, "seed": 202},
    "balanced": {"share": 0.60, "weights": {"N": 1.0, "S": 1.0, "E": 0.5, "W": 0.5}, "seed": 203},
    "sidesurge": {"share": 0.50, "weights": {"N": 1.0, "S": 1.0, "E": 0.4, "W": 0.4}, "seed": 204,
                  "side_profile": [(0, 1.0), (20, 1.0), (20.01, 2.5), (35, 2.5), (35.01, 1.0), (60, 1.0)]},
    "moto": {"share": 0.60, "weights": {"N": 1.0, "S": 1.0, "E": 0.5, "W": 0.5}, "motorcycles": 0.70, "seed": 205},
}


def shares_of(arm):
    """Turning fractions of an approach from `arm`."""
    return ARTERIAL_SHARES if arm in ("N", "S") else SHARES


def exit_arm(arm, turn):
    return {"left": LEFT_OF, "through": OPPOSITE, "right": RIGHT_OF}[turn][arm]


def _factor(profile, minute):
    for (m0, s0), (m1, s1) in zip(profile, profile[1:]):
        if m0 <= minute <= m1:
            return s0 + (s1 - s0) * (minute - m0) / max(m1 - m0, 1e-9)
    return profile[-1][1]


def entries(lay):
    """Every boundary approach as (junction, arm)."""
    return [(j, arm) for j in lay.junctions for arm in ("N", "S", "E", "W") if j.neighbours[arm] is None]


def approach_flows(lay, rates):
    """Expected vehicles per hour of every (junction tls, arm, turn), from entry rates per (tls, arm)."""
    flows = {}
    pending = dict(rates)
    while pending:
        arriving = {}
        for (tls, arm), rate in pending.items():
            j = lay.by_tls(tls)
            for turn, share in shares_of(arm).items():
                flows[(tls, arm, turn)] = flows.get((tls, arm, turn), 0.0) + rate * share
                out = exit_arm(arm, turn)
                other = j.neighbours[out]
                if other is not None and rate * share > 1e-6:
                    key = (other, OPPOSITE[out])
                    arriving[key] = arriving.get(key, 0.0) + rate * share
        pending = arriving
    return flows


def critical_y(flows, tls):
    """The junction's sum of critical flow ratios over its four stages."""
    def y(arms, turns, saturation):
        return max(sum(flows.get((tls, a, t), 0.0) for t in turns) for a in arms) / saturation
    through = ("left", "through")
    return (y("NS", through, THROUGH_GROUP_SATURATION) + y("NS", ("right",), RIGHT_SATURATION)
            + y("EW", through, THROUGH_GROUP_SATURATION) + y("EW", ("right",), RIGHT_SATURATION))


def entry_rates(lay, name):
    """Vehicles per hour entering at each boundary approach (before the side-street profile), in pcu."""
    spec = SCENARIOS[name]
    unit = {(j.tls, arm): spec["weights"][arm] for j, arm in entries(lay)}
    flows = approach_flows(lay, unit)
    busiest = max(critical_y(flows, j.tls) for j in lay.junctions)
    scale = spec["share"] * CAPACITY_Y / busiest
    return {key: weight * scale for key, weight in unit.items()}


def walk(lay, junction, arm, rng):
    """A route from the boundary approach `arm` of `junction` until it leaves the network."""
    edges = [junction.upstream_edge(arm), junction.approach_edge(arm)]
    visited = [junction.tls]
    turns = []
    while True:
        draw = rng.random()
        shares = shares_of(arm)
        turn = "through"
        for candidate in ("left", "through", "right"):
            draw -= shares[candidate]
            if draw < 0:
                turn = candidate
                break
        turns.append(turn)
        out = exit_arm(arm, turn)
        edges.append(lay.exit_edge(junction, out))
        if junction.neighbours[out] is None:
            return edges, visited, turns
        junction = lay.by_tls(junction.neighbours[out])
        arm = OPPOSITE[out]
        edges.append(junction.approach_edge(arm))
        visited.append(junction.tls)


def is_arterial_trip(lay, visited, turns):
    """Through every junction of the arterial, end to end, in either direction."""
    arterial = [j.tls for j in lay.arterial()]
    return all(t == "through" for t in turns) and visited in (arterial, arterial[::-1])


def write_routes(lay, name, path, duration_s=DURATION_S):
    """Writes the scenario's route file; returns (vehicles, end-to-end arterial vehicles)."""
    spec = SCENARIOS[name]
    rng = random.Random(spec["seed"])
    moto_share = spec.get("motorcycles", 0.0)
    pcu_per_vehicle = moto_share * MOTORCYCLE_PCU + (1 - moto_share)
    side_profile = spec.get("side_profile", [(0, 1.0), (60, 1.0)])
    side_peak = max(f for _, f in side_profile)
    departures = []
    for (tls, arm), pcu_rate in sorted(entry_rates(lay, name).items()):
        side = arm in ("E", "W")
        peak = side_peak if side else 1.0
        rate = pcu_rate / pcu_per_vehicle * peak
        t = 0.0
        while True:
            t += rng.expovariate(rate / 3600.0)
            if t >= duration_s:
                break
            if side and rng.random() * peak > _factor(side_profile, t / 60.0):
                continue
            vtype = "moto" if rng.random() < moto_share else "car"
            edges, visited, turns = walk(lay, lay.by_tls(tls), arm, rng)
            departures.append((round(t, 1), tls, arm, vtype, edges, is_arterial_trip(lay, visited, turns)))
    departures.sort()
    lines = ['<routes>', VTYPES.rstrip()]
    arterial = 0
    for index, (depart, tls, arm, vtype, edges, end_to_end) in enumerate(departures):
        prefix = "art" if end_to_end else "v"
        arterial += end_to_end
        # The route inside the vehicle: SUMO's tlsCycleAdaptation and tlsCoordinator count routes.
        lines.append(f'    <vehicle id="{prefix}_{index}" type="{vtype}" depart="{depart:.1f}" departLane="best" '
                     f'departSpeed="max">\n        <route edges="{" ".join(edges)}"/>\n    </vehicle>')
    lines.append('</routes>')
    path.write_text("\n".join(lines) + "\n")
    return len(departures), arterial


def uses_sublane(name):
    return SCENARIOS[name].get("motorcycles", 0.0) > 0
