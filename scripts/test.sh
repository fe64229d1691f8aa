#!/usr/bin/env bash
# The README's second command: runs the whole junctiond test suite — unit and property tests, the
# long safety property run and the mutation check in release, the systemd unit and Debian package
# checks, the system tests of the built daemon against real peers (pymodbus over TCP and a pty,
# gpio-sim in a QEMU guest, the diagnostic socket with real users, snmpd, SUMO in the loop), the
# upstream link's loss, outage and crash tests, junction-central and its dashboard in Chromium, and
# bounded fuzzing.
#
# Each stage prints its wall time; artifacts/ keeps the logs.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --peers
mkdir -p artifacts

# Simulated hours for the release-mode safety properties (the issue asks for at least 1000).
HOURS="${JUNCTIOND_PROPERTY_HOURS:-1000}"
PYTEST=(.venv/bin/python -m pytest -v --durations=5)

stage_started=0
stage() {
    if ((stage_started)); then echo "   ($(($(date +%s) - stage_started)) s)"; fi
    stage_started=$(date +%s)
    echo "== $*"
}

stage "unit and property tests (debug, short property run)"
JUNCTIOND_PROPERTY_HOURS=10 swift test 2>&1 | tee artifacts/unit-tests.log

stage "safety properties and mutation check (release, ${HOURS} simulated hours)"
JUNCTIOND_PROPERTY_HOURS="$HOURS" swift test -c release \
    --filter "SafetyPropertyTests|MutationTests|StarvationRegressionTests" 2>&1 | tee artifacts/property-tests.log

stage "systemd unit"
bash tests/system/check_systemd_unit.sh

# One release build serves every system test, the QEMU guest and the package: the Swift runtime is
# linked in statically, as on a board, so the guest needs only the C libraries beside it.
stage "release build (static Swift runtime)"
for product in junctiond junctionctl junction-bench; do
    swift build -c release --static-swift-stdlib --product "$product"
done
export JUNCTIOND_BIN="$PWD/.build/release/junctiond"
export JUNCTIONCTL_BIN="$PWD/.build/release/junctionctl"

stage "daemon: systemd notify, watchdog, reload, safe stop"
"${PYTEST[@]}" tests/system/test_daemon.py 2>&1 | tee artifacts/system-tests.log

stage "Debian package: build, install, check-config, purge"
bash tests/system/check_deb.sh 2>&1 | tee artifacts/deb.log

stage "Modbus TCP and RTU against pymodbus"
"${PYTEST[@]}" tests/system/test_modbus.py 2>&1 | tee artifacts/modbus-tests.log

stage "diagnostic socket and junctionctl"
"${PYTEST[@]}" tests/system/test_junctionctl.py 2>&1 | tee artifacts/junctionctl-tests.log

stage "NTCIP 1202 over SNMPv3: AgentX subagent behind Debian's snmpd"
"${PYTEST[@]}" tests/system/test_snmp.py 2>&1 | tee artifacts/snmp-tests.log

stage "GPIO through libgpiod on Debian's kernel in QEMU (gpio-sim)"
JUNCTIOND_VM_BINARY="$JUNCTIOND_BIN" "${PYTEST[@]}" tests/system/test_gpio_vm.py 2>&1 | tee artifacts/gpio-vm-tests.log

stage "SUMO in the loop: the production controller drives a SUMO junction (smoke)"
bash bench/sumo/ensure-venv.sh
JUNCTION_BENCH_BIN="$PWD/.build/release/junction-bench" "${PYTEST[@]}" tests/system/test_sumo_smoke.py 2>&1 \
    | tee artifacts/sumo-smoke.log

stage "upstream: loss and outage through a lossy relay, kill -9 crash safety, full disk, bad datagrams"
JUNCTIOND_CRASH_KILLS=100 "${PYTEST[@]}" tests/system/test_upstream.py 2>&1 | tee artifacts/upstream-tests.log

# Debug build: its tests and its binary come from one build, and hummingbird's release build would
# add minutes for no test that needs the speed (the ingest benchmark is run by hand, in release).
stage "junction-central: build and unit tests (debug)"
swift build --package-path central --build-tests >artifacts/central-build.log 2>&1 \
    || { cat artifacts/central-build.log; exit 1; }
tail -n 1 artifacts/central-build.log
swift test --package-path central --skip-build 2>&1 | tee artifacts/central-tests.log

stage "city dashboard in headless Chromium: junction-central with demo junctions"
REQUIRE_CHROMIUM=1 CENTRAL_BIN="$PWD/central/.build/debug/junction-central" \
    "${PYTEST[@]}" tests/system/test_dashboard.py 2>&1 | tee artifacts/dashboard-tests.log

stage "fuzz targets of the parsers and datagram decoders, for a bounded time"
bash tests/fuzz/run-diagnostics-fuzz.sh 20
bash tests/fuzz/run-agentx-fuzz.sh 10
bash tests/fuzz/run-wire-fuzz.sh 3

stage "done"
