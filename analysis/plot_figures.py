"""The figures of ./lpwan plot, one function each. A function takes a Data (plot.py) and the
output directory and returns a Figure; when its columns are not in the results (a key that
arrives with a later issue, a parameter that was not swept) it raises Skip with a note that
the HTML page shows instead."""
import json
import math
import os

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

import figure_style as style  # noqa: E402
from lpwan_runs import LAYERS, quantile  # noqa: E402
from sweep_tables import ci95_halfwidth  # noqa: E402

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
    return style.ordered_profiles(frame["security.profile"])


def _label(keys, values):
    return ", ".join(style.value_label(k, v) for k, v in zip(keys, values))


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


def _axes(n, width=5.0, height=3.6, sharey=False):
    """n panels, three to a row; sharey: one y scale for all, so that panels compare."""
    cols = min(n, 3)
    rows = math.ceil(n / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(width * cols, height * rows), squeeze=False,
                             sharey=sharey)
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    return fig, list(axes.flat[:n])


def _first_column_label(axes, text):
    """The y label on the first panel of each row (the panels share that axis)."""
    for i, ax in enumerate(axes):
        if i % 3 == 0:
            ax.set_ylabel(text)


def _legend_outside(axes, title):
    """The legend right of the first row's last panel, where it hides no bar."""
    ax = axes[min(len(axes), 3) - 1]
    ax.legend(*axes[0].get_legend_handles_labels(), fontsize=8, title=title, title_fontsize=8,
              loc="upper left", bbox_to_anchor=(1.02, 1), borderaxespad=0)


def _save(fig, out_dir, filename):
    fig.tight_layout()
    fig.savefig(os.path.join(out_dir, filename), dpi=DPI)
    plt.close(fig)


def _require(data, columns, why):
    missing = [c for c in columns if c not in data.runs.columns]
    if missing:
        raise Skip(f"needs {', '.join(missing)} in summary.json ({why})")


def _profile_bars(ax, runs, columns, colours, names, per):
    """Stacked bars, one per profile present in runs: the mean of each column divided by the
    per column, with the 95 % interval of the total and its value on top. Returns the tops."""
    profiles = profiles_in(runs)
    bottom = [0.0] * len(profiles)
    for col, colour, name in zip(columns, colours, names):
        means = [(runs.loc[runs["security.profile"] == p, col]
                  / runs.loc[runs["security.profile"] == p, per]).mean() if per else
                 runs.loc[runs["security.profile"] == p, col].mean() for p in profiles]
        means = [0.0 if m != m else m for m in means]
        ax.bar(range(len(profiles)), means, bottom=bottom, color=colour, label=name)
        bottom = [b + m for b, m in zip(bottom, means)]
    tops = []
    for i, p in enumerate(profiles):
        sub = runs.loc[runs["security.profile"] == p]
        totals = sub[columns].sum(axis=1) / (sub[per] if per else 1)
        ci = ci95_halfwidth(totals)
        if ci == ci:
            ax.errorbar(i, bottom[i], yerr=ci, color="black", capsize=4)
        tops.append(bottom[i] + (ci if ci == ci else 0))
    ax.set_xticks(range(len(profiles)))
    ax.set_xticklabels([style.profile_style(p)[2] for p in profiles], rotation=20, ha="right")
    ax.set_xlim(-0.6, max(len(profiles), 3) - 0.4)  # a lone bar keeps its width
    ax.tick_params(axis="x", labelsize=8)
    return bottom, tops


def _bar_panel_width(data):
    """Inches per panel of bars: enough for every profile's name."""
    return max(5.0, 0.75 * len(profiles_in(data.runs)) + 1.5)


def _annotate_totals(ax, totals, tops, digits):
    for i, (total, top) in enumerate(zip(totals, tops)):
        ax.annotate(f"{total:.{digits}f}", (i, top), textcoords="offset points", xytext=(0, 4),
                    ha="center", fontsize=8)


def _stacked_figure(data, out_dir, filename, parts, per, ylabel, legend_title, digits):
    """A panel per combination of the swept keys other than the profile, a stacked bar per
    profile (parts: [(column, colour, name)], each divided by the per column when given), one
    y scale for every panel. Returns the note of panels left out."""
    groups, note = panels(data, ["security.profile"])
    fig, axes = _axes(len(groups), width=_bar_panel_width(data), sharey=True)
    highest = 0.0
    for ax, (title, runs) in zip(axes, groups):
        if per:
            runs = runs[runs[per] > 0]
        totals, tops = _profile_bars(ax, runs, [c for c, _, _ in parts],
                                     [k for _, k, _ in parts], [n for _, _, n in parts], per)
        _annotate_totals(ax, totals, tops, digits)
        highest = max([highest] + tops)
        ax.set_title(title, fontsize=9)
    _first_column_label(axes, ylabel)
    axes[0].set_ylim(0, highest * 1.2 if highest > 0 else 1)
    _legend_outside(axes, title=legend_title)
    _save(fig, out_dir, filename)
    return note


def bytes_by_layer(data, out_dir):
    columns = [f"bytes.by_layer.{layer}" for layer in LAYERS]
    _require(data, columns, "the byte accounting")
    note = _stacked_figure(data, out_dir, "bytes_by_layer.png",
                           [(c, LAYER_COLOURS[layer], layer) for c, layer in zip(columns, LAYERS)],
                           None, "bytes on air per delivered report", "layer", 0)
    return Figure("bytes_by_layer.png", "Bytes on air per delivered report, by layer",
                  "Every byte put on the LPWAN air (both directions, every copy, lost frames "
                  "too) divided by the delivered reports, split by layer; mean over the runs, "
                  "error bar: 95 % confidence interval of the total; one y scale for every "
                  "panel" + note + ".")


# Radio states of energy.by_state_j in the order of a report (and the MCU's computation).
ENERGY_STATES = [("psm", "PSM (deep sleep)"), ("idle", "idle (paging)"),
                 ("sync", "synchronisation"), ("ra", "random access"),
                 ("control", "control channel"), ("connected", "connected, waiting"),
                 ("rx", "receiving"), ("tx", "transmitting"), ("mcu", "MCU computing")]
ENERGY_COLOURS = ["#c7c7c7", "#9edae5", "#dbdb8d", "#ffbb78", "#c5b0d5", "#aec7e8",
                  "#98df8a", "#ff9896", "#8c564b"]


def energy_by_state(data, out_dir):
    columns = [f"energy.by_state_j.{s}" for s, _ in ENERGY_STATES]
    present = [c for c in columns if c in data.runs.columns]
    if not present or "messages.delivered" not in data.runs.columns:
        raise Skip("needs energy.by_state_j.* in summary.json (a cellular link's energy model)")
    if "security.profile" not in data.runs.columns:
        raise Skip("needs security.profile in the results")
    parts = [(c, colour, label) for c, colour, (_, label) in
             zip(columns, ENERGY_COLOURS, ENERGY_STATES) if c in present]
    note = _stacked_figure(data, out_dir, "energy_by_state.png", parts, "messages.delivered",
                           "device energy per delivered report [J]", "state", 3)
    return Figure("energy_by_state.png", "Energy per delivered report, by radio state",
                  "The devices' energy (radio states and the MCU's cryptography) over the "
                  "delivered reports, split by state; mean over the runs, error bar: 95 % "
                  "confidence interval of the total; one y scale for every panel" + note + ".")


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
    fig, axes = _axes(len(groups), sharey=True)
    drawn = False
    for ax, (title, runs) in zip(axes, groups):
        for p in profiles_in(runs):
            lat = _messages(data, runs[runs["security.profile"] == p])
            if lat is None or lat.empty:
                continue
            lat = lat.sort_values().to_numpy()
            colour, _, name = style.profile_style(p)
            ax.step(lat, [(i + 1) / len(lat) for i in range(len(lat))], where="post",
                    color=colour,
                    label=f"{name} (p95 {quantile(lat, 0.95):.1f} s)")
            drawn = True
        style.log_axis(ax.xaxis)
        ax.set_xlabel("latency [s] (report created to report at the server)")
        ax.set_title(title, fontsize=9)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7, loc="lower right")
    _first_column_label(axes, "fraction of delivered reports")
    axes[0].set_ylim(0, 1.02)
    if not drawn:
        plt.close(fig)
        raise Skip("needs messages.csv with delivered reports in the run directories")
    _save(fig, out_dir, "latency_distribution.png")
    return Figure("latency_distribution.png", "Latency distribution",
                  "Cumulative distribution of the latency of every delivered report, all "
                  "runs of a profile pooled (log scale)" + note + ".")


def _link_kind(data):
    """link.kind of the runs (the coverage levels' bounds depend on it)."""
    if "link.kind" in data.parameters:
        return data.parameters["link.kind"]
    try:
        with open(os.path.join(data.runs["run_dir"].iloc[0], "summary.json")) as f:
            return json.load(f).get("parameters", {}).get("link.kind", "nbiot")
    except (OSError, ValueError, KeyError, IndexError):
        return "nbiot"


def _line_plot(data, x, metrics, filename, out_dir, log_y=False):
    """metrics: [(column or (function of the runs frame, key), y label)]; one line per
    combination of the other swept keys (a profile keeps its colour and marker), mean ± 95 %
    CI over the seeds, the CI clipped to the quantity's bounds. log_y: a log y axis when the
    means span a factor of ten or more."""
    others = [k for k in data.varied if k != x]
    fig, axes = _axes(len(metrics))
    runs = data.runs.copy()
    link_kind = _link_kind(data)
    for ax, (metric, ylabel) in zip(axes, metrics):
        fn, key = metric if isinstance(metric, tuple) else (None, metric)
        runs["_y"] = fn(runs) if fn else runs[key]
        series = _groups(runs, others) if others else [((), runs)]
        means = []
        for values, s in series:
            stats = s.groupby(x, sort=True)["_y"].agg(["mean", ci95_halfwidth])
            ids = dict(zip(others, values))
            colour, marker, _ = style.profile_style(ids.get("security.profile", "none")) \
                if "security.profile" in ids else (None, "o", None)
            ax.errorbar(stats.index, stats["mean"],
                        yerr=style.clipped_yerr(key, stats["mean"], stats["ci95_halfwidth"]),
                        marker=marker, color=colour, capsize=3,
                        label=_label(others, values) if others else None)
            means += list(stats["mean"])
        ax.set_xlabel(style.label(x))
        ax.set_ylabel(ylabel)
        if log_y and style.spans_decades(means):
            style.log_axis(ax.yaxis)
        ax.grid(True, which="both", alpha=0.3)
        if "coupling_loss" in x:
            style.mark_coverage_levels(ax, link_kind)
        if others:
            many = len(series) > 6
            ax.legend(fontsize=7, loc="upper left" if many else "best",
                      bbox_to_anchor=(1.02, 1) if many else None)
    _save(fig, out_dir, filename)


def retransmissions_vs_loss(data, out_dir):
    _require(data, ["retransmissions.total", "messages.sent", "messages.delivery_ratio"],
             "the message accounting")
    if "link.loss" not in data.varied or data.runs["link.loss"].nunique() < 2:
        raise Skip("needs a sweep over link.loss (two values or more)")
    _line_plot(data, "link.loss",
               [((lambda r: r["retransmissions.total"] / r["messages.sent"],
                  "retransmissions.per_report"), "repeated datagrams per report"),
                ("messages.delivery_ratio", style.label("messages.delivery_ratio"))],
               "retransmissions_vs_loss.png", out_dir)
    return Figure("retransmissions_vs_loss.png", "Retransmissions against loss",
                  "Every repeated datagram (CoAP retransmissions, re-sent responses and ACKs, "
                  "handshake flights) per report, and the delivery ratio, against the frame "
                  "loss of the link; mean ± 95 % confidence interval over the seeds (a ratio's "
                  "interval stops at 1).")


BATTERY_PREFERENCE = ["battery_life_years.mean", "battery_life_years.median",
                      "battery_life_years.p50", "battery_life_years.min"]


def battery_life(data, out_dir):
    """One figure per swept coverage or interval key (battery_life_vs_<key>.png): the mean
    device and, where the runs give it, the 5th-percentile device."""
    present = [c for c in data.runs.columns if c.startswith("battery_life_years.")
               and pd.api.types.is_numeric_dtype(data.runs[c])]
    if not present:
        raise Skip("needs battery_life_years.* in summary.json (the NB-IoT/energy issue)")
    y = next((c for c in BATTERY_PREFERENCE if c in present), present[0])
    ys = [y] + (["battery_life_years.p5"] if "battery_life_years.p5" in present else [])
    xs = [k for k in data.varied if style.COVERAGE_X.search(k)]
    xs += [k for k in data.varied if k == "traffic.interval_s"]
    xs = [k for k in xs if data.runs[k].nunique() >= 2]
    figures = []
    for x in xs:
        name = f"battery_life_vs_{x.replace('.', '_')}.png"
        _line_plot(data, x, [(m, style.label(m)) for m in ys], name, out_dir, log_y=True)
        figures.append(Figure(name, f"Battery life against {style.label(x)}",
                              f"{' and '.join(style.label(m) for m in ys)} against "
                              f"{style.label(x)}; mean ± 95 % confidence interval over the "
                              "seeds; a log axis where the values span a factor of ten."))
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
