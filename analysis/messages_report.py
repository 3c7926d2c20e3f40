#!/usr/bin/python3
"""Per-run report from messages.csv, with the standard library only.

    analysis/messages_report.py results/default

Prints outcomes, completions, latency quantiles and on-air bytes per layer, grouped by
protocol and message type. The bytes here are the reports' own (each frame of their exchange);
summary.json's bytes.on_air_per_delivered_message also divides the bytes that belong to no
report (random access, RRC and NAS signalling on a cell: bytes.unattributed_total) among the
delivered reports, which the last line shows when summary.json is there. Figures: ./lpwan plot.
"""
import csv
import json
import os
import sys
from collections import Counter, defaultdict

from lpwan_runs import LAYERS, quantile

def main(argv):
    if len(argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    path = argv[1].rstrip("/") + "/messages.csv"
    try:
        rows = list(csv.DictReader(open(path, newline="")))
    except OSError as e:
        print(f"messages_report: {path}: {e.strerror}", file=sys.stderr)
        return 1
    groups = defaultdict(list)
    for r in rows:
        groups[(r["protocol"], r["type"])].append(r)
    for (protocol, mtype), rs in sorted(groups.items()):
        outcomes = Counter(r["outcome"] for r in rs)
        completions = Counter(r["completion"] for r in rs)
        latencies = [float(r["latency_s"]) for r in rs if r["latency_s"]]
        delivered = outcomes.get("delivered", 0)
        print(f"{protocol} {mtype}: {len(rs)} messages, {delivered} delivered, "
              f"{outcomes.get('lost', 0)} lost")
        print("  completions: " + ", ".join(f"{k} {v}" for k, v in sorted(completions.items())))
        print(f"  latency s: p50 {quantile(latencies, 0.5):.3f}  p95 {quantile(latencies, 0.95):.3f}"
              f"  max {max(latencies, default=float('nan')):.3f}")
        retx = sum(int(r["retransmissions"]) for r in rs)
        print(f"  request retransmissions: {retx} ({retx / len(rs):.3f} per message)")
        if delivered:
            per_layer = {l: sum(int(r[f"air_{l}_bytes"]) for r in rs) / delivered for l in LAYERS}
            total = sum(per_layer.values())
            print(f"  on-air bytes per delivered message: {total:.1f} = " +
                  " + ".join(f"{l} {v:.1f}" for l, v in per_layer.items()))
    summary_path = os.path.join(argv[1], "summary.json")
    if os.path.isfile(summary_path):
        with open(summary_path) as f:
            b = json.load(f).get("bytes", {})
        delivered = sum(1 for r in rows if r["outcome"] == "delivered")
        unattributed = b.get("unattributed_total", 0)
        if delivered and "on_air_per_delivered_message" in b:
            print(f"all reports with the bytes of no report ({unattributed} bytes of signalling, "
                  f"{unattributed / delivered:.1f} per delivered report): "
                  f"{b['on_air_per_delivered_message']:.1f} bytes on air per delivered report "
                  "(summary.json bytes.on_air_per_delivered_message)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
