#!/usr/bin/python3
"""OSCORE's energy saving against each DTLS and TLS profile, from the oscore-saving sweep.

    ./lpwan sweep scenarios/sweeps/oscore-saving.yaml
    /usr/bin/python3 analysis/oscore_saving.py results/sweeps/oscore-saving [--out DIR]

For every coverage level, reporting interval and NAT setting of the sweep, the saving against a
profile X is 1 - E(oscore) / E(X), E the energy per delivered report
(energy.per_delivered_message_j: radio and MCU, each device's first handshake charged once per
energy.session_lifetime_days). Writes OUT/saving.md, OUT/saving.csv and OUT/saving.png (default
OUT: the sweep's directory) and prints the table and the range of the savings.
"""
import argparse
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

import figure_style as style  # noqa: E402
from lpwan_runs import write_table  # noqa: E402

ENERGY = "energy.per_delivered_message_j.mean"
NOT_AMORTISED = "energy.session_lifetime.devices_not_amortised.mean"
LEVELS = {144: "CE0", 154: "CE1", 164: "CE2"}
OTHERS = ["dtls-psk", "dtls-ecdhe", "tls-mqtt", "tls13-mqtt"]
KEYS = ["nbiot.coupling_loss_db", "traffic.interval_s", "link.nat_binding_timeout_s"]


def interval_label(seconds):
    s = int(seconds)
    return f"{s // 86400} d" if s % 86400 == 0 else f"{s // 3600} h" if s % 3600 == 0 \
        else f"{s // 60} min"


def savings(points):
    missing = [c for c in KEYS + ["security.profile", ENERGY] if c not in points.columns]
    if missing:
        sys.exit(f"oscore-saving: points.csv lacks {', '.join(missing)} "
                 "(run scenarios/sweeps/oscore-saving.yaml)")
    if NOT_AMORTISED in points.columns and (points[NOT_AMORTISED].fillna(0) > 0).any():
        bad = points[points[NOT_AMORTISED].fillna(0) > 0]["point"].tolist()
        sys.exit(f"oscore-saving: {len(bad)} points have devices whose first handshake could not "
                 f"be amortised (fewer than three reports in the run; {bad[0]}): make the runs "
                 "longer than three reporting intervals")
    base = points[points["security.profile"] == "oscore"].set_index(KEYS)[ENERGY]
    rows = []
    for _, p in points[points["security.profile"].isin(OTHERS)].iterrows():
        key = tuple(p[k] for k in KEYS)
        if key not in base.index:
            continue
        e_oscore, e_other = float(base.loc[key]), float(p[ENERGY])
        rows.append({
            "profile": p["security.profile"],
            "level": LEVELS.get(int(p["nbiot.coupling_loss_db"]),
                                f"{p['nbiot.coupling_loss_db']} dB"),
            "coupling_loss_db": p["nbiot.coupling_loss_db"],
            "interval_s": int(p["traffic.interval_s"]),
            "nat": "120 s NAT" if p["link.nat_binding_timeout_s"] > 0 else "no NAT",
            "oscore_j": e_oscore, "other_j": e_other,
            "saving_pct": 100 * (1 - e_oscore / e_other),
        })
    return pd.DataFrame(rows)


def markdown(frame):
    lines = ["| against | NAT | level | " + " | ".join(
        interval_label(i) for i in sorted(frame["interval_s"].unique())) + " |"]
    lines.append("|" + "---|" * (3 + frame["interval_s"].nunique()))
    for (profile, nat, level), g in frame.groupby(["profile", "nat", "level"], sort=False):
        cells = [f"{v:.0f} %" for v in g.sort_values("interval_s")["saving_pct"]]
        lines.append(f"| {profile} | {nat} | {level} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def figure(frame, path):
    nats = ["no NAT", "120 s NAT"]
    fig, axes = plt.subplots(2, len(OTHERS), figsize=(4.2 * len(OTHERS), 7.2), sharex=True,
                             squeeze=False)
    colours = style.CE_COLOURS
    for row, nat in enumerate(nats):
        for col, profile in enumerate(OTHERS):
            ax = axes[row][col]
            sub = frame[(frame["profile"] == profile) & (frame["nat"] == nat)]
            for level, g in sub.groupby("level"):
                g = g.sort_values("interval_s")
                ax.plot(g["interval_s"] / 3600, g["saving_pct"], marker="o",
                        color=colours.get(level), label=level)
            ax.axhline(30, color="grey", linestyle="--", linewidth=1)
            ax.axhline(0, color="black", linewidth=0.6)
            ax.set_xscale("log")
            ax.set_title(f"vs {style.profile_style(profile)[2]}, {nat}", fontsize=10)
            if col == 0:
                ax.set_ylabel("OSCORE's energy saving per report [%]")
            if row == 1:
                ax.set_xlabel("reporting interval [h]")
    axes[0][0].legend(fontsize=8)
    fig.suptitle("OSCORE's energy saving per delivered report against DTLS and TLS "
                 "(dashed: 30 %)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sweep_dir")
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    points_csv = os.path.join(args.sweep_dir, "points.csv")
    if not os.path.isfile(points_csv):
        sys.exit(f"oscore-saving: {points_csv}: no such file (run the sweep first)")
    frame = savings(pd.read_csv(points_csv))
    if frame.empty:
        sys.exit(f"oscore-saving: {points_csv} has no oscore point to compare with")
    out = args.out or args.sweep_dir
    table = markdown(frame)
    print(table)
    write_table(out, "saving", table, frame.to_dict("records"))
    figure(frame, os.path.join(out, "saving.png"))
    for nat, g in frame.groupby("nat"):
        print(f"\n{nat}: saving from {g['saving_pct'].min():.0f} % to "
              f"{g['saving_pct'].max():.0f} %; at least 30 % in {(g['saving_pct'] >= 30).sum()} "
              f"of {len(g)} cases")


if __name__ == "__main__":
    main()
