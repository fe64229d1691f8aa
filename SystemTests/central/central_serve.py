"""Starts `junction-central serve` on a city file with free ports and reads the dashboard's address from its log:
shared by the atspm cross-check and scripts/bench-measures.py."""

import subprocess
import time


def serve(central_bin, city, log_path):
    """Starts the server in a session of its own; returns (process, open log file, base URL without a trailing
    slash). Raises RuntimeError with the log when no address appears within 60 s or the server exits first."""
    log = open(log_path, "w+")
    process = subprocess.Popen([str(central_bin), "serve", "--config", str(city), "--udp", "127.0.0.1:0",
                                "--http", "127.0.0.1:0"], stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        log.seek(0)
        for line in log.read().splitlines():
            if line.startswith("junction-central:") and " http://" in line:
                return process, log, line.rsplit(" ", 1)[1].rstrip("/")
        time.sleep(0.1)
    process.kill()
    log.seek(0)
    raise RuntimeError(f"junction-central serve printed no dashboard address:\n{log.read()}")
