"""`junction-bench sumo` as a tool for any network, used the way a new user would: from a directory
outside the checkout, with relative paths, on a network and junction file of their own (here the
benchmark's, copied out). `--help` lists the harness's options, `links` prints the link table,
`check` and `control` refuse a junction file that misses a pair SUMO calls foes, SUMO options pass
through, and the run length is `--seconds` from SUMO's begin.

Needs SUMO in the venv (bash bench/sumo/ensure-venv.sh) and a built junction-bench
(JUNCTION_BENCH_BIN, default .build/release/junction-bench); without SUMO the tests skip, which fails
in CI (SystemTests/conftest.py).
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import tomllib

import pytest

from sumo_bench import BENCH, BINARY, ROOT, sumo_home  # also puts bench/sumo on the import path


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """A directory outside the checkout with the network, its loops, 90 s of demand and the junction file."""
    import demand
    import network

    os.environ["SUMO_HOME"] = sumo_home()
    directory = tmp_path_factory.mktemp("sumo-tool")
    assert ROOT not in directory.parents
    network.build(directory)
    demand.write_routes("medium", directory / "routes.rou.xml", duration_s=90)
    shutil.copy(BENCH / "junction.toml", directory / "junction.toml")
    return directory


def sumo(directory, *arguments, env=None, timeout=240):
    return subprocess.run([BINARY, "sumo", *arguments], cwd=directory, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


def test_help_lists_the_harness_options(workdir):
    # JUNCTIOND_SUMO_PYTHON names the python to use instead of the checkout's .venv.
    control = sumo(workdir, "control", "--help", env={"JUNCTIOND_SUMO_PYTHON": sys.executable})
    assert control.returncode == 0, control.stderr
    for option in ("--net", "--routes", "--additional", "--config", "--strategy", "--plan", "--seconds", "--seed",
                   "--sublane", "--status-every", "--out", "--sumo-arg"):
        assert option in control.stdout, f"{option} missing from control --help:\n{control.stdout}"
    assert "--peer" not in control.stdout, "the harness's internal --peer is shown"
    bench = sumo(workdir, "bench", "--help")
    assert bench.returncode == 0, bench.stderr
    for option in ("--scenarios", "--controllers", "--config", "--out", "--jobs"):
        assert option in bench.stdout, f"{option} missing from bench --help:\n{bench.stdout}"
    corridor = sumo(workdir, "corridor", "--help")
    assert corridor.returncode == 0, corridor.stderr
    for option in ("--layout", "--scenarios", "--controllers", "--seconds", "--drain", "--loss", "--delay", "--silent",
                   "--seeds", "--out", "--jobs"):
        assert option in corridor.stdout, f"{option} missing from corridor --help:\n{corridor.stdout}"
    assert "--peer" not in corridor.stdout, "the corridor harness's internal --peer is shown"


def test_links_prints_the_link_table(workdir):
    result = sumo(workdir, "links", "--net", "junction.net.xml", "--tls", "C")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["index", "from", "lane", "to", "lane", "dir", "foes"]
    rows = {int(line.split()[0]): line.split()[1:] for line in lines[1:]}
    assert sorted(rows) == list(range(16))
    # Link 9: north approach, kerb lane, straight on; SUMO calls the east approach's left turn (4) its foe.
    source, target, direction, foes = rows[9]
    assert (source, target, direction) == ("N_in_0", "S_out_0", "s")
    assert "4" in foes.split(",")
    listing = sumo(workdir, "links", "--net", "junction.net.xml")
    assert listing.stdout.split() == ["C", "16", "links"], listing.stdout


def test_a_gzipped_network_is_read_as_sumo_reads_it(workdir):
    # The check that a file is a SUMO network looks at its root element; sumolib and SUMO read gzipped
    # networks, and so must that check.
    import gzip
    with gzip.open(workdir / "junction.net.xml.gz", "wb") as packed:
        packed.write((workdir / "junction.net.xml").read_bytes())
    result = sumo(workdir, "links", "--net", "junction.net.xml.gz", "--tls", "C")
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 17, result.stdout


def test_links_names_a_light_that_controls_no_connection(workdir):
    # SUMO loads a tlLogic without connections; links says it has none instead of a traceback.
    text = (workdir / "junction.net.xml").read_text()
    at = text.index("<tlLogic")
    ghost = '<tlLogic id="ghost" type="static" programID="0" offset="0"><phase duration="30" state="GGrr"/></tlLogic>\n'
    (workdir / "ghost.net.xml").write_text(text[:at] + ghost + text[at:])
    listing = sumo(workdir, "links", "--net", "ghost.net.xml")
    assert listing.returncode == 0 and "Traceback" not in listing.stderr, listing.stderr
    assert listing.stdout.splitlines() == ["C  16 links", "ghost  0 links"], listing.stdout
    table = sumo(workdir, "links", "--net", "ghost.net.xml", "--tls", "ghost")
    assert table.returncode == 0 and "Traceback" not in table.stderr, table.stderr
    assert table.stdout.startswith("ghost: no links"), table.stdout


def test_check_and_control_refuse_a_missing_conflict(workdir):
    good = (workdir / "junction.toml").read_text()
    bad = good.replace('N = ["E", "ER", "W", "WR", "SR"]', 'N = ["ER", "W", "WR", "SR"]', 1)
    bad = bad.replace('E = ["N", "NR", "S", "SR", "WR"]', 'E = ["NR", "S", "SR", "WR"]', 1)
    bad = bad.replace("N = { E = 5.0, ER = 5.0", "N = { ER = 5.0", 1)
    bad = bad.replace("E = { N = 5.0, NR = 5.0", "E = { NR = 5.0", 1)
    assert bad.count('"E"') == good.count('"E"') - 1 and bad.count('"N"') == good.count('"N"') - 1
    (workdir / "missing.toml").write_text(bad)

    assert sumo(workdir, "check", "--net", "junction.net.xml", "--config", "junction.toml").returncode == 0
    check = sumo(workdir, "check", "--net", "junction.net.xml", "--config", "missing.toml")
    assert check.returncode == 1
    assert "groups E and N do not conflict" in check.stdout, check.stdout

    control = sumo(workdir, "control", "--net", "junction.net.xml", "--routes", "routes.rou.xml",
                   "--additional", "loops.add.xml", "--config", "missing.toml", "--seconds", "30", "--out", "refused")
    assert control.returncode == 2, control.stdout + control.stderr
    assert "refusing to run" in control.stderr and "groups E and N do not conflict" in control.stderr, control.stderr
    assert not (workdir / "refused").exists(), "SUMO ran although the file misses a conflict"


@pytest.mark.parametrize("name, content, message", [
    ("missing.net.xml", None, "missing.net.xml: no such SUMO network"),
    ("text.net.xml", "not a network\n", "text.net.xml: not a SUMO network: "),
    ("cut.net.xml", "<net version=\"1.20\"><edge id=", "cut.net.xml: not a SUMO network: "),
    ("bare.net.xml", "<net/>\n", "bare.net.xml: not a SUMO network sumolib can read"),
    ("other.xml", "<a><b/></a>\n", "other.xml: not a SUMO network: its root element is <a>, not <net>"),
    ("trips.xml", '<routes><trip id="t" depart="0" from="N_up" to="S_out"/></routes>\n',
     "trips.xml: not a SUMO network: its root element is <routes>, not <net>"),
    ("encoding.net.xml", '<?xml version="1.0" encoding="no-such-encoding"?>\n<net/>\n',
     "encoding.net.xml: not a SUMO network: unknown encoding"),
    ("folder.net.xml", "directory", "folder.net.xml: not a regular file"),
])
def test_a_network_that_cannot_be_read_is_named_without_a_traceback(workdir, name, content, message):
    if content == "directory":
        (workdir / name).mkdir(exist_ok=True)
    elif content is not None:
        (workdir / name).write_text(content)
    for mode in ("check", "links"):
        arguments = ["--net", name] + (["--config", "junction.toml"] if mode == "check" else [])
        result = sumo(workdir, mode, *arguments)
        assert result.returncode == 2, result.stdout + result.stderr
        assert "Traceback" not in result.stderr, result.stderr
        assert f"junction-bench sumo {mode}: {message}" in result.stderr, result.stderr


def test_a_junction_file_junctiond_refuses_is_refused_with_its_loaders_report(workdir):
    good = (workdir / "junction.toml").read_text()
    cases = {
        "long-min.toml": (good.replace("min_green = 8\n", "min_green = 80\n", 1), "longer than max_green"),
        "unknown-key.toml": (good.replace("[sumo]\n", "[sumo]\nbogus = 1\n", 1), 'unknown key "bogus"'),
        "no-sumo.toml": (good[:good.index("\n[sumo]\n")], "no [sumo] section"),
        "not-toml.toml": ("this is not = = toml\n", "not-toml.toml: line 1"),
        "link-twice.toml": (good.replace("NR = [11]\n", "NR = [10]\n", 1), "link 10 is already driven by group N"),
    }
    assert all(text != good for text, _ in cases.values())
    for name, (text, message) in cases.items():
        (workdir / name).write_text(text)
        for mode in ("check", "control"):
            extra = ["--routes", "routes.rou.xml", "--out", f"refused-{name}"] if mode == "control" else []
            result = sumo(workdir, mode, "--net", "junction.net.xml", "--config", name, *extra)
            assert result.returncode == 2, f"{mode} {name}: " + result.stdout + result.stderr
            assert "Traceback" not in result.stderr and message in result.stderr, f"{mode} {name}: {result.stderr}"
            assert not (workdir / f"refused-{name}").exists(), f"SUMO ran {name}"
            # One problem, one report: the group whose only link was refused is not also said to have none.
            assert "drives no SUMO link" not in result.stderr, result.stderr


@pytest.mark.parametrize("mapped", [True, False], ids=["mapped", "links-and-loops-missing"])
def test_a_ring_barrier_file_is_refused_with_advice_that_holds(workdir, mapped):
    """A [nema] file junctiond accepts was refused as "not a junction file with [[groups]]", sending the user to
    `junctiond --check-config`, which calls the file valid. One with its [sumo] links and loops still to
    write was refused first for those, and only once they were all written for being a [nema] file."""
    text = (ROOT / "hardware/junctions/nema-8phase.toml").read_text()
    detectors = [d["name"] for d in tomllib.loads(text)["detectors"]]
    text += '\n[sumo]\ntls = "C"\n'
    if mapped:
        text += ("[sumo.links]\n" + "".join(f"P{n} = [{n - 1}]\n" for n in range(1, 9))
                 + "[sumo.loops]\n" + "".join(f'{d} = "{d}_loop"\n' for d in detectors))
    (workdir / "nema.toml").write_text(text)
    for mode in ("check", "control"):
        extra = ["--routes", "routes.rou.xml", "--out", "refused-nema"] if mode == "control" else []
        result = sumo(workdir, mode, "--net", "junction.net.xml", "--config", "nema.toml", *extra)
        assert "reads no SUMO loop" not in result.stderr and "drives no SUMO link" not in result.stderr, result.stderr
        assert result.returncode == 2, f"{mode}: " + result.stdout + result.stderr
        assert "[nema] ring-barrier file" in result.stderr and "[[groups]]" in result.stderr, result.stderr
        assert "--check-config names" not in result.stderr and "Traceback" not in result.stderr, result.stderr
        assert not (workdir / "refused-nema").exists()


def test_control_refuses_a_run_of_no_length(workdir):
    for seconds in ("-5", "0", "inf"):
        result = sumo(workdir, "control", "--net", "junction.net.xml", "--routes", "routes.rou.xml",
                      "--config", "junction.toml", "--seconds", seconds, "--out", "no-length")
        assert result.returncode == 2, result.stdout + result.stderr
        assert "--seconds" in result.stderr and "more than 0 s" in result.stderr, result.stderr
        assert not (workdir / "no-length").exists()


@pytest.mark.parametrize("kind, name, old, new", [
    ("group", "W R", ('"WR"', "\nWR = ", ", WR = "), ('"W R"', '\n"W R" = ', ', "W R" = ')),
    ("detector", "N stop_0", ('name = "N_stop_0"', '\nN_stop_0 = "N_stop_0"'),
     ('name = "N stop_0"', '\n"N stop_0" = "N_stop_0"')),
    ("induction loop", "N stop_0", ('N_stop_0 = "N_stop_0"',), ('N_stop_0 = "N stop_0"',)),
])
def test_a_name_with_whitespace_is_refused_before_sumo_starts(workdir, kind, name, old, new):
    # The lockstep protocol separates names by spaces: detector "N stop_0" would be read as loop N.
    text = (workdir / "junction.toml").read_text()
    for before, after in zip(old, new):
        assert before in text
        text = text.replace(before, after)
    path = f"spaced-{kind.replace(' ', '-')}.toml"
    (workdir / path).write_text(text)
    for mode in ("check", "control"):
        extra = ["--routes", "routes.rou.xml", "--additional", "loops.add.xml", "--seconds", "5",
                 "--out", f"refused-{path}"] if mode == "control" else []
        result = sumo(workdir, mode, "--net", "junction.net.xml", "--config", path, *extra)
        assert result.returncode == 2, f"{mode}: " + result.stdout + result.stderr
        assert f"{kind} {name!r}" in result.stderr, f"{mode}: {result.stderr}"
        assert "whitespace cannot cross the lockstep protocol" in result.stderr, f"{mode}: {result.stderr}"
        assert not (workdir / f"refused-{path}").exists(), f"SUMO ran {path}"


def test_control_refuses_a_run_shorter_than_one_step(workdir):
    for seconds in ("0.04", "1e-300"):
        result = sumo(workdir, "control", "--net", "junction.net.xml", "--routes", "routes.rou.xml",
                      "--additional", "loops.add.xml", "--config", "junction.toml", "--seconds", seconds,
                      "--out", "too-short")
        assert result.returncode == 2, result.stdout + result.stderr
        assert "--seconds" in result.stderr and "at least one 0.1 s step" in result.stderr, result.stderr
        assert not (workdir / "too-short").exists()


def test_control_refuses_a_status_interval_it_cannot_keep(workdir):
    for every in ("0.05", "0", "-1", "inf", "nan"):
        result = sumo(workdir, "control", "--net", "junction.net.xml", "--routes", "routes.rou.xml",
                      "--additional", "loops.add.xml", "--config", "junction.toml", "--seconds", "1",
                      "--status-every", every, "--out", "bad-status")
        assert result.returncode == 2, result.stdout + result.stderr
        assert "--status-every" in result.stderr and "0.1 s or more" in result.stderr, result.stderr
        assert "Traceback" not in result.stderr, result.stderr
        assert not (workdir / "bad-status").exists()


@pytest.mark.parametrize("option, value, message", [
    ("--seeds", "abc", "whole number"), ("--seeds", "", "whole number"), ("--seeds", "99999999999999999999", "from 0 to"),
    ("--seeds", "1,1", "twice"), ("--jobs", "0", "at least one"), ("--seconds", "0", "more than 0 s"),
    ("--seconds", "nan", "more than 0 s"), ("--drain", "-1", "0 s or more"), ("--loss", "2", "from 0 to 1"),
    ("--delay", "-0.1", "0 s or more"),
])
def test_corridor_refuses_a_value_it_cannot_use_before_building_anything(workdir, option, value, message):
    result = sumo(workdir, "corridor", "--layout", "smoke", option, value, "--out", "refused")
    assert result.returncode == 2, result.stdout + result.stderr
    assert option in result.stderr and message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert not (workdir / "refused").exists()


def test_corridor_names_an_out_where_no_directory_can_be_made(workdir):
    (workdir / "a-file").write_text("")
    for out in ("a-file", "/proc/nope"):
        result = sumo(workdir, "corridor", "--layout", "smoke", "--out", out)
        assert result.returncode == 2, result.stdout + result.stderr
        assert f"--out {out}: cannot make the results directory" in result.stderr, result.stderr
        assert "Traceback" not in result.stderr, result.stderr


def harness_group_alive(out):
    """Processes whose command line names the run's results directory: the harness, its workers, SUMO."""
    listing = subprocess.run(["ps", "-ww", "-eo", "pid,args"], capture_output=True, text=True, check=True).stdout
    return [line for line in listing.splitlines() if str(out) in line and "ps -eo" not in line]


def wait_for(condition, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


@pytest.mark.parametrize("ending", ["SIGTERM", "SIGINT", "SIGKILL"])
def test_stopping_junction_bench_stops_every_process_of_its_run(workdir, ending):
    out = workdir / f"stopped-{ending}"
    bench = subprocess.Popen([BINARY, "sumo", "corridor", "--layout", "smoke", "--scenarios", "peak", "--jobs", "2",
                              "--out", str(out)], cwd=workdir, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        # Running once both parallel workers are up beside junction-bench and the harness (SUMO runs inside them,
        # through libsumo).
        assert wait_for(lambda: len(harness_group_alive(out)) >= 4, 120), harness_group_alive(out)
        bench.send_signal(getattr(signal, ending))
        bench.wait(timeout=60)
        assert wait_for(lambda: not harness_group_alive(out), 30), harness_group_alive(out)
    finally:
        if bench.poll() is None:
            bench.kill()
        bench.stderr.close()


def test_control_runs_from_another_directory_with_sumo_options(workdir):
    # --sumo-arg and everything after -- go to SUMO; --seconds counts from SUMO's begin.
    result = sumo(workdir, "control", "--net", "junction.net.xml", "--routes", "routes.rou.xml",
                  "--additional", "loops.add.xml", "--config", "junction.toml", "--seconds", "60", "--out", "run",
                  "--sumo-arg=--begin=30", "--", "--summary-output", "summary.xml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "through libsumo" in result.stdout, "requirements.txt installs libsumo: the socket fallback was used"
    assert "fault=none" in result.stdout and "independent safety check: 0 findings" in result.stdout, result.stdout
    assert "max queue" in result.stdout
    assert (workdir / "summary.xml").exists(), "the option after -- did not reach SUMO"
    states = (workdir / "run" / "states.csv").read_text().splitlines()
    assert float(states[1].split(",")[0]) == 30.0, states[:3]
    assert "ticks=600 " in result.stdout, result.stdout  # 60 s of 0.1 s steps, from 30 s on


def test_check_notes_a_link_no_group_drives(workdir):
    """A link left out of [sumo.links] stays red all run: safe, so not refused, but named."""
    text = (workdir / "junction.toml").read_text()
    assert "\nW = [12, 13, 14]\n" in text
    (workdir / "undriven.toml").write_text(text.replace("\nW = [12, 13, 14]\n", "\nW = [12, 13]\n"))
    result = sumo(workdir, "check", "--net", "junction.net.xml", "--config", "undriven.toml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "note: no group drives link 14 (" in result.stdout and "red all run" in result.stdout, result.stdout
    whole = sumo(workdir, "check", "--net", "junction.net.xml", "--config", "junction.toml")
    assert whole.returncode == 0 and "note:" not in whole.stdout, whole.stdout


def test_control_notes_a_loop_on_no_approach_of_the_light(workdir):
    """A loop placed on an exit lane (or another junction's) was read without a word; its counts are not of the
    traffic the light serves, so the run names it."""
    loops = (workdir / "loops.add.xml").read_text()
    moved = re.sub(r'(<inductionLoop id="N_stop_0" lane=)"[^"]*" pos="[^"]*"', r'\1"N_out_0" pos="10.0"', loops)
    assert moved != loops
    (workdir / "moved-loop.add.xml").write_text(moved)
    result = sumo(workdir, "control", "--net", "junction.net.xml", "--routes", "routes.rou.xml",
                  "--additional", "moved-loop.add.xml", "--config", "junction.toml", "--seconds", "20", "--out", "moved")
    assert result.returncode == 0, result.stdout + result.stderr
    notes = [line for line in result.stdout.splitlines() if line.startswith("note: ")]
    assert len(notes) == 1 and "loop N_stop_0 is on lane N_out_0" in notes[0], result.stdout


def test_a_junction_without_detectors_runs_on_recall(workdir):
    """A junction file with no loops (every group on minimum recall) is valid to junctiond; the lockstep peer
    refused its first step as 'unknown command "s"', because a step of no detectors has empty fields."""
    text = (workdir / "junction.toml").read_text()
    head, rest = text.split("[[detectors]]", 1)
    plans_and_sumo = rest[rest.index("# Fixed-time plan"):].split("[sumo.loops]")[0]
    recall = re.sub(r'(kind = "(?:vehicle|turn_arrow)"\n)', r'\1recall = "minimum"\n', head + plans_and_sumo)
    (workdir / "no-loops.toml").write_text(recall + "[sumo.loops]\n")
    result = sumo(workdir, "control", "--net", "junction.net.xml", "--routes", "routes.rou.xml",
                  "--config", "no-loops.toml", "--seconds", "60", "--out", "no-loops")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "fault=none" in result.stdout and "independent safety check: 0 findings" in result.stdout, result.stdout
    assert "ticks=600 " in result.stdout, result.stdout


def test_a_run_cut_short_counts_every_vehicle_due_and_only_those(workdir):
    """With --seconds, "completed X/Y" counted as offered every vehicle SUMO had read ahead (not yet due), and the
    delays left out the vehicles still waiting to enter. Now Y is the vehicles whose departure came during the run,
    and each of them is in the delays: arrived, still driving, or still waiting to enter."""
    result = sumo(workdir, "control", "--net", "junction.net.xml", "--routes", "routes.rou.xml",
                  "--additional", "loops.add.xml", "--config", "junction.toml", "--seconds", "30", "--out", "cut")
    assert result.returncode == 0, result.stdout + result.stderr
    departures = [float(d) for d in re.findall(r'<vehicle [^>]*depart="([0-9.]+)"', (workdir / "routes.rou.xml").read_text())]
    match = re.search(r"completed (\d+)/(\d+)", result.stdout)
    assert match, result.stdout
    offered = int(match.group(2))
    assert sum(d < 29.95 for d in departures) <= offered <= sum(d < 30.05 for d in departures), (offered, result.stdout)
    assert offered < len(departures)
    recorded = (workdir / "cut" / "tripinfo.xml").read_text().count("<tripinfo ")
    assert recorded == offered, (recorded, offered)


def test_control_refuses_a_sumo_option_the_harness_owns(workdir):
    result = sumo(workdir, "control", "--net", "junction.net.xml", "--routes", "routes.rou.xml",
                  "--config", "junction.toml", "--sumo-arg=--step-length=1")
    assert result.returncode == 2
    assert "--step-length cannot be passed through" in result.stderr, result.stderr


@pytest.mark.parametrize("arguments, option", [(["--sumo-arg=--remote-port=9999"], "--remote-port"),
                                               (["--", "--num-clients", "2"], "--num-clients")])
def test_control_refuses_a_traci_server_sumo_would_wait_on(workdir, arguments, option):
    # Refused at once; passed on, SUMO would wait for a TraCI client forever.
    result = sumo(workdir, "control", "--net", "junction.net.xml", "--routes", "routes.rou.xml", "--additional",
                  "loops.add.xml", "--config", "junction.toml", "--seconds", "5", "--out", "traci-server", *arguments,
                  timeout=90)
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"{option} cannot be passed through" in result.stderr, result.stderr
    assert "wait forever" in result.stderr, result.stderr


@pytest.mark.parametrize("arguments, option", [(["--", "--help"], "--help"), (["--", "-?"], "--help"),
                                               (["--sumo-arg=--version"], "--version"),
                                               (["--", "-C", "saved.sumocfg"], "--save-configuration"),
                                               (["--", "--save-template=t.xml"], "--save-template"),
                                               (["--", "--save-schema", "s.xsd"], "--save-schema")])
def test_control_refuses_sumos_help_and_version(workdir, arguments, option):
    """`-- --help` let SUMO print its help and exit, and the run then failed with a misleading step-length
    error; so did the options that save SUMO's configuration, template or schema instead of simulating."""
    result = sumo(workdir, "control", "--net", "junction.net.xml", "--routes", "routes.rou.xml",
                  "--config", "junction.toml", "--seconds", "5", "--out", "sumo-help", *arguments, timeout=90)
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"{option} cannot be passed through" in result.stderr and "run `sumo " in result.stderr, result.stderr
    assert "step" not in result.stderr, result.stderr


def test_max_queue_approaches_come_from_the_network(workdir):
    import network

    assert network.approaches(workdir / "junction.net.xml") == {
        f"{arm}_in": {f"{arm}_in", f"{arm}_up"} for arm in network.ARMS}


def test_foes_follow_the_connections_whatever_the_lights_link_order(workdir):
    """SUMO keeps foes in each junction's request order, which a light's link indices need not follow:
    with the light's indices reversed, the same pairs of connections are foes."""
    import re

    import network
    import safety_check

    text = (workdir / "junction.net.xml").read_text()
    reversed_text, count = re.subn(r'tl="C" linkIndex="(\d+)"', lambda m: f'tl="C" linkIndex="{15 - int(m[1])}"', text)
    assert count == 16
    (workdir / "reversed.net.xml").write_text(reversed_text)

    def foe_connections(net):
        lanes = {index: (source, target) for index, source, target, _ in network.link_table(net, "C")}
        return {frozenset((lanes[i], lanes[j])) for i, j in safety_check.link_foes(net, "C")}

    original = foe_connections(workdir / "junction.net.xml")
    assert len(original) > 40
    assert foe_connections(workdir / "reversed.net.xml") == original


def netconvert_t(directory, light="C", crossing=""):
    """A left-hand T junction (arms W, E, S, sidewalks) built from plain XML in `directory` as t.net.xml:
    `light` is the junction's id and traffic light (none when empty); `crossing`, connection-file lines."""
    import network

    kind = 'type="traffic_light"' if light else 'type="priority"'
    centre = light or "C"
    (directory / "t.nod.xml").write_text(f"""<nodes>
  <node id="{centre}" x="0" y="0" {kind}/>
  <node id="W" x="-200" y="0"/> <node id="E" x="200" y="0"/> <node id="S" x="0" y="-200"/>
</nodes>""")
    edges = "".join(f'<edge id="{a}_in" from="{a}" to="{centre}" numLanes="1" speed="13.9" sidewalkWidth="2"/>'
                    f'<edge id="{a}_out" from="{centre}" to="{a}" numLanes="1" speed="13.9" sidewalkWidth="2"/>'
                    for a in "WES")
    (directory / "t.edg.xml").write_text(f"<edges>{edges}</edges>")
    (directory / "t.con.xml").write_text(f"<connections>{crossing}</connections>")
    subprocess.run([network.tool("netconvert"), "--lefthand", "--node-files", "t.nod.xml", "--edge-files", "t.edg.xml",
                    "--connection-files", "t.con.xml", "--output-file", "t.net.xml", "--no-turnarounds", "--no-warnings"],
                   cwd=directory, check=True, capture_output=True)


def test_a_crossings_second_signal_has_the_crossings_foes(tmp_path):
    """A crossing given a second signal (`linkIndex2`, for the pedestrians starting at its far end)
    carries it on the link leaving the crossing, which has no request of its own in SUMO's junction
    logic. Once it had no foes, so a pedestrian group on it passed `check`, `control` and the safety
    check while it walked across green traffic: it has the crossing's foes."""
    netconvert_t(tmp_path, crossing='<crossing node="C" edges="E_in E_out" priority="true" linkIndex="6" linkIndex2="7"/>')
    result = sumo(tmp_path, "links", "--net", "t.net.xml", "--tls", "C", timeout=60)
    assert result.returncode == 0, result.stderr
    rows = {int(fields[0]): fields for line in result.stdout.splitlines()[1:] if (fields := line.split())[0].isdigit()}
    assert rows[7][1].startswith(":C_c") and rows[6][2] == rows[7][1], result.stdout  # 7 leaves the crossing 6 enters
    assert f"{rows[7][1][:-2]} crosses E_out E_in" in result.stdout, result.stdout
    assert rows[6][4] != "-" and rows[7][4] == rows[6][4], result.stdout
    for foe in map(int, rows[7][4].split(",")):
        assert "7" in rows[foe][4].split(","), result.stdout


def test_links_says_a_network_without_traffic_lights_has_none(tmp_path):
    """It printed nothing and exited 0, as if the file were empty."""
    netconvert_t(tmp_path, light="")
    result = sumo(tmp_path, "links", "--net", "t.net.xml", timeout=60)
    assert result.returncode == 1 and "t.net.xml has no traffic lights" in result.stderr, result.stdout + result.stderr


def test_an_approach_ends_at_the_lights_own_exit(tmp_path):
    """On a one-way loop road (in1 -> C -> out1 -> B -> D -> in1) the upstream walk from in1 went on
    through the light's own exit, so a queue leaving the light counted as one waiting for it."""
    import network

    (tmp_path / "r.nod.xml").write_text("""<nodes><node id="C" x="0" y="0" type="traffic_light"/>
  <node id="N" x="0" y="200"/> <node id="B" x="200" y="0"/> <node id="D" x="200" y="-200"/> <node id="A" x="-200" y="0"/>
</nodes>""")
    (tmp_path / "r.edg.xml").write_text("""<edges>
  <edge id="N_in" from="N" to="C"/> <edge id="in1" from="A" to="C"/> <edge id="out1" from="C" to="B"/>
  <edge id="back1" from="B" to="D"/> <edge id="back2" from="D" to="A"/>
</edges>""")
    subprocess.run([network.tool("netconvert"), "--lefthand", "--node-files", "r.nod.xml", "--edge-files", "r.edg.xml",
                    "--output-file", "r.net.xml", "--no-turnarounds", "--no-warnings"],
                   cwd=tmp_path, check=True, capture_output=True)
    assert network.approaches(tmp_path / "r.net.xml") == {"N_in": {"N_in"}, "in1": {"in1", "back2", "back1"}}


def test_an_undeparted_vehicle_due_at_the_last_instant_is_not_counted(tmp_path):
    """A vehicle due exactly as a cut-short run ends is written by SUMO with no delay but left out of its
    statistics: it pulled the mean delay down and made the delays one more than "completed X/Y" offered."""
    import metrics

    trip = ('<tripinfo id="{}" depart="{}" departDelay="{}" arrival="{}" timeLoss="{}" waitingTime="0"/>')
    (tmp_path / "tripinfo.xml").write_text("<tripinfos>" + "".join([
        trip.format("arrived", "1.0", "0.5", "30.0", "9.5"), trip.format("waiting", "-1", "20.0", "-1", "0"),
        trip.format("due-now", "-1", "0.00", "-1", "0")]) + "</tripinfos>")
    (tmp_path / "statistics.xml").write_text('<statistics><vehicles inserted="1" waiting="1"/></statistics>')
    figures = metrics.run_figures(tmp_path)
    assert (figures["recorded"], figures["offered"], figures["mean_delay"]) == (2, 2, 15.0), figures


def test_control_names_what_is_wrong_with_a_file_or_option_before_sumo_starts(workdir):
    """An unknown --plan was found only after SUMO had started, and said with the peer's usage text; a missing
    --additional file gave SUMO's line and "Process Error"."""
    base = ["control", "--net", "junction.net.xml", "--routes", "routes.rou.xml", "--config", "junction.toml",
            "--seconds", "5", "--out", "refused-early"]
    for extra, said in [(["--plan", "nope"], "--plan nope: junction.toml has no such plan (its [[plans]]: "),
                        (["--additional", "loops.add.xml,nope.add.xml"], "nope.add.xml: no such additional file")]:
        result = sumo(workdir, *base, *extra, timeout=60)
        assert result.returncode == 2 and said in result.stderr, result.stdout + result.stderr
        assert "through libsumo" not in result.stdout and "Usage" not in result.stderr, result.stdout + result.stderr
        assert not (workdir / "refused-early").exists()


@pytest.mark.parametrize("kind", ["misspelt", "lane-area"])
def test_a_loop_not_in_the_simulation_is_named_for_what_it_is(workdir, kind):
    """Both were "not in the simulation (add it with --additional)", although --additional was given, and
    an E2 detector of that id was in the simulation."""
    loops = (workdir / "loops.add.xml").read_text()
    if kind == "misspelt":
        changed = loops.replace('id="N_stop_0"', 'id="N_stopp_0"')
        said = "no induction loop N_stop_0 in the network and e.add.xml: 24 loops are defined; did you mean N_stopp_0"
    else:
        changed = loops.replace('<inductionLoop id="N_stop_0"', '<laneAreaDetector id="N_stop_0" length="20"')
        said = "N_stop_0 is a lane-area detector (E2); junctiond's detectors read induction loops (E1)"
    (workdir / "e.add.xml").write_text(changed)
    result = sumo(workdir, "control", "--net", "junction.net.xml", "--routes", "routes.rou.xml", "--additional",
                  "e.add.xml", "--config", "junction.toml", "--seconds", "5", "--out", f"loop-{kind}", timeout=60)
    assert result.returncode == 2 and said in result.stderr, result.stdout + result.stderr


def test_control_notes_a_loop_on_another_groups_lane_and_says_how_long_it_ran(workdir):
    """Two arms' loops swapped were read without a word (delay rose by half). And with SUMO's --end before
    --seconds the run ended early while the output still spoke of --seconds."""
    loops = (workdir / "loops.add.xml").read_text()
    moved = re.sub(r'(<inductionLoop id="N_stop_0" lane=)"N_in_0"', r'\1"E_in_0"', loops)
    assert moved != loops
    (workdir / "swapped.add.xml").write_text(moved)
    result = sumo(workdir, "control", "--net", "junction.net.xml", "--routes", "routes.rou.xml", "--additional",
                  "swapped.add.xml", "--config", "junction.toml", "--seconds", "20", "--out", "swapped", "--",
                  "--end", "12")
    assert result.returncode == 0, result.stdout + result.stderr
    notes = [line for line in result.stdout.splitlines() if line.startswith("note: ")]
    assert notes == ["note: detector N_stop_0's loop N_stop_0 is on lane E_in_0, whose traffic takes links of E, "
                     "not of N (the groups it calls or extends)"], result.stdout
    assert "ran 12.0 s of simulated time" in result.stdout and "every vehicle of the network" in result.stdout
    assert "(longest lane, along an approach of C)" in result.stdout, result.stdout


def test_push_button_loops_where_people_wait_get_no_note(tmp_path, capsys):
    """A loop for people on a walking area or a sidewalk was noted as "on no approach" or as on another
    group's lane (a sidewalk fell back to its road's links); such a place is no approach, nor can a note
    tell it from one. A vehicle loop on another group's lane is still noted."""
    import harness
    import network

    netconvert_t(tmp_path, crossing='<crossing node="C" edges="E_in E_out" priority="true" linkIndex="6" linkIndex2="7"/>')
    rows = network.link_table(tmp_path / "t.net.xml", "C")
    walking = [source for _, source, _, _ in rows if source.startswith(":C_w")]
    loops = "".join(f'<inductionLoop id="button{n}" lane="{lane}" pos="1" period="60" file="NUL" detectPersons="walk"/>'
                    for n, lane in enumerate(walking))
    loops += ('<inductionLoop id="side" lane="E_in_0" pos="-2" period="60" file="NUL" detectPersons="walk"/>'
              '<inductionLoop id="veh" lane="W_in_1" pos="-2" period="60" file="NUL"/>')
    (tmp_path / "t.add.xml").write_text(f"<additional>{loops}</additional>")

    class Peer:
        tls = "C"
        groups = [("S", [0, 1]), ("E", [2, 3]), ("W", [4, 5]), ("P", [6, 7])]
        detectors = [(f"b{n}", f"button{n}") for n in range(len(walking))] + [("s", "side"), ("v", "veh")]

    groups = {f"b{n}": ["P"] for n in range(len(walking))} | {"s": ["P"], "v": ["E"]}
    os.environ["SUMO_HOME"] = sumo_home()
    harness.traci.start([network.tool("sumo"), "-n", str(tmp_path / "t.net.xml"), "-a", str(tmp_path / "t.add.xml"),
                         "--no-step-log"])
    try:
        harness.note_loops_off_the_approaches(tmp_path / "t.net.xml", Peer, groups)
    finally:
        harness.traci.close()
    notes = [line for line in capsys.readouterr().out.splitlines() if line.startswith("note: ")]
    assert len(walking) >= 1 and notes == ["note: detector v's loop veh is on lane W_in_1, whose traffic takes links "
                                           "of W, not of E (the groups it calls or extends)"], notes

