"""The benchmark junction: a left-hand four-arm crossroads built with netconvert.

Each arm has two through lanes (the kerb lane also takes the left turn, the easy turn under
left-hand traffic) and a protected right-turn pocket next to the centre line. Each approach has
stop-line loops and advance loops 50 m upstream on every lane. Everything here is deterministic:
the same SUMO version builds the same network, link indices and detector ids.
"""

import gzip
import pathlib
import subprocess
import xml.etree.ElementTree as ElementTree
import xml.parsers.expat
import xml.sax

import sumolib

from sumo_env import tool
from user_files import InputError, require_file

ARMS = ("N", "E", "S", "W")
# Unit vectors from the centre towards each arm.
DIRECTION = {"N": (0, 1), "E": (1, 0), "S": (0, -1), "W": (-1, 0)}
# Under left-hand traffic, a driver arriving from arm X turns left (kerb side) into LEFT_OF[X]
# and right (across the opposing flow) into RIGHT_OF[X].
LEFT_OF = {"N": "E", "E": "S", "S": "W", "W": "N"}
RIGHT_OF = {"N": "W", "W": "S", "S": "E", "E": "N"}
OPPOSITE = {"N": "S", "S": "N", "E": "W", "W": "E"}

ARM_LENGTH_M = 400.0
# Exits only carry vehicles away; kept short because every metre costs simulation time.
EXIT_LENGTH_M = 100.0
POCKET_LENGTH_M = 70.0
SPEED_MS = 13.89
STOP_LOOP_SETBACK_M = 1.5
ADVANCE_LOOP_DISTANCE_M = 50.0
TLS_ID = "C"


def approach_edge(arm):
    """The last, three-lane section of the approach from `arm` (lanes 0, 1 through; 2 right)."""
    return f"{arm}_in"


def upstream_edge(arm):
    return f"{arm}_up"


def exit_edge(arm):
    return f"{arm}_out"


def loop_ids(arm):
    """Detector ids of one approach: stop-line and advance loops per lane."""
    return {
        "stop": [f"{arm}_stop_0", f"{arm}_stop_1"],
        "right_stop": f"{arm}R_stop",
        "advance": [f"{arm}_adv_0", f"{arm}_adv_1"],
        "right_advance": f"{arm}R_adv",
    }


def _write(path, text):
    path.write_text(text)
    return path


def _plain_xml(directory):
    nodes = ['<nodes>', f'  <node id="{TLS_ID}" x="0" y="0" type="traffic_light"/>']
    edges = ['<edges>']
    connections = ['<connections>']
    for arm in ARMS:
        dx, dy = DIRECTION[arm]
        far = ARM_LENGTH_M
        pocket = POCKET_LENGTH_M
        nodes.append(f'  <node id="{arm}_far" x="{dx * far}" y="{dy * far}" type="priority"/>')
        nodes.append(f'  <node id="{arm}_pocket" x="{dx * pocket}" y="{dy * pocket}" type="priority"/>')
        # The exit runs beside the approach as on a two-way road, only shorter.
        nodes.append(f'  <node id="{arm}_exit" x="{dx * EXIT_LENGTH_M}" y="{dy * EXIT_LENGTH_M}" type="priority"/>')
        speed = f'speed="{SPEED_MS}"'
        edges.append(f'  <edge id="{upstream_edge(arm)}" from="{arm}_far" to="{arm}_pocket" numLanes="2" {speed}/>')
        edges.append(f'  <edge id="{approach_edge(arm)}" from="{arm}_pocket" to="{TLS_ID}" numLanes="3" {speed}/>')
        edges.append(f'  <edge id="{exit_edge(arm)}" from="{TLS_ID}" to="{arm}_exit" numLanes="2" {speed}/>')
        up, inner = upstream_edge(arm), approach_edge(arm)
        connections += [
            f'  <connection from="{up}" to="{inner}" fromLane="0" toLane="0"/>',
            f'  <connection from="{up}" to="{inner}" fromLane="1" toLane="1"/>',
            f'  <connection from="{up}" to="{inner}" fromLane="1" toLane="2"/>',
            f'  <connection from="{inner}" to="{exit_edge(LEFT_OF[arm])}" fromLane="0" toLane="0"/>',
            f'  <connection from="{inner}" to="{exit_edge(OPPOSITE[arm])}" fromLane="0" toLane="0"/>',
            f'  <connection from="{inner}" to="{exit_edge(OPPOSITE[arm])}" fromLane="1" toLane="1"/>',
            f'  <connection from="{inner}" to="{exit_edge(RIGHT_OF[arm])}" fromLane="2" toLane="1"/>',
        ]
    nodes.append('</nodes>')
    edges.append('</edges>')
    connections.append('</connections>')
    return (
        _write(directory / "junction.nod.xml", "\n".join(nodes) + "\n"),
        _write(directory / "junction.edg.xml", "\n".join(edges) + "\n"),
        _write(directory / "junction.con.xml", "\n".join(connections) + "\n"),
    )


def _detectors(directory):
    lines = ['<additional>']
    for arm in ARMS:
        ids = loop_ids(arm)
        # Negative positions count back from the stop line, whatever length the junction shape left.
        end = -STOP_LOOP_SETBACK_M
        advance = -ADVANCE_LOOP_DISTANCE_M
        lanes = [(ids["stop"][0], 0, end), (ids["stop"][1], 1, end), (ids["right_stop"], 2, end),
                 (ids["advance"][0], 0, advance), (ids["advance"][1], 1, advance), (ids["right_advance"], 2, advance)]
        for loop, lane, pos in lanes:
            lines.append(f'  <inductionLoop id="{loop}" lane="{approach_edge(arm)}_{lane}" pos="{pos:.1f}" '
                         f'period="3600" file="NUL"/>')
    lines.append('</additional>')
    return _write(directory / "loops.add.xml", "\n".join(lines) + "\n")


def netconvert(nodes, edges, connections, net):
    """Builds `net` from plain XML with every bench's settings: left-hand, static lights with 3 s amber
    and 2 s all-red (the programs are replaced), no U-turns."""
    subprocess.run(
        [tool("netconvert"), "--lefthand", "--node-files", str(nodes), "--edge-files", str(edges),
         "--connection-files", str(connections), "--output-file", str(net), "--no-turnarounds",
         "--tls.default-type", "static", "--tls.yellow.time", "3", "--tls.allred.time", "2",
         "--junctions.corner-detail", "5", "--no-warnings", "--output.street-names", "false"],
        check=True, stdout=subprocess.DEVNULL)


def build(directory):
    """Builds net.net.xml and loops.add.xml in `directory`; returns (net path, loops path)."""
    directory = pathlib.Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    nodes, edges, connections = _plain_xml(directory)
    net = directory / "junction.net.xml"
    netconvert(nodes, edges, connections, net)
    return net, _detectors(directory)


def read_net(net):
    """A network read once with everything the tools here need (programs, internal lanes, foes);
    `net` may be a path or a network read before, so one read serves several look-ups."""
    if isinstance(net, sumolib.net.Net):
        return net
    require_file(net, "SUMO network")  # a missing file, a directory, a FIFO: said plainly, before the parser
    # sumolib reads any XML without a word (a routes file gives an empty network): look at the root first.
    tag = _root_tag(net)
    if tag != "net":
        raise InputError(f"{net}: not a SUMO network: its root element is <{tag}>, not <net>")
    try:
        return sumolib.net.readNet(str(net), withPrograms=True, withInternal=True, withFoes=True)
    except (xml.sax.SAXException, xml.parsers.expat.ExpatError) as error:
        raise InputError(f"{net}: not a SUMO network: {error}") from None
    except (KeyError, ValueError) as error:
        # sumolib reads attributes SUMO always writes without a check: an element without one.
        raise InputError(f"{net}: not a SUMO network sumolib can read ({type(error).__name__}: {error})") from None


def _root_tag(net):
    """The root element's name of the XML file `net`, gzipped or not, as sumolib reads both."""
    with open(net, "rb") as raw:
        gzipped = raw.read(2) == b"\x1f\x8b"
    try:
        with (gzip.open(net, "rb") if gzipped else open(net, "rb")) as stream:
            _, root = next(ElementTree.iterparse(stream, events=("start",)))
            return root.tag
    except (ElementTree.ParseError, LookupError, OSError, EOFError) as error:
        # LookupError: the XML declaration names an encoding Python does not know; OSError, EOFError: a broken gzip.
        raise InputError(f"{net}: not a SUMO network: {error}") from None


def traffic_light(net, tls_id):
    """The network's traffic light `tls_id`; the error names the ones it has."""
    net = read_net(net)
    try:
        return net.getTLS(tls_id)
    except KeyError:
        known = ", ".join(sorted(t.getID() for t in net.getTrafficLights())) or "none"
        raise ValueError(f"the network has no traffic light {tls_id!r} (it has: {known})") from None


def connection(from_lane, to_lane):
    """The connection object from one lane to another (a link of a traffic light is such a pair)."""
    return next(c for c in from_lane.getOutgoing() if c.getToLane() == to_lane)


def link_table(net_path, tls_id=TLS_ID):
    """(link index, from lane, to lane, direction) for every link of the traffic light."""
    rows = []
    for from_lane, to_lane, index in traffic_light(net_path, tls_id).getConnections():
        rows.append((index, from_lane.getID(), to_lane.getID(), connection(from_lane, to_lane).getDirection()))
    return sorted(rows)


# The functions of the edges SUMO makes for people on foot inside a junction.
FOOTWAY_FUNCTIONS = ("walkingarea", "crossing")
# Edges no vehicle queues on: a junction's internal lanes and its footways.
NOT_ROADWAY_FUNCTIONS = ("internal", *FOOTWAY_FUNCTIONS)


def is_footway(lane):
    """Whether a sumolib lane is for people on foot only: a walking area, a crossing or a sidewalk."""
    return (lane.getEdge().getFunction() in FOOTWAY_FUNCTIONS
            or (lane.allows("pedestrian") and not any(lane.allows(v) for v in ("passenger", "motorcycle", "bicycle"))))


def approaches(net, tls_ids=None):
    """The approaches of the traffic lights (every one without `tls_ids`) as {incoming edge id: ids
    of the edges whose queues are that approach's queue}: the edge feeding a controlled link and,
    upstream of it, every edge whose only way on (U-turns aside) leads into those, up to a junction
    another traffic light controls or the light's own junction (on a loop road its exit leads back
    to it). On the benchmark junction: N_in and N_up per arm."""
    net = read_net(net)
    lights = [traffic_light(net, t) for t in tls_ids] if tls_ids else net.getTrafficLights()
    result = {}
    for light in lights:
        own = {from_lane.getEdge().getToNode().getID() for from_lane, _, _ in light.getConnections()}
        for from_lane, _, _ in light.getConnections():
            edge = from_lane.getEdge()
            if edge.getID() in result:
                continue
            members = {edge.getID()}
            frontier = [edge]
            while frontier:
                current = frontier.pop()
                for before, links in current.getIncoming().items():
                    # Walking areas and crossings join every footway of a junction: not a way vehicles queue.
                    if (before.getID() in members or before.getFunction() in NOT_ROADWAY_FUNCTIONS
                            or before.getFromNode().getID() in own or any(link.getTLSID() for link in links)):
                        continue
                    onward = {to.getID() for to, out in before.getOutgoing().items()
                              if to.getFunction() not in NOT_ROADWAY_FUNCTIONS
                              and any(c.getDirection() != "t" for c in out)}
                    if onward <= members:
                        members.add(before.getID())
                        frontier.append(before)
            result[edge.getID()] = members
    return result
