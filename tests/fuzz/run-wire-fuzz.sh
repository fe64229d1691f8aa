#!/usr/bin/env bash
# Runs the libFuzzer target of every Wire decoder for a bounded time and prints the executions.
# Usage: tests/fuzz/run-wire-fuzz.sh [seconds per decoder, default 30]
# Builds fuzz-wire in its own scratch folder (.build-fuzz) with -sanitize=fuzzer (and address).
# Exits non-zero when any decoder crashed; crash inputs are left in artifacts/fuzz/.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_PER_TARGET="${1:-30}"
DECODERS=(frame receiver status events counts poll ack)

swift build --scratch-path .build-fuzz -c release --product fuzz-wire \
    -Xswiftc -sanitize=fuzzer -Xswiftc -sanitize=address -Xswiftc -DFUZZING >/dev/null
BINARY="$(swift build --scratch-path .build-fuzz -c release --show-bin-path)/fuzz-wire"

mkdir -p artifacts/fuzz
total=0
failed=0
for decoder in "${DECODERS[@]}"; do
    corpus="artifacts/fuzz/corpus-$decoder"
    mkdir -p "$corpus"
    log="artifacts/fuzz/$decoder.log"
    status=0
    SWIFT_BACKTRACE=enable=no WIRE_FUZZ_DECODER="$decoder" "$BINARY" "$corpus" \
        -max_total_time="$SECONDS_PER_TARGET" -max_len=1400 -artifact_prefix="artifacts/fuzz/$decoder-" \
        -print_final_stats=1 >"$log" 2>&1 || status=$?
    runs=$(grep -E "^stat::number_of_executed_units" "$log" | awk '{print $2}' || true)
    runs=${runs:-0}
    total=$((total + runs))
    if [[ $status -ne 0 ]]; then
        failed=1
        echo "fuzz-wire $decoder: FAILED after $runs executions (see $log)"
    else
        echo "fuzz-wire $decoder: $runs executions in ${SECONDS_PER_TARGET} s, no crash"
    fi
done
echo "fuzz-wire: $total executions over ${#DECODERS[@]} decoders"
exit $failed
