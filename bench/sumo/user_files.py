"""Files the user names on the command line: one clear line for each way reading one can fail.

The tools raise `InputError` for a file they cannot use; `bench.py` prints its message after the
command's name and exits 2, so a wrong path or a file of the wrong kind never ends in a traceback.
"""

import pathlib


class InputError(Exception):
    """A named file that cannot be used; the message starts with the file and says why."""


def require_file(path, what):
    """Refuses, before any parser sees it, a `what` ("SUMO network", ...) that is missing, not a
    regular file (a directory, or a device or FIFO that could block the read) or unreadable."""
    file = pathlib.Path(path)
    try:
        if not file.exists():
            raise InputError(f"{path}: no such {what}")
        if not file.is_file():
            raise InputError(f"{path}: not a regular file (a {what} is expected)")
        with open(file, "rb"):
            pass
    except OSError as error:
        raise InputError(f"{path}: cannot read the {what}: {error.strerror or error}") from None


def read_text(path, what):
    """The text of `path`, a `what` that `require_file` accepts and that is UTF-8."""
    require_file(path, what)
    try:
        return pathlib.Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise InputError(f"{path}: cannot read the {what}: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: not UTF-8 text (byte {error.start}); a {what} is expected") from None
