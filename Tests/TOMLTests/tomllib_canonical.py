"""Prints the TOML document read from a file (or stdin with "-") as canonical JSON, using Python's
tomllib, for TOMLDifferentialTests: every value tagged with its type, floats as their IEEE bits,
dates and times in one fixed form. Prints "error" when tomllib refuses the text."""
import datetime
import json
import math
import struct
import sys
import tomllib


def time_text(value):
    return f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}.{value.microsecond:06d}"


def canonical(value):
    if isinstance(value, bool):
        return {"bool": value}
    if isinstance(value, int):
        return {"int": str(value)}
    if isinstance(value, float):
        return {"float": "nan" if math.isnan(value) else struct.pack(">d", value).hex()}
    if isinstance(value, str):
        return {"string": value}
    if isinstance(value, datetime.datetime):
        text = f"{value.year:04d}-{value.month:02d}-{value.day:02d}T{time_text(value)}"
        offset = value.utcoffset()
        if offset is not None:
            text += f"{int(offset.total_seconds() // 60):+d}"
        return {"datetime": text}
    if isinstance(value, datetime.date):
        return {"date": f"{value.year:04d}-{value.month:02d}-{value.day:02d}"}
    if isinstance(value, datetime.time):
        return {"time": time_text(value)}
    if isinstance(value, list):
        return [canonical(element) for element in value]
    return {key: canonical(element) for key, element in value.items()}


def main():
    data = sys.stdin.buffer.read() if sys.argv[1] == "-" else open(sys.argv[1], "rb").read()
    try:
        document = tomllib.loads(data.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        print("error")
        return
    print(json.dumps(canonical(document), sort_keys=True, ensure_ascii=True, separators=(",", ":")))


main()
