"""The corridor benchmark's networks: left-hand arterials and grids of the benchmark junction.

Every junction is network.py's junction (two through lanes per approach, the kerb lane also taking
the left turn, a 70 m right-turn pocket, stop-line and 50 m advance loops on every lane), and
every junction is signalised. Junctions sit on a grid of fixed, unequal spacings; the road between
two adjacent junctions is both the first one's exit and the second one's approach, so vehicles
leaving one junction arrive at the next. Roads off the edge of the grid end at the network's
boundary: an approach of BOUNDARY_APPROACH_M and a short exit.

The arterial runs north-south (the benchmark junction's main road, groups N and S); side streets
cross it east-west. Layouts:

- corridor: one arterial of 8 junctions, spacings 320, 210, 480, 650, 260, 540, 390 m;
- grid: 3 x 3 junctions, north-south spacings 420, 300 m, east-west 260, 480 m;
- smoke: the corridor's first three junctions (for CI).

Everything is deterministic: the same SUMO version builds the same network and link indices.
"""

import dataclasses
import pathlib

from network import (ADVANCE_LOOP_DISTANCE_M, ARMS, DIRECTION, EXIT_LENGTH_M, LEFT_OF, OPPOSITE,
                     POCKET_LENGTH_M, RIGHT_OF, SPEED_MS, STOP_LOOP_SETBACK_M, netconvert)

BOUNDARY_APPROACH_M = 300.0
# (spacings between rows from north to south, spacings between columns from west to east)
LAYOUTS = {
    "corridor": ([320.0, 210.0, 480.0, 650.0, 260.0, 540.0, 390.0], []),
    "grid": ([420.0, 300.0], [260.0, 480.0]),
    "smoke": ([320.0, 210.0], []),
}


@dataclasses.dataclass
class Junction:
    """One signalised junction: its SUMO node and TLS id, its Wire junction id and its neighbours."""

    tls: str
    junction_id: int
    row: int
    column: int
    x: float
    y: float
    # arm -> the neighbouring junction's tls id that arm leads to (None: the network's boundary)
    neighbours: dict

    def approach_edge(self, arm):
        """The three-lane last section of the approach from `arm` (lanes 0, 1 through; 2 right)."""
        return f"{self.tls}_{arm}_in"

    def upstream_edge(self, arm):
        return f"{self.tls}_{arm}_up"

    def loop(self, name):
        """The SUMO id of one of network.loop_ids' detectors at this junction."""
        return f"{self.tls}_{name}"


@dataclasses.dataclass
class Layout:
    name: str
    junctions: list

    def by_tls(self, tls):
        return next(j for j in self.junctions if j.tls == tls)

    def exit_edge(self, junction, arm):
        """The edge vehicles leave `junction` on toward `arm`: the next junction's approach, or a
        boundary exit."""
        other = junction.neighbours[arm]
        if other is None:
            return f"{junction.tls}_{arm}_out"
        return self.by_tls(other).upstream_edge(OPPOSITE[arm])

    def road_length(self, junction, arm):
        """Centre-to-centre distance to the neighbour on `arm`, in metres."""
        other = self.by_tls(junction.neighbours[arm])
        return abs(other.x - junction.x) + abs(other.y - junction.y)

    def arterial(self):
        """The junctions of the first column from north to south: the end-to-end arterial."""
        return [j for j in self.junctions if j.column == 0]


def layout(name):
    rows_gaps, columns_gaps = LAYOUTS[name]
    ys = [0.0]
    for gap in rows_gaps:
        ys.append(ys[-1] - gap)
    xs = [0.0]
    for gap in columns_gaps:
        xs.append(xs[-1] + gap)
    grid = {}
    for r, y in enumerate(ys):
        for c, x in enumerate(xs):
            grid[(r, c)] = (f"J{r * len(xs) + c + 1}", r * len(xs) + c + 1, x, y)
    step = {"N": (-1, 0), "S": (1, 0), "E": (0, 1), "W": (0, -1)}
    junctions = []
    for (r, c), (tls, number, x, y) in grid.items():
        neighbours = {}
        for arm in ARMS:
            other = grid.get((r + step[arm][0], c + step[arm][1]))
            neighbours[arm] = other[0] if other else None
        junctions.append(Junction(tls, number, r, c, x, y, neighbours))
    return Layout(name, junctions)


def _plain_xml(directory, lay):
    nodes = ['<nodes>']
    edges = ['<edges>']
    connections = ['<connections>']
    speed = f'speed="{SPEED_MS}"'
    for j in lay.junctions:
        nodes.append(f'  <node id="{j.tls}" x="{j.x}" y="{j.y}" type="traffic_light"/>')
    for j in lay.junctions:
        for arm in ARMS:
            dx, dy = DIRECTION[arm]
            pocket = f"{j.tls}_{arm}_pocket"
            nodes.append(f'  <node id="{pocket}" x="{j.x + dx * POCKET_LENGTH_M}" y="{j.y + dy * POCKET_LENGTH_M}" '
                         f'type="priority"/>')
            other = j.neighbours[arm]
            if other is None:
                far = f"{j.tls}_{arm}_far"
                exit_node = f"{j.tls}_{arm}_exit"
                nodes.append(f'  <node id="{far}" x="{j.x + dx * BOUNDARY_APPROACH_M}" '
                             f'y="{j.y + dy * BOUNDARY_APPROACH_M}" type="priority"/>')
                nodes.append(f'  <node id="{exit_node}" x="{j.x + dx * EXIT_LENGTH_M}" y="{j.y + dy * EXIT_LENGTH_M}" '
                             f'type="priority"/>')
                edges.append(f'  <edge id="{lay.exit_edge(j, arm)}" from="{j.tls}" to="{exit_node}" numLanes="2" '
                             f'{speed}/>')
                start = far
            else:
                start = other
            edges.append(f'  <edge id="{j.upstream_edge(arm)}" from="{start}" to="{pocket}" numLanes="2" {speed}/>')
            edges.append(f'  <edge id="{j.approach_edge(arm)}" from="{pocket}" to="{j.tls}" numLanes="3" {speed}/>')
            up, inner = j.upstream_edge(arm), j.approach_edge(arm)
            connections += [
                f'  <connection from="{up}" to="{inner}" fromLane="0" toLane="0"/>',
                f'  <connection from="{up}" to="{inner}" fromLane="1" toLane="1"/>',
                f'  <connection from="{up}" to="{inner}" fromLane="1" toLane="2"/>',
                f'  <connection from="{inner}" to="{lay.exit_edge(j, LEFT_OF[arm])}" fromLane="0" toLane="0"/>',
                f'  <connection from="{inner}" to="{lay.exit_edge(j, OPPOSITE[arm])}" fromLane="0" toLane="0"/>',
                f'  <connection from="{inner}" to="{lay.exit_edge(j, OPPOSITE[arm])}" fromLane="1" toLane="1"/>',
                f'  <connection from="{inner}" to="{lay.exit_edge(j, RIGHT_OF[arm])}" fromLane="2" toLane="1"/>',
            ]
    nodes.append('</nodes>')
    edges.append('</edges>')
    connections.append('</connections>')
    paths = []
    for suffix, lines in (("nod", nodes), ("edg", edges), ("con", connections)):
        path = directory / f"{lay.name}.{suffix}.xml"
        path.write_text("\n".join(lines) + "\n")
        paths.append(path)
    return paths


def _detectors(directory, lay):
    from network import loop_ids

    lines = ['<additional>']
    for j in lay.junctions:
        for arm in ARMS:
            ids = loop_ids(arm)
            end, advance = -STOP_LOOP_SETBACK_M, -ADVANCE_LOOP_DISTANCE_M
            lanes = [(ids["stop"][0], 0, end), (ids["stop"][1], 1, end), (ids["right_stop"], 2, end),
                     (ids["advance"][0], 0, advance), (ids["advance"][1], 1, advance),
                     (ids["right_advance"], 2, advance)]
            for name, lane, pos in lanes:
                lines.append(f'  <inductionLoop id="{j.loop(name)}" lane="{j.approach_edge(arm)}_{lane}" '
                             f'pos="{pos:.1f}" period="3600" file="NUL"/>')
    lines.append('</additional>')
    path = directory / "loops.add.xml"
    path.write_text("\n".join(lines) + "\n")
    return path


def build(directory, name):
    """Builds the layout's network and loops in `directory`; returns (layout, net path, loops path)."""
    directory = pathlib.Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    lay = layout(name)
    nodes, edges, connections = _plain_xml(directory, lay)
    net = directory / f"{name}.net.xml"
    netconvert(nodes, edges, connections, net)
    return lay, net, _detectors(directory, lay)
