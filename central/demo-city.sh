#!/usr/bin/env bash
# Demo city: one junction-central and one simulated junctiond per [[junctions]] entry of central/examples/city.toml,
# all on this machine, reporting over UDP on loopback. Prints the dashboard's address; Ctrl-C stops everything.
#
#   central/demo-city.sh                    build (release) and run until Ctrl-C
#   central/demo-city.sh --no-build         use the binaries already built
#   DEMO_DIR=/tmp/city HTTP=127.0.0.1:0 UDP=127.0.0.1:47800 central/demo-city.sh --run-seconds 60
#   (CENTRAL_BIN and JUNCTIOND_BIN choose other builds of the two programs; COUNT_PERIOD the count bins' seconds)
#
# Each junction gets a junction file of its own under $DEMO_DIR: its layout file from city.toml plus an [upstream]
# section with its id, its key, central's UDP address and a 60 s count period (so the volume chart fills within
# minutes rather than every 15 minutes; COUNT_PERIOD changes it, the browser test uses less), and runs with its own
# traffic seed and its own runtime directory, so junctionctl reaches each junction:
#   junctionctl --runtime-directory $DEMO_DIR/j102/run status
# Each junction's process id is in $DEMO_DIR/jID/junctiond.pid (the browser test stops and restarts one).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

build=1
run_seconds=""
while (($#)); do
    case "$1" in
        --no-build) build=0 ;;
        --run-seconds) run_seconds="$2"; shift ;;
        *) echo "demo-city: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done

city="${CITY_FILE:-$root/central/examples/city.toml}"
demo_dir="${DEMO_DIR:-${TMPDIR:-/tmp}/junction-city}"
http="${HTTP:-127.0.0.1:8080}"
udp="${UDP:-127.0.0.1:47800}"
count_period="${COUNT_PERIOD:-60}"

if ((build)); then
    bash scripts/install-deps.sh --no-venv
    swift build -c release --product junctiond
    swift build -c release --package-path central --product junction-central
fi
junctiond="${JUNCTIOND_BIN:-$root/.build/release/junctiond}"
central="${CENTRAL_BIN:-$root/central/.build/release/junction-central}"
[[ -x $junctiond && -x $central ]] || { echo "demo-city: build first (run without --no-build)" >&2; exit 1; }

mkdir -p "$demo_dir"
# One junction file per city entry: the layout plus [upstream]. Python's tomllib reads the city file.
python3 - "$city" "$demo_dir" "$udp" "$count_period" <<'PY'
import os, sys, tomllib
city_path, demo_dir, udp, count_period = sys.argv[1:]
with open(city_path, "rb") as handle:
    city = tomllib.load(handle)
for junction in city["junctions"]:
    layout = os.path.normpath(os.path.join(os.path.dirname(city_path), junction["layout"]))
    folder = os.path.join(demo_dir, f"j{junction['id']}")
    os.makedirs(folder, exist_ok=True)
    with open(layout) as handle:
        text = handle.read()
    text += f"""
# Added by central/demo-city.sh for junction {junction['id']} ({junction['name']}).
[upstream]
junction_id = {junction['id']}
key = "{junction['key']}"
central = ["{udp}"]
store = "{folder}/junction.db"
count_period = {count_period}
commit_interval_ms = 1000
"""
    with open(os.path.join(folder, "junction.toml"), "w") as handle:
        handle.write(text)
    print(junction["id"])
PY
ids=$(python3 -c 'import sys, tomllib; print(" ".join(str(j["id"]) for j in tomllib.load(open(sys.argv[1], "rb"))["junctions"]))' "$city")

pids=()
stop() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap stop EXIT INT TERM

"$central" serve --config "$city" --database "$demo_dir/central.sqlite" --http "$http" --udp "$udp" \
    >"$demo_dir/central.log" 2>&1 &
pids+=($!)
url=""
for _ in $(seq 1 100); do
    url=$(grep -o 'dashboard http://[^ ]*' "$demo_dir/central.log" | head -1 | cut -d' ' -f2 || true)
    [[ -n $url ]] && break
    kill -0 "${pids[0]}" 2>/dev/null || { cat "$demo_dir/central.log" >&2; exit 1; }
    sleep 0.1
done
[[ -n $url ]] || { echo "demo-city: junction-central did not start; see $demo_dir/central.log" >&2; exit 1; }

for id in $ids; do
    mkdir -p "$demo_dir/j$id/run"
    "$junctiond" --config "$demo_dir/j$id/junction.toml" --seed "$id" --view none \
        --state-directory "$demo_dir/j$id" --runtime-directory "$demo_dir/j$id/run" >"$demo_dir/j$id/junctiond.log" 2>&1 &
    pids+=($!)
    echo $! >"$demo_dir/j$id/junctiond.pid"
done

echo "demo-city: $(wc -w <<<"$ids") junctions reporting to junction-central on $udp"
echo "demo-city: logs and stores in $demo_dir; junctionctl --runtime-directory $demo_dir/jID/run reaches junction ID"
echo "dashboard: $url"
if [[ -n $run_seconds ]]; then
    sleep "$run_seconds"
else
    echo "demo-city: Ctrl-C stops the city"
    wait "${pids[0]}"
fi
