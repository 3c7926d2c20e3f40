#!/usr/bin/python3
"""Runs one topology scenario with a compromised node under four security architectures --
no security, hop-by-hop DTLS, end-to-end OSCORE, and both layered -- and prints what the
adversary read and changed, and what the server detected.

    ./lpwan exposure [SCENARIO] [--dtls dtls-psk|dtls-ecdhe] [--out DIR] [--set key=value]...
    analysis/exposure_table.py --lpwan-run build/bin/lpwan-run --scenario-dir scenarios ...

The default scenario, scenarios/exposure.yaml, puts an adversary that eavesdrops and modifies on
gateway gw2 of scenarios/topologies/campus.dot. Every run keeps its traces in OUT/<name>/; the
table is printed as Markdown and written to OUT/exposure.md and OUT/exposure.csv.
"""
import argparse
import json
import os
import subprocess
import sys

from lpwan_runs import fmt, write_table

# (row name, security.profile, security.architecture); DTLS rows take --dtls.
ARCHITECTURES = [
    ("none", "none", "end-to-end"),
    ("hop-by-hop DTLS", "DTLS", "hop-by-hop"),
    ("end-to-end OSCORE", "oscore", "end-to-end"),
    ("OSCORE inside hop-by-hop DTLS", "DTLS", "layered"),
]


def get(d, path, default=0):
    for part in path.split("."):
        if not isinstance(d, dict) or part not in d:
            return default
        d = d[part]
    return d


def row_for(name, profile, architecture, s):
    x = s["exposure"]
    return {
        "security": name,
        "profile": profile,
        "architecture": architecture,
        "sent": get(s, "messages.sent"),
        "delivered": get(s, "messages.delivered"),
        "reports_via_adversary": get(x, "messages_seen"),
        "plaintext_reports": get(x, "plaintext.messages"),
        "plaintext_bytes": get(x, "plaintext.bytes"),
        "plaintext_devices": get(x, "plaintext.devices"),
        "modified": get(x, "modifications.attempted"),
        "modified_accepted": get(x, "modifications.accepted"),
        "modified_detected": get(x, "modifications.detected"),
        "replays_accepted": get(x, "replays.accepted"),
        "replays_rejected": get(x, "replays.rejected"),
        "injections_accepted": get(x, "injections.accepted"),
        "injections_rejected": get(x, "injections.rejected"),
        "dropped_reports_lost": get(x, "dropped.messages_lost"),
        "devices_predicted": get(x, "prediction.devices_payload_exposed"),
        "devices_observed": get(x, "prediction.devices_observed_exposed"),
        "bytes_per_delivered": get(s, "bytes.on_air_per_delivered_message", None),
    }


def markdown(rows):
    head = ["security", "delivered/sent", "reports via adversary", "payload read (reports)",
            "plaintext bytes read", "changes accepted / detected", "replays accepted / refused",
            "forgeries accepted / refused", "reports lost to drops",
            "exposed devices predicted / observed", "bytes on air / delivered msg"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        cells = [r["security"], f"{r['delivered']}/{r['sent']}", fmt(r["reports_via_adversary"]),
                 fmt(r["plaintext_reports"]), fmt(r["plaintext_bytes"]),
                 f"{r['modified_accepted']} / {r['modified_detected']}",
                 f"{r['replays_accepted']} / {r['replays_rejected']}",
                 f"{r['injections_accepted']} / {r['injections_rejected']}",
                 fmt(r["dropped_reports_lost"]),
                 f"{r['devices_predicted']} / {r['devices_observed']}",
                 fmt(r["bytes_per_delivered"])]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenario", nargs="?", default="exposure")
    ap.add_argument("--lpwan-run", required=True, help="path of the lpwan-run program")
    ap.add_argument("--scenario-dir", default=None)
    ap.add_argument("--dtls", default="dtls-psk", choices=["dtls-psk", "dtls-ecdhe"],
                    help="the DTLS profile of the hop-by-hop and layered rows")
    ap.add_argument("--out", default="results/exposure")
    ap.add_argument("--set", action="append", default=[], dest="sets", metavar="KEY=VALUE")
    ap.add_argument("--seed", default=None)
    args = ap.parse_args()

    rows = []
    for name, profile, architecture in ARCHITECTURES:
        profile = args.dtls if profile == "DTLS" else profile
        label = f"{profile}-{architecture}"
        out = os.path.join(args.out, label)
        cmd = [args.lpwan_run, args.scenario, "--out", out, "--set", "trace.progress=false"]
        if args.scenario_dir:
            cmd += ["--scenario-dir", args.scenario_dir]
        if args.seed:
            cmd += ["--seed", args.seed]
        for s in args.sets:
            cmd += ["--set", s]
        # The architecture under comparison comes last: it wins over the scenario and --set.
        cmd += ["--set", f"security.profile={profile}",
                "--set", f"security.architecture={architecture}"]
        print(f"exposure: running {label} ...", file=sys.stderr)
        r = subprocess.run(cmd, stdout=subprocess.DEVNULL)
        if r.returncode != 0:
            sys.exit(f"exposure: the {label} run failed (exit {r.returncode})")
        with open(os.path.join(out, "summary.json")) as f:
            summary = json.load(f)
        if "exposure" not in summary:
            sys.exit("exposure: the scenario has no topology (set topology.file or "
                     "topology.generator, and adversary.nodes)")
        rows.append(row_for(name, profile, architecture, summary))

    nodes = ", ".join(summary["exposure"]["adversary_nodes"]) or "no node"
    caps = ", ".join(summary["exposure"]["capabilities"]) or "nothing"
    title = (f"Adversary on {nodes} ({caps}), topology {summary['topology']['source']}, "
             f"{summary['devices']} devices")
    table = markdown(rows)
    print(title + "\n\n" + table)
    write_table(args.out, "exposure", title + "\n\n" + table, rows)


if __name__ == "__main__":
    main()
