"""Demand scenarios of the benchmark: one hour of explicit vehicles each, from fixed seeds.

Every controller runs on the same route file, so every controller sees the same vehicles with the
same departure times. Flows are set as a share of the junction's capacity:

    Y = sum over the four stages of the critical flow ratio q / s
    capacity: Y = (C - L) / C with C = 120 s and L = 4 x 5 s of intergreen, i.e. Y = 0.833

with s = 1800 veh/h per through lane (two per arm, the kerb lane shared with the left turn) and
1700 veh/h for the right-turn pocket, and 15 % left, 65 % through and 20 % right turns per arm.
Motorcycles count 0.3 passenger-car units (PKJI 2014 gives 0.2 protected and 0.4 opposed).
"""

import math
import random

from network import ARMS, LEFT_OF, OPPOSITE, RIGHT_OF, approach_edge, exit_edge, upstream_edge

CYCLE_S = 120.0
LOST_S = 20.0
CAPACITY_Y = (CYCLE_S - LOST_S) / CYCLE_S
THROUGH_GROUP_SATURATION = 3600.0
RIGHT_SATURATION = 1700.0
SHARES = {"left": 0.15, "through": 0.65, "right": 0.20}
MOTORCYCLE_PCU = 0.3
DURATION_S = 3600

# Per scenario: capacity share over time (piecewise linear over (minute, share) points), arm weights,
# motorcycle share and seed.
SCENARIOS = {
    "low": {"profile": [(0, 0.30), (60, 0.30)], "seed": 101},
    "medium": {"profile": [(0, 0.60), (60, 0.60)], "seed": 102},
    "high": {"profile": [(0, 0.88), (60, 0.88)], "seed": 103},
    "surge": {"profile": [(0, 0.60), (20, 0.60), (20.01, 1.20), (35, 1.20), (35.01, 0.60), (60, 0.60)],
              "seed": 104},
    "asym": {"profile": [(0, 0.60), (60, 0.60)], "weights": {"N": 1.5, "S": 0.5, "E": 1.05, "W": 0.35},
             "seed": 105},
    "timevar": {"profile": [(0, 0.30), (15, 0.55), (30, 0.90), (40, 0.90), (50, 0.50), (60, 0.30)], "seed": 106},
    "moto": {"profile": [(0, 0.60), (60, 0.60)], "motorcycles": 0.70, "seed": 107},
}
# The main road (north-south) carries more than the side road.
BASE_WEIGHTS = {"N": 1.0, "S": 1.0, "E": 0.7, "W": 0.7}

VTYPES = """    <vType id="car" vClass="passenger" length="4.5" minGap="2.5" maxSpeed="16.7" accel="2.6" decel="4.5" sigma="0.5"/>
    <vType id="moto" vClass="motorcycle" length="2.0" width="0.8" minGap="1.0" maxSpeed="16.7" accel="3.0" decel="5.0"
           sigma="0.5" latAlignment="arbitrary" minGapLat="0.3" lcSublane="2.0" lcPushy="0.5"/>
"""


def share_at(profile, minute):
    for (m0, s0), (m1, s1) in zip(profile, profile[1:]):
        if m0 <= minute <= m1:
            return s0 + (s1 - s0) * (minute - m0) / max(m1 - m0, 1e-9)
    return profile[-1][1]


def arm_pcu_per_hour(weights, share):
    """Each arm's flow in pcu/h that makes Y = share x capacity with the given arm weights."""
    ns = max(weights["N"], weights["S"])
    ew = max(weights["E"], weights["W"])
    # y per unit arm weight: through+left over the group's saturation, plus right over the pocket's.
    per_weight = (SHARES["left"] + SHARES["through"]) / THROUGH_GROUP_SATURATION + SHARES["right"] / RIGHT_SATURATION
    unit = share * CAPACITY_Y / ((ns + ew) * per_weight)
    return {arm: unit * weights[arm] for arm in ARMS}


def movements(arm):
    return {"left": exit_edge(LEFT_OF[arm]), "through": exit_edge(OPPOSITE[arm]), "right": exit_edge(RIGHT_OF[arm])}


def write_routes(name, path, duration_s=DURATION_S):
    """Writes the scenario's route file; returns (vehicles, mean pcu/h offered at the peak share)."""
    spec = SCENARIOS[name]
    rng = random.Random(spec["seed"])
    weights = spec.get("weights", BASE_WEIGHTS)
    moto_share = spec.get("motorcycles", 0.0)
    pcu_per_vehicle = moto_share * MOTORCYCLE_PCU + (1 - moto_share)
    peak = max(s for _, s in spec["profile"])
    peak_rates = arm_pcu_per_hour(weights, peak)
    vehicles = []
    for arm in ARMS:
        for turn, target in movements(arm).items():
            peak_vph = peak_rates[arm] * SHARES[turn] / pcu_per_vehicle
            if peak_vph <= 0:
                continue
            t = 0.0
            # Poisson arrivals by thinning against the peak rate.
            while True:
                t += rng.expovariate(peak_vph / 3600.0)
                if t >= duration_s:
                    break
                if rng.random() * peak > share_at(spec["profile"], t / 60.0):
                    continue
                vtype = "moto" if rng.random() < moto_share else "car"
                vehicles.append((round(t, 1), f"{arm}_{turn}", vtype))
    vehicles.sort()
    lines = ['<routes>', VTYPES.rstrip()]
    for arm in ARMS:
        for turn, target in movements(arm).items():
            lines.append(f'    <route id="{arm}_{turn}" edges="{upstream_edge(arm)} {approach_edge(arm)} {target}"/>')
    for index, (depart, route, vtype) in enumerate(vehicles):
        lines.append(f'    <vehicle id="v{index}" type="{vtype}" route="{route}" depart="{depart:.1f}" '
                     f'departLane="best" departSpeed="max"/>')
    lines.append('</routes>')
    path.write_text("\n".join(lines) + "\n")
    return len(vehicles)


def uses_sublane(name):
    return SCENARIOS[name].get("motorcycles", 0.0) > 0


def hourly_flows(name):
    """Mean vehicles per hour of each approach movement over the hour, for Webster plans."""
    spec = SCENARIOS[name]
    weights = spec.get("weights", BASE_WEIGHTS)
    moto_share = spec.get("motorcycles", 0.0)
    pcu_per_vehicle = moto_share * MOTORCYCLE_PCU + (1 - moto_share)
    mean_share = sum(share_at(spec["profile"], m + 0.5) for m in range(60)) / 60
    rates = arm_pcu_per_hour(weights, mean_share)
    return {(arm, turn): rates[arm] * SHARES[turn] for arm in ARMS for turn in SHARES}, pcu_per_vehicle


def webster_plan(name, intergreen_s=5.0, min_green_s=(8.0, 5.0, 8.0, 5.0), stages=4):
    """A Webster fixed-time plan (cycle and four splits in seconds, each split including the
    interstage after it) for the scenario's mean demand, in pcu."""
    flows, _ = hourly_flows(name)
    y_ns = max(flows[(a, "left")] + flows[(a, "through")] for a in "NS") / THROUGH_GROUP_SATURATION
    y_nsr = max(flows[(a, "right")] for a in "NS") / RIGHT_SATURATION
    y_ew = max(flows[(a, "left")] + flows[(a, "through")] for a in "EW") / THROUGH_GROUP_SATURATION
    y_ewr = max(flows[(a, "right")] for a in "EW") / RIGHT_SATURATION
    ys = [y_ns, y_nsr, y_ew, y_ewr]
    total_y = min(sum(ys), 0.95)
    lost = stages * intergreen_s
    cycle = min(max((1.5 * lost + 5) / (1 - total_y), 40.0), 150.0)
    greens = [max(y / sum(ys) * (cycle - lost), m) for y, m in zip(ys, min_green_s)]
    splits = [math.ceil(g + intergreen_s) for g in greens]
    return sum(splits), splits
