"""A Modbus field device the system tests control: a pymodbus 3.x server (TCP, or RTU on a serial
device such as one end of a socat pty pair) that serves several unit ids, plus a control socket.

Each unit has 64 coils, 64 discrete inputs and 64 input registers, addressed from 0 like the
protocol. The control socket (AF_UNIX, one JSON object per line, one answer per line) lets a test:
  {"op": "set_inputs", "unit": 2, "address": 0, "values": [1, 0]}     discrete inputs
  {"op": "set_registers", "unit": 2, "address": 0, "values": [7, 65535]} input registers
  {"op": "coils", "unit": 11, "address": 0, "count": 16}               -> {"values": [...]}
  {"op": "delay", "seconds": 0.2}   answer every request this much later (0: at once)
  {"op": "requests"}                -> {"count": N} requests answered so far
  {"op": "wrong_unit", "unit": 99}  answer every request as unit 99 (null: as the unit asked), as a
                                    misconfigured gateway would; -> {"ok": true, "sent": N} such answers so far
The process prints "ready" once both sockets listen, and runs until killed.

Usage: modbus_peer.py --control PATH --units 2,11 (--tcp HOST:PORT | --rtu DEVICE [--baud B --parity E])
"""

import argparse
import asyncio
import json
import logging
import os
import sys

from pymodbus import pymodbus_apply_logging_config
from pymodbus.datastore import ModbusDeviceContext, ModbusSequentialDataBlock, ModbusServerContext
from pymodbus.framer import FramerType
from pymodbus.server import ModbusSerialServer, ModbusTcpServer

POINTS = 64
COILS, DISCRETE_INPUTS, INPUT_REGISTERS = 1, 2, 4


class SlowDevice(ModbusDeviceContext):
    """A device context whose answers can be held back, to play a device slower than the timeout."""

    def __init__(self, peer):
        # pymodbus adds 1 to every protocol address before it reaches the block, so blocks start at 1.
        super().__init__(
            di=ModbusSequentialDataBlock(1, [False] * POINTS),
            co=ModbusSequentialDataBlock(1, [False] * POINTS),
            ir=ModbusSequentialDataBlock(1, [0] * POINTS),
            hr=ModbusSequentialDataBlock(1, [0] * POINTS))
        self.peer = peer

    async def async_getValues(self, func_code, address, count=1):
        await self.peer.hold()
        self.peer.requests += 1
        return self.getValues(func_code, address, count)

    async def async_setValues(self, func_code, address, values):
        await self.peer.hold()
        self.peer.requests += 1
        return self.setValues(func_code, address, values)


class Peer:
    def __init__(self, units):
        self.delay = 0.0
        self.requests = 0
        self.wrong_unit = None
        self.wrong_unit_answers = 0
        self.devices = {unit: SlowDevice(self) for unit in units}
        self.context = ModbusServerContext(devices=self.devices, single=False)

    def trace_pdu(self, sending, pdu):
        """pymodbus's hook on every PDU: relabels answers while a wrong unit id is asked for."""
        if sending and self.wrong_unit is not None:
            pdu.dev_id = self.wrong_unit
            self.wrong_unit_answers += 1
        return pdu

    async def hold(self):
        if self.delay > 0:
            await asyncio.sleep(self.delay)

    def handle(self, request):
        op = request["op"]
        if op == "set_inputs":
            self.devices[request["unit"]].setValues(
                DISCRETE_INPUTS, request["address"], [bool(v) for v in request["values"]])
            return {"ok": True}
        if op == "set_registers":
            self.devices[request["unit"]].setValues(INPUT_REGISTERS, request["address"], list(request["values"]))
            return {"ok": True}
        if op == "coils":
            values = self.devices[request["unit"]].getValues(COILS, request["address"], request["count"])
            return {"values": [1 if v else 0 for v in values]}
        if op == "delay":
            self.delay = float(request["seconds"])
            return {"ok": True}
        if op == "wrong_unit":
            self.wrong_unit = request["unit"]
            return {"ok": True, "sent": self.wrong_unit_answers}
        if op == "requests":
            return {"count": self.requests}
        return {"error": f"unknown op {op}"}

    async def serve_control(self, reader, writer):
        while line := await reader.readline():
            try:
                answer = self.handle(json.loads(line))
            except Exception as error:  # the test sees the error instead of a hang
                answer = {"error": repr(error)}
            writer.write((json.dumps(answer) + "\n").encode())
            await writer.drain()
        writer.close()


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--control", required=True)
    parser.add_argument("--units", required=True)
    parser.add_argument("--tcp")
    parser.add_argument("--rtu")
    parser.add_argument("--baud", type=int, default=38400)
    parser.add_argument("--parity", default="E")
    arguments = parser.parse_args()
    # Packet traces on stderr would make the peer slower than the devices it plays.
    pymodbus_apply_logging_config(logging.ERROR)

    peer = Peer([int(unit) for unit in arguments.units.split(",")])
    if arguments.tcp:
        host, port = arguments.tcp.rsplit(":", 1)
        server = ModbusTcpServer(peer.context, address=(host, int(port)), trace_pdu=peer.trace_pdu)
    else:
        server = ModbusSerialServer(
            peer.context, framer=FramerType.RTU, port=arguments.rtu, baudrate=arguments.baud,
            parity=arguments.parity, bytesize=8, stopbits=1, trace_pdu=peer.trace_pdu)
    if os.path.exists(arguments.control):
        os.unlink(arguments.control)
    control = await asyncio.start_unix_server(peer.serve_control, path=arguments.control)
    await server.serve_forever(background=True)
    print("ready", flush=True)
    async with control:
        await control.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
