#!/usr/bin/env bash
# Runs the libFuzzer targets of the junction-file loader and of the TOML parser under it, each for a
# bounded time, and prints the executions.
# Usage: SystemTests/fuzz/run-config-fuzz.sh [seconds, default 60]
# Builds fuzz-config with -sanitize=fuzzer,address in one flag (see run-diagnostics-fuzz.sh), linked
# by lld, in its own scratch folder (.build-fuzz-fuzz-config, or $FUZZ_SCRATCH). Seeds are the
# shipped junction and city files. -timeout makes an input that takes seconds (the loader once spent 51 s on
# 100 KB of nested headers) a failure rather than a slow pass; the inputs go up to 64 KiB so that
# size-driven slowness can show. Exits non-zero on a crash, a timeout or too few executions; see
# fuzz-common.sh.
# ASAN_OPTIONS=detect_leaks=1: the loader and its parser (the TOML module, which replaced TOMLKit and
# its leak of every parsed table) must free all they allocate; LeakSanitizer stops the run at the
# first input that leaks, which fails it.
set -euo pipefail
cd "$(dirname "$0")/../.."
source SystemTests/fuzz/fuzz-common.sh
SECONDS_PER_TARGET="${1:-60}"
fuzz_seconds "$SECONDS_PER_TARGET" "seconds"

export ASAN_OPTIONS=detect_leaks=1
fuzz_build fuzz-config -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld
fuzz_run CONFIG_FUZZ_TARGET source "$SECONDS_PER_TARGET" 65536 -timeout=5 hardware/junctions
fuzz_run CONFIG_FUZZ_TARGET toml "$SECONDS_PER_TARGET" 65536 -timeout=5 hardware/junctions central/examples
fuzz_finish
