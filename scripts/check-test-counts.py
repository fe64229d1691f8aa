#!/usr/bin/env python3
"""Fails a `swift test` stage that passed without testing what it was asked to.

`swift test` exits 0 when a --filter matches nothing, when tests are skipped (`.disabled`,
`Test.cancel`, `XCTSkip`) and when a known issue is recorded. This reads the run's output instead, from
both Swift Testing and XCTest, and requires:

- at least one test that passed, and no test, suite or run that failed;
- for each --suite NAME, a line saying the suite NAME passed: it ran, and passed;
- with --strict, no test or suite skipped or cancelled, and no known issue;
- with --hours H, lines `property hours: <suite> <hours>` (printed by the property tests themselves,
  to a tenth of an hour or finer) adding up to at least H simulated hours for every suite that prints
  them, and one from every --hours-suite,
  within the rounding of the printed figures.

Usage: scripts/check-test-counts.py LOG [--suite NAME]... [--hours H] [--strict]
Prints one summary line and exits 0, or prints each problem and exits 1.
"""

import argparse
import pathlib
import re
import sys

# Swift Testing starts each result line with a symbol that differs between terminals, and display names
# may hold any words, so its result lines are matched at both ends: "<symbol> Test NAME passed after
# 0.1 seconds." XCTest names its cases and suites in quotes: "Test Case 'T.testX' passed (0.1 seconds)".
SECONDS_TAIL = r" after [\d.]+ seconds?(?: with .*)?\.$"
REASON_TAIL = r'(?:: ".*")?\.?$'
PASSED = re.compile(rf"^(?:\S+ Test (?!run with ).* passed{SECONDS_TAIL}|Test Case '[^']*' passed \()", re.M)
FAILED = re.compile(rf"^(?:\S+ (?:Test|Suite) .* failed{SECONDS_TAIL}|Test (?:Case|Suite) '[^']*' failed\b.*$)", re.M)
NOT_RUN = re.compile(
    rf"^(?:\S+ (?:Test|Suite) .* (?:skipped|was cancelled after [\d.]+ seconds?){REASON_TAIL}"
    rf"|Test Case '[^']*' skipped.*$)", re.M)
KNOWN_ISSUE = re.compile(rf"^\S+ Test .*(?: recorded a known issue .*| with \d+ known issues?\.)$", re.M)
PROPERTY_HOURS = re.compile(r"property hours: (\S+) (\d+(?:\.\d+)?)\b")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def suite_passed(text, suite):
    name = re.escape(suite)
    return re.search(rf"^(?:\S+ Suite {name} passed after|Test Suite '{name}' passed)", text, re.M) is not None


def problems(text, suites, hours, strict, hours_suites=()):
    """The reasons the run does not count, and the summary line to print when there are none."""
    passed = len(PASSED.findall(text))
    found = [f"failed: {line.strip()}" for line in FAILED.findall(text)]
    if passed == 0:
        found.append("no test passed: the filter matched nothing, every test was skipped, or the tests did not run")
    found += [f"suite {suite} did not run and pass" for suite in suites if not suite_passed(text, suite)]
    if strict:
        found += [f"not run (strict mode): {line.strip()}" for line in NOT_RUN.findall(text)]
        found += [f"known issue (strict mode): {line.strip()}" for line in KNOWN_ISSUE.findall(text)]
    summary = f"{passed} tests passed"
    if hours is not None:
        # Each suite must simulate the asked hours itself: a sum over suites would let one long suite
        # hide a short one. Figures are printed to a tenth of an hour (or finer), each rounded by up
        # to half of that.
        per_suite = {}
        for suite, value in PROPERTY_HOURS.findall(text):
            count, total = per_suite.get(suite, (0, 0.0))
            per_suite[suite] = (count + 1, total + float(value))
        for suite in hours_suites:
            if suite not in per_suite:
                found.append(f"suite {suite} printed no `property hours:` line")
        if not per_suite:
            found.append(f"no `property hours:` line; {hours:g} simulated hours asked")
        for suite, (count, total) in per_suite.items():
            if total + 0.05 * count < hours:
                found.append(f"{suite}: {total:g} simulated property hours reported, {hours:g} asked")
        by_suite = ", ".join(f"{suite} {total:g}" for suite, (_, total) in per_suite.items())
        summary += f", simulated property hours: {by_suite}"
    return found, summary


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("log", type=pathlib.Path, help="the output of swift test (stdout and stderr)")
    parser.add_argument("--suite", action="append", default=[], help="a suite that must run and pass")
    parser.add_argument("--hours", type=float, help="the least simulated property hours")
    parser.add_argument("--hours-suite", action="append", default=[],
                        help="a suite that must print its own `property hours:` line (with --hours)")
    parser.add_argument("--strict", action="store_true", help="fail on skipped or cancelled tests and known issues")
    arguments = parser.parse_args()
    text = ANSI.sub("", arguments.log.read_text(errors="replace"))
    found, summary = problems(text, arguments.suite, arguments.hours, arguments.strict, arguments.hours_suite)
    for problem in found:
        print(f"check-test-counts: {arguments.log}: {problem}", file=sys.stderr)
    if found:
        return 1
    print(f"check-test-counts: {arguments.log}: {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
