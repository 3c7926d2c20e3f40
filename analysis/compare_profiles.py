#!/usr/bin/python3
"""Runs one scenario once per security profile (same link, same seed) and prints a comparison
table: bytes on air per delivered message by layer, handshakes, retransmissions and latency, and
on NB-IoT / LTE-M cells the devices' MCU time for cryptography (per handshake, per report; counted
from the real stacks and priced by energy.mcu), energy per delivered message and battery life;
and the RAM each profile's security layer holds on a device and on the server per device, measured
by lpwan-memory from the real stacks with the scenario's report and response sizes.

    ./lpwan compare [SCENARIO] [--profiles none,oscore,...] [--out DIR] [--set key=value]...
    ./lpwan compare --exchange ...   (one exchange and one handshake per coverage level:
                                      analysis/exchange_view.py)
    analysis/compare_profiles.py --lpwan-run build/bin/lpwan-run --scenario-dir scenarios ...

Every run keeps its traces in OUT/<profile>/; the table is printed as Markdown and written to
OUT/comparison.md and OUT/comparison.csv.
"""
import argparse
import os
import subprocess
import sys

import exchange_view
from lpwan_runs import (LAYERS, RETRANSMITTED_FLIGHT_SHARE, fmt, get, load_summary,
                        measure_memory, retransmitted_flights, run_command, security_profiles,
                        write_table)


def notes_for(profile, s):
    """What a reader must know before quoting the profile's row: retransmission-dominated
    handshakes, and the MQTT keep-alive behind an MQTT profile's figures."""
    notes = []
    repeated, sent_flights = retransmitted_flights(s)
    if sent_flights and repeated / sent_flights > RETRANSMITTED_FLIGHT_SHARE:
        notes.append(
            f"{profile}: retransmission-dominated handshakes: {repeated} of {sent_flights} "
            f"flights were retransmissions ({100 * repeated / sent_flights:.0f} %), so its bytes, "
            "energy and latency are mostly repeated copies (a first retransmission timeout below "
            "the link's round trip? see dtls.handshake_timeout_min_s)")
    pings = get(s, "mqtt.pings_sent")
    if pings:
        keep_alive = (s.get("parameters") or {}).get("mqtt.keep_alive_s")
        devices = get(s, "devices") or 1
        days = (get(s, "simulated_time_s") or 86400) / 86400
        notes.append(
            f"{profile}: MQTT keep-alive {keep_alive} s: {pings} PINGREQs "
            f"({pings / devices / days:.0f} per device and day), each waking the device: "
            "much of its energy is the keep-alive's, not the security's (mqtt.keep_alive_s=0 "
            "turns it off)")
    return notes


# The figures of a comparison row, each under its summary.json name (docs/results.md).
ROW_FIGURES = (
    ["messages.sent", "messages.delivered", "bytes.on_air_per_delivered_message"]
    + [f"bytes.by_layer.{layer}" for layer in LAYERS]
    + ["handshakes.completed", "handshakes.bytes_per_handshake",
       "handshakes.round_trips_per_handshake", "retransmissions.total", "latency_s.mean",
       "latency_s.p95", "computation.handshake.per_handshake.mcu_s",
       "computation.exchange.per_report.mcu_s", "energy.per_delivered_message_j",
       "battery_life_years.mean", "battery_life_years.min"])


def row_for(profile, s):
    row = {"profile": profile}
    for name in ROW_FIGURES:
        row[name] = get(s, name)
    row["notes"] = notes_for(profile, s)
    return row


# lpwan-memory's figures a comparison row shows, under "memory." and lpwan-memory's names.
MEMORY_FIGURES = ["device_held_bytes", "device_handshake_peak_bytes", "server_per_device_bytes",
                  "server_million_devices_gib"]


def add_memory(row, m):
    for name in MEMORY_FIGURES:
        row[f"memory.{name}"] = m[name]


def kib(n):
    return fmt(None if n is None else n / 1024, 1)


def markdown(rows):
    head = ["profile", "delivered/sent", "bytes on air / delivered msg"] + LAYERS + [
        "handshakes", "bytes / handshake", "round trips / handshake", "retransmissions",
        "latency mean s", "latency p95 s"]
    # Energy exists on cellular links only (the generic link has no radio energy model).
    energy = any(r["energy.per_delivered_message_j"] is not None for r in rows)
    if energy:
        head += ["MCU s / handshake", "MCU ms / report", "J / delivered msg",
                 "battery years mean / min"]
    head += ["device RAM KiB held / handshake peak", "server RAM KiB / device",
             "server RAM GiB / 1M devices"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        cells = [r["profile"], f"{r['messages.delivered']}/{r['messages.sent']}",
                 fmt(r["bytes.on_air_per_delivered_message"])]
        cells += [fmt(r[f"bytes.by_layer.{layer}"]) for layer in LAYERS]
        cells += [fmt(r["handshakes.completed"], 0),
                  fmt(r["handshakes.bytes_per_handshake"]),
                  fmt(r["handshakes.round_trips_per_handshake"]),
                  fmt(r["retransmissions.total"], 0),
                  fmt(r["latency_s.mean"], 3), fmt(r["latency_s.p95"], 3)]
        if energy:
            per_report = r["computation.exchange.per_report.mcu_s"]
            cells += [fmt(r["computation.handshake.per_handshake.mcu_s"], 3),
                      fmt(None if per_report is None else per_report * 1e3, 3),
                      fmt(r["energy.per_delivered_message_j"], 3),
                      f"{fmt(r['battery_life_years.mean'])} / "
                      f"{fmt(r['battery_life_years.min'])}"]
        cells += [f"{kib(r['memory.device_held_bytes'])} / "
                  f"{kib(r['memory.device_handshake_peak_bytes'])}",
                  kib(r["memory.server_per_device_bytes"]),
                  fmt(r["memory.server_million_devices_gib"], 2)]
        lines.append("| " + " | ".join(cells) + " |")
    notes = [n for r in rows for n in r["notes"]]
    if notes:
        lines += [""] + [f"- {n}" for n in notes]
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenario", nargs="?", default="default")
    ap.add_argument("--lpwan-run", required=True, help="path of the lpwan-run program")
    ap.add_argument("--scenario-dir", default=None)
    ap.add_argument("--profiles", default=None,
                    help="comma-separated security profiles (default: every profile)")
    ap.add_argument("--out", default="results/compare")
    ap.add_argument("--set", action="append", default=[], dest="sets", metavar="KEY=VALUE")
    ap.add_argument("--seed", default=None)
    ap.add_argument("--exchange", action="store_true",
                    help="the single-exchange view: the five dimensions of one report exchange "
                         "and one handshake per profile and coverage level, and their figure")
    ap.add_argument("--lpwan-memory", default=None,
                    help="path of the lpwan-memory program (default: next to lpwan-run)")
    args = ap.parse_args()
    lpwan_memory = args.lpwan_memory or os.path.join(os.path.dirname(args.lpwan_run),
                                                     "lpwan-memory")

    profiles = args.profiles.split(",") if args.profiles else None
    if profiles is None:
        # The schema is the authority on which profiles exist.
        profiles = security_profiles(args.lpwan_run)
    if not profiles or any(not p for p in profiles):
        sys.exit("compare: --profiles: empty profile name")

    if args.exchange:
        exchange_view.run(args, profiles, lpwan_memory)
        return

    rows = []
    for profile in profiles:
        out = os.path.join(args.out, profile)
        cmd = run_command(args.lpwan_run, args.scenario, out=out,
                          sets=[f"security.profile={profile}"] + args.sets, seed=args.seed,
                          scenario_dir=args.scenario_dir)
        print(f"compare: running {profile} ...", file=sys.stderr)
        r = subprocess.run(cmd, stdout=subprocess.DEVNULL)
        if r.returncode != 0:
            sys.exit(f"compare: the {profile} run failed (exit {r.returncode})")
        rows.append(row_for(profile, load_summary(out)))

    first = load_summary(os.path.join(args.out, profiles[0]))
    memory = measure_memory(lpwan_memory, profiles, first.get("parameters") or {}, "compare")
    for r in rows:
        add_memory(r, memory[r["profile"]])
    table = markdown(rows)
    print(table)
    # One CSV cell per row for its notes.
    write_table(args.out, "comparison", table, [dict(r, notes="; ".join(r["notes"])) for r in rows])


if __name__ == "__main__":
    main()
