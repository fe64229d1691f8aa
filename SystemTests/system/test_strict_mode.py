"""The test harness's own guards can fail: strict mode (conftest.py) turns skips, xfails and empty runs into
failures, and scripts/check-test-counts.py fails a swift test run that ran nothing, skipped something or
simulated fewer property hours than asked. Each is run here on a deliberate case, in a subprocess.
"""

import pathlib
import subprocess
import sys

import pytest

pytest_plugins = ["pytester"]

ROOT = pathlib.Path(__file__).resolve().parents[2]
CONFTEST = (pathlib.Path(__file__).parents[1] / "conftest.py").read_text()
CHECKER = ROOT / "scripts/check-test-counts.py"

SAMPLE_TESTS = """
import pytest

def test_runs():
    pass

def test_skips():
    pytest.skip("no snmpd here")

@pytest.mark.skipif(True, reason="needs chromium")
def test_skipif():
    pass

@pytest.fixture
def peer():
    pytest.skip("peer binary missing")

def test_fixture_skip(peer):
    pass

@pytest.mark.xfail(reason="known bug")
def test_xfail():
    assert False
"""


@pytest.fixture
def sample(pytester, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    pytester.makeconftest(CONFTEST)
    return pytester


def test_strict_mode_fails_every_skip_and_xfail_with_its_reason(sample, monkeypatch):
    monkeypatch.setenv("JUNCTIOND_STRICT", "1")
    sample.makepyfile(SAMPLE_TESTS)
    result = sample.runpytest_subprocess("--timeout=60")
    result.assert_outcomes(passed=1, failed=2, errors=2)
    for reason in ["no snmpd here", "needs chromium", "peer binary missing", "known bug"]:
        result.stdout.fnmatch_lines([f"*strict mode*{reason}*"])


def test_without_strict_mode_skips_stay_skips(sample, monkeypatch):
    monkeypatch.setenv("JUNCTIOND_STRICT", "0")
    sample.makepyfile(SAMPLE_TESTS)
    sample.runpytest_subprocess().assert_outcomes(passed=1, skipped=3, xfailed=1)


def test_ci_alone_turns_strict_mode_on(sample, monkeypatch):
    monkeypatch.delenv("JUNCTIOND_STRICT", raising=False)
    monkeypatch.setenv("CI", "true")
    sample.makepyfile(SAMPLE_TESTS)
    sample.runpytest_subprocess("--timeout=60").assert_outcomes(passed=1, failed=2, errors=2)


def test_strict_mode_fails_a_skipped_module(sample, monkeypatch):
    monkeypatch.setenv("JUNCTIOND_STRICT", "1")
    sample.makepyfile('import pytest\npytest.importorskip("no_such_module", reason="bench/sumo missing")\n'
                      "def test_x():\n    pass\n")
    result = sample.runpytest_subprocess("--timeout=60")
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(["*strict mode*bench/sumo missing*"])


def test_strict_mode_fails_an_empty_run(sample, monkeypatch):
    monkeypatch.setenv("JUNCTIOND_STRICT", "1")
    sample.makepyfile("def helper():\n    pass\n")
    result = sample.runpytest_subprocess("--timeout=60")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*strict mode*no test was selected*"])


def test_strict_mode_needs_a_per_test_limit(sample, monkeypatch):
    monkeypatch.setenv("JUNCTIOND_STRICT", "1")
    sample.makepyfile("def test_x():\n    pass\n")
    result = sample.runpytest_subprocess()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*pass --timeout=SECONDS*"])


# Lines as Swift 6.3's swift test prints them (Swift Testing, then XCTest), cut to what the checker reads.
PASSED_RUN = """\
Test Suite 'Selected tests' passed at 2026-12-02 17:10:12.404
\t Executed 0 tests, with 0 failures (0 unexpected) in 0.0 (0.0) seconds
\u2714 Test "a stage that failed is skipped" passed after 11.199 seconds.
\u2714 Test safeAndServedUnderTrafficAndDetectorFaults() passed after 11.199 seconds.
\u2714 Suite SafetyPropertyTests passed after 11.201 seconds.
\u2714 Test run with 2 tests in 1 suite passed after 21.495 seconds.
property hours: SafetyPropertyTests 666.7
property hours: SafetyPropertyTests 333.3
"""


def check(tmp_path, log, *arguments):
    path = tmp_path / "swift-test.log"
    path.write_text(log)
    return subprocess.run([sys.executable, str(CHECKER), str(path), *arguments], capture_output=True, text=True,
                          timeout=60)


def test_checker_passes_a_run_that_did_what_was_asked(tmp_path):
    result = check(tmp_path, PASSED_RUN, "--strict", "--suite", "SafetyPropertyTests", "--hours", "1000")
    assert result.returncode == 0, result.stderr
    assert "2 tests passed, simulated property hours: SafetyPropertyTests 1000" in result.stdout


@pytest.mark.parametrize("log, arguments, problem", [
    ("\u2714 Test run with 0 tests in 0 suites passed after 0.001 seconds.\n", [], "no test passed"),
    (PASSED_RUN, ["--suite", "MutationTests"], "suite MutationTests did not run and pass"),
    (PASSED_RUN, ["--hours", "1000.2"], "SafetyPropertyTests: 1000 simulated property hours reported"),
    # One long suite must not hide a short one.
    (PASSED_RUN + "property hours: ExampleJunctionPropertyTests 12.0\n", ["--hours", "1000"],
     "ExampleJunctionPropertyTests: 12 simulated property hours reported"),
    (PASSED_RUN, ["--hours", "1000", "--hours-suite", "ExampleJunctionPropertyTests"],
     "suite ExampleJunctionPropertyTests printed no `property hours:` line"),
    (PASSED_RUN.replace("property hours", "simulated"), ["--hours", "1"], "no `property hours:` line"),
    (PASSED_RUN + '\u279c Test off() skipped: "not today"\n', ["--strict"], "off() skipped"),
    (PASSED_RUN + '\u279c Test two() was cancelled after 0.001 seconds: "no snmpd"\n', ["--strict"], "no snmpd"),
    (PASSED_RUN + "Test Case 'XTests.testSkip' skipped (0.0 seconds)\n", ["--strict"], "testSkip"),
    (PASSED_RUN + "\u2501 Test k() passed after 0.006 seconds with 1 known issue.\n", ["--strict"], "known issue"),
    (PASSED_RUN + "\u2718 Test x() failed after 0.001 seconds with 1 issue.\n", [], "x() failed"),
    (PASSED_RUN + "Test Case 'XTests.testA' failed (0.001 seconds)\n", [], "testA"),
], ids=lambda value: value if isinstance(value, str) and "\n" not in value else "")  # named by the problem
def test_checker_fails_a_run_that_did_not(tmp_path, log, arguments, problem):
    result = check(tmp_path, log, *arguments)
    assert result.returncode == 1, result.stdout
    assert problem in result.stderr, result.stderr
