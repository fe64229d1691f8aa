#!/usr/bin/env bash
# The daemon's footprint against a baseline revision, both measured in this one invocation:
#
#   bash bench/footprint/compare.sh [BASE_REV]      (default: 6fab109, before the runtime redesign)
#
# Builds BASE_REV in a temporary worktree and this checkout, both as the package ships them
# (release, static Swift runtime), then prints each binary's size unstripped and stripped (the .deb
# ships them stripped), and junctiond's idle RSS (VmRSS after 10 s of `--demo --view none`),
# baseline and this build alternating three times, with the ratio of the medians.
set -euo pipefail
cd "$(dirname "$0")/../.."
base=${1:-6fab109}
work=$(mktemp -d)
trap 'git worktree remove --force "$work/base" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

build() { # DIR -> prints the bin path
    for product in junctiond junctionctl; do
        swift build --package-path "$1" -c release --static-swift-stdlib --product "$product" >&2
    done
    swift build --package-path "$1" -c release --static-swift-stdlib --show-bin-path
}
git worktree add -q --detach "$work/base" "$base"
old=$(build "$work/base")
new=$(build .)

size() { stat -c %s "$1"; }
stripped() { strip -o "$work/stripped" "$1"; size "$work/stripped"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b / a }'; }
printf '%-26s %12s %12s %6s\n' "bytes ($base -> HEAD)" base head ratio
for product in junctiond junctionctl; do
    for kind in size stripped; do
        a=$($kind "$old/$product"); b=$($kind "$new/$product")
        printf '%-26s %12s %12s %6s\n' "$product $kind" "$a" "$b" "$(ratio "$a" "$b")"
    done
done

rss() {
    local dir; dir=$(mktemp -d -p "$work")
    mkdir "$dir/s"  # junctiond refuses a state directory that does not exist
    "$1" --demo --view none --run-seconds 14 --state-directory "$dir/s" --runtime-directory "$dir/r" >/dev/null 2>&1 &
    local pid=$!
    sleep 10
    awk '/VmRSS/ {print $2}' "/proc/$pid/status"
    wait "$pid"
}
olds=(); news=()
for round in 1 2 3; do
    olds+=("$(rss "$old/junctiond")"); news+=("$(rss "$new/junctiond")")
    echo "round $round: idle RSS kB base ${olds[-1]} head ${news[-1]}"
done
median() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
a=$(median "${olds[@]}"); b=$(median "${news[@]}")
echo "idle RSS median kB: base $a head $b ratio $(ratio "$a" "$b")"
