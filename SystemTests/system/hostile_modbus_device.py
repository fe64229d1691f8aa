"""A Modbus TCP device that answers wrongly in one of a few ways, for test_modbus.py (E3, E4 and E5 of
the hostile-input probe).

Hand-written rather than pymodbus, which only ever answers correctly. It serves one unit with
discrete inputs only, all of them off, so junctiond polls it with function 02 alone.

Modes:
- "repeat": every answer is sent twice, the copy 5 ms after the true answer, so it waits in the
  socket until the next request (a device or gateway that answers twice). Each answer carries the
  transaction id of its request; the copy carries the same id but says every input is on, so a copy
  taken as the answer to a later request shows up as occupied detectors;
- "late": the copy of the previous answer goes out just before the true answer to the next
  request, so it arrives after that request was sent (the same device, slow to repeat itself);
- "length0": every answer is an MBAP header alone, with length 0 (counted in `answers`);
- "close": the device reads each request and closes the connection in an orderly way (FIN) without
  answering (counted in `closes`).
In these last two modes the first request of all, junctiond's read before it starts, gets a true
answer.
Other functions than 02 get exception 1 (illegal function), without a copy.

Runs in a thread of the test process; `kill()` stops it and closes every connection.
"""
import socket
import socketserver
import struct
import threading
import time


def receive_exactly(connection, count):
    """`count` bytes from `connection`, or None once it is closed."""
    data = b""
    while len(data) < count:
        try:
            chunk = connection.recv(count - len(data))
        except OSError:
            return None
        if not chunk:
            return None
        data += chunk
    return data


def answer(transaction, unit, pdu):
    """A Modbus TCP ADU: MBAP header (transaction id, protocol 0, length), unit id, PDU."""
    return struct.pack(">HHHB", transaction, 0, len(pdu) + 1, unit) + pdu


class Handler(socketserver.BaseRequestHandler):
    def handle(self):
        device = self.server.device
        with device.lock:
            device.connections.append(self.request)
        previous_copy = None
        while True:
            header = receive_exactly(self.request, 7)
            if header is None:
                return
            transaction, _, length, unit = struct.unpack(">HHHB", header)
            pdu = receive_exactly(self.request, length - 1)
            if pdu is None:
                return
            with device.lock:
                device.transactions.append(transaction)
                # junctiond reads every unit once before it starts: that first request is answered.
                first = len(device.transactions) == 1
            if device.mode == "close" and not first:
                # Everything sent was read, so close sends FIN, not RST.
                self.request.close()
                with device.lock:
                    device.closes += 1
                return
            if device.mode == "length0" and not first:
                try:
                    self.request.sendall(struct.pack(">HHHB", transaction, 0, 0, unit))
                except OSError:
                    return
                with device.lock:
                    device.answers += 1
                continue
            if pdu[0] == 0x02 and unit == device.unit:
                count = struct.unpack(">H", pdu[3:5])[0]
                size = (count + 7) // 8
                true = answer(transaction, unit, bytes([0x02, size]) + bytes(size))
                copy = answer(transaction, unit, bytes([0x02, size]) + bytes([0xFF] * size))
            else:
                true, copy = answer(transaction, unit, bytes([pdu[0] | 0x80, 1])), None
            try:
                if device.mode == "late" and previous_copy is not None:
                    self.request.sendall(previous_copy)
                self.request.sendall(true)
                if device.mode == "repeat" and copy is not None:
                    time.sleep(0.005)
                    self.request.sendall(copy)
            except OSError:
                return
            if copy is not None:
                with device.lock:
                    device.copies += 1
            previous_copy = copy


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class HostileDevice:
    """The device on 127.0.0.1:`port` (a free port), serving unit `unit` in `mode`."""

    def __init__(self, unit, mode):
        assert mode in ("repeat", "late", "length0", "close"), mode
        self.unit, self.mode = unit, mode
        self.lock = threading.Lock()
        self.connections, self.transactions = [], []
        self.copies = self.answers = self.closes = 0
        self.server = Server(("127.0.0.1", 0), Handler)
        self.server.device = self
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def kill(self):
        self.server.shutdown()
        self.server.server_close()
        with self.lock:
            for connection in self.connections:
                try:
                    connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
        self.thread.join()
