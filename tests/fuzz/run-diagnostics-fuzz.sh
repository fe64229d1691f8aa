#!/usr/bin/env bash
# Runs the libFuzzer targets of the diagnostic protocol's decoders for a bounded time and prints
# the executions: the request decoder (what the daemon reads from every client) and the response
# parser (what junctionctl reads from the daemon).
# Usage: tests/fuzz/run-diagnostics-fuzz.sh [seconds for the request decoder, default 60]
# The response parser gets half that time. Builds fuzz-diagnostics in its own scratch folder
# (.build-fuzz) with -sanitize=fuzzer,address in one flag (with two -sanitize= flags the last one
# wins, and the code is left without coverage counters), linked by lld: gold stops with an internal
# error (dwarf_reader.cc) on this target's sanitized objects. Exits non-zero when a target crashed; crash
# inputs are left in artifacts/fuzz/. Seeds come from tests/fuzz/corpus/diagnostics.
set -euo pipefail
cd "$(dirname "$0")/../.."
REQUEST_SECONDS="${1:-60}"

mkdir -p artifacts/fuzz
if ! swift build --scratch-path .build-fuzz -c release --product fuzz-diagnostics \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xswiftc -use-ld=lld >artifacts/fuzz/diagnostics-build.log 2>&1; then
    cat artifacts/fuzz/diagnostics-build.log
    exit 1
fi
BINARY="$(swift build --scratch-path .build-fuzz -c release --show-bin-path)/fuzz-diagnostics"

total=0
failed=0
for target in request response; do
    seconds=$REQUEST_SECONDS
    [[ $target == response ]] && seconds=$(( (REQUEST_SECONDS + 1) / 2 ))
    corpus="artifacts/fuzz/corpus-diagnostics-$target"
    mkdir -p "$corpus"
    log="artifacts/fuzz/diagnostics-$target.log"
    status=0
    # SWIFT_BACKTRACE=enable=no lets libFuzzer write the crash input instead of Swift's backtracer.
    SWIFT_BACKTRACE=enable=no DIAGNOSTICS_FUZZ_TARGET="$target" "$BINARY" "$corpus" tests/fuzz/corpus/diagnostics \
        -max_total_time="$seconds" -max_len=4200 -artifact_prefix="artifacts/fuzz/diagnostics-$target-" \
        -print_final_stats=1 >"$log" 2>&1 || status=$?
    runs=$(grep -E "^stat::number_of_executed_units" "$log" | awk '{print $2}' || true)
    runs=${runs:-0}
    total=$((total + runs))
    if [[ $status -ne 0 ]]; then
        failed=1
        echo "fuzz-diagnostics $target: FAILED after $runs executions (see $log)"
    else
        echo "fuzz-diagnostics $target: $runs executions in $seconds s, no crash"
    fi
done
echo "fuzz-diagnostics: $total executions"
exit $failed
