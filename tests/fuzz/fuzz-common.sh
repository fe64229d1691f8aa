# Shared by the tests/fuzz/run-*-fuzz.sh scripts (sourced, not run): build one fuzz executable,
# run its targets for a bounded time each, count the executions and collect failures.
#
#   fuzz_build PRODUCT [swift build flags...]      sets FUZZ_BINARY; scratch $FUZZ_SCRATCH (.build-fuzz)
#   fuzz_run VARIABLE TARGET SECONDS MAX_LEN [seed corpus...]
#   fuzz_finish                                    prints the total; exits non-zero if a target crashed
#
# Crash inputs and each target's log are left in artifacts/fuzz/. SWIFT_BACKTRACE=enable=no lets
# libFuzzer write the crash input instead of Swift's backtracer taking over the process.

FUZZ_PRODUCT=""
FUZZ_BINARY=""
FUZZ_TOTAL=0
FUZZ_FAILED=0
FUZZ_TARGETS=0

fuzz_build() {
    FUZZ_PRODUCT=$1
    shift
    local build=(swift build --scratch-path "${FUZZ_SCRATCH:-.build-fuzz}" -c release -Xswiftc -DFUZZING "$@")
    mkdir -p artifacts/fuzz
    if ! "${build[@]}" --product "$FUZZ_PRODUCT" >"artifacts/fuzz/$FUZZ_PRODUCT-build.log" 2>&1; then
        cat "artifacts/fuzz/$FUZZ_PRODUCT-build.log"
        exit 1
    fi
    FUZZ_BINARY="$("${build[@]}" --show-bin-path)/$FUZZ_PRODUCT"
}

fuzz_run() {
    local variable=$1 target=$2 seconds=$3 max_len=$4
    shift 4
    local name="$FUZZ_PRODUCT-$target"
    local corpus="artifacts/fuzz/corpus-$name" log="artifacts/fuzz/$name.log" status=0 runs
    mkdir -p "$corpus"
    env SWIFT_BACKTRACE=enable=no "$variable=$target" "$FUZZ_BINARY" "$corpus" "$@" \
        -max_total_time="$seconds" -max_len="$max_len" -artifact_prefix="artifacts/fuzz/$name-" \
        -print_final_stats=1 >"$log" 2>&1 || status=$?
    runs=$(grep -E "^stat::number_of_executed_units" "$log" | awk '{print $2}' || true)
    runs=${runs:-0}
    FUZZ_TOTAL=$((FUZZ_TOTAL + runs))
    FUZZ_TARGETS=$((FUZZ_TARGETS + 1))
    if [[ $status -ne 0 ]]; then
        FUZZ_FAILED=1
        echo "$FUZZ_PRODUCT $target: FAILED after $runs executions (see $log)"
    else
        echo "$FUZZ_PRODUCT $target: $runs executions in $seconds s, no crash"
    fi
}

fuzz_finish() {
    echo "$FUZZ_PRODUCT: $FUZZ_TOTAL executions over $FUZZ_TARGETS targets"
    exit $FUZZ_FAILED
}
