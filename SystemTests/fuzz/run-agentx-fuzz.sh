#!/usr/bin/env bash
# Runs the libFuzzer target of the AgentX decoders for a bounded time and prints the executions.
# Usage: SystemTests/fuzz/run-agentx-fuzz.sh [seconds per decoder, default 30]
# Builds fuzz-agentx with -sanitize=fuzzer and no debug info, as run-wire-fuzz.sh does (scratch
# $FUZZ_SCRATCH, default .build-fuzz-fuzz-agentx). Exits non-zero when any decoder crashed; see fuzz-common.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
source SystemTests/fuzz/fuzz-common.sh
SECONDS_PER_TARGET="${1:-30}"

fuzz_build fuzz-agentx -debug-info-format none -Xswiftc -sanitize=fuzzer
for decoder in message stream session; do
    fuzz_run AGENTX_FUZZ_DECODER "$decoder" "$SECONDS_PER_TARGET" 4096
done
fuzz_finish
