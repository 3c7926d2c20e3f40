"""The figures of ./lpwan plot, one function each. A function takes a Data (plot.py) and the
output directory and returns a Figure; when its columns are not in the results (a key that
arrives with a later issue, a parameter that was not swept) it raises Skip with a note that
the HTML page shows instead."""
import math
import os
import re

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from lpwan_runs import LAYERS  # noqa: E402
from sweep_tables import ci95_halfwidth  # noqa: E402

PROFILE_ORDER = ["none", "oscore", "edhoc-oscore", "dtls-psk", "dtls-ecdhe", "oscore-dtls", "tls-mqtt",
                 "tls13-mqtt"]
LAYER_COLOURS = {"app": "#4c72b0", "coap": "#55a868", "security": "#c44e52",
                 "transport": "#8172b2", "ip": "#ccb974", "radio": "#64b5cd"}
MAX_PANELS = 6
DPI = 110


class Skip(Exception):
    """This figure cannot be drawn from these results; str() says why."""


class Figure:
    def __init__(self, filename, title, caption):
        self.filename = filename
        self.title = title
        self.caption = caption


def profiles_in(frame):
    present = list(dict.fromkeys(frame["security.profile"]))
    known = [p for p in PROFILE_ORDER if p in present]
    return known + sorted(p for p in present if p not in known)


def _label(keys, values):
    return ", ".join(f"{k}={v}" for k, v in zip(keys, values))


def _groups(frame, keys):
    """[(tuple of key values, sub-frame)] in order of first appearance."""
    by = keys[0] if len(keys) == 1 else keys
    return [(v if isinstance(v, tuple) else (v,), g)
            for v, g in frame.groupby(by, sort=False)]


def panels(data, exclude):
    """[(title, runs of that panel)]: one panel per combination of the swept keys that the
    figure does not show on an axis (at most MAX_PANELS; the note says when there are more)."""
    others = [k for k in data.varied if k not in exclude]
    if not others:
        return [("", data.runs)], ""
    groups = [(_label(others, v), g) for v, g in _groups(data.runs, others)]
    note = ""
    if len(groups) > MAX_PANELS:
        note = f" (the first {MAX_PANELS} of {len(groups)} combinations of " \
               f"{', '.join(others)})"
        groups = groups[:MAX_PANELS]
    return groups, note


def _axes(n, width=5.0, height=3.6):
    cols = min(n, 3)
    rows = math.ceil(n / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(width * cols, height * rows), squeeze=False)
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    return fig, list(axes.flat[:n])


def _save(fig, out_dir, filename):
    fig.tight_layout()
    fig.savefig(os.path.join(out_dir, filename), dpi=DPI)
    plt.close(fig)


def _require(data, columns, why):
    missing = [c for c in columns if c not in data.runs.columns]
    if missing:
        raise Skip(f"needs {', '.join(missing)} in summary.json ({why})")


def bytes_by_layer(data, out_dir):
    columns = [f"bytes.by_layer.{layer}" for layer in LAYERS]
    _require(data, columns, "the byte accounting")
    groups, note = panels(data, ["security.profile"])
    fig, axes = _axes(len(groups))
    for ax, (title, runs) in zip(axes, groups):
        profiles = profiles_in(runs)
        bottom = [0.0] * len(profiles)
        for layer, col in zip(LAYERS, columns):
            means = [runs.loc[runs["security.profile"] == p, col].mean() for p in profiles]
            means = [0.0 if m != m else m for m in means]
            ax.bar(profiles, means, bottom=bottom, color=LAYER_COLOURS[layer], label=layer)
            bottom = [b + m for b, m in zip(bottom, means)]
        for i, p in enumerate(profiles):
            totals = runs.loc[runs["security.profile"] == p, columns].sum(axis=1)
            ci = ci95_halfwidth(totals)
            if ci == ci:
                ax.errorbar(i, bottom[i], yerr=ci, color="black", capsize=4)
            top = bottom[i] + (ci if ci == ci else 0)
            ax.annotate(f"{bottom[i]:.0f}", (i, top), textcoords="offset points",
                        xytext=(0, 4), ha="center", fontsize=8)
        ax.set_xlim(-0.6, max(len(profiles), 3) - 0.4)  # a lone bar keeps its width
        ax.set_ylabel("bytes on air per delivered message")
        ax.set_ylim(0, max(bottom) * 1.2 if max(bottom) > 0 else 1)
        ax.set_title(title, fontsize=9)
        ax.tick_params(axis="x", labelsize=8)
    axes[0].legend(fontsize=8, loc="upper left")
    _save(fig, out_dir, "bytes_by_layer.png")
    return Figure("bytes_by_layer.png", "Bytes on air per delivered message, by layer",
                  "Every byte put on the LPWAN air (both directions, every copy, lost frames "
                  "too) divided by the delivered reports, split by layer; mean over the runs, "
                  "error bar: 95 % confidence interval of the total" + note + ".")


def _messages(data, runs):
    """Delivered reports' latencies of these runs, from their messages.csv."""
    latencies = []
    for d in runs["run_dir"]:
        path = os.path.join(d, "messages.csv")
        if os.path.isfile(path):
            m = pd.read_csv(path, usecols=["latency_s", "outcome"])
            latencies.append(m.loc[m["outcome"] == "delivered", "latency_s"].dropna())
    return pd.concat(latencies) if latencies else None


def latency_distribution(data, out_dir):
    groups, note = panels(data, ["security.profile"])
    fig, axes = _axes(len(groups))
    drawn = False
    for ax, (title, runs) in zip(axes, groups):
        for p in profiles_in(runs):
            lat = _messages(data, runs[runs["security.profile"] == p])
            if lat is None or lat.empty:
                continue
            lat = lat.sort_values().to_numpy()
            ax.step(lat, [(i + 1) / len(lat) for i in range(len(lat))], where="post",
                    label=f"{p} (p95 {lat[max(0, math.ceil(0.95 * len(lat)) - 1)]:.1f} s)")
            drawn = True
        ax.set_xscale("log")
        ax.set_xlabel("latency s (creation at the meter to arrival at the server)")
        ax.set_ylabel("fraction of delivered reports")
        ax.set_title(title, fontsize=9)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7, loc="lower right")
    if not drawn:
        plt.close(fig)
        raise Skip("needs messages.csv with delivered reports in the run directories")
    _save(fig, out_dir, "latency_distribution.png")
    return Figure("latency_distribution.png", "Latency distribution",
                  "Cumulative distribution of the latency of every delivered report, all "
                  "runs of a profile pooled (log scale)" + note + ".")


def _line_plot(data, x, metrics, filename, out_dir):
    """metrics: [(column or function of the runs frame, y label)]; one line per combination of
    the other swept keys, mean ± 95 % CI over the seeds."""
    others = [k for k in data.varied if k != x]
    fig, axes = _axes(len(metrics))
    runs = data.runs.copy()
    for ax, (metric, ylabel) in zip(axes, metrics):
        runs["_y"] = metric(runs) if callable(metric) else runs[metric]
        series = _groups(runs, others) if others else [("", runs)]
        for key, s in series:
            stats = s.groupby(x, sort=True)["_y"].agg(["mean", ci95_halfwidth])
            label = _label(others, key) if others else None
            ax.errorbar(stats.index, stats["mean"], yerr=stats["ci95_halfwidth"].fillna(0),
                        marker="o", capsize=3, label=label)
        ax.set_xlabel(x)
        ax.set_ylabel(ylabel)
        ax.grid(True, alpha=0.3)
        if others:
            many = len(ax.get_lines()) > 6
            ax.legend(fontsize=7, loc="upper left" if many else "best",
                      bbox_to_anchor=(1.02, 1) if many else None)
    _save(fig, out_dir, filename)


def retransmissions_vs_loss(data, out_dir):
    _require(data, ["retransmissions.total", "messages.sent", "messages.delivery_ratio"],
             "the message accounting")
    if "link.loss" not in data.varied or data.runs["link.loss"].nunique() < 2:
        raise Skip("needs a sweep over link.loss (two values or more)")
    _line_plot(data, "link.loss",
               [(lambda r: r["retransmissions.total"] / r["messages.sent"],
                 "repeated datagrams per report"),
                ("messages.delivery_ratio", "delivered / sent")],
               "retransmissions_vs_loss.png", out_dir)
    return Figure("retransmissions_vs_loss.png", "Retransmissions against loss",
                  "Every repeated datagram (CoAP retransmissions, re-sent responses and ACKs, "
                  "handshake flights) per report, and the delivery ratio, against the frame "
                  "loss of the link; mean ± 95 % confidence interval over the seeds.")


BATTERY_PREFERENCE = ["battery_life_years.mean", "battery_life_years.median",
                      "battery_life_years.p50", "battery_life_years.min"]
COVERAGE_KEY = re.compile(r"coupling_loss|coverage|ce_level|\bce\b|mcl", re.IGNORECASE)


def battery_life(data, out_dir):
    """One figure per swept coverage or interval key (battery_life_vs_<key>.png)."""
    present = [c for c in data.runs.columns if c.startswith("battery_life_years.")
               and pd.api.types.is_numeric_dtype(data.runs[c])]
    if not present:
        raise Skip("needs battery_life_years.* in summary.json (the NB-IoT/energy issue)")
    y = next((c for c in BATTERY_PREFERENCE if c in present), present[0])
    xs = [k for k in data.varied if COVERAGE_KEY.search(k)]
    xs += [k for k in data.varied if k == "traffic.interval_s"]
    xs = [k for k in xs if data.runs[k].nunique() >= 2]
    figures = []
    for x in xs:
        name = f"battery_life_vs_{x.replace('.', '_')}.png"
        _line_plot(data, x, [(y, y.replace("battery_life_years.", "battery life years, "))],
                   name, out_dir)
        figures.append(Figure(name, f"Battery life against {x}",
                              f"{y} against {x}; mean ± 95 % confidence interval over the "
                              "seeds."))
    if not figures:
        raise Skip(f"{y} is there, but neither a coverage key nor traffic.interval_s was "
                   "swept (two values or more)")
    return figures


def prefixed_table(data, prefix):
    """Mean per parameter point of every numeric column under prefix (exposure., energy.),
    as a DataFrame; Skip when there is none."""
    cols = [c for c in data.runs.columns if c.startswith(prefix)
            and pd.api.types.is_numeric_dtype(data.runs[c])]
    if not cols:
        raise Skip(f"needs {prefix}* in summary.json")
    keys = data.varied or ["security.profile"]
    table = data.runs.groupby(keys, sort=False)[cols].mean().reset_index()
    table.columns = [c.removeprefix(prefix) if c in cols else c for c in table.columns]
    return table
