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


# The exposure figures of a row, each under its summary.json name (docs/results.md).
EXPOSURE_FIGURES = [
    "messages_seen", "plaintext.messages", "plaintext.bytes", "plaintext.devices",
    "modifications.attempted", "modifications.accepted", "modifications.detected",
    "replays.accepted", "replays.rejected", "injections.accepted", "injections.rejected",
    "dropped.messages_lost", "prediction.devices_payload_exposed",
    "prediction.devices_observed_exposed"]


def row_for(name, profile, architecture, s):
    row = {
        "security": name,
        "profile": profile,
        "architecture": architecture,
        "messages.sent": get(s, "messages.sent"),
        "messages.delivered": get(s, "messages.delivered"),
    }
    for figure in EXPOSURE_FIGURES:
        row[f"exposure.{figure}"] = get(s, f"exposure.{figure}")
    row["bytes.on_air_per_delivered_message"] = get(s, "bytes.on_air_per_delivered_message",
                                                    None)
    return row


def markdown(rows):
    head = ["security", "delivered/sent", "reports via adversary", "payload read (reports)",
            "plaintext bytes read", "changes accepted / detected", "replays accepted / refused",
            "forgeries accepted / refused", "reports lost to drops",
            "exposed devices predicted / observed", "bytes on air / delivered msg"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        x = {k[len("exposure."):]: v for k, v in r.items() if k.startswith("exposure.")}
        cells = [r["security"], f"{r['messages.delivered']}/{r['messages.sent']}",
                 fmt(x["messages_seen"]), fmt(x["plaintext.messages"]),
                 fmt(x["plaintext.bytes"]),
                 f"{x['modifications.accepted']} / {x['modifications.detected']}",
                 f"{x['replays.accepted']} / {x['replays.rejected']}",
                 f"{x['injections.accepted']} / {x['injections.rejected']}",
                 fmt(x["dropped.messages_lost"]),
                 f"{x['prediction.devices_payload_exposed']} / "
                 f"{x['prediction.devices_observed_exposed']}",
                 fmt(r["bytes.on_air_per_delivered_message"])]
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
