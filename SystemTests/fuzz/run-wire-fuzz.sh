#!/usr/bin/env bash
# Runs the libFuzzer target of every Wire decoder for a bounded time and prints the executions.
# Usage: SystemTests/fuzz/run-wire-fuzz.sh [seconds per decoder]
#   seconds per decoder: the argument, else $WIRE_FUZZ_SECONDS, else 30 (CI sets a short bound; at least 1)
#   $FUZZ_SCRATCH: the build's scratch folder (default .build-fuzz-fuzz-wire)
# Builds fuzz-wire with -sanitize=fuzzer and no debug info (with debug info, ld.gold crashed in its
# DWARF reader while linking the fuzzer runtime here). Exits non-zero when any decoder crashed;
# crash inputs are left in artifacts/fuzz/ (see fuzz-common.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
source SystemTests/fuzz/fuzz-common.sh
SECONDS_PER_TARGET="${1:-${WIRE_FUZZ_SECONDS:-30}}"
fuzz_seconds "$SECONDS_PER_TARGET" "seconds per decoder"

fuzz_build fuzz-wire -debug-info-format none -Xswiftc -sanitize=fuzzer
for decoder in frame receiver status events counts poll ack neighbourOutflow; do
    fuzz_run WIRE_FUZZ_DECODER "$decoder" "$SECONDS_PER_TARGET" 1400
done
fuzz_finish
