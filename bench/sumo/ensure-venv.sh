#!/usr/bin/env bash
# Makes sure .venv (the repository's test venv) has SUMO, traci, sumolib and libsumo at the pinned
# versions. Idempotent and quiet when they are already there.
set -euo pipefail
cd "$(dirname "$0")/../.."
[[ -x .venv/bin/python ]] || python3 -m venv .venv
if ! .venv/bin/python -c "import sumo, traci, sumolib, libsumo" 2>/dev/null; then
    echo "ensure-venv: installing bench/sumo/requirements.txt into .venv" >&2
    .venv/bin/pip install -q -r bench/sumo/requirements.txt
fi
