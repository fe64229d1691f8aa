#!/usr/bin/env bash
# Installs what junctiond's build, demo and tests need on Debian 12, skipping what is there:
# the Debian packages below, and a Python venv (.venv) with SystemTests/requirements.txt.
# Idempotent: safe to run before every demo or test run.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
    pkg-config      # SwiftPM finds libmodbus and libgpiod through it
    libmodbus-dev   # Modbus TCP/RTU backend
    libgpiod-dev    # GPIO backend (libgpiod v1.6)
    dpkg-dev        # dpkg-deb and dpkg-shlibdeps for the .deb
    systemd         # systemd-analyze for the unit checks
    tmux            # live-view checks of junctionctl watch
    socat           # pty pairs for Modbus RTU, socket pokes
    python3-venv    # test peers run from a venv
    libsqlite3-dev  # the event and count store (Store, via the CSQLite system library)
    sqlite3         # integrity checks of the store by hand
)

# The GPIO VM boots a guest of the host's own architecture (hardware/vm/run-gpio-test.sh).
arch=$(dpkg --print-architecture)
case $arch in
    amd64) qemu_system=qemu-system-x86 ;;
    arm64) qemu_system=qemu-system-arm ;; # qemu-system-aarch64
    *) qemu_system=qemu-system-misc ;;
esac

# Peers of the system tests (scripts/test.sh passes --peers): installed only then, so the demo
# does not pull in a browser, a kernel tree and an SNMP agent.
PEER_PACKAGES=(
    chromium        # headless browser for the dashboard test (SystemTests/system/test_dashboard.py)
    # GPIO hardware-in-the-loop VM (hardware/vm): Debian's kernel in QEMU with gpio-sim built out of tree
    "$qemu_system"      # the guest's emulator, run under TCG (no KVM needed)
    busybox-static      # the guest's userland
    cpio                # packs the guest's initramfs
    "linux-headers-$arch" # headers matching the linux-image the harness downloads (apt-get download)
    linux-source-6.1    # gpio-sim.c and irq_sim.c, not built into Debian's kernel
    build-essential     # gcc and make for the module, and for libgpiod 2.x (scripts/build-libgpiod2.sh)
    bc                  # kbuild helpers
    flex
    bison
    libelf-dev
    xz-utils            # unpacks linux-source-6.1.tar.xz
    # NTCIP over SNMPv3 (SystemTests/system/test_snmp.py): Net-SNMP's master agent and its client tools
    snmpd
    snmp
    # Debian's package checks of the .deb (SystemTests/system/check_deb.sh)
    lintian
    # The installed unit under a real systemd (SystemTests/systemd): a Debian 12 root booted in a container
    debootstrap
    systemd-container
)

# The real-time benchmarks (bench/realtime, docs/realtime.md): installed only with --bench.
BENCH_PACKAGES=(
    rt-tests        # cyclictest, the reference for bench/realtime/lateness.py
    stress-ng       # CPU load for the lateness benchmark
)

wanted=("${APT_PACKAGES[@]}")
[[ " $* " == *" --peers "* ]] && wanted+=("${PEER_PACKAGES[@]}")
[[ " $* " == *" --bench "* ]] && wanted+=("${BENCH_PACKAGES[@]}")
missing=()
for package in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
    echo "install-deps: installing ${missing[*]}"
    SUDO=""
    [[ $(id -u) -ne 0 ]] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
command -v swift >/dev/null || { echo "install-deps: Swift 6.x is needed on PATH (swift.org toolchain)" >&2; exit 1; }

if [[ " $* " != *" --no-venv "* ]]; then
    [[ -x .venv/bin/python ]] || python3 -m venv .venv
    if ! cmp -s SystemTests/requirements.txt .venv/.requirements-installed; then
        .venv/bin/pip install -q --disable-pip-version-check -r SystemTests/requirements.txt
        cp SystemTests/requirements.txt .venv/.requirements-installed
    fi
fi
