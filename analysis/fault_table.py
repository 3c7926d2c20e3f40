#!/usr/bin/python3
"""What each fault costs each security profile: runs, per profile, the baseline scenario (the
fault scenario with its faults switched off) and each fault scenario at the same seed, and
prints per fault and profile the reports lost, the extra bytes on the air and the extra device
energy (fault run minus baseline), the time the hit devices took to get a report through again,
the extra handshakes (DTLS/TLS handshakes and EDHOC runs begun, fault run minus baseline), the
recovery traffic from the fault on, and whether anything replayed or forged was accepted.

    ./lpwan faults [--profiles a,b] [--faults f,g] [--set key=value]... [--seed N] [--out DIR]
    analysis/fault_table.py --lpwan-run build/bin/lpwan-run --scenario-dir scenarios ...

A fault is a scenario file in FAULT_SCENARIOS; adding a kind of fault to the table is one line
there (its name, its scenario, and the keys of the fault run and of its baseline). Every run keeps
its traces in OUT/<fault>/<profile>/ (baselines in OUT/baseline-<fault>/<profile>/); the table is
printed as Markdown and written to OUT/faults.md and OUT/faults.csv.
"""
import argparse
import os
import subprocess
import sys

from lpwan_runs import (fmt, get, load_summary, run_command, security_profiles,
                        write_table)

# (fault name, scenario, --sets of the fault run, --sets of its baseline). The baseline is the
# same scenario with the fault switched off, so the difference is the fault's cost alone.
FAULT_SCENARIOS = [
    ("device-reboot", "fault-device-reboot", [], ["faults.device_reboot_at_s=0"]),
    ("device-reboot-no-persist", "fault-device-reboot", ["faults.persist_sequence_numbers=false"],
     ["faults.device_reboot_at_s=0"]),
    ("device-reboot-naive", "fault-device-reboot", ["faults.naive_sequence_numbers=true"],
     ["faults.device_reboot_at_s=0"]),
    ("server-restart", "fault-server-restart", [], ["faults.server_restart_at_s=0"]),
    ("backhaul-outage", "fault-backhaul-outage", [], ["faults.backhaul_outage_at_s=0"]),
    ("cell-outage", "fault-cell-outage", [], ["faults.cell_outage_at_s=0"]),
]


def run(args, scenario, out, sets):
    cmd = run_command(args.lpwan_run, scenario, out=out, sets=list(args.sets) + sets,
                      seed=args.seed, scenario_dir=args.scenario_dir)
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        sys.exit(f"faults: {' '.join(cmd)} failed (exit {r.returncode}): {r.stderr.strip()}")
    return load_summary(out)


def row(fault, profile, base, hit):
    f = hit["faults"][0]
    energy_hit = get(hit, "energy.total_j")
    energy_base = get(base, "energy.total_j")
    traffic = f["recovery_traffic"]
    return {
        "fault": fault,
        "profile": profile,
        "devices_hit": f["hit"]["devices"],
        "reports_due_from_fault": f["reports"]["due_from_fault"],
        "reports_lost_from_fault": f["reports"]["lost_from_fault"],
        "reports_lost_baseline": get(base, "messages.lost"),
        "reports_lost": get(hit, "messages.lost"),
        "extra_bytes": get(hit, "bytes.on_air_total") - get(base, "bytes.on_air_total"),
        "extra_energy_j": (energy_hit - energy_base
                           if energy_hit is not None and energy_base is not None else None),
        "recovery_mean_s": f["recovery_s"]["mean"],
        "recovery_max_s": f["recovery_s"]["max"],
        "never_recovered": f["recovery_s"]["never_recovered"],
        "handshakes_from_fault": traffic["handshakes"],
        "extra_handshakes": ((get(hit, "handshakes.started") or 0)
                             - (get(base, "handshakes.started") or 0)),
        "echo_challenges": traffic["echo_challenges"],
        "rederivations": traffic["rederivations"],
        "unauthorized_4_01": traffic["unauthorized_4_01"],
        "mqtt_connections": traffic["mqtt_connections"],
        "replayed_or_forged_accepted": f["accepted_from_fault"]["replayed_or_forged"],
    }


def markdown(rows):
    head = ["fault", "profile", "devices hit", "reports lost (from fault / due)",
            "extra bytes on air", "extra energy (J)", "recovery mean / max (s)",
            "never recovered", "extra handshakes", "Echo / B.2 / 4.01 / MQTT conn. from fault",
            "replayed or forged accepted"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        cells = [r["fault"], r["profile"], fmt(r["devices_hit"]),
                 f"{r['reports_lost_from_fault']} / {r['reports_due_from_fault']}",
                 fmt(r["extra_bytes"]), fmt(r["extra_energy_j"], 2),
                 f"{fmt(r['recovery_mean_s'])} / {fmt(r['recovery_max_s'])}",
                 fmt(r["never_recovered"]), fmt(r["extra_handshakes"]),
                 f"{r['echo_challenges']} / {r['rederivations']} / "
                 f"{r['unauthorized_4_01']} / {r['mqtt_connections']}",
                 fmt(r["replayed_or_forged_accepted"])]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lpwan-run", required=True, help="path of the lpwan-run program")
    ap.add_argument("--scenario-dir", default=None)
    ap.add_argument("--profiles", default=None,
                    help="comma-separated security profiles (default: every profile)")
    ap.add_argument("--faults", default=None,
                    help="comma-separated faults of the table (default: every one: "
                         + ", ".join(f for f, _, _, _ in FAULT_SCENARIOS) + ")")
    ap.add_argument("--out", default="results/faults")
    ap.add_argument("--set", action="append", default=[], dest="sets", metavar="KEY=VALUE")
    ap.add_argument("--seed", default=None)
    args = ap.parse_args()

    known = security_profiles(args.lpwan_run)
    profiles = args.profiles.split(",") if args.profiles else known
    for p in profiles:
        if p not in known:
            sys.exit(f"faults: --profiles: unknown profile '{p}' (one of {', '.join(known)})")
    names = [f for f, _, _, _ in FAULT_SCENARIOS]
    faults = args.faults.split(",") if args.faults else names
    for f in faults:
        if f not in names:
            sys.exit(f"faults: --faults: unknown fault '{f}' (one of {', '.join(names)})")

    rows = []
    for fault, scenario, on, off in FAULT_SCENARIOS:
        if fault not in faults:
            continue
        for profile in profiles:
            print(f"faults: {fault} with {profile} ...", file=sys.stderr)
            p = [f"security.profile={profile}"]
            base = run(args, scenario, os.path.join(args.out, f"baseline-{fault}", profile),
                       p + off)
            hit = run(args, scenario, os.path.join(args.out, fault, profile), p + on)
            rows.append(row(fault, profile, base, hit))

    table = markdown(rows)
    seed = args.seed if args.seed else "the scenario's"
    title = f"Cost of each fault per profile (seed {seed}; extra = fault run minus baseline)"
    print(title + "\n\n" + table)
    write_table(args.out, "faults", title + "\n\n" + table, rows)


if __name__ == "__main__":
    main()
