#!/usr/bin/env python3
"""A sweep driven from Python: lpwan-run's --set and its summary.json are the interface.
Runs three security profiles at three loss rates (small runs: 10 meters for one hour) and
prints bytes on air and delivery per report. From the repository root, after ./lpwan build."""
import json
import os
import subprocess

runner = os.environ.get("LPWAN_RUN", "build/bin/lpwan-run")
out = os.environ.get("SWEEP_OUT", "results/python-sweep")

for profile in ["none", "oscore", "dtls-psk"]:
    for loss in [0.0, 0.1, 0.3]:
        run_dir = f"{out}/{profile}-loss-{loss}"
        subprocess.run([runner, "scenarios/default.yaml", "--out", run_dir,
                        "--set", f"security.profile={profile}", "--set", f"link.loss={loss}",
                        "--set", "devices.count=10", "--set", "simulation.duration_s=3600"],
                       check=True, stdout=subprocess.DEVNULL)
        with open(f"{run_dir}/summary.json") as f:
            s = json.load(f)
        print(f"{profile} loss={loss}: {s['bytes']['on_air_per_delivered_message']:.1f} bytes "
              f"per delivered report, {s['messages']['delivered']}/{s['messages']['sent']} "
              f"delivered, latency p95 {s['latency_s']['p95']:.2f} s")
