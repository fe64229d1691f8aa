#!/usr/bin/env bash
# Installs what junctiond's build, demo and tests need on Debian 12, skipping what is there:
# the Debian packages below, and a Python venv (.venv) with tests/requirements.txt.
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
)

missing=()
for package in "${APT_PACKAGES[@]}"; do
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

if [[ "${1:-}" != "--no-venv" ]]; then
    [[ -x .venv/bin/python ]] || python3 -m venv .venv
    if ! cmp -s tests/requirements.txt .venv/.requirements-installed; then
        .venv/bin/pip install -q --disable-pip-version-check -r tests/requirements.txt
        cp tests/requirements.txt .venv/.requirements-installed
    fi
fi
