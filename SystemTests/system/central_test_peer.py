"""Test peer for junction-central: plays several junctions speaking docs/protocol.md version 1, written
independently of the Swift Wire library (Python's hmac and struct), so it also checks that the document and the
Swift code agree. It is a stand-in for junctiond, not a junction: a fixed cycle through the five stages of the
Cirebon four-arm layout, status reports every second and at each stage change, the matching Indiana events, and a
count bin per detector every `--bin-seconds`, pushed as the junction would and answered when central polls.

    python3 SystemTests/system/central_test_peer.py --central 127.0.0.1:47800 --city central/examples/city.toml
"""

import argparse
import hashlib
import hmac
import random
import socket
import struct
import time
import tomllib

HEADER = struct.Struct(">HBBIIQQQH")
# Cirebon four-arm: groups N NR S SR E ER W WR PN PS PE PW; stages S1..S5 as in hardware/junctions/cirebon-4arm.toml.
STAGES = [[0, 2], [1, 3], [4, 6], [5, 7], [8, 9, 10, 11]]
PEDESTRIAN = {8, 9, 10, 11}
RED, RED_AMBER, GREEN, AMBER, DONT_WALK, WALK, FLASHING_DONT_WALK = 0, 1, 2, 3, 4, 5, 6


class Junction:
    def __init__(self, junction_id, key, seed):
        self.id = junction_id
        self.key = key
        self.boot = int(time.time() * 1e6)
        self.sequence = 0
        self.random = random.Random(seed)
        self.stage = 0
        self.stage_start = time.monotonic()
        self.green_seconds = [self.random.uniform(6, 12) for _ in STAGES]
        self.events = []  # (record, ms, code, parameter)
        self.bins = []  # (record, start, period, detector, volume, occupancy, observed)
        self.acked_events = 0
        self.acked_counts = 0
        self.detectors = [False] * 16
        self.next_bin = None

    def seal(self, message_type, payload):
        self.sequence += 1
        header = HEADER.pack(0x4A54, 1, message_type, self.id, 0, self.boot, self.sequence, int(time.time() * 1000),
                             len(payload))
        body = header + payload
        return body + hmac.new(self.key, body, hashlib.sha256).digest()[:16]

    def aspects(self, elapsed):
        green = STAGES[self.stage]
        result = []
        for group in range(12):
            pedestrian = group in PEDESTRIAN
            if group in green:
                clearing = elapsed > self.green_seconds[self.stage]
                result.append((FLASHING_DONT_WALK if pedestrian else AMBER) if clearing else (WALK if pedestrian else GREEN))
            else:
                result.append(DONT_WALK if pedestrian else RED)
        return result

    def event(self, code, parameter):
        self.events.append((len(self.events) + 1, int(time.time() * 1000), code, parameter))

    def step(self):
        """Advances the fixed cycle; returns True on a stage change."""
        elapsed = time.monotonic() - self.stage_start
        if elapsed < self.green_seconds[self.stage] + 3:
            return False
        for group in STAGES[self.stage]:
            self.event(8 if group not in PEDESTRIAN else 22, group + 1)
            self.event(10, group + 1)
        self.stage = (self.stage + 1) % len(STAGES)
        self.stage_start = time.monotonic()
        for group in STAGES[self.stage]:
            self.event(1 if group not in PEDESTRIAN else 21, group + 1)
        for detector in range(16):
            if self.random.random() < 0.3:
                self.detectors[detector] = not self.detectors[detector]
                self.event(82 if self.detectors[detector] else 81, detector + 1)
        return True

    def close_bins(self, period):
        now = int(time.time())
        start = now - now % period
        if self.next_bin is None:
            self.next_bin = start
        while self.next_bin + period <= now:
            for detector in range(16):
                volume = self.random.randint(2, 30)
                self.bins.append((len(self.bins) + 1, self.next_bin, period, detector + 1, volume,
                                  self.random.randint(50, 400), period))
            self.next_bin += period

    def status(self, reason, request_id=0):
        elapsed = time.monotonic() - self.stage_start
        groups = bytes(aspect | (0x10 if self.random.random() < 0.2 else 0) for aspect in self.aspects(elapsed))
        detectors = bytes(int(present) for present in self.detectors)
        counters = [0] * 33
        payload = struct.pack(">IBBBBBBIQQIBQQQQ", request_id, reason, 1, 2, 0, self.stage, 0, int(elapsed * 10),
                              int(time.monotonic() * 10), 0x1234ABCD5678EF00, 0, 0, len(self.events),
                              self.acked_events, len(self.bins), self.acked_counts)
        payload += bytes([12]) + groups + bytes([16]) + detectors + bytes([len(counters)])
        payload += b"".join(struct.pack(">Q", value) for value in counters)
        return self.seal(1, payload)

    def batches(self, kind, after, request_id=0, limit=16):
        records = self.events if kind == 2 else self.bins
        per = 56 if kind == 2 else 35
        pending = [record for record in records if record[0] > after]
        chunks = [pending[i:i + per] for i in range(0, len(pending), per)][:limit] or [[]]
        datagrams = []
        for part, chunk in enumerate(chunks):
            more = part == len(chunks) - 1 and len(pending) > sum(len(c) for c in chunks)
            payload = struct.pack(">IBBBQQB", request_id, part if request_id else 0, len(chunks) if request_id else 1,
                                  int(more), 1, len(records), len(chunk))
            for record in chunk:
                payload += struct.pack(">QQHH", *record) if kind == 2 else struct.pack(">QQIHIHI", *record)
            datagrams.append(self.seal(kind, payload))
        return datagrams if pending or request_id else []


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--central", required=True, help="host:port of junction-central's UDP socket")
    parser.add_argument("--city", required=True, help="the city TOML file (ids and keys)")
    parser.add_argument("--bin-seconds", type=int, default=60)
    parser.add_argument("--run-seconds", type=float, default=3600)
    arguments = parser.parse_args()
    host, port = arguments.central.rsplit(":", 1)
    central = (host, int(port))
    with open(arguments.city, "rb") as handle:
        city = tomllib.load(handle)
    junctions = [Junction(entry["id"], bytes.fromhex(entry["key"]), entry["id"]) for entry in city["junctions"]]
    sockets = {junction.id: socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for junction in junctions}
    for sock in sockets.values():
        sock.bind(("127.0.0.1", 0))
        sock.setblocking(False)
    deadline = time.monotonic() + arguments.run_seconds
    next_report = 0.0
    while time.monotonic() < deadline:
        now = time.monotonic()
        periodic = now >= next_report
        if periodic:
            next_report = now + 1.0
        for junction in junctions:
            sock = sockets[junction.id]
            junction.close_bins(arguments.bin_seconds)
            changed = junction.step()
            if changed or periodic:
                sock.sendto(junction.status(1 if changed else 0), central)
                for datagram in junction.batches(2, junction.acked_events) + junction.batches(3, junction.acked_counts):
                    sock.sendto(datagram, central)
            while True:
                try:
                    data, _ = sock.recvfrom(2048)
                except BlockingIOError:
                    break
                # A stand-in trusts its loopback central: tags are checked by the real junction, not here.
                message_type = data[3]
                payload = data[HEADER.size:-16]
                if message_type == 17:
                    events, counts = struct.unpack(">QQ", payload)
                    junction.acked_events = max(junction.acked_events, events)
                    junction.acked_counts = max(junction.acked_counts, counts)
                elif message_type == 16:
                    request_id, query, argument, limit = struct.unpack(">IBQB", payload)
                    if query == 1:
                        sock.sendto(junction.status(3, request_id), central)
                    elif query in (2, 4):
                        for datagram in junction.batches(2 if query == 2 else 3, argument, request_id, min(limit, 16)):
                            sock.sendto(datagram, central)
                    elif query == 3:
                        first = next((b[0] for b in junction.bins if b[1] >= argument), len(junction.bins) + 1)
                        for datagram in junction.batches(3, first - 1, request_id, min(limit, 16)):
                            sock.sendto(datagram, central)
        time.sleep(0.05)


if __name__ == "__main__":
    main()
