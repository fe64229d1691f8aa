#!/usr/bin/env bash
# Runs the libFuzzer target of the AgentX decoders for a bounded time and prints the executions.
# Usage: tests/fuzz/run-agentx-fuzz.sh [seconds per decoder, default 30]
# Builds fuzz-agentx in its own scratch folder (.build-fuzz, or $AGENTX_FUZZ_SCRATCH) with
# -sanitize=fuzzer and no debug info, as run-wire-fuzz.sh does. Exits non-zero when any decoder crashed; crash inputs go to artifacts/fuzz/.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_PER_TARGET="${1:-30}"
DECODERS=(message stream session)

BUILD=(swift build --scratch-path "${AGENTX_FUZZ_SCRATCH:-.build-fuzz}" -c release -debug-info-format none -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING)
"${BUILD[@]}" --product fuzz-agentx >/dev/null
BINARY="$("${BUILD[@]}" --show-bin-path)/fuzz-agentx"

mkdir -p artifacts/fuzz
total=0
failed=0
for decoder in "${DECODERS[@]}"; do
    corpus="artifacts/fuzz/corpus-agentx-$decoder"
    mkdir -p "$corpus"
    log="artifacts/fuzz/agentx-$decoder.log"
    status=0
    SWIFT_BACKTRACE=enable=no AGENTX_FUZZ_DECODER="$decoder" "$BINARY" "$corpus" \
        -max_total_time="$SECONDS_PER_TARGET" -max_len=4096 -artifact_prefix="artifacts/fuzz/agentx-$decoder-" \
        -print_final_stats=1 >"$log" 2>&1 || status=$?
    runs=$(grep -E "^stat::number_of_executed_units" "$log" | awk '{print $2}' || true)
    runs=${runs:-0}
    total=$((total + runs))
    if [[ $status -ne 0 ]]; then
        failed=1
        echo "fuzz-agentx $decoder: FAILED after $runs executions (see $log)"
    else
        echo "fuzz-agentx $decoder: $runs executions in ${SECONDS_PER_TARGET} s, no crash"
    fi
done
echo "fuzz-agentx: $total executions over ${#DECODERS[@]} decoders"
exit $failed
