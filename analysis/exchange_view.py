"""The single-exchange view of ./lpwan compare --exchange: per security profile and coverage
level, the five dimensions of one report exchange (request and response) and of one handshake --
transmission time, computation time, memory, message size and energy -- from real runs, as a
table (OUT/exchange.md, OUT/exchange.csv) and a five-panel figure (OUT/exchange.png).

Each (profile, coverage level) is one run of the scenario with every meter at that coupling loss
(nbiot.coupling_loss_db), the MQTT keep-alive off (mqtt.keep_alive_s=0: its pings are no part of
an exchange) and the first exchange charged once per century (energy.session_lifetime_days), so
that the exchange figures are the steady state's and the handshake's are its own:

  exchange  time: mean latency of the reports that waited for no handshake (messages.csv);
            computation: MCU time per report (computation.exchange.per_report);
            memory: the most a device holds during an exchange (lpwan-memory);
            size: mean bytes on air of those reports (messages.csv; for MQTT, whose TCP and TLS
            records are not attributed to messages, the run's bytes on air per delivered report,
            handshakes included);
            energy: the devices' charged energy less deep sleep (PSM), per delivered report.
  handshake time: mean wait of the reports that waited for a full handshake (messages.csv);
            computation: MCU time per handshake (computation.handshake.per_handshake);
            memory: the most a device holds during its handshake (lpwan-memory);
            size: mean handshake bytes on air (messages.csv; for MQTT its TLS records,
            handshakes.bytes_per_handshake);
            energy: the first exchange's extra (energy.session_lifetime.first_exchange_j).
"""
import json
import os
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

import figure_style as style  # noqa: E402
from lpwan_runs import (RETRANSMITTED_FLIGHT_SHARE, fmt, get, load_summary,  # noqa: E402
                        retransmitted_flights, run_command, write_table)

# Coverage levels and the coupling loss each is run at (docs/nbiot.md: CE0 up to 144 dB, CE1 to
# 154, CE2 to 164).
LEVELS = [("CE0", 144), ("CE1", 154), ("CE2", 164)]

SETTINGS = ["mqtt.keep_alive_s=0", "energy.session_lifetime_days=36500"]

# (column, panel title, scale to the unit shown)
DIMENSIONS = [
    ("time_s", "transmission time [s]", 1),
    ("mcu_s", "computation time [s]", 1),
    ("ram_bytes", "memory [KiB]", 1 / 1024),
    ("bytes", "message size [bytes]", 1),
    ("energy_j", "energy [J]", 1),
]


def _mean(series):
    return float(series.mean()) if len(series) else None


def measure(profile, level, out, summary, memory):
    """One row per phase (exchange, handshake) of one run."""
    messages = pd.read_csv(os.path.join(out, "messages.csv"))
    delivered = messages[messages["outcome"] == "delivered"]
    plain = delivered[delivered["handshake"] == "none"]
    full = delivered[delivered["handshake"] == "full"]
    stream = (messages["air_total_bytes"] == 0).all()  # MQTT: bytes not per message
    energy = pd.read_csv(os.path.join(out, "energy.csv"))
    n = get(summary, "messages.delivered", 0) or 0
    active = (energy["charged_j"].sum() - energy["psm_j"].sum()) / n if n else None
    m = memory[profile]
    exchange = {
        "profile": profile, "level": level, "phase": "exchange",
        "time_s": _mean(plain["latency_s"]),
        "mcu_s": get(summary, "computation.exchange.per_report.mcu_s"),
        "ram_bytes": m["device_exchange_peak_bytes"],
        "bytes": get(summary, "bytes.on_air_per_delivered_message") if stream
        else _mean(plain["air_total_bytes"]),
        "energy_j": active,
    }
    has_handshake = get(summary, "handshakes.completed", 0)
    handshake = {
        "profile": profile, "level": level, "phase": "handshake",
        "time_s": _mean(full["handshake_s"]) if has_handshake else None,
        "mcu_s": get(summary, "computation.handshake.per_handshake.mcu_s"),
        "ram_bytes": m["device_handshake_peak_bytes"] if has_handshake else None,
        "bytes": (get(summary, "handshakes.bytes_per_handshake") if stream
                  else _mean(full["handshake_air_bytes"])) if has_handshake else None,
        "energy_j": get(summary, "energy.session_lifetime.first_exchange_j.mean")
        if has_handshake else None,
    }
    notes = []
    repeated, sent = retransmitted_flights(summary)
    if sent and repeated / sent > RETRANSMITTED_FLIGHT_SHARE:
        notes.append(f"{profile} at {level}: retransmission-dominated handshake: {repeated} of "
                     f"{sent} flights were retransmissions ({100 * repeated / sent:.0f} %): its "
                     "time, bytes and energy are mostly repeated copies (a first retransmission "
                     "timeout below the link's round trip? dtls.handshake_timeout_min_s, "
                     "coap.ack_timeout_s)")
    if handshake["energy_j"] is not None and handshake["energy_j"] < 0:
        notes.append(f"{profile} at {level}: the first exchange cost less than an average report "
                     f"exchange ({exchange['energy_j']:.3f} J): the handshake's energy is within "
                     "the variation of the exchanges (negative: the first was the cheaper)")
    exchange["notes"] = handshake["notes"] = notes
    return [exchange, handshake]


def markdown(rows):
    lines = []
    for phase in ("exchange", "handshake"):
        lines += [f"One {'report exchange' if phase == 'exchange' else 'handshake'}:", "",
                  "| profile | level | time s | MCU s | device RAM KiB | bytes on air | J |",
                  "|---|---|---|---|---|---|---|"]
        for r in rows:
            if r["phase"] != phase:
                continue
            ram = r["ram_bytes"]
            lines.append(
                f"| {r['profile']} | {r['level']} | {fmt(r['time_s'], 3)} | "
                f"{fmt(r['mcu_s'], 4)} | {fmt(None if ram is None else ram / 1024, 1)} | "
                f"{fmt(r['bytes'], 0)} | {fmt(r['energy_j'], 3)} |")
        lines.append("")
    notes = list(dict.fromkeys(n for r in rows for n in r["notes"]))
    lines += [f"- {n}" for n in notes]
    return "\n".join(lines).rstrip()


def figure(rows, path):
    """Five panels, one per dimension; in each, a bar per profile and coverage level, the
    exchange's solid and the handshake's hatched beside it (log scale: they differ by orders
    of magnitude)."""
    frame = pd.DataFrame([{k: v for k, v in r.items() if k != "notes"} for r in rows])
    profiles = style.ordered_profiles(frame["profile"])
    levels = [name for name, _ in LEVELS]
    colours = style.CE_COLOURS
    fig, axes = plt.subplots(1, len(DIMENSIONS), figsize=(4.2 * len(DIMENSIONS), 4.6))
    width = 0.8 / (2 * len(levels))
    for ax, (column, title, scale) in zip(axes, DIMENSIONS):
        for li, level in enumerate(levels):
            for pi, phase in enumerate(("exchange", "handshake")):
                sub = frame[(frame["level"] == level) & (frame["phase"] == phase)]
                values = [sub[sub["profile"] == p][column].iloc[0] for p in profiles]
                xs = [i - 0.4 + width * (2 * li + pi + 0.5) for i in range(len(profiles))]
                ax.bar(xs, [0 if v is None or pd.isna(v) else v * scale for v in values],
                       width, color=colours[level], hatch="//" if phase == "handshake" else None,
                       edgecolor="white" if phase == "handshake" else colours[level],
                       label=f"{level} {phase}")
        ax.set_title(title)
        ax.set_yscale("log")
        ax.set_xticks(range(len(profiles)))
        ax.set_xticklabels([style.profile_style(p)[2] for p in profiles], rotation=60,
                           ha="right", fontsize=8)
    axes[0].legend(fontsize=7, ncol=2)
    fig.suptitle("One report exchange (solid) and one handshake (hatched) per security profile "
                 "and coverage level")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def run(args, profiles, lpwan_memory):
    """Runs every (profile, level), writes the table and figure; returns the rows."""
    memory_run = subprocess.run([lpwan_memory, "--json"], stdout=subprocess.PIPE, text=True)
    if memory_run.returncode != 0:
        sys.exit(f"compare: {lpwan_memory} failed (exit {memory_run.returncode})")
    memory = {m["profile"]: m for m in json.loads(memory_run.stdout)["profiles"]}
    rows = []
    for profile in profiles:
        if profile not in memory:
            sys.exit(f"compare: lpwan-memory has no measurement for profile '{profile}'")
        for level, loss in LEVELS:
            out = os.path.join(args.out, "exchange", f"{profile}-{level}")
            sets = ([f"security.profile={profile}", f"nbiot.coupling_loss_db={loss}"]
                    + SETTINGS + args.sets)
            cmd = run_command(args.lpwan_run, args.scenario, out=out, sets=sets, seed=args.seed,
                              scenario_dir=args.scenario_dir)
            print(f"compare --exchange: running {profile} at {loss} dB ...", file=sys.stderr)
            r = subprocess.run(cmd, stdout=subprocess.DEVNULL)
            if r.returncode != 0:
                sys.exit(f"compare: the {profile} run at {loss} dB failed (exit {r.returncode})")
            summary = load_summary(out)
            if summary.get("energy") is None:
                sys.exit("compare --exchange: needs a scenario on NB-IoT or LTE-M cells (energy "
                         f"and coverage levels); {args.scenario} has none")
            rows += measure(profile, level, out, summary, memory)
    table = markdown(rows)
    print(table)
    write_table(args.out, "exchange", table, [dict(r, notes="; ".join(r["notes"])) for r in rows])
    figure(rows, os.path.join(args.out, "exchange.png"))
    print(f"\nfigure: {os.path.join(args.out, 'exchange.png')}", file=sys.stderr)
    return rows
