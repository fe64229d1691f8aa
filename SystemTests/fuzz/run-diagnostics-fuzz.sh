#!/usr/bin/env bash
# Runs the libFuzzer targets of the diagnostic protocol's decoders for a bounded time and prints
# the executions: the request decoder (what the daemon reads from every client) and the response
# parser (what junctionctl reads from the daemon).
# Usage: SystemTests/fuzz/run-diagnostics-fuzz.sh [seconds for the request decoder, default 60]
# The response parser gets half that time. Builds fuzz-diagnostics with -sanitize=fuzzer,address
# in one flag (with two -sanitize= flags the last one wins, and the code is left without coverage
# counters), linked by lld: gold stops with an internal error (dwarf_reader.cc) on this target's
# sanitized objects. Seeds come from SystemTests/fuzz/corpus/diagnostics. See fuzz-common.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
source SystemTests/fuzz/fuzz-common.sh
REQUEST_SECONDS="${1:-60}"

fuzz_build fuzz-diagnostics -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld
fuzz_run DIAGNOSTICS_FUZZ_TARGET request "$REQUEST_SECONDS" 4200 SystemTests/fuzz/corpus/diagnostics
fuzz_run DIAGNOSTICS_FUZZ_TARGET response $(((REQUEST_SECONDS + 1) / 2)) 4200 SystemTests/fuzz/corpus/diagnostics
fuzz_finish
