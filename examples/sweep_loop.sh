#!/usr/bin/env bash
# A sweep as a shell loop: one run per reporting interval and seed, one CSV line per run.
# From the repository root, after ./lpwan build:  examples/sweep_loop.sh > loop.csv
set -euo pipefail
runner=${LPWAN_RUN:-build/bin/lpwan-run}
out=${SWEEP_OUT:-results/loop-sweep}

echo "traffic.interval_s,seed,messages.sent,messages.delivered,bytes.on_air_per_delivered_message,latency_s.p95"
for interval in 300 900 3600; do
    for seed in 1 2 3; do
        dir="$out/interval-$interval/seed-$seed"
        "$runner" scenarios/default.yaml --out "$dir" --seed "$seed" \
            --set traffic.interval_s="$interval" --set traffic.jitter_s=0 \
            --set devices.count=10 --set simulation.duration_s=3600 > /dev/null
        python3 -c 'import json, sys; s = json.load(open(sys.argv[1]))
print(sys.argv[2], sys.argv[3], s["messages"]["sent"], s["messages"]["delivered"],
      s["bytes"]["on_air_per_delivered_message"], s["latency_s"]["p95"], sep=",")' \
            "$dir/summary.json" "$interval" "$seed"
    done
done
