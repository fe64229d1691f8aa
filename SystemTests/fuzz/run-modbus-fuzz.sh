#!/usr/bin/env bash
# Runs the libFuzzer target of the Modbus answer check, once per framing (TCP, RTU), for a bounded
# time and prints the executions.
# Usage: SystemTests/fuzz/run-modbus-fuzz.sh [seconds per framing, default 30]
# Builds fuzz-modbus with -sanitize=fuzzer and no debug info (see run-wire-fuzz.sh) in its own scratch
# folder (.build-fuzz-fuzz-modbus, or $FUZZ_SCRATCH). Exits non-zero on a crash or too few
# executions; see fuzz-common.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
source SystemTests/fuzz/fuzz-common.sh
SECONDS_PER_TARGET="${1:-30}"
fuzz_seconds "$SECONDS_PER_TARGET" "seconds per framing"

fuzz_build fuzz-modbus -debug-info-format none -Xswiftc -sanitize=fuzzer
for framing in tcp rtu; do
    fuzz_run MODBUS_FUZZ_TARGET "$framing" "$SECONDS_PER_TARGET" 300
done
fuzz_finish
