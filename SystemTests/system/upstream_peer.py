"""A central stand-in for the system tests: a test peer, not a product. It speaks the upstream
protocol of docs/protocol.md, version 1 (written from that document, independently of the Swift
`Wire` library): it checks tags and replay, decodes status reports, event and count batches,
keeps every record once by record number, acknowledges cumulatively and can poll.

Also here: `LossyRelay`, a UDP relay that drops a share of datagrams and can cut the link,
since this kernel has no tc netem."""

import hashlib
import hmac
import random
import socket
import struct
import threading
import time

MAGIC = b"JT"
VERSION = 1
HEADER = struct.Struct(">2sBBIIQQQH")  # magic, version, type, junction, sender, boot, sequence, time, paylen
TAG_BYTES = 16
MAX_DATAGRAM = 1200
STATUS, EVENTS, COUNTS, POLL, ACK = 1, 2, 3, 16, 17
BATCH_PREFIX = struct.Struct(">IBBBQQB")
EVENT = struct.Struct(">QQHH")
COUNT = struct.Struct(">QQIHIHI")
STATUS_FIXED = struct.Struct(">IBBBBBBIQQIBQQQQ")
ALARM_STORE_FULL = 1 << 4
ALARM_STORE_FAILING = 1 << 5
COUNTER_NAMES = [
    "controller_events_dropped", "journal_overwritten", "loop_overruns", "unconfirmed_output_ticks",
    "requests_dropped", "detector_errors", "output_errors", "datagrams_sent", "send_errors",
    "datagrams_accepted", "drop_truncated", "drop_oversized", "drop_bad_magic", "drop_unsupported_version",
    "drop_unknown_type", "drop_length_mismatch", "drop_unknown_junction", "drop_bad_tag", "drop_stale_boot",
    "drop_duplicate", "drop_outside_window", "drop_malformed", "drop_unexpected_type", "drop_unknown_peer",
    "records_resent", "store_commits", "store_full", "store_errors", "events_stored", "count_bins_stored",
    "events_dropped_before_store", "unacked_records_retired", "polls_answered", "drop_kernel_overflow",
    "replay_state_save_errors", "neighbour_profiles_sent", "neighbour_send_errors", "neighbour_profiles_accepted",
    "neighbour_drop_malformed", "neighbour_drop_unauthenticated", "neighbour_drop_unknown_sender",
    "neighbour_drop_not_for_me", "neighbour_drop_replayed", "neighbour_drop_late", "neighbour_drop_superseded",
    "neighbour_drop_kernel_overflow", "neighbour_stale_events", "neighbour_recoveries", "neighbours_fresh",
    "neighbours_stale", "plan_pattern", "plan_source", "next_plan_change_seconds", "tick_stalls", "clock_steps", "clock_synchronised", "clock_unsynchronised_seconds",
    "clock_offset_us", "clock_max_error_us",
]


def tag(key, data):
    return hmac.new(key, data, hashlib.sha256).digest()[:TAG_BYTES]


def seal(key, kind, junction, sender, boot, sequence, payload, time_ms=None):
    if time_ms is None:
        time_ms = int(time.time() * 1000)
    header = HEADER.pack(MAGIC, VERSION, kind, junction, sender, boot, sequence, time_ms, len(payload))
    body = header + payload
    return body + tag(key, body)


def open_datagram(key, data):
    """(header tuple, payload) if the frame and tag are good, else None."""
    if len(data) < HEADER.size + TAG_BYTES or len(data) > MAX_DATAGRAM:
        return None
    header = HEADER.unpack_from(data)
    if header[0] != MAGIC or header[1] != VERSION or HEADER.size + header[8] + TAG_BYTES != len(data):
        return None
    if not hmac.compare_digest(tag(key, data[:-TAG_BYTES]), data[-TAG_BYTES:]):
        return None
    return header, data[HEADER.size:-TAG_BYTES]


def decode_status(payload):
    fixed = STATUS_FIXED.unpack_from(payload)
    (request_id, reason, mode, controller_mode, flash_reason, stage, flags, time_in_stage, tick, config_hash,
     alarms, fault_kind, events_stored, events_acked, counts_stored, counts_acked) = fixed
    offset = STATUS_FIXED.size
    groups = list(payload[offset + 1:offset + 1 + payload[offset]])
    offset += 1 + len(groups)
    detectors = list(payload[offset + 1:offset + 1 + payload[offset]])
    offset += 1 + len(detectors)
    count = payload[offset]
    counters = struct.unpack_from(">%dQ" % count, payload, offset + 1)
    assert offset + 1 + 8 * count == len(payload), "status payload length"
    return {
        "request_id": request_id, "reason": reason, "mode": mode, "controller_mode": controller_mode,
        "stage": None if stage == 255 else stage, "tick": tick, "alarms": alarms, "config_hash": config_hash,
        "events_stored": events_stored, "events_acked": events_acked, "counts_stored": counts_stored,
        "counts_acked": counts_acked, "groups": groups, "detectors": detectors,
        "counters": dict(zip(COUNTER_NAMES, counters)),
    }


def decode_batch(payload, record):
    request_id, part, parts, flags, first_available, stored_through, count = BATCH_PREFIX.unpack_from(payload)
    assert len(payload) == BATCH_PREFIX.size + count * record.size, "batch payload length"
    records = [record.unpack_from(payload, BATCH_PREFIX.size + index * record.size) for index in range(count)]
    return {"request_id": request_id, "part": part, "parts": parts, "more": bool(flags & 1),
            "first_available": first_available, "stored_through": stored_through, "records": records}


class CentralTestPeer:
    """The central stand-in. Runs a receive thread; every record is kept once, by record number."""

    def __init__(self, junction_id, key, sender_id=1, acknowledge=True):
        self.junction_id = junction_id
        self.key = key
        self.sender_id = sender_id
        self.boot = int(time.time() * 1_000_000)
        self.sequence = 0
        self.acknowledge = acknowledge
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.socket.bind(("127.0.0.1", 0))
        self.socket.settimeout(0.1)
        self.port = self.socket.getsockname()[1]
        self.lock = threading.RLock()
        self.events = {}
        self.counts = {}
        self.event_copies = 0
        self.count_copies = 0
        self.statuses = []
        self.answers = []
        self.rejected = 0
        self.replays = 0
        self.seen = {}  # boot -> set of sequences
        self.first_available = {"events": 1, "counts": 1}
        self.junction_address = None
        self.running = True
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def close(self):
        self.running = False
        self.thread.join()
        self.socket.close()

    def held_through(self, kind):
        """The highest record number below which nothing is missing (what an ack says)."""
        records = self.events if kind == "events" else self.counts
        mark = self.first_available[kind] - 1
        while mark + 1 in records:
            mark += 1
        return mark

    def send(self, kind, payload, address=None):
        self.sequence += 1
        data = seal(self.key, kind, self.junction_id, self.sender_id, self.boot, self.sequence, payload)
        self.socket.sendto(data, address or self.junction_address)

    def poll(self, request_id, query, argument=0, max_datagrams=16, address=None):
        self.send(POLL, struct.pack(">IBQB", request_id, query, argument, max_datagrams), address)

    def send_ack(self):
        with self.lock:
            payload = struct.pack(">QQ", self.held_through("events"), self.held_through("counts"))
        self.send(ACK, payload)

    def latest_status(self):
        with self.lock:
            return self.statuses[-1] if self.statuses else None

    def wait_for(self, predicate, seconds):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            with self.lock:
                if predicate(self):
                    return True
            time.sleep(0.05)
        with self.lock:
            return predicate(self)

    def _run(self):
        while self.running:
            try:
                data, address = self.socket.recvfrom(4096)
            except socket.timeout:
                continue
            except OSError:
                return
            opened = open_datagram(self.key, data)
            if opened is None:
                self.rejected += 1
                continue
            header, payload = opened
            kind, boot, sequence = header[2], header[5], header[6]
            sequences = self.seen.setdefault(boot, set())
            if sequence in sequences:
                self.replays += 1
                continue
            sequences.add(sequence)
            self.junction_address = address
            with self.lock:
                self._handle(kind, payload)
            if self.acknowledge and kind in (STATUS, EVENTS, COUNTS):
                self.send_ack()

    def _handle(self, kind, payload):
        if kind == STATUS:
            status = decode_status(payload)
            status["received"] = time.monotonic()
            self.statuses.append(status)
            if status["request_id"]:
                self.answers.append(("status", status))
        elif kind in (EVENTS, COUNTS):
            name = "events" if kind == EVENTS else "counts"
            batch = decode_batch(payload, EVENT if kind == EVENTS else COUNT)
            self.first_available[name] = max(self.first_available[name], batch["first_available"])
            store = self.events if kind == EVENTS else self.counts
            for record in batch["records"]:
                if record[0] in store:
                    assert store[record[0]] == record[1:], f"record {record[0]} changed between copies"
                    if kind == EVENTS:
                        self.event_copies += 1
                    else:
                        self.count_copies += 1
                store[record[0]] = record[1:]
            if batch["request_id"]:
                self.answers.append((name, batch))


class LossyRelay:
    """Relays junction ⇄ central datagrams, dropping `loss` of them each way, and drops all while cut.

    The junction reports to `port`; the relay forwards from a second socket, so central's replies
    come back through it and reach the junction from the address it reports to."""

    def __init__(self, central_port, loss=0.3, seed=6):
        self.central = ("127.0.0.1", central_port)
        self.loss = loss
        self.cut = False
        self.random = random.Random(seed)
        self.forwarded = 0
        self.dropped = 0
        self.front = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.front.bind(("127.0.0.1", 0))
        self.port = self.front.getsockname()[1]
        self.back = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.back.bind(("127.0.0.1", 0))
        self.junction = None
        self.running = True
        self.threads = [threading.Thread(target=self._pump, args=(self.front, True), daemon=True),
                        threading.Thread(target=self._pump, args=(self.back, False), daemon=True)]
        for thread in self.threads:
            thread.start()

    def close(self):
        self.running = False
        for thread in self.threads:
            thread.join()
        self.front.close()
        self.back.close()

    def _pump(self, sock, upstream):
        sock.settimeout(0.1)
        while self.running:
            try:
                data, address = sock.recvfrom(4096)
            except socket.timeout:
                continue
            except OSError:
                return
            if upstream:
                self.junction = address
            if self.cut or self.random.random() < self.loss:
                self.dropped += 1
                continue
            self.forwarded += 1
            if upstream:
                self.back.sendto(data, self.central)
            elif self.junction:
                self.front.sendto(data, self.junction)


def upstream_section(junction_id, key_hex, central_port, store, extra=""):
    return f"""
[upstream]
junction_id = {junction_id}
key = "{key_hex}"
central = ["127.0.0.1:{central_port}"]
listen = "127.0.0.1:0"
store = "{store}"
{extra}
"""
