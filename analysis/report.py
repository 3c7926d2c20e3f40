#!/usr/bin/python3
"""The decision report: which security protocol, and what it costs, on one page.

    ./lpwan report [SCENARIO] [--seeds N] [--profiles a,b,...] [--set key=value]...
                   [--jobs N] [--out DIR]

Runs, for every security profile and seeds 1..N (default 5):
  scenario   the scenario as it is (its cells, coverage mix, interval, NAT);
  coverage   every device at the coupling loss of CE0, CE1 and CE2, without and behind a NAT
             that forgets a binding after 120 s (cellular scenarios);
  interval   hourly and daily reports (three days and an hour, so that daily reporters send
             the three reports the session-lifetime estimate needs);
then the exposure scenario (a compromised gateway, four architectures) and lpwan-memory. Writes
DIR/report.html (open it in a browser), DIR/report.md, DIR/report.json (every figure the page
shows) and the figures; the runs stay in DIR/sweeps/ (a second call resumes them).

Every battery figure is the mean over the seeds of a run's figure (the mean device, or the 5th
percentile of devices) with the 95 % confidence interval of that mean (Student t); "relative"
is to no security under the same conditions. Unless --set gives energy.session_lifetime_days,
a session or OSCORE context is taken to live 30 days (the page says so).
"""
import argparse
import html
import json
import math
import os
import subprocess
import sys
import time

import matplotlib

matplotlib.use("Agg")  # files only
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

import figure_style as style  # noqa: E402
import plot_figures as figs  # noqa: E402
from plot import Data  # noqa: E402
from compare_profiles import notes_for  # noqa: E402
from lpwan_runs import default_runner, measure_memory, security_profiles  # noqa: E402
from results import load_sweep  # noqa: E402
from sweep_tables import ci95_halfwidth  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DEFAULT_SESSION_DAYS = 30
NAT_TIMEOUT_S = 120
# Profiles whose protection a gateway or proxy on the path does not terminate (the exposure
# scenario shows it: OSCORE's reports stay unreadable and unmodifiable there).
END_TO_END = {"oscore", "edhoc-oscore", "oscore-dtls"}
# How each profile's keys reach the devices.
KEY_MANAGEMENT = {
    "none": "none",
    "oscore": "pre-shared OSCORE context per device",
    "edhoc-oscore": "certificates / raw public keys (EDHOC)",
    "dtls-psk": "pre-shared key per device",
    "dtls-ecdhe": "certificates (ECDHE-ECDSA)",
    "oscore-dtls": "pre-shared OSCORE context and DTLS key",
    "tls-mqtt": "pre-shared key per device",
    "tls13-mqtt": "pre-shared key per device",
    "dtls13-psk": "pre-shared key per device",
    "dtls13-ecdhe": "raw public keys (ECDHE-ECDSA)",
}
# The scenario keys the page lists as assumptions, in this order (those the runs have).
ASSUMPTION_KEYS = [
    "link.kind", "devices.count", "nbiot.cells", "nbiot.cell_radius_m", "traffic.type",
    "traffic.interval_s", "traffic.payload_bytes", "server.response_payload_bytes",
    "simulation.duration_s", "link.nat_binding_timeout_s", "energy.session_lifetime_days",
    "coap.ack_timeout_s", "coap.max_retransmit", "dtls.handshake_timeout_min_s",
    "dtls.handshake_timeout_max_s", "dtls.resumption", "tls.authentication", "tls.resumption",
    "mqtt.keep_alive_s", "mqtt.qos", "nbiot.psm", "nbiot.rai", "nbiot.t3324_s",
    "nbiot.edrx_cycle_s", "nbiot.grant_request", "energy.profile", "energy.battery_wh",
    "energy.self_discharge_pct_per_year", "energy.mcu", "energy.mcu_delays_messages"]


def log(text):
    print(f"report: {text}", file=sys.stderr, flush=True)


class Report:
    def __init__(self, args):
        self.args = args
        self.sweeps = os.path.join(args.out, "sweeps")
        self.figures = []   # (file, title, caption)
        self.data = {}      # report.json

    # ---- running ----
    def sweep(self, name, grid, sets):
        """Writes OUT/sweeps/NAME.yaml, runs (or resumes) it with ./lpwan sweep's machinery and
        returns its runs table."""
        os.makedirs(self.sweeps, exist_ok=True)
        lines = [f"scenario: {json.dumps(self.args.scenario_path)}", "set:"]
        lines += [f"  {k}: {json.dumps(v)}" for k, v in sets.items()] or ["  {}"]
        lines += ["grid:"] + [f"  {k}: {json.dumps(v)}" for k, v in grid.items()]
        lines += [f"seeds: {self.args.seeds}"]
        if lines[2] == "  {}":
            lines = lines[:1] + lines[3:]
        spec = os.path.join(self.sweeps, name + ".yaml")
        with open(spec, "w") as f:
            f.write("\n".join(lines) + "\n")
        out = os.path.join(self.sweeps, name)
        cmd = [sys.executable, os.path.join(HERE, "sweep.py"), spec, "--out", out,
               "--lpwan-run", self.args.lpwan_run, "--scenario-dir", self.args.scenario_dir,
               "--jobs", str(self.args.jobs)]
        for s in self.args.sets:
            cmd += ["--set", s]
        logfile = os.path.join(self.sweeps, name + ".log")
        log(f"{name}: running {spec} (progress in {logfile})")
        with open(logfile, "w") as f:
            r = subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT)
        if r.returncode != 0:
            sys.exit(f"report: the {name} sweep failed (exit {r.returncode}); see {logfile}")
        return load_sweep(out)

    def memory(self, profiles, params):
        lpwan_memory = os.path.join(os.path.dirname(self.args.lpwan_run), "lpwan-memory")
        return measure_memory(lpwan_memory, profiles, params, "report")

    def exposure(self):
        out = os.path.join(self.args.out, "exposure")
        cmd = [sys.executable, os.path.join(HERE, "exposure_table.py"), "--lpwan-run",
               self.args.lpwan_run, "--scenario-dir", self.args.scenario_dir, "--out", out]
        r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if r.returncode != 0:
            sys.exit(f"report: the exposure runs failed (exit {r.returncode})")
        return pd.read_csv(os.path.join(out, "exposure.csv"))


def mean_ci(values):
    values = pd.Series(values).dropna().astype(float)
    if values.empty:
        return math.nan, math.nan
    return values.mean(), ci95_halfwidth(values)


def years(mean, ci):
    if mean != mean:
        return "-"
    return f"{mean:.1f}" + ("" if ci != ci else f" ± {ci:.1f}")


def battery_rows(runs, conditions):
    """Mean and 5th-percentile battery life per profile and condition, with 95 % intervals over
    the seeds and relative to no security."""
    rows = []
    by = ["security.profile"] + conditions
    for keys, g in runs.groupby(by if conditions else by[0], sort=False):
        keys = keys if isinstance(keys, tuple) else (keys,)
        row = dict(zip(["security.profile"] + conditions, keys))
        row["seeds"] = len(g)
        for figure in ("mean", "p5"):
            m, c = mean_ci(g.get(f"battery_life_years.{figure}", pd.Series(dtype=float)))
            row[f"battery_life_years.{figure}"] = m
            row[f"battery_life_years.{figure}.ci95"] = c
        row["messages.delivery_ratio"] = g["messages.delivery_ratio"].mean()
        rows.append(row)
    df = pd.DataFrame(rows)
    base = df[df["security.profile"] == "none"].set_index(conditions) if conditions else \
        df[df["security.profile"] == "none"]
    rel = []
    for _, r in df.iterrows():
        if conditions:
            key = tuple(r[c] for c in conditions)
            key = key[0] if len(key) == 1 else key
            b = base["battery_life_years.mean"].get(key, math.nan) if len(base) else math.nan
        else:
            b = base["battery_life_years.mean"].iloc[0] if len(base) else math.nan
        rel.append(r["battery_life_years.mean"] / b if b and b == b else math.nan)
    df["battery_life_years.mean.relative_to_none"] = rel
    return df


def ce_name(loss, link_kind):
    bounds = style.CE_BOUNDS_DB.get(link_kind, style.CE_BOUNDS_DB["nbiot"])
    for i, b in enumerate(bounds):
        if loss <= b:
            return f"CE{i}"
    return "out of coverage"


def best(df, profiles, key="battery_life_years.mean"):
    """The profile of profiles with the longest battery life among those that deliver (within
    1 % of the best delivery ratio of profiles)."""
    sub = df[df["security.profile"].isin(profiles)]
    if sub.empty:
        return None
    top = sub["messages.delivery_ratio"].max()
    sub = sub[sub["messages.delivery_ratio"] >= top - 0.01]
    return sub.loc[sub[key].idxmax(), "security.profile"]


def name(p):
    return style.profile_style(p)[2]


def paired_ratio(runs, p, q, key="battery_life_years.mean"):
    """Mean and 95 % interval over the seeds of p's figure over q's in the same seed (the same
    devices in the same places: the coverage mix cancels out)."""
    a = runs[runs["security.profile"] == p].set_index("seed")[key]
    b = runs[runs["security.profile"] == q].set_index("seed")[key]
    ratio = (a / b).dropna()
    return mean_ci(ratio)


def tied(runs, p, q):
    """Whether p and q last as long as each other within what the seeds can tell (the paired
    ratio's interval includes 1) or within 2 %."""
    m, c = paired_ratio(runs, p, q)
    return m == m and (abs(m - 1) < 0.02 or (c == c and abs(m - 1) <= c))


def recommendation(scenario, scenario_runs, conditions, exposure, profiles):
    """The recommended profile, its reasons and the conditions under which it changes."""
    secured = [p for p in profiles if p != "none"]
    e2e = [p for p in secured if p in END_TO_END]
    pick = best(scenario, e2e) or best(scenario, secured)
    cheapest = best(scenario, secured)
    by = scenario.set_index("security.profile")
    reasons = []
    ties = [p for p in (e2e or secured) if p != pick and tied(scenario_runs, p, pick)]
    yrs = by.loc[pick, "battery_life_years.mean"]
    rel = by.loc[pick, "battery_life_years.mean.relative_to_none"]
    reasons.append(f"{name(pick)} gives the longest battery life of the profiles that protect "
                   f"reports end to end: {yrs:.1f} years for the mean device "
                   f"({100 * rel:.0f} % of no security's), "
                   f"{by.loc[pick, 'battery_life_years.p5']:.1f} years for the 5th percentile.")
    if ties:
        m, c = paired_ratio(scenario_runs, ties[0], pick)
        reasons.append(
            f"{', '.join(name(t) for t in ties)} last{'s' if len(ties) == 1 else ''} as long "
            f"within what {scenario_runs['seed'].nunique()} seeds tell apart ({name(ties[0])}: "
            f"{100 * m:.1f} ± {100 * (c if c == c else 0):.1f} % of {name(pick)}'s, same devices "
            "per seed): choose among them by how keys reach the devices.")
    if exposure is not None and not exposure.empty:
        e = exposure.set_index("security")
        if "end-to-end OSCORE" in e.index and "hop-by-hop DTLS" in e.index:
            reasons.append(
                "With a compromised gateway or proxy on the path, hop-by-hop DTLS let it read "
                f"{int(e.loc['hop-by-hop DTLS', 'exposure.plaintext.messages'])} reports and "
                f"change {int(e.loc['hop-by-hop DTLS', 'exposure.modifications.accepted'])}; "
                f"OSCORE let it read {int(e.loc['end-to-end OSCORE', 'exposure.plaintext.messages'])}"
                f" and change {int(e.loc['end-to-end OSCORE', 'exposure.modifications.accepted'])}"
                " (exposure scenario below).")
    if cheapest != pick:
        reasons.append(
            f"{name(cheapest)} costs less ({by.loc[cheapest, 'battery_life_years.mean']:.1f} "
            "years) but a gateway, proxy or platform that terminates it reads and can change "
            "every report: choose it only when the device talks to the server with nothing "
            "in between that you do not trust.")
    # Key management: the certificate-based variant of the pick, if it was run.
    variants = {"oscore": "edhoc-oscore", "dtls-psk": "dtls-ecdhe"}
    other = variants.get(pick) or {v: k for k, v in variants.items()}.get(pick)
    if other in by.index:
        reasons.append(
            f"Key management: {name(pick)} needs {KEY_MANAGEMENT.get(pick, '?')}; "
            f"{name(other)} ({KEY_MANAGEMENT.get(other, '?')}) gives "
            f"{by.loc[other, 'battery_life_years.mean']:.1f} years "
            f"({100 * by.loc[other, 'battery_life_years.mean.relative_to_none']:.0f} % of no "
            "security's).")
    # conditions: [(aggregated rows, their runs, condition columns)]. A change is listed only
    # when the seeds tell the two profiles apart.
    changes = []
    for df, runs, conds in conditions:
        for keys, g in df.groupby(conds if len(conds) > 1 else conds[0], sort=False):
            keys = keys if isinstance(keys, tuple) else (keys,)
            where = ", ".join(str(k) for k in keys)
            mask = pd.Series(True, index=runs.index)
            for col, value in zip(conds, keys):
                mask &= runs[col] == value
            sub = runs[mask]
            b = best(g, e2e) or best(g, secured)
            if b != pick and not tied(sub, b, pick):
                changes.append(f"{where}: {name(b)} lasts longest of the end-to-end profiles")
            c = best(g, secured)
            g2 = g.set_index("security.profile")
            if c != b and c in g2.index and b in g2.index and not tied(sub, c, b):
                gap = 100 * (1 - g2.loc[b, "battery_life_years.mean"]
                             / g2.loc[c, "battery_life_years.mean"])
                changes.append(f"{where}: {name(c)} lasts {gap:.0f} % longer than {name(b)} "
                               "(not end to end)")
    # Where each alternative falls furthest behind the pick: the conditions that decide.
    matters = []
    frames = [(df, conds) for df, _, conds in conditions]
    for p in secured:
        if p == pick:
            continue
        worst = None
        for df, conds in frames:
            for keys, g in df.groupby(conds if len(conds) > 1 else conds[0], sort=False):
                keys = keys if isinstance(keys, tuple) else (keys,)
                g2 = g.set_index("security.profile")
                if p not in g2.index or pick not in g2.index:
                    continue
                ratio = g2.loc[p, "battery_life_years.mean"] / g2.loc[pick,
                                                                      "battery_life_years.mean"]
                if worst is None or ratio < worst[0]:
                    worst = (ratio, ", ".join(str(k) for k in keys))
        if worst:
            matters.append(f"{name(p)}: {100 * worst[0]:.0f} % of {name(pick)}'s battery life "
                           f"at {worst[1]}")
    return pick, reasons, changes, matters


def battery_figure(coverage, path, profiles):
    nats = list(dict.fromkeys(coverage["nat"]))
    fig, axes = plt.subplots(1, len(nats), figsize=(5.6 * len(nats), 4.2), sharey=True,
                             squeeze=False)
    axes = list(axes.flat)
    levels = list(dict.fromkeys(coverage["ce"]))
    for ax, nat in zip(axes, nats):
        sub = coverage[coverage["nat"] == nat]
        for p in style.ordered_profiles(sub["security.profile"]):
            s = sub[sub["security.profile"] == p].set_index("ce").reindex(levels)
            colour, marker, label = style.profile_style(p)
            xs = range(len(levels))
            ax.errorbar(xs, s["battery_life_years.mean"],
                        yerr=s["battery_life_years.mean.ci95"].fillna(0), color=colour,
                        marker=marker, capsize=3, label=label)
            ax.plot(xs, s["battery_life_years.p5"], color=colour, marker=marker,
                    linestyle=":", markerfacecolor="none", alpha=0.8)
        ax.set_xticks(range(len(levels)))
        ax.set_xticklabels(levels)
        ax.set_xlabel("coverage level (every device at its coupling loss)")
        ax.set_title(nat, fontsize=10)
        ax.grid(True, which="both", alpha=0.3)
        if style.spans_decades(list(sub["battery_life_years.mean"])):
            style.log_axis(ax.yaxis)
    axes[0].set_ylabel("battery life [years]: mean (solid), 5th percentile (dotted)")
    axes[-1].legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1), borderaxespad=0)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def table_md(df, columns, headers):
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    for _, r in df.iterrows():
        lines.append("| " + " | ".join(str(c(r)) if callable(c) else str(r[c])
                                       for c in columns) + " |")
    return "\n".join(lines)


def md_to_html_table(md):
    rows = [line.strip().strip("|").split("|") for line in md.splitlines()]
    head, body = rows[0], rows[2:]
    out = ["<div class='scroll'><table><tr>"
           + "".join(f"<th>{html.escape(c.strip())}</th>" for c in head) + "</tr>"]
    for r in body:
        out.append("<tr>" + "".join(f"<td>{html.escape(c.strip())}</td>" for c in r) + "</tr>")
    return "".join(out) + "</table></div>"


def fmt(v, digits):
    return "-" if v is None or v != v else f"{v:.{digits}f}"


def main(argv):
    ap = argparse.ArgumentParser(prog="lpwan report", description=__doc__.splitlines()[0])
    ap.add_argument("scenario", nargs="?", default="default")
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--profiles", help="comma-separated (default: every profile)")
    ap.add_argument("--set", action="append", default=[], dest="sets", metavar="KEY=VALUE")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--out", default=os.path.join("results", "report"))
    ap.add_argument("--lpwan-run", default=None)
    ap.add_argument("--scenario-dir", default=os.path.join(ROOT, "scenarios"))
    ap.add_argument("--no-exposure", action="store_true", help="skip the exposure scenario")
    args = ap.parse_args(argv)
    if args.seeds < 2:
        ap.error("--seeds: at least 2 (the intervals need two runs)")
    args.lpwan_run = args.lpwan_run or default_runner()
    available = security_profiles(args.lpwan_run)
    profiles = args.profiles.split(",") if args.profiles else list(available)
    unknown = [p for p in profiles if p not in available]
    if unknown:
        ap.error(f"--profiles: unknown {', '.join(unknown)} (known: {', '.join(available)})")
    if "none" not in profiles:
        profiles = ["none"] + profiles  # the baseline "relative" figures need
    profiles = style.ordered_profiles(profiles)
    args.scenario_path = args.scenario if os.path.isfile(args.scenario) else \
        os.path.join(args.scenario_dir, args.scenario + ".yaml")
    if not os.path.isfile(args.scenario_path):
        ap.error(f"{args.scenario}: no such scenario file (nor {args.scenario_path})")
    args.scenario_path = os.path.abspath(args.scenario_path)
    user_keys = {s.split("=", 1)[0] for s in args.sets}
    base = {} if "energy.session_lifetime_days" in user_keys else {
        "energy.session_lifetime_days": DEFAULT_SESSION_DAYS}
    os.makedirs(args.out, exist_ok=True)
    started = time.monotonic()
    rep = Report(args)

    scenario_runs = rep.sweep("scenario", {"security.profile": profiles}, base)
    with open(os.path.join(scenario_runs["run_dir"].iloc[0], "summary.json")) as f:
        params = json.load(f)["parameters"]
    link_kind = params.get("link.kind")
    if link_kind not in ("nbiot", "ltem") or "battery_life_years.mean" not in scenario_runs:
        # The recommendation weighs battery life, which only cells' energy models give.
        sys.exit(f"report: {args.scenario} runs on link.kind={link_kind}, which has no energy "
                 "model: the report ranks profiles by battery life; give it a cellular scenario "
                 "(link.kind nbiot or ltem), or compare bytes and latency with ./lpwan compare")
    scenario = battery_rows(scenario_runs, [])
    losses = style.CE_BOUNDS_DB[link_kind]
    cov_runs = rep.sweep("coverage", {"security.profile": profiles,
                                      "nbiot.coupling_loss_db": losses,
                                      "link.nat_binding_timeout_s": [0, NAT_TIMEOUT_S]}, base)
    cov_runs["ce"] = [f"{ce_name(x, link_kind)} ({x:.0f} dB)"
                      for x in cov_runs["nbiot.coupling_loss_db"]]
    cov_runs["nat"] = ["no NAT" if x == 0 else f"NAT {x:.0f} s"
                       for x in cov_runs["link.nat_binding_timeout_s"]]
    coverage = battery_rows(cov_runs, ["ce", "nat"])
    int_runs = rep.sweep("interval", {"security.profile": profiles,
                                      "traffic.interval_s": [3600, 86400]},
                         dict(base, **{"simulation.duration_s": 3 * 86400 + 3600}))
    int_runs["interval"] = ["hourly" if x == 3600 else "daily"
                            for x in int_runs["traffic.interval_s"]]
    interval = battery_rows(int_runs, ["interval"])
    exposure = None if args.no_exposure else rep.exposure()
    memory = rep.memory([p for p in profiles], params)

    conditions = [(coverage, cov_runs, ["ce", "nat"]), (interval, int_runs, ["interval"])]
    pick, reasons, changes, matters = recommendation(scenario, scenario_runs, conditions,
                                                     exposure, profiles)

    # ---- figures ----
    battery_figure(coverage, os.path.join(args.out, "battery_by_coverage.png"), profiles)
    rep.figures.append(("battery_by_coverage.png", "Battery life per coverage level and NAT",
                        "Every device at the coupling loss of the level; mean device "
                        "(solid, 95 % interval over the seeds) and 5th percentile of "
                        "devices (dotted)."))
    data = Data(args.out, scenario_runs, ["security.profile"], params, "sweep")
    for draw in (figs.bytes_by_layer, figs.energy_by_state):
        try:
            f = draw(data, args.out)
            rep.figures.append((f.filename, f.title, f.caption))
        except figs.Skip:
            pass

    # ---- tables ----
    dims = []
    for p in profiles:
        g = scenario_runs[scenario_runs["security.profile"] == p]
        m = memory.get(p, {})
        row = {"security.profile": p}
        for k in ("bytes.on_air_per_delivered_message", "latency_s.p95",
                  "computation.handshake.per_handshake.mcu_s",
                  "computation.exchange.per_report.mcu_s", "energy.per_delivered_message_j",
                  "messages.delivery_ratio"):
            row[k] = g[k].mean() if k in g.columns else math.nan
        row["memory.device_held_bytes"] = m.get("device_held_bytes")
        row["memory.server_per_device_bytes"] = m.get("server_per_device_bytes")
        dims.append(row)
    dims = pd.DataFrame(dims)

    md = []
    md.append(f"# Which security protocol for {os.path.basename(args.scenario_path)}?")
    md.append(f"\n**Recommendation: {name(pick)}** ({pick}).\n")
    md += [f"- {r}" for r in reasons]
    md.append("\n**When the answer changes**" + (":" if changes else ": it does not, in "
              "any coverage level, NAT or reporting interval run here."))
    md += [f"- {c}" for c in changes]
    if matters:
        md.append("\n**Where the choice matters most** (each alternative where it falls "
                  "furthest behind):")
        md += [f"- {m}" for m in matters]
    # What a reader must know before quoting a profile's figures (compare's notes: handshakes
    # made mostly of retransmitted flights, the MQTT keep-alive behind MQTT's energy).
    notes = []
    for p in profiles:
        run_dir = scenario_runs.loc[scenario_runs["security.profile"] == p, "run_dir"].iloc[0]
        with open(os.path.join(run_dir, "summary.json")) as f:
            notes += notes_for(p, json.load(f))
    if notes:
        md.append("\n**Before quoting a figure** (seed 1 of the scenario):")
        md += [f"- {n}" for n in notes]
    md.append("\n## Battery life on the scenario as it is\n")
    md.append(f"{args.seeds} seeds per profile; mean ± 95 % interval over the seeds.\n")
    md.append(table_md(scenario, [lambda r: name(r["security.profile"]),
                                  lambda r: years(r["battery_life_years.mean"],
                                                  r["battery_life_years.mean.ci95"]),
                                  lambda r: years(r["battery_life_years.p5"],
                                                  r["battery_life_years.p5.ci95"]),
                                  lambda r: fmt(100 * r["battery_life_years.mean.relative_to_none"], 0) + " %",
                                  lambda r: fmt(r["messages.delivery_ratio"], 4),
                                  lambda r: KEY_MANAGEMENT.get(r["security.profile"], "?"),
                                  lambda r: "yes" if r["security.profile"] in END_TO_END else "no"],
                       ["profile", "battery years, mean device", "battery years, 5th percentile",
                        "relative to no security", "delivered / sent", "keys",
                        "end to end past a gateway"]))
    md.append("\n## Battery life per coverage level and NAT\n")
    md.append("Every device at the coupling loss of the level; years for the mean device "
              "± 95 % interval over the seeds, and relative to no security in the same "
              "conditions.\n")
    cells = coverage.assign(
        cell=[f"{years(a, b)} ({fmt(100 * c, 0)} %)" for a, b, c in zip(
            coverage["battery_life_years.mean"], coverage["battery_life_years.mean.ci95"],
            coverage["battery_life_years.mean.relative_to_none"])])
    wide = cells.pivot_table(index="security.profile", columns=["ce", "nat"],
                             values="cell", aggfunc="first", sort=False)
    wide = wide.reindex(style.ordered_profiles(wide.index))
    headers = ["profile"] + [f"{ce}, {nat}" for ce, nat in wide.columns]
    rows = wide.reset_index()
    md.append(table_md(rows, [lambda r: name(r.iloc[0])]
                       + [(lambda i: (lambda r: r.iloc[i]))(i + 1)
                          for i in range(len(wide.columns))], headers))
    md.append("\n![Battery life per coverage level and NAT](battery_by_coverage.png)\n")
    md.append("\n## Battery life per reporting interval\n")
    md.append(table_md(interval, [lambda r: name(r["security.profile"]), "interval",
                                  lambda r: years(r["battery_life_years.mean"],
                                                  r["battery_life_years.mean.ci95"]),
                                  lambda r: years(r["battery_life_years.p5"],
                                                  r["battery_life_years.p5.ci95"]),
                                  lambda r: fmt(100 * r["battery_life_years.mean.relative_to_none"], 0) + " %"],
                       ["profile", "reports", "years, mean device", "years, 5th percentile",
                        "relative to no security"]))
    md.append("\n## Five dimensions per report on the scenario\n")
    md.append(table_md(dims, [lambda r: name(r["security.profile"]),
                              lambda r: fmt(r["bytes.on_air_per_delivered_message"], 1),
                              lambda r: fmt(r["latency_s.p95"], 2),
                              lambda r: fmt(r["computation.handshake.per_handshake.mcu_s"], 3),
                              lambda r: fmt(1e3 * r["computation.exchange.per_report.mcu_s"], 3),
                              lambda r: fmt(r["energy.per_delivered_message_j"], 3),
                              lambda r: "-" if r["memory.device_held_bytes"] is None else
                              f"{r['memory.device_held_bytes'] / 1024:.1f}",
                              lambda r: "-" if r["memory.server_per_device_bytes"] is None else
                              f"{r['memory.server_per_device_bytes'] / 1024:.1f}"],
                       ["profile", "bytes on air / delivered report", "latency p95 [s]",
                        "MCU s / handshake", "MCU ms / report", "energy J / delivered report",
                        "device RAM held [KiB]", "server RAM / device [KiB]"]))
    for fname, title, _ in rep.figures:
        if fname != "battery_by_coverage.png":
            md.append(f"\n![{title}]({fname})\n")
    if exposure is not None:
        md.append("\n## Exposure to a compromised gateway, per architecture\n")
        md.append("scenarios/exposure.yaml: an adversary that eavesdrops and modifies on a "
                  "gateway of a campus topology.\n")
        md.append(table_md(exposure, ["security", "exposure.plaintext.messages",
                                      "exposure.modifications.accepted",
                                      "exposure.modifications.detected",
                                      "exposure.replays.accepted"],
                           ["architecture", "reports read", "changes accepted",
                            "changes detected", "replays accepted"]))
    md.append("\n## Assumptions\n")
    assumed = [(k, params[k]) for k in ASSUMPTION_KEYS if k in params]
    md.append(table_md(pd.DataFrame(assumed, columns=["key", "value"]), ["key", "value"],
                       ["scenario key", "value"]))
    s0 = json.load(open(os.path.join(scenario_runs["run_dir"].iloc[0], "summary.json")))
    energy = s0.get("energy", {})
    if energy:
        md.append(f"\nPower model: {energy.get('profile')} ({energy.get('profile_source')}); "
                  f"battery {energy.get('battery_wh')} Wh.")
    if "energy.session_lifetime_days" not in user_keys:
        md.append(f"\nA session or OSCORE context lives {DEFAULT_SESSION_DAYS} days (the "
                  "report's default; --set energy.session_lifetime_days=N for another).")
    elapsed = time.monotonic() - started
    runs = len(scenario_runs) + len(cov_runs) + len(int_runs)
    shown = []  # the user's arguments, without the paths ./lpwan adds
    skip = False
    for a in argv:
        if skip:
            skip = False
        elif a in ("--lpwan-run", "--scenario-dir"):
            skip = True
        else:
            shown.append(a)
    md.append(f"\n## How this was made\n\n`{' '.join(['./lpwan report'] + shown)}` — {runs} runs "
              f"({args.seeds} seeds), {elapsed:.0f} s on {args.jobs} jobs; runs in "
              f"{os.path.abspath(rep.sweeps)}.")
    text = "\n".join(md) + "\n"
    with open(os.path.join(args.out, "report.md"), "w") as f:
        f.write(text)
    write_html(args.out, text, rep.figures)
    rep.data = {"recommendation": pick, "reasons": reasons, "changes": changes,
                "matters": matters,
                "scenario": scenario.to_dict("records"),
                "coverage": coverage.to_dict("records"),
                "interval": interval.to_dict("records"),
                "dimensions": dims.to_dict("records"),
                "assumptions": dict(assumed), "seeds": args.seeds, "runs": runs}
    with open(os.path.join(args.out, "report.json"), "w") as f:
        json.dump(plain(rep.data), f, indent=1, allow_nan=False)
    print(os.path.join(args.out, "report.html"))
    return 0


def plain(value):
    """JSON's values: NaN (a figure a run did not produce) as null, numpy scalars as numbers."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def write_html(out, text, figures):
    """report.md as a page, with the figures after the battery tables."""
    parts = ["<!DOCTYPE html><html><head><meta charset='utf-8'><title>lpwan-sec report</title>"
             "<meta name='viewport' content='width=device-width, initial-scale=1'><style>"
             "body{font-family:sans-serif;margin:1.5em auto;max-width:1100px;padding:0 1em;"
             "line-height:1.4}figure{margin:1em 0}figcaption{font-size:0.9em;color:#444}.scroll{max-width:100%;overflow-x:auto}table{border-collapse:"
             "collapse;font-size:0.85em;margin:0.5em 0}td,th{border:1px solid #ccc;padding:2px 6px"
             "}th{background:#f4f4f4}img{max-width:100%}.rec{background:#eef6ee;padding:0.6em 1em;"
             "border-left:4px solid #2c7a2c}</style></head><body>"]
    lines = text.splitlines()
    i = 0
    in_list = False
    while i < len(lines):
        line = lines[i]
        if line.startswith("|"):
            block = []
            while i < len(lines) and lines[i].startswith("|"):
                block.append(lines[i])
                i += 1
            parts.append(md_to_html_table("\n".join(block)))
            continue
        if line.startswith("- "):
            if not in_list:
                parts.append("<ul>")
                in_list = True
            parts.append(f"<li>{inline(line[2:])}</li>")
            i += 1
            continue
        if in_list:
            parts.append("</ul>")
            in_list = False
        if line.startswith("!["):
            title, fname = line[2:].split("](", 1)
            fname = fname.rstrip(")")
            caption = next((c for f, _, c in figures if f == fname), "")
            parts.append(f"<figure><img src='{html.escape(fname)}' alt='{html.escape(title)}'>"
                         f"<figcaption>{html.escape(caption)}</figcaption></figure>")
        elif line.startswith("# "):
            parts.append(f"<h1>{inline(line[2:])}</h1>")
        elif line.startswith("## "):
            parts.append(f"<h2>{inline(line[3:])}</h2>")
        elif line.startswith("**Recommendation"):
            parts.append(f"<p class='rec' id='recommendation'>{inline(line)}</p>")
        elif line.strip():
            parts.append(f"<p>{inline(line)}</p>")
        i += 1
    if in_list:
        parts.append("</ul>")
    parts.append("</body></html>\n")
    with open(os.path.join(out, "report.html"), "w") as f:
        f.write("\n".join(parts))


def inline(text):
    """**bold** and `code` of report.md's lines, escaped."""
    out = html.escape(text)
    while "**" in out:
        out = out.replace("**", "<strong>", 1).replace("**", "</strong>", 1)
    while out.count("`") >= 2:
        out = out.replace("`", "<code>", 1).replace("`", "</code>", 1)
    return out


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
