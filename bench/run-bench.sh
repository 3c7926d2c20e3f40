#!/usr/bin/env bash
# Benchmark (not a test): simulated application messages per wall-clock second and peak memory
# for a scenario at 1,000 and 10,000 devices (one simulated day each).
#   ./lpwan bench                      nbiot-dense-cell: one NB-IoT cell (radio, RRC, PSM, energy)
#   ./lpwan bench lpwan-star           the generic LPWAN gateway star
#   ./lpwan bench default              the default scenario's cell (2 km, more meters in CE1/CE2)
#   ./lpwan bench nbiot-district 1000 10000 100000   ten cells, OSCORE: the city-scale benchmark
#   bench/run-bench.sh BUILD_DIR [SCENARIO] [DEVICE_COUNTS...]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${1:-$ROOT/build}"
shift || true
SCENARIO=nbiot-dense-cell
if [[ $# -gt 0 && ! "$1" =~ ^[0-9]+$ ]]; then
    SCENARIO="$1"
    shift
fi
COUNTS=("$@")
[[ ${#COUNTS[@]} -gt 0 ]] || COUNTS=(1000 10000)
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

echo "scenario: $SCENARIO"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/{print $2}') GiB"
printf '%-8s %10s %12s %14s %14s %12s %12s %10s\n' devices messages "setup+run s" "sim wall s" "messages/s" "us/message" "events/msg" "peak MiB"
for n in "${COUNTS[@]}"; do
    "$BUILD_DIR/bin/lpwan-run" --scenario-dir "$ROOT/scenarios" "$SCENARIO" \
        --set devices.count="$n" --set trace.progress=false --out "$OUT/$n" >/dev/null
    /usr/bin/python3 - "$OUT/$n/perf.json" "$n" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
print("%-8s %10d %12.2f %14.2f %14.0f %12.2f %12.1f %10.0f" % (sys.argv[2], p["messages"], p["wall_time_s"],
      p["simulation_wall_time_s"], p["messages_per_wall_second"], p["wall_us_per_message"],
      p["simulated_events"] / max(1, p["messages"]), p["peak_memory_mib"]))
PY
done
