# Shared by the SystemTests/fuzz/run-*-fuzz.sh scripts (sourced, not run): build one fuzz executable,
# run its targets for a bounded time each, count the executions and collect failures.
#
#   fuzz_build PRODUCT [swift build flags...]      sets FUZZ_BINARY; scratch $FUZZ_SCRATCH, else .build-fuzz-PRODUCT
#   fuzz_run VARIABLE TARGET SECONDS MAX_LEN [seed corpus...]
#   fuzz_seconds VALUE WHAT                        exits 2, naming WHAT, unless VALUE is a whole number >= 1
#   fuzz_finish                                    prints the total; exits non-zero if a target crashed
#                                                  or ran fewer executions than its floor
#
# Each product builds in its own scratch folder because each run script uses its own flag set
# (sanitizers, linker): in one shared folder every stage rebuilt what the previous one had built.
#
# Execution floor: a target that ran fewer than $FUZZ_MIN_EXECS_PER_SECOND (default 100) executions
# per second of its budget fails, and so does one that reports none at all. A fuzzer that dies at
# start, cannot read its corpus or hangs in one input counts "0 executions" and used to pass; the
# targets here run thousands to hundreds of thousands a second, so the default floor only catches
# such breakage, not a slow machine.
#
# Crash inputs and each target's log are left in artifacts/fuzz/. SWIFT_BACKTRACE=enable=no lets
# libFuzzer write the crash input instead of Swift's backtracer taking over the process.

FUZZ_PRODUCT=""
FUZZ_BINARY=""
FUZZ_TOTAL=0
FUZZ_FAILED=0
FUZZ_TARGETS=0
FUZZ_MIN_EXECS_PER_SECOND="${FUZZ_MIN_EXECS_PER_SECOND:-100}"

fuzz_seconds() {
    [[ $1 =~ ^[1-9][0-9]*$ ]] || {
        echo "$(basename "$0" .sh): $2 must be a whole number >= 1" >&2
        exit 2
    }
}

fuzz_build() {
    FUZZ_PRODUCT=$1
    shift
    local build=(swift build --scratch-path "${FUZZ_SCRATCH:-.build-fuzz-$FUZZ_PRODUCT}" -c release -Xswiftc -DFUZZING "$@")
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
    local floor=$((seconds * FUZZ_MIN_EXECS_PER_SECOND))
    ((floor > 0)) || floor=1
    mkdir -p "$corpus"
    env SWIFT_BACKTRACE=enable=no "$variable=$target" "$FUZZ_BINARY" "$corpus" "$@" \
        -max_total_time="$seconds" -max_len="$max_len" -artifact_prefix="artifacts/fuzz/$name-" \
        -print_final_stats=1 >"$log" 2>&1 || status=$?
    # libFuzzer prints its final stats twice when a sanitizer report follows them: take the last.
    runs=$(grep -E "^stat::number_of_executed_units" "$log" | tail -n 1 | awk '{print $2}' || true)
    [[ $runs =~ ^[0-9]+$ ]] || runs=0
    FUZZ_TOTAL=$((FUZZ_TOTAL + runs))
    FUZZ_TARGETS=$((FUZZ_TARGETS + 1))
    if [[ $status -ne 0 ]]; then
        FUZZ_FAILED=1
        echo "$FUZZ_PRODUCT $target: FAILED after $runs executions (see $log)"
    elif ((runs < floor)); then
        FUZZ_FAILED=1
        echo "$FUZZ_PRODUCT $target: FAILED: $runs executions in $seconds s, below the floor of $floor (see $log)"
    else
        echo "$FUZZ_PRODUCT $target: $runs executions in $seconds s (floor $floor), no crash"
    fi
}

fuzz_finish() {
    echo "$FUZZ_PRODUCT: $FUZZ_TOTAL executions over $FUZZ_TARGETS targets"
    if ((FUZZ_TARGETS == 0)); then
        echo "$FUZZ_PRODUCT: FAILED: no target ran"
        exit 1
    fi
    exit $FUZZ_FAILED
}
