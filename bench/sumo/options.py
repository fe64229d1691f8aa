"""Command-line values of the SUMO benchmarks, checked as argparse types.

Each refuses what the run could not use with one line naming the option (argparse then exits 2),
before anything is built, so a wrong value never ends in a traceback or in failures much later.
"""

import argparse
import math
import pathlib

from user_files import InputError

# SUMO reads --seed into a C int.
LARGEST_SEED = 2**31 - 1
# harness.STEP_S, the harnesses' tick; not imported from there, which would load SUMO to parse options.
STEP_S = 0.1


def _number(text, what):
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}") from None


def _steps(text, what):
    """Seconds, finite and at least one step; `what` opens the refusal (a shorter time rounds to no step)."""
    seconds = _number(text, "a number of seconds")
    if not STEP_S <= seconds < math.inf:
        raise argparse.ArgumentTypeError(f"{what}: expected {STEP_S:g} s or more, and a finite time, got {text!r}")
    return seconds


def positive_seconds(text):
    """A run length."""
    return _steps(text, f"a run lasts more than 0 s, at least one {STEP_S:g} s step")


def status_interval(text):
    """How often to print the controller's status."""
    return _steps(text, f"the status is printed at most once a {STEP_S:g} s step")


def non_negative_seconds(text):
    """A wait or a delay: seconds, zero or more, finite."""
    seconds = _number(text, "a number of seconds")
    if not 0 <= seconds < math.inf:
        raise argparse.ArgumentTypeError(f"expected 0 s or more, and a finite time, got {text!r}")
    return seconds


def share(text):
    """A share of datagrams: 0 to 1."""
    value = _number(text, "a share from 0 to 1")
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"a share is from 0 to 1, got {text!r}")
    return value


def job_count(text):
    """Runs in parallel: a whole number, one or more."""
    try:
        jobs = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of runs, got {text!r}") from None
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"at least one run at a time, got {text!r}")
    return jobs


def seed(text):
    """One SUMO seed: a whole number from 0 to 2^31 - 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number as the seed, got {text!r}") from None
    if not 0 <= value <= LARGEST_SEED:
        raise argparse.ArgumentTypeError(f"a SUMO seed is from 0 to {LARGEST_SEED}, got {text!r}")
    return value


def seed_list(text):
    """SUMO seeds: distinct seeds (as `seed`), comma-separated."""
    seeds = [seed(part) for part in text.split(",")]
    if len(set(seeds)) != len(seeds):
        raise argparse.ArgumentTypeError(f"a seed is given twice in {text!r}")
    return seeds


def results_directory(path):
    """`--out`, created if need be; a path where no directory can be made is an `InputError`."""
    out = pathlib.Path(path).resolve()
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(f"--out {path}: cannot make the results directory: {error.strerror or error}") from None
    return out
