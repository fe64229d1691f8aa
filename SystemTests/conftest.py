"""Strict mode for the system tests: in CI nothing may pass by not running.

Strict mode is on when the environment has CI set (to anything but "" or "0") or JUNCTIOND_STRICT=1.
scripts/test.sh exports JUNCTIOND_STRICT=1 unless JUNCTIOND_ALLOW_SKIP=1 is given outside CI. In strict mode:

- a skipped test (skip, skipif, importorskip, a skip in a fixture) fails, with the skip's reason;
- a skipped module (a module-level skip or importorskip) is a collection error, with its reason;
- an xfail or xpass fails: a known failure is a failure until it is fixed;
- a run that selects no test fails;
- the run needs a default per-test limit (pytest-timeout's --timeout), so a hang fails the test.

Tests therefore keep using pytest.skip and skipif for a missing prerequisite, with a reason that names
it: outside CI a developer without, say, snmpd sees the skip; in CI it is a failure.
"""

import os

import pytest


def strict():
    """Whether skips, xfails and empty runs fail (CI, or JUNCTIOND_STRICT=1)."""
    return os.environ.get("CI", "") not in ("", "0") or os.environ.get("JUNCTIOND_STRICT") == "1"


STRICT_NOTE = "strict mode (CI or JUNCTIOND_STRICT=1) fails what does not run"


def pytest_configure(config):
    if strict() and not config.getoption("timeout", None):
        raise pytest.UsageError(f"{STRICT_NOTE}, and needs a per-test limit: pass --timeout=SECONDS (pytest-timeout)")


def skip_reason(longrepr):
    """The reason of a skip report: pytest keeps a skip's location and message as a (path, line, reason) tuple."""
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        path, line, reason = longrepr
        return f"{reason.removeprefix('Skipped: ')} ({path}:{line})"
    return str(longrepr)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if not strict():
        return
    expected_failure = getattr(report, "wasxfail", None)
    if expected_failure is not None:
        # An xfail that failed is reported as skipped, one that passed as passed; both carry wasxfail.
        del report.wasxfail
        report.outcome = "failed"
        report.longrepr = f"{STRICT_NOTE}: xfail ({expected_failure or 'no reason given'}) is not allowed"
    elif report.skipped:
        report.outcome = "failed"
        report.longrepr = f"{STRICT_NOTE}: skipped in {report.when}: {skip_reason(report.longrepr)}"


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    outcome = yield
    report = outcome.get_result()
    if strict() and report.skipped:
        report.outcome = "failed"
        report.longrepr = f"{STRICT_NOTE}: {collector.nodeid or 'the run'} skipped: {skip_reason(report.longrepr)}"


def pytest_sessionfinish(session, exitstatus):
    # pytest already fails an empty run (exit 5), but a caller may excuse that code; strict mode does not.
    if strict() and session.testscollected == 0 and exitstatus == pytest.ExitCode.NO_TESTS_COLLECTED:
        session.config.get_terminal_writer().line(f"{STRICT_NOTE}: no test was selected", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
