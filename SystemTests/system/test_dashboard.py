"""The dashboard in a real browser: central/demo-city.sh runs junction-central and five simulated junctiond
instances on loopback, headless Chromium (Debian's `chromium`) loads the dashboard, and the test checks through the
DevTools protocol that live state appears and changes without a reload, that the volume chart and the event
timeline fill from the store, and that nothing is loaded from outside. The screenshot is kept as
artifacts/dashboard.png.

Environment: CENTRAL_BIN (default central/.build/release/junction-central), JUNCTIOND_BIN (default
.build/release/junctiond), CHROMIUM_BIN (default the `chromium` on PATH; without one the test is skipped, which
fails in CI: SystemTests/conftest.py)."""

import json
import os
import pathlib
import re
import signal
import socket
import subprocess
import time
import urllib.request

import pytest

from devtools import Browser, chromium_binary

ROOT = pathlib.Path(__file__).resolve().parents[2]
CENTRAL = pathlib.Path(os.environ.get("CENTRAL_BIN", ROOT / "central/.build/release/junction-central"))
JUNCTIOND = pathlib.Path(os.environ.get("JUNCTIOND_BIN", ROOT / ".build/release/junctiond"))
ARTIFACTS = ROOT / "artifacts"
JUNCTIONS = 5  # the [[junctions]] of central/examples/city.toml


def free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get_json(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def test_central_prints_its_version():
    version = (ROOT / "VERSION").read_text().strip()
    commit = "[0-9a-f]{10}" if (ROOT / ".git").exists() else "unknown"
    result = subprocess.run([str(CENTRAL), "--version"], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(rf"junction-central {re.escape(version)} \(commit {commit}\)\n", result.stdout), result.stdout


@pytest.fixture
def city(tmp_path):
    """The demo city on free ports; yields the dashboard's base URL and stops every process afterwards."""
    assert CENTRAL.exists(), f"{CENTRAL} missing: swift build -c release --package-path central"
    assert JUNCTIOND.exists(), f"{JUNCTIOND} missing: swift build -c release"
    # 15 s count bins, so the volume chart has a closed bin within the test rather than after a minute.
    environment = dict(os.environ, DEMO_DIR=str(tmp_path / "city"), HTTP="127.0.0.1:0",
                       UDP=f"127.0.0.1:{free_udp_port()}", COUNT_PERIOD="15")
    log = open(tmp_path / "demo-city.log", "w+")
    process = subprocess.Popen(["bash", str(ROOT / "central/demo-city.sh"), "--no-build", "--run-seconds", "900"],
                               stdout=log, stderr=subprocess.STDOUT, env=environment, start_new_session=True)
    url = None
    deadline = time.monotonic() + 60
    while url is None and time.monotonic() < deadline and process.poll() is None:
        log.seek(0)
        for line in log.read().splitlines():
            if line.startswith("dashboard: "):
                url = line.split(" ", 1)[1].strip()
        time.sleep(0.1)
    try:
        log.seek(0)
        assert url, f"demo-city.sh printed no dashboard address:\n{log.read()}"
        yield url.rstrip("/"), tmp_path / "city"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()


CARDS = """[...document.querySelectorAll('.card')].map(card => ({
    id: card.dataset.id, mode: card.dataset.mode, stage: card.dataset.stage, aspects: card.dataset.aspects,
    text: card.querySelector('.stage').textContent, badge: card.querySelector('.badge').textContent}))"""


@pytest.mark.skipif(chromium_binary() is None,
                    reason="chromium is not installed (scripts/install-deps.sh --peers installs it)")
def test_dashboard_shows_live_city(city, tmp_path):
    base, city_dir = city
    # The junctions report within their startup flash; wait until all are online and running stages.
    deadline = time.monotonic() + 90
    junctions = []
    while time.monotonic() < deadline:
        junctions = get_json(base + "/api/junctions")
        if len(junctions) == JUNCTIONS and all(j["online"] and j["mode"] == "normal" for j in junctions):
            break
        time.sleep(0.5)
    assert len(junctions) == JUNCTIONS
    assert all(j["online"] for j in junctions), [(j["id"], j["ageMilliseconds"]) for j in junctions]
    assert all(j["mode"] == "normal" for j in junctions), [(j["id"], j["mode"]) for j in junctions]

    browser = Browser(base + "/", tmp_path / "chromium-profile")
    try:
        browser.wait_for(f"document.querySelectorAll('.card').length === {JUNCTIONS}", 30, "a card per junction")
        browser.wait_for("document.getElementById('connection').textContent === 'live'", 15, "the live stream")
        browser.evaluate("window.__sameDocument = true")
        first = browser.evaluate(CARDS)
        assert all(card["mode"] == "normal" for card in first), first
        assert all(card["aspects"] for card in first), "every card draws its signal heads"
        heads = browser.evaluate("document.querySelectorAll('.card .head svg').length")
        assert heads >= JUNCTIONS * 4, heads

        # Live: the cards change by themselves (time in stage every report, stages and aspects with the cycle).
        browser.evaluate(f"window.__first = {json.dumps(first)}")
        browser.wait_for(
            f"JSON.stringify({CARDS}.map(c => [c.stage, c.aspects])) !== "
            "JSON.stringify(window.__first.map(c => [c.stage, c.aspects]))", 60, "a stage or signal change")
        changed = browser.evaluate(CARDS)
        assert browser.evaluate("window.__sameDocument === true"), "the page reloaded instead of updating"
        assert [c["text"] for c in changed] != [c["text"] for c in first]

        # History from the store: events for the timeline at once, count bins once the first 15 s bin closes.
        browser.wait_for("document.querySelectorAll('#events tr').length > 5", 30, "the event log")
        browser.wait_for("document.querySelectorAll('#timeline svg rect').length > 3", 30, "the signal timeline")
        browser.wait_for("document.querySelectorAll('#chart svg.chart rect').length > 0", 150, "the volume chart")

        # Nothing from outside: every resource came from central itself.
        resources = browser.evaluate("performance.getEntriesByType('resource').map(r => r.name)")
        assert all(name.startswith(base) for name in resources), resources

        ARTIFACTS.mkdir(exist_ok=True)
        time.sleep(1)  # let the last stream update paint before the picture
        browser.screenshot(ARTIFACTS / "dashboard.png")
    finally:
        browser.close()

    status = get_json(base + "/api/status")
    counters = status["counters"]
    assert counters["statusReports"] > 0 and counters["eventsStored"] > 0 and counters["countsStored"] > 0
    assert status["dropsTotal"] == 0, status["drops"]
    assert (ARTIFACTS / "dashboard.png").stat().st_size > 10_000
