"""`junction-central import-events`: an ATSPM CSV becomes one junction's events in central's store, numbered after
the junction's cursor as ingest numbers them, and a malformed file is refused by line number with nothing stored.

Environment: CENTRAL_BIN (default central/.build/debug/junction-central)."""

import os
import pathlib
import sqlite3
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
CENTRAL = pathlib.Path(os.environ.get("CENTRAL_BIN", ROOT / "central/.build/debug/junction-central"))
HEADER = "SignalId,Timestamp,EventCode,EventParam\n"
GOOD = HEADER + "1,2026-12-02 07:00:00.1,1,2\n1,2026-12-02 07:00:00.1,82,5\n1,2026-12-02 07:00:01.25,81,5\n"


def import_events(store, csv, junction=3):
    assert CENTRAL.exists(), f"{CENTRAL} missing: swift build --package-path central"
    return subprocess.run([str(CENTRAL), "import-events", "--store", str(store), "--junction", str(junction),
                           str(csv)], capture_output=True, text=True, timeout=60)


def rows(store, query):
    with sqlite3.connect(store) as database:
        return database.execute(query).fetchall()


def test_import_numbers_events_after_the_cursor(tmp_path):
    csv = tmp_path / "day.csv"
    csv.write_text(GOOD)
    store = tmp_path / "central.sqlite"
    for _ in range(2):
        result = import_events(store, csv)
        assert result.returncode == 0, result.stderr
    assert rows(store, "SELECT junction_id, record, time_ms, code, parameter FROM events ORDER BY record") == [
        (3, 1, 1796194800100, 1, 2), (3, 2, 1796194800100, 82, 5), (3, 3, 1796194801250, 81, 5),
        (3, 4, 1796194800100, 1, 2), (3, 5, 1796194800100, 82, 5), (3, 6, 1796194801250, 81, 5)]
    assert rows(store, "SELECT junction_id, events_through FROM cursors") == [(3, 6)]


@pytest.mark.parametrize("line, reason", [
    ("1,2026-12-02 07:00:02.0,82", "3 fields, not 4"),
    ("1,2026-12-02 7:00:02.0,82,5", "timestamp 2026-12-02 7:00:02.0 is not YYYY-MM-DD HH:MM:SS[.fff]"),
    ("1,2026-02-30 07:00:02.0,82,5", "is not YYYY-MM-DD"),
    ("1,2026-12-02 06:59:59.9,82,5", "is before the line above"),
    ("1,2026-12-02 07:00:02.0,82,-5", "whole numbers 0-65535"),
    ("2,2026-12-02 07:00:02.0,82,5", "SignalId 2, not 1"),
])
def test_a_malformed_line_is_refused_by_number_and_nothing_is_stored(tmp_path, line, reason):
    csv = tmp_path / "bad.csv"
    csv.write_text(GOOD + line + "\n" + "1,2026-12-02 07:00:03.0,82,5\n")
    store = tmp_path / "central.sqlite"
    result = import_events(store, csv)
    assert result.returncode != 0
    assert "line 5: " in result.stderr and reason in result.stderr, result.stderr
    assert not store.exists() or rows(store, "SELECT COUNT(*) FROM events") == [(0,)]


def test_a_file_without_the_header_is_refused(tmp_path):
    csv = tmp_path / "bare.csv"
    csv.write_text(GOOD.removeprefix(HEADER))
    result = import_events(tmp_path / "central.sqlite", csv)
    assert result.returncode != 0 and "line 1: the header must be" in result.stderr, result.stderr
