"""Where SUMO lives: the eclipse-sumo wheel's SUMO_HOME, whose bin/ holds the real binaries.

The `sumo` on the venv's PATH is a Python wrapper that starts slower and hides the binary, so
every tool here is called by its full path under $SUMO_HOME/bin.
"""

import os
import pathlib


def sumo_home():
    """The eclipse-sumo wheel's SUMO_HOME; $SUMO_HOME only without the wheel (libsumo points the
    variable at its data-only package, which has no binaries)."""
    try:
        import sumo  # the eclipse-sumo wheel
    except ImportError:
        return pathlib.Path(os.environ["SUMO_HOME"])
    return pathlib.Path(sumo.SUMO_HOME)


def tool(name):
    """The full path of a SUMO binary such as `sumo` or `netconvert`."""
    return str(sumo_home() / "bin" / name)


def tools_directory():
    """SUMO's Python tools (tlsCycleAdaptation.py and friends)."""
    return sumo_home() / "tools"
