"""The dashboard in a real browser: central/demo-city.sh runs junction-central and five simulated junctiond
instances on loopback, headless Chromium (Debian's `chromium`) loads the dashboard, and the tests check through the
DevTools protocol that live state appears and changes without a reload, that the volume charts and the event
timeline fill from the store, and that nothing is loaded from outside; then that a junction a technician puts in
flash, one that stops and the same one coming back are drawn as an engineer needs to see them. Screenshots are kept
in artifacts/: dashboard.png (normal), dashboard-flash.png, dashboard-offline.png, dashboard-recovered.png, and
measures-NAME.png for each chart of the performance measures view.

Environment: CENTRAL_BIN (default central/.build/release/junction-central), JUNCTIOND_BIN (default
.build/release/junctiond), JUNCTIONCTL_BIN (default .build/release/junctionctl), CHROMIUM_BIN (default the
`chromium` on PATH; without one the test is skipped, which fails in CI: SystemTests/conftest.py)."""

import base64
import dataclasses
import datetime
import json
import os
import pathlib
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from devtools import Browser, chromium_binary

ROOT = pathlib.Path(__file__).resolve().parents[2]
CENTRAL = pathlib.Path(os.environ.get("CENTRAL_BIN", ROOT / "central/.build/release/junction-central"))
JUNCTIOND = pathlib.Path(os.environ.get("JUNCTIOND_BIN", ROOT / ".build/release/junctiond"))
JUNCTIONCTL = pathlib.Path(os.environ.get("JUNCTIONCTL_BIN", ROOT / ".build/release/junctionctl"))
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


@dataclasses.dataclass
class City:
    """The running demo city: the dashboard's base URL, the folder of its junctions, and the junctiond processes a
    test started again (in sessions of their own, so the city's teardown stops them itself)."""
    base: str
    directory: pathlib.Path
    restarted: list


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    """The demo city on free ports, shared by the module's browser tests: starting one and letting its traffic fill
    the charts takes minutes, so the tests run against one city in file order. A test that flashes or stops a
    junction puts it back in normal operation before it ends, as each test begins by waiting for a normal city."""
    assert CENTRAL.exists(), f"{CENTRAL} missing: swift build -c release --package-path central"
    assert JUNCTIOND.exists(), f"{JUNCTIOND} missing: swift build -c release"
    folder = tmp_path_factory.mktemp("city")
    # 15 s count bins, so the volume chart has a closed bin within the test rather than after a minute.
    environment = dict(os.environ, DEMO_DIR=str(folder / "city"), HTTP="127.0.0.1:0",
                       UDP=f"127.0.0.1:{free_udp_port()}", COUNT_PERIOD="15")
    log = open(folder / "demo-city.log", "w+")
    # Long enough for every test of the module; the fixture stops it when they are done.
    process = subprocess.Popen(["bash", str(ROOT / "central/demo-city.sh"), "--no-build", "--run-seconds", "1800"],
                               stdout=log, stderr=subprocess.STDOUT, env=environment, start_new_session=True)
    restarted = []
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
        yield City(url.rstrip("/"), folder / "city", restarted)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        for junction in restarted:
            junction.terminate()
        for child in [process, *restarted]:
            try:
                child.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
        log.close()


def wait_for_normal_city(base):
    """Waits until every junction reports and runs stages (they report from their startup flash on)."""
    deadline = time.monotonic() + 90
    junctions = []
    while time.monotonic() < deadline:
        junctions = get_json(base + "/api/junctions")
        if len(junctions) == JUNCTIONS and all(j["online"] and j.get("mode") == "normal" for j in junctions):
            break
        time.sleep(0.5)
    assert len(junctions) == JUNCTIONS
    assert all(j["online"] for j in junctions), [(j["id"], j.get("age_milliseconds")) for j in junctions]
    assert all(j.get("mode") == "normal" for j in junctions), [(j["id"], j.get("mode")) for j in junctions]


def labels_outside(browser, charts):
    """The texts of the SVG charts matching the selector `charts` that reach past their chart's left or right edge."""
    return browser.evaluate(f"""[...document.querySelectorAll('{charts}')].flatMap(chart => {{
        const box = chart.getBoundingClientRect();
        return [...chart.querySelectorAll('text')].filter(text => {{
            const own = text.getBoundingClientRect();
            return own.width > 0 && (own.right > box.right + 0.5 || own.left < box.left - 0.5);
        }}).map(text => text.textContent); }})""")


CARDS = """[...document.querySelectorAll('.card')].map(card => ({
    id: card.dataset.id, mode: card.dataset.mode, stage: card.dataset.stage, aspects: card.dataset.aspects,
    text: card.querySelector('.stage').textContent, badge: card.querySelector('.badge').textContent}))"""


@pytest.mark.skipif(chromium_binary() is None,
                    reason="chromium is not installed (scripts/install-deps.sh --peers installs it)")
def test_dashboard_shows_live_city(city, tmp_path):
    base = city.base
    wait_for_normal_city(base)

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
        browser.wait_for("document.querySelectorAll('#timeline svg rect[data-aspect]').length > 3", 30, "the signal timeline")
        browser.wait_for("document.querySelectorAll('#chart svg.chart rect').length > 0", 150, "the volume chart")
        # Stop-line loops, advance loops and push buttons in panels of their own, each with its unit on the y-axis:
        # a vehicle counted by its stop-line loop is not stacked again with its advance loop's count.
        browser.wait_for("document.querySelector('#chart .panel[data-placement=stop_line] svg.chart rect') !== null",
                         30, "the approach volume panel")
        panels = browser.evaluate("""[...document.querySelectorAll('#chart .panel')].map(panel => ({
            placement: panel.dataset.placement, unit: panel.querySelector('text.unit').textContent,
            legend: panel.querySelector('.legend').textContent}))""")
        stop_line = next(panel for panel in panels if panel["placement"] == "stop_line")
        assert stop_line["unit"].startswith("vehicles / "), panels
        assert "_advance" not in stop_line["legend"] and "P" not in stop_line["legend"].split()[0], panels
        for panel in panels:
            placement = panel["placement"]
            assert placement in ("stop_line", "advance", "push_button"), panels
        # Every axis label is inside its chart (none cut off at the right edge).
        assert labels_outside(browser, "#detail svg") == []

        # The city map: every junction of the example city file is placed, its dot coloured by a congestion level
        # that the loops' events decided, and each card names the loop and occupancy behind the same level.
        browser.wait_for(f"document.querySelectorAll('#map svg .node').length === {JUNCTIONS}", 15, "the city map")
        assert browser.evaluate("document.querySelectorAll('#map svg .road').length") >= 3
        browser.wait_for("[...document.querySelectorAll('#map svg .node')].every(n => n.dataset.congestion !== 'unknown')",
                         60, "a congestion level for every junction")
        congestion = browser.evaluate("""[...document.querySelectorAll('.card')].map(card => ({
            id: card.dataset.id, level: card.querySelector('.congestion').dataset.congestion,
            text: card.querySelector('.congestion').textContent}))""")
        for line in congestion:
            assert line["level"] in ("free", "busy", "congested"), congestion
            assert re.search(r"worst (advance|stop-line) loop \S+ \d+\.\d % occupied over 5 min", line["text"]), congestion
        api = {j["id"]: j["congestion"]["level"] for j in get_json(base + "/api/junctions")}
        assert set(api.values()) <= {"free", "busy", "congested"}, api
        # A click on a map dot opens that junction.
        selected = browser.evaluate("document.querySelector('.card.selected')?.dataset.id")
        other = next(j for j in api if str(j) != selected)
        browser.evaluate(f"document.querySelector('#map svg .node[data-id=\"{other}\"]').dispatchEvent(new MouseEvent('click'))")
        browser.wait_for(f"document.querySelector('.card.selected')?.dataset.id === '{other}'", 10, "the clicked junction")

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
    assert counters["status_reports"] > 0 and counters["events_stored"] > 0 and counters["counts_stored"] > 0
    assert status["drops_total"] == 0, status["drops"]
    assert (ARTIFACTS / "dashboard.png").stat().st_size > 10_000


def junctionctl(city_dir, junction_id, *args):
    result = subprocess.run([str(JUNCTIONCTL), *args, "--runtime-directory", str(city_dir / f"j{junction_id}/run")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture
def flash(city):
    """`junctionctl flash on` for a junction of the shared city; when the test is over, even a failing one, the
    technician's `flash off` puts it back in normal operation for the next test. That teardown does not assert: a
    junction left in flash fails the next test's wait for a normal city, with its mode."""
    flashed = []

    def flash_on(junction_id):
        junctionctl(city.directory, junction_id, "flash", "on")
        flashed.append(junction_id)

    yield flash_on
    for junction_id in flashed:
        subprocess.run([str(JUNCTIONCTL), "flash", "off", "--runtime-directory",
                        str(city.directory / f"j{junction_id}/run")], capture_output=True, timeout=60)


def wait_for_api(base, path, predicate, seconds, what):
    deadline = time.monotonic() + seconds
    value = None
    while time.monotonic() < deadline:
        value = get_json(base + path)
        if predicate(value):
            return value
        time.sleep(0.3)
    raise AssertionError(f"timed out after {seconds} s waiting for {what} (last {value!r})")


def card(junction_id, expression):
    return f"(card => card && {expression})(document.querySelector('.card[data-id=\"{junction_id}\"]'))"


# Rows of the event log whose words are still raw numbers: "manual control 65535", "flash status 2".
RAW_EVENT_TEXT = """[...document.querySelectorAll('#events tr td:nth-child(3)')].map(cell => cell.textContent)
    .filter(text => /^(manual control|flash status|alarm status|pattern change) \\d+$/.test(text) || /\\d{3,}$/.test(text))"""


def assert_faulty_first(browser):
    """The overview lists junctions by their worst standing alarm, worst first."""
    ranks = browser.evaluate("[...document.querySelectorAll('.card')].map(c => Number(c.dataset.worst))")
    assert ranks == sorted(ranks, reverse=True), ranks


@pytest.mark.skipif(chromium_binary() is None,
                    reason="chromium is not installed (scripts/install-deps.sh --peers installs it)")
def test_dashboard_shows_flash_offline_and_recovery(city, flash, tmp_path):
    """A technician puts junction 102 in flash, junction 103 stops and comes back: each is drawn for what it is."""
    assert JUNCTIONCTL.exists(), f"{JUNCTIONCTL} missing: swift build -c release"
    base, city_dir = city.base, city.directory
    wait_for_normal_city(base)
    ARTIFACTS.mkdir(exist_ok=True)
    flash(102)
    wait_for_api(base, "/api/junctions/102", lambda j: j.get("mode") == "flash", 60, "junction 102 in flash")

    restarted = None
    browser = Browser(base + "/#102", tmp_path / "chromium-profile", height=1500)
    try:
        browser.wait_for(f"document.querySelectorAll('.card').length === {JUNCTIONS}", 30, "a card per junction")
        # The stage line says it flashes and why, not a stage's time.
        line = browser.wait_for(card(102, "card.querySelector('.stage').textContent.includes('Flashing') && "
                                          "card.querySelector('.stage').textContent"), 30, "the flash on the card")
        assert "manual flash (technician)" in line and "Stage" not in line, line
        assert browser.evaluate(card(102, "card.dataset.aspects")).split(",").count("flashing-amber") >= 4
        # The timeline draws flashing amber as flashing amber and the pedestrian heads dark, with a legend.
        browser.wait_for("document.querySelector('#timeline rect[data-aspect=\"flashing-amber\"]') !== null", 30,
                         "flashing amber on the timeline")
        aspects = browser.evaluate("[...document.querySelectorAll('#timeline rect[data-aspect]')].map(r => r.dataset.aspect)")
        assert "dark" in aspects, aspects
        assert browser.evaluate("document.querySelector('#timeline rect[data-aspect=\"flashing-amber\"]').getAttribute('fill')") \
            == "url(#flash-amber)"
        legend = browser.evaluate("document.querySelector('#timeline + .legend, #timeline .legend').textContent")
        assert "flashing amber" in legend and "dark" in legend, legend
        # The event log in words.
        browser.wait_for("[...document.querySelectorAll('#events td')].some(td => td.textContent === 'flash entered: manual')",
                         30, "the flash in the event log, in words")
        # Who asked and what: the operator's uid and the command, from the two records the junction sent.
        browser.wait_for("[...document.querySelectorAll('#events td')].some(td => "
                         "td.textContent === 'technician command: flash on')", 30, "the technician's command")
        assert browser.evaluate("[...document.querySelectorAll('#events td')].some(td => "
                                f"td.textContent === 'command from uid {os.getuid()} at the diagnostic socket')")
        assert browser.evaluate(RAW_EVENT_TEXT) == []
        # The flash is an alarm of the city, and the flashing junction sorts before the calm ones.
        browser.wait_for("document.querySelector('#alarms tr.standing[data-kind=flash][data-junction=\"102\"]') !== null",
                         15, "the flash alarm")
        assert browser.evaluate(card(102, "card.dataset.worst")) == "2"
        assert_faulty_first(browser)
        time.sleep(1)
        browser.screenshot(ARTIFACTS / "dashboard-flash.png")

        # Junction 103 stops: its card goes offline, its lamps are no longer shown as live, and the timeline ends at
        # the last report.
        pid = int((city_dir / "j103/junctiond.pid").read_text())
        command = pathlib.Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[:-1]
        os.kill(pid, signal.SIGKILL)
        browser.evaluate("document.querySelector('.card[data-id=\"103\"]').click()")
        browser.wait_for(card(103, "card.dataset.online === 'no'"), 20, "junction 103 offline")
        line = browser.wait_for(card(103, "card.querySelector('.stage').textContent"), 5, "its stage line")
        assert line.startswith("No data since"), line
        assert browser.evaluate(card(103, "card.querySelector('.tag') === null")), "an offline card shows no 'changing'"
        assert browser.evaluate(card(103, "getComputedStyle(card.querySelector('.heads')).filter")) == "grayscale(1)"
        browser.wait_for("document.querySelector('#timeline rect[data-aspect=\"no-data\"]') !== null", 20,
                         "the timeline's no-data part")
        assert "then no data" in browser.evaluate("document.getElementById('timeline-title').textContent")
        browser.wait_for("document.querySelector('#alarms tr.standing[data-kind=offline][data-junction=\"103\"]') !== null",
                         15, "the offline alarm")
        # Worst first: the offline junction (critical) above the flashing one (major), then the rest.
        browser.wait_for(card(103, "card.dataset.worst === '3'"), 5, "junction 103 ranked critical")
        assert_faulty_first(browser)
        order = browser.evaluate("[...document.querySelectorAll('.card')].map(c => c.dataset.id)")
        assert order.index("103") < order.index("102"), order
        time.sleep(1)
        browser.screenshot(ARTIFACTS / "dashboard-offline.png")

        # It comes back: the card returns to normal and the recovery is visible.
        restarted = subprocess.Popen(command, stdout=open(city_dir / "j103/junctiond-restarted.log", "w"),
                                     stderr=subprocess.STDOUT, start_new_session=True)
        browser.wait_for(card(103, "card.dataset.online === 'yes' && card.dataset.mode === 'normal'"), 90,
                         "junction 103 back in normal operation")
        browser.wait_for(card(103, "card.textContent.includes('back online')"), 10, "'back online' on the card")
        browser.wait_for("document.querySelector('#alarms tr.cleared[data-kind=offline][data-junction=\"103\"]') !== null",
                         10, "the offline alarm cleared")
        assert "back online" in browser.evaluate(
            "document.querySelector('#alarms tr.cleared[data-kind=offline][data-junction=\"103\"]').textContent")
        time.sleep(1)
        browser.screenshot(ARTIFACTS / "dashboard-recovered.png")
    finally:
        browser.close()
        # The city goes on to the next test: the restarted 103 runs on until the city stops.
        if restarted is not None:
            city.restarted.append(restarted)
    alarms = get_json(base + "/api/alarms")
    offline = [a for a in alarms if a["kind"] == "offline" and a["junction_id"] == 103]
    assert offline and "cleared_milliseconds" in offline[0], alarms


def post_json(url, value):
    """Status and JSON answer of a POST; an HTTP error's JSON body is returned, not raised."""
    request = urllib.request.Request(url, data=json.dumps(value).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def get_text(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.headers, response.read().decode()


@pytest.mark.skipif(chromium_binary() is None,
                    reason="chromium is not installed (scripts/install-deps.sh --peers installs it)")
def test_dashboard_acknowledges_an_alarm(city, flash, tmp_path):
    """A technician flashes junction 102; an engineer acknowledges the flash alarm on the page, giving a name and a
    note; the list shows who and when, and the API and a refused nameless acknowledgement agree."""
    assert JUNCTIONCTL.exists(), f"{JUNCTIONCTL} missing: swift build -c release"
    base = city.base
    wait_for_normal_city(base)
    flash(102)
    # The manual flash, standing (each junction's startup flash is in the list too, cleared).
    manual = lambda a: a["kind"] == "flash" and a.get("junction_id") == 102 and a.get("detail") == "manual" \
        and "cleared_milliseconds" not in a
    alarms = wait_for_api(base, "/api/alarms", lambda alarms: any(map(manual, alarms)), 60, "the flash alarm")
    number = next(a["number"] for a in alarms if manual(a))
    status, answer = post_json(f"{base}/api/alarms/{number}/ack", {"by": "   ", "note": "no name"})
    assert status == 400 and answer["error"]["code"] == "bad-parameter", answer

    row = f"document.querySelector('#alarms tr[data-number=\"{number}\"]')"
    browser = Browser(base + "/#102", tmp_path / "chromium-profile")
    try:
        browser.wait_for(f"{row} !== null && {row}.querySelector('button.ack-button') !== null", 30,
                         "the flash alarm with its acknowledge button")
        # The page asks for a name, then a note; the test answers both prompts.
        browser.evaluate("window.prompt = (message) => message.startsWith('Note') ? 'technician on site' : "
                         "'  Sari Wulandari '")
        browser.evaluate(f"{row}.querySelector('button.ack-button').click()")
        text = browser.wait_for(f"{row} && {row}.classList.contains('acked') && {row}.textContent", 15,
                                "the acknowledgement in the list")
        assert "Sari Wulandari ·" in text and "technician on site" in text, text
        assert browser.evaluate(f"{row}.querySelector('button') === null"), "an acknowledged alarm has no button"
        heading = browser.evaluate("document.querySelector('#alarms h3').textContent")
        assert re.search(r"\d+ standing, \d+ not acknowledged", heading), heading
        ARTIFACTS.mkdir(exist_ok=True)
        time.sleep(1)
        browser.screenshot(ARTIFACTS / "dashboard-acknowledged.png")
    finally:
        browser.close()
    flash = next(a for a in get_json(base + "/api/alarms") if a["number"] == number)
    assert flash["acknowledgement"]["by"] == "Sari Wulandari", flash
    assert flash["acknowledgement"]["note"] == "technician on site", flash
    status, answer = post_json(f"{base}/api/alarms/{number}/ack", {"by": "Budi"})
    assert status == 409 and "Sari Wulandari" in answer["error"]["message"], answer


def indiana_timestamp(milliseconds):
    """The Indiana high-resolution format's time: UTC, tenths truncated."""
    moment = datetime.datetime.fromtimestamp(milliseconds // 1000, datetime.timezone.utc)
    return moment.strftime("%Y-%m-%d %H:%M:%S") + f".{milliseconds % 1000 // 100}"


@pytest.mark.skipif(chromium_binary() is None,
                    reason="chromium is not installed (scripts/install-deps.sh --peers installs it)")
def test_dashboard_charts_a_chosen_range_and_its_csv(city, tmp_path):
    """The junction view drawn for today and for a chosen day, with clock times on the axes, and its CSV links
    serving what the JSON API holds for the same range."""
    base = city.base
    wait_for_normal_city(base)
    wait_for_api(base, "/api/junctions/101/counts", lambda counts: counts["bins"], 90, "the first count bin")

    browser = Browser(base + "/#101", tmp_path / "chromium-profile", height=1400)
    try:
        browser.wait_for("document.querySelector('button.range[data-range=today]') !== null", 30, "the range bar")
        # The live view's first load drawn before the range changes: a live answer arriving after the click would
        # draw the live title over today's (central/Assets/app.js renders whichever load answers last).
        browser.wait_for("document.querySelectorAll('#chart svg.chart rect').length > 0", 30, "the live volume chart")
        browser.evaluate("document.querySelector('button.range[data-range=today]').click()")
        browser.wait_for("document.getElementById('chart-title').textContent.startsWith('Volumes, today')", 30,
                         "the volumes of today")
        browser.wait_for("document.querySelectorAll('#chart svg.chart rect').length > 0", 30, "today's volume chart")
        browser.wait_for("document.querySelectorAll('#timeline svg rect[data-aspect]').length > 3", 30, "today's timeline")
        assert browser.evaluate("document.getElementById('timeline-title').textContent").startswith("today, 00:00")
        # A chosen day: today's date typed into the day field draws the same day from midnight to midnight.
        today = browser.evaluate("localDay(new Date())")
        browser.evaluate("document.querySelector('button.range[data-range=day]').click()")
        browser.evaluate(f"(input => {{ input.value = '{today}'; input.dispatchEvent(new Event('change')); }})"
                         "(document.getElementById('range-day'))")
        browser.wait_for(f"document.getElementById('chart-title').textContent.startsWith('Volumes, {today}')", 30,
                         "the volumes of the chosen day")
        browser.wait_for("document.querySelectorAll('#chart svg.chart rect').length > 0", 30, "the day's volume chart")
        browser.wait_for("document.querySelectorAll('#timeline svg rect[data-aspect]').length > 3", 30, "the day's timeline")
        browser.wait_for("document.querySelectorAll('#events tr').length > 3", 30, "the day's event log")
        # Clock times on every time axis, and none outside its chart.
        labels = browser.evaluate("""[...document.querySelectorAll('#timeline svg > text, #chart svg.chart > text')]
            .map(text => text.textContent).filter(text => text.includes(':'))""")
        assert len(labels) >= 4 and all(re.fullmatch(r"\d\d:\d\d", label) for label in labels), labels
        assert labels_outside(browser, "#detail svg") == []
        links = browser.evaluate("({counts: document.getElementById('csv-counts').href, "
                                 "events: document.getElementById('csv-events').href})")
        ARTIFACTS.mkdir(exist_ok=True)
        time.sleep(1)
        browser.screenshot(ARTIFACTS / "dashboard-range.png")
    finally:
        browser.close()

    # The links name the chosen day; what they download is what the JSON API holds for that range. Records only
    # arrive, so the file holds at least what the API held before it and at most what it holds after.
    query = re.search(r"\?(from=\d+&to=\d+)$", links["events"]).group(1)
    assert links["counts"].endswith("counts.csv?" + query), links

    def event_rows():
        events = get_json(f"{base}/api/junctions/101/events?{query}")
        return sorted(f"101,{indiana_timestamp(e['time_milliseconds'])},{e['code']},{e['parameter']}" for e in events)

    before = event_rows()
    headers, text = get_text(links["events"])
    after = event_rows()
    assert headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in headers["Content-Disposition"]
    lines = text.splitlines()
    assert lines[0] == "SignalId,Timestamp,EventCode,EventParam"
    rows = sorted(lines[1:])
    assert len(before) > 10 and set(before) <= set(rows) <= set(after), (len(before), len(rows), len(after))
    assert any(row.split(",")[2] in ("81", "82") for row in rows), "detector on/off are part of the export"

    counts = get_json(f"{base}/api/junctions/101/counts?{query}")
    names = {d["number"]: (d["name"], d["placement"]) for d in counts["detectors"]}
    headers, text = get_text(links["counts"])
    lines = text.splitlines()
    assert lines[0].startswith("SignalId,BinStart,BinStartUnix,PeriodSeconds,Detector,DetectorName,Placement,Volume")
    csv_bins = {(int(f[2]), int(f[4])): f for f in (line.split(",") for line in lines[1:])}
    assert counts["bins"] and len(csv_bins) >= len(counts["bins"])
    for bin in counts["bins"]:
        fields = csv_bins[(bin["start"], bin["detector"])]
        assert (fields[5], fields[6]) == names[bin["detector"]], fields
        assert int(fields[7]) == bin["volume"] and int(fields[3]) == bin["period"], (fields, bin)


# The measures view's charts (central/Assets/measures.js), each a section with data-measure.
MEASURE_CHARTS = ["split", "terminations", "split-failures", "coordination", "volumes", "pedestrian"]


def measures_have_data(measures):
    """Every chart of the last 15 minutes has something to draw: three cycles of every vehicle phase of the Cirebon
    layout (8), split-failure bins, arrivals in coordination cycles, approach volumes, and a pedestrian wait."""
    return (measures["detector_map"] and len(measures["cycles"]) >= 24 and measures["split_failures"]
            and measures["coordination_arrivals"] and measures["approach_volumes"]
            and any("ped_delay_s" in row for row in measures["pedestrian"]))


# Waits up to 7 minutes for the demo's traffic to give every chart data (a pedestrian delay needs a few cycles).
@pytest.mark.timeout(600)
@pytest.mark.skipif(chromium_binary() is None,
                    reason="chromium is not installed (scripts/install-deps.sh --peers installs it)")
def test_measures_view_draws_every_chart(city, tmp_path):
    """The performance measures of a demo junction, opened from its card: every chart drawn with labelled axes,
    one screenshot per chart in artifacts/measures-NAME.png."""
    base = city.base
    wait_for_normal_city(base)
    junction = 101

    def recent(_):
        now = int(time.time()) + 1
        return get_json(f"{base}/api/junctions/{junction}/measures?from={now - 900}&to={now}&bin=1")

    # A pedestrian wait needs a press after a clearance and then a walk: a few cycles of the demo's traffic.
    deadline = time.monotonic() + 600
    measures = recent(None)
    while not measures_have_data(measures) and time.monotonic() < deadline:
        time.sleep(2)
        measures = recent(None)
    assert measures_have_data(measures), {key: len(value) for key, value in measures.items() if isinstance(value, list)}
    assert measures["notes"] == []

    browser = Browser(base + f"/#{junction}", tmp_path / "chromium-profile", height=1100)
    try:
        browser.wait_for(f"document.querySelectorAll('.card').length === {JUNCTIONS}", 30, "a card per junction")
        browser.evaluate(f"document.querySelector('.card[data-id=\"{junction}\"]').click()")
        browser.wait_for("document.getElementById('open-measures') !== null", 15, "the measures button")
        browser.evaluate("document.getElementById('open-measures').click()")
        browser.wait_for("document.querySelectorAll('#measures .measure').length === 6", 30, "the measures view")
        for chart in MEASURE_CHARTS:
            assert browser.evaluate(f"document.querySelector('#measures .measure[data-measure=\"{chart}\"] svg') !== null"), \
                (chart, browser.evaluate(f"document.querySelector('#measures .measure[data-measure=\"{chart}\"]').textContent"))
        # Units on every y-axis and UTC clock times on every x-axis.
        units = browser.evaluate("[...document.querySelectorAll('#measures svg text.unit')].map(t => t.textContent)")
        assert {"seconds", "occupancy %", "time in cycle (s)", "vehicles / 1 min", "presses / 1 min",
                "mean delay (s)"} <= set(units), units
        clocks = browser.evaluate("""[...document.querySelectorAll('#measures svg')].map(chart =>
            [...chart.querySelectorAll('text')].filter(t => /^\\d\\d:\\d\\d$/.test(t.textContent)).length)""")
        assert all(count >= 2 for count in clocks), clocks
        # The drawn data: cycles as stacked bars, termination points, arrivals over the cycle bands, the share on green.
        assert browser.evaluate("document.querySelectorAll('[data-measure=split] svg rect').length") >= 3 * len(measures["cycles"])
        # (The page asked a little later than the test: as many or more.)
        assert browser.evaluate("document.querySelectorAll('[data-measure=terminations] svg circle').length") \
            >= len(measures["cycles"])
        assert browser.evaluate("document.querySelectorAll('[data-measure=coordination] svg circle').length") \
            >= len(measures["coordination_arrivals"])
        assert "% arrivals on green" in browser.evaluate(
            "document.querySelector('[data-measure=coordination] .panel-title').textContent")
        assert labels_outside(browser, "#measures svg") == []

        ARTIFACTS.mkdir(exist_ok=True)
        for chart in MEASURE_CHARTS:
            box = browser.evaluate(f"""(section => {{ section.scrollIntoView({{block: 'start'}});
                const r = section.getBoundingClientRect();
                return {{x: r.left, y: r.top, width: r.width, height: Math.min(r.height, window.innerHeight - r.top)}};
                }})(document.querySelector('#measures .measure[data-measure="{chart}"]'))""")
            data = browser.command("Page.captureScreenshot", format="png", clip=dict(box, scale=1))["data"]
            path = ARTIFACTS / f"measures-{chart}.png"
            path.write_bytes(base64.b64decode(data))
            assert path.stat().st_size > 5_000, path
    finally:
        browser.close()
