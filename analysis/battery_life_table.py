#!/usr/bin/python3
"""Battery life of NB-IoT meters for the 3GPP evaluation cases (50 bytes every 2 hours and
200 bytes once a day, at 144, 154 and 164 dB coupling loss; also 200 bytes every 2 hours and
50 bytes once a day), simulated, beside the 3GPP evaluation's figures where a readable source
gives them (analysis/battery_life_references.json, which names and quotes each source).

    ./lpwan battery-table [--profiles none,oscore,...] [--cases 50B_2h,...] [--devices N]
                          [--out DIR] [--set k=v]...
    analysis/battery_life_table.py --lpwan-run build/bin/lpwan-run --scenario-dir scenarios ...

Each case runs the default scenario on one NB-IoT cell (one simulated day for the 2-hourly case,
seven for the daily one) with every meter at the case's coupling loss, set up as the 3GPP evaluation assumes: the 3GPP power profile
(500/80/3/0.015 mW, 5 Wh), a Confirmable CoAP report whose response plays the application
acknowledgement, the connection released after that response (RAI), PSM straight after the
release (T3324 = 0) and no periodic TAU within the day. Run traces go to OUT/<profile>/<case>/;
the table is printed as Markdown and written to OUT/battery-life.md and OUT/battery-life.csv.
"""
import argparse
import json
import os
import subprocess
import sys

from lpwan_runs import fmt, write_table

HERE = os.path.dirname(os.path.abspath(__file__))
# (name, payload bytes, report interval s, simulated days): at least 7 reports per meter, so
# that one-off costs (a DTLS session's first handshake) are spread as over a week.
CASES = [("50B_2h", 50, 7200, 1), ("200B_1d", 200, 86400, 7), ("200B_2h", 200, 7200, 1),
         ("50B_1d", 50, 86400, 7)]
LOSSES = [144, 154, 164]
STATES = ["psm", "idle", "ra", "connected", "sync", "control", "rx", "tx", "mcu"]


def run_case(args, profile, case, payload, interval, days, loss):
    out = os.path.join(args.out, profile, f"{case}_{loss}dB")
    sets = {
        "link.kind": "nbiot",
        "devices.count": str(args.devices),
        "simulation.duration_s": str(86400 * days),
        "traffic.payload_bytes": str(payload),
        "traffic.interval_s": str(interval),
        "traffic.jitter_s": "0",
        "traffic.type": "con",
        "nbiot.coupling_loss_db": str(loss),
        "nbiot.rrc": "cp",
        "nbiot.rai": "one-downlink",
        "nbiot.psm": "true",
        "nbiot.t3324_s": "0",
        "nbiot.t3412_s": "1200000",
        "coap.ack_timeout_s": "60",
        # A full DTLS handshake at 164 dB takes minutes: mbedTLS's 1 s / 60 s timers would
        # retransmit flights still in the queue and give up.
        "dtls.handshake_timeout_min_s": "30",
        "dtls.handshake_timeout_max_s": "1200",
        "energy.profile": "3gpp",
        "energy.battery_wh": "5",
        # The evaluation's battery has no self-discharge.
        "energy.self_discharge_pct_per_year": "0",
        "security.profile": profile,
        "trace.progress": "false",
    }
    for kv in args.sets:
        k, _, v = kv.partition("=")
        sets[k] = v
    cmd = [args.lpwan_run, "default", "--out", out]
    if args.scenario_dir:
        cmd += ["--scenario-dir", args.scenario_dir]
    for k, v in sets.items():
        cmd += ["--set", f"{k}={v}"]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(out, "summary.json")) as f:
        return json.load(f)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lpwan-run", required=True, help="path of the lpwan-run program")
    ap.add_argument("--scenario-dir", default=None)
    ap.add_argument("--profiles", default="none", help="comma-separated security profiles")
    ap.add_argument("--cases", default=",".join(c[0] for c in CASES),
                    help="comma-separated cases (default: all of " +
                    ", ".join(c[0] for c in CASES) + ")")
    ap.add_argument("--losses", default=",".join(str(x) for x in LOSSES),
                    help="comma-separated coupling losses in dB (default 144,154,164)")
    ap.add_argument("--devices", type=int, default=10, help="meters per case (default 10)")
    ap.add_argument("--out", default="results/battery-table")
    ap.add_argument("--reference", default=os.path.join(HERE, "battery_life_references.json"))
    ap.add_argument("--set", action="append", default=[], dest="sets", metavar="KEY=VALUE")
    args = ap.parse_args()
    known = {c[0]: c for c in CASES}
    cases = [c.strip() for c in args.cases.split(",") if c.strip()]
    for c in cases:
        if c not in known:
            ap.error(f"--cases: unknown case '{c}' (known: {', '.join(known)})")
    try:
        losses = [int(x) for x in args.losses.split(",") if x.strip()]
    except ValueError:
        ap.error(f"--losses: '{args.losses}' is not a comma-separated list of integers")
    if not cases or not losses or args.devices < 1:
        ap.error("need at least one case, one coupling loss and one device")
    with open(args.reference) as f:
        ref = json.load(f)
    # Every figure names a source that says where to read it and what it says.
    for case, by_loss in ref["years"].items():
        for loss, cell in by_loss.items():
            src = ref["sources"].get(cell["source"])
            if not src or not all(src.get(k) for k in ("citation", "where", "quote")):
                ap.error(f"{args.reference}: years.{case}.{loss} names source "
                         f"'{cell['source']}' without citation, where and quote")

    rows = []
    for profile in args.profiles.split(","):
        for case, payload, interval, days in (known[c] for c in cases):
            for loss in losses:
                s = run_case(args, profile, case, payload, interval, days, loss)
                sent = s["messages"]["sent"]
                e = s["energy"]
                delivered = s["messages"]["delivered"]
                # A meter that delivers nothing (out of coverage) has no battery life to
                # compare: it would only sleep.
                years = s["battery_life_years"]["mean"] if delivered else None
                # The reference figures are NB-IoT's; none is set beside LTE-M.
                cell = (ref["years"].get(case, {}).get(str(loss))
                        if s["parameters"]["link.kind"] == "nbiot" else None)
                reference = cell["years"] if cell else None
                row = {
                    "profile": profile,
                    "case": case,
                    "coupling_loss_db": loss,
                    "ce": next(k for k in ("ce0", "ce1", "ce2", "out_of_coverage")
                               if s["nbiot"]["coverage"][k] > 0),
                    "battery_life_years.mean": years,
                    "reference_years": reference,
                    "reference_source": cell["source"] if cell else None,
                    "difference_pct": (100.0 * (years - reference) / reference)
                    if reference and years is not None else None,
                    "messages.sent": sent,
                    "messages.delivered": delivered,
                    "energy.per_sent_message_j": e["total_j"] / sent if sent else None,
                    "bytes.on_air_per_delivered_message":
                        s["bytes"]["on_air_per_delivered_message"],
                    "latency_s.mean": s["latency_s"]["mean"] if delivered else None,
                }
                for st in STATES:
                    row[f"energy.by_state_share.{st}"] = (e["by_state_j"][st] / e["total_j"]
                                                         if e["total_j"] else 0)
                rows.append(row)

    head = ["profile", "case", "coupling loss dB", "CE", "simulated years",
            "3GPP evaluation years", "difference", "J / report", "bytes on air / report",
            "latency s", "energy by state (psm/idle/ra/conn/sync/control/rx/tx/mcu %)"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        shares = "/".join(f"{100 * r[f'energy.by_state_share.{st}']:.0f}" for st in STATES)
        ref_txt = "-"
        if r["reference_years"]:
            ref_txt = f"{r['reference_years']:.1f} ({r['reference_source']})"
        diff = f"{r['difference_pct']:+.0f} %" if r["difference_pct"] is not None else "-"
        # A meter out of coverage (LTE-M beyond 156 dB) delivers nothing: no bytes or latency.
        lines.append("| " + " | ".join([
            r["profile"], r["case"], str(r["coupling_loss_db"]), r["ce"],
            fmt(r["battery_life_years.mean"], 1), ref_txt, diff,
            fmt(r["energy.per_sent_message_j"], 3),
            fmt(r["bytes.on_air_per_delivered_message"], 0), fmt(r["latency_s.mean"], 2),
            shares]) + " |")
    table = "\n".join(lines)
    used = sorted({r["reference_source"] for r in rows if r["reference_source"]})
    note = "\n".join([f"Reference: {ref['document']}."] +
                     [f"- {name}: {ref['sources'][name]['citation']}, "
                      f"{ref['sources'][name]['where']}: \"{ref['sources'][name]['quote']}\""
                      for name in used] +
                     ([f"- coupling loss of the 'sauter' figures: {ref['coupling_loss_inferred']}"]
                      if "sauter" in used else []))
    print(table)
    print()
    print(note)
    write_table(args.out, "battery-life", table + "\n\n" + note, rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
