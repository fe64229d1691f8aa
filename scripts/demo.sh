#!/usr/bin/env bash
# The README's first command: installs what is missing, builds junctiond, and runs it on the
# built-in simulated Cirebon junction with a live view. Ctrl-C leaves the junction in flash and exits.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --no-venv
swift build -c release --product junctiond
exec .build/release/junctiond --demo "$@"
