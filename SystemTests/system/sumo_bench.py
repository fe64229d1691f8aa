"""What the SUMO system tests share: where the bench and junction-bench are, and SUMO itself.

Importing it puts bench/sumo on the import path, so a test can import the bench's modules (demand,
network, safety_check, sumo_env) as the bench does.
"""

import os
import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench" / "sumo"
sys.path.insert(0, str(BENCH))
BINARY = os.environ.get("JUNCTION_BENCH_BIN", str(ROOT / ".build/release/junction-bench"))

import sumo_env  # noqa: E402 (bench/sumo, on the path above)


def sumo_home():
    """SUMO_HOME of the bench's SUMO, once junction-bench is known to be built.

    Without SUMO the calling test skips: outside CI a developer sees why; in CI (strict mode,
    SystemTests/conftest.py) the skip is a failure with this reason.
    """
    assert pathlib.Path(BINARY).exists(), f"{BINARY} is missing: swift build -c release --product junction-bench"
    try:
        return str(sumo_env.sumo_home())
    except KeyError:
        pytest.skip("SUMO is missing: no eclipse-sumo wheel in the venv (bash bench/sumo/ensure-venv.sh), no SUMO_HOME")
