#!/usr/bin/env python3
"""A sweep driven from Python: lpwan-run's --set and its summary.json are the interface.
Runs three security profiles at three coupling losses of the default NB-IoT cell (CE0, CE1,
CE2; small runs: 10 meters for one hour) and prints bytes on air, delivery, latency and
battery life per report. From the repository root, after ./lpwan build."""
import json
import os
import subprocess

runner = os.environ.get("LPWAN_RUN", "build/bin/lpwan-run")
out = os.environ.get("SWEEP_OUT", "results/python-sweep")

for profile in ["none", "oscore", "dtls-psk"]:
    for loss_db in [140, 150, 160]:
        run_dir = f"{out}/{profile}-{loss_db}dB"
        subprocess.run([runner, "scenarios/default.yaml", "--out", run_dir,
                        "--set", f"security.profile={profile}",
                        "--set", f"nbiot.coupling_loss_db={loss_db}",
                        "--set", "devices.count=10", "--set", "simulation.duration_s=3600"],
                       check=True, stdout=subprocess.DEVNULL)
        with open(f"{run_dir}/summary.json") as f:
            s = json.load(f)
        print(f"{profile} at {loss_db} dB: {s['bytes']['on_air_per_delivered_message']:.1f} bytes "
              f"per delivered report, {s['messages']['delivered']}/{s['messages']['sent']} "
              f"delivered, latency p95 {s['latency_s']['p95']:.2f} s, "
              f"battery {s['battery_life_years']['mean']:.1f} years")
