#!/usr/bin/env bash
# Installs what junctiond's build, demo and tests need on Debian 12, skipping what is there.
# Idempotent: safe to run before every demo or test run.
set -euo pipefail

APT_PACKAGES=(
    dpkg-dev        # dpkg-deb and dpkg-shlibdeps for the .deb
    systemd         # systemd-analyze for the unit checks
    tmux            # live-view checks
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
