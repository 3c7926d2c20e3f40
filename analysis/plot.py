#!/usr/bin/python3
"""Figures and one HTML page from a run's or a sweep's traces.

    ./lpwan plot DIR [--out FIGDIR]
    analysis/plot.py results/sweeps/profiles-loss

DIR is a sweep directory (runs.csv, from ./lpwan sweep), a comparison (comparison.csv, from
./lpwan compare: one run per profile), a report (report.json, from ./lpwan report: its runs of
the scenario) or a run directory (summary.json, from ./lpwan run).
Writes PNG files and index.html into FIGDIR (default DIR/figures) and
prints the page's path. Figures whose figures are not in the results (keys that arrive with
later issues, parameters that were not swept) are left out with a note on the page.

Exit status: 0 written; 2 DIR is none of these; 1 another failure.
"""
import argparse
import html
import os
import sys

import pandas as pd

import figure_style as style
import plot_figures as figs
from lpwan_runs import RUN_STATUS, IncompleteRun, flatten, load_summary
from results import load_sweep, sweep_metadata
from sweep_tables import points_frame


class Data:
    """One sweep's (or one run's) results: runs is one row per run (results.load_sweep: runs.csv
    with each run's absolute run_dir), varied the swept keys, root the directory given."""

    def __init__(self, root, runs, varied, parameters, kind, sweep_text=None):
        self.root = root
        self.runs = runs
        self.varied = varied
        self.parameters = parameters  # {key: value} the same for every run
        self.kind = kind              # "sweep" or "run"
        self.sweep_text = sweep_text


def load(root):
    if os.path.isfile(os.path.join(root, "runs.csv")):
        runs = load_sweep(root)
        meta = sweep_metadata(root)
        text = None
        if os.path.isfile(os.path.join(root, "sweep.yaml")):
            with open(os.path.join(root, "sweep.yaml")) as f:
                text = f.read()
        parameters = dict(meta.get("fixed", {}))
        if "scenario" in meta:
            parameters = {"scenario": meta["scenario"], **parameters}
        if "seeds" in meta:
            parameters["seeds"] = ", ".join(str(s) for s in meta["seeds"])
        return Data(root, runs, runs.attrs["varied"], parameters, "sweep", text)
    if os.path.isfile(os.path.join(root, "comparison.csv")):
        return load_comparison(root)
    if os.path.isfile(os.path.join(root, "report.json")):
        # ./lpwan report: its runs of the scenario as it is, one sweep over the profile.
        return load(os.path.join(root, "sweeps", "scenario"))
    if os.path.isfile(os.path.join(root, "summary.json")) or os.path.isfile(
            os.path.join(root, RUN_STATUS)):
        summary = load_summary(root)  # refuses a run that did not finish
        row = {"point": "run", "run_dir": os.path.abspath(root)}
        row.update(flatten(summary))
        return Data(root, pd.DataFrame([row]), [], summary.get("parameters", {}), "run")
    raise FileNotFoundError(root)


def load_comparison(root):
    """A ./lpwan compare directory: one run per profile (ROOT/PROFILE/summary.json), drawn as a
    sweep over security.profile with one seed."""
    rows, parameters = [], None
    for name in sorted(os.listdir(root)):
        run_dir = os.path.join(root, name)
        if not os.path.isfile(os.path.join(run_dir, "summary.json")):
            continue
        summary = load_summary(run_dir)
        params = dict(summary.get("parameters", {}))
        profile = params.pop("security.profile", name)
        row = {"point": profile, "security.profile": profile, "seed": summary.get("seed"),
               "run_dir": os.path.abspath(run_dir)}
        row.update(flatten(summary))
        rows.append(row)
        # What every profile's run shares: the comparison's fixed parameters.
        parameters = params if parameters is None else {
            k: v for k, v in parameters.items() if params.get(k) == v}
    if not rows:
        raise FileNotFoundError(root)
    return Data(root, pd.DataFrame(rows), ["security.profile"], parameters or {}, "comparison")


def _table_html(df, digits=3):
    def cell(v):
        if isinstance(v, float):
            return "" if v != v else f"{v:.{digits}g}" if abs(v) >= 1e5 else f"{v:.{digits}f}"
        return html.escape(str(v))
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in df.columns)
    rows = "".join("<tr>" + "".join(f"<td>{cell(v)}</td>" for v in r) + "</tr>"
                   for r in df.itertuples(index=False))
    return f"<table><tr>{head}</tr>{rows}</table>"


# The figures the page's table shows, in this order (those the results have).
PAGE_FIGURES = ["messages.delivery_ratio", "bytes.on_air_per_delivered_message",
                "latency_s.p95", "retransmissions.total", "energy.per_delivered_message_j",
                "battery_life_years.mean", "battery_life_years.p5"]


def key_figures(data):
    """The key figures per parameter point, under readable headers: mean ± 95 % CI (a sweep)
    or the value (a run, a comparison's profile). The swept values name the rows."""
    metrics = [m for m in PAGE_FIGURES if m in data.runs.columns
               and pd.api.types.is_numeric_dtype(data.runs[m])]
    if data.kind == "run":
        return pd.DataFrame({"figure": [style.label(m) for m in metrics],
                             "value": [data.runs[m].iloc[0] for m in metrics]})
    points = points_frame(data.runs[["point"] + data.varied + metrics], data.varied)
    table = pd.DataFrame()
    for k in data.varied:
        values = points[k]
        if k == "security.profile":
            values = [style.profile_style(v)[2] for v in values]
        table[style.label(k)] = values
    table["runs"] = points["runs"]
    for m in metrics:
        mean, ci = points[f"{m}.mean"], points[f"{m}.ci95"]
        digits = 3 if abs(mean).max() < 10 else 1
        table[style.label(m)] = [f"{a:.{digits}f}" + ("" if b != b else f" ± {b:.{digits}f}")
                                 for a, b in zip(mean, ci)]
    return table


def write_page(data, out_dir, figures, tables, notes):
    title = f"lpwan-sec {data.kind}: {os.path.abspath(data.root)}"
    parts = [f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>"
             f"{html.escape(title)}</title><meta name='viewport' "
             "content='width=device-width, initial-scale=1'><style>"
             "body{font-family:sans-serif;margin:1.5em auto;max-width:1100px;padding:0 1em}"
             "h1{font-size:1.3em;overflow-wrap:anywhere}"
             ".scroll{max-width:100%;overflow-x:auto}"
             "table{border-collapse:collapse;font-size:0.85em}td,th{border:1px solid #ccc;"
             "padding:2px 6px;text-align:right}th{background:#f4f4f4}img{max-width:100%}"
             "pre{background:#f4f4f4;padding:1em;overflow-x:auto}</style></head><body>",
             f"<h1>{html.escape(title)}</h1>"]
    if data.varied:
        parts.append("<p>Swept: " + ", ".join(f"<code>{html.escape(k)}</code> ("
                     + ", ".join(html.escape(str(v)) for v in
                                 dict.fromkeys(data.runs[k].tolist())) + ")"
                     for k in data.varied) + f"; {len(data.runs)} runs. Parameters and "
                     "the sweep file are at the end of the page.</p>")
    # Figures first: what a reader came for.
    for f in figures:
        parts.append(f"<h2>{html.escape(f.title)}</h2><img src='{html.escape(f.filename)}' "
                     f"alt='{html.escape(f.title)}'><p>{html.escape(f.caption)}</p>")
    parts.append("<h2>Key figures</h2><div class='scroll'>" + _table_html(key_figures(data))
                 + "</div>")
    for title_, table in tables:
        parts.append(f"<h2>{html.escape(title_)}</h2><div class='scroll'>"
                     + _table_html(table) + "</div>")
    if notes:
        parts.append("<h2>Not shown</h2><ul>" + "".join(
            f"<li>{html.escape(t)}: {html.escape(n)}</li>" for t, n in notes) + "</ul>")
    parts.append("<h2>Parameters</h2>")
    params = pd.DataFrame({"key": list(data.parameters),
                           "value": [str(v) for v in data.parameters.values()]})
    parts.append("<div class='scroll'>" + _table_html(params) + "</div>")
    if data.sweep_text:
        parts.append("<details><summary>Sweep file</summary><pre>"
                     + html.escape(data.sweep_text) + "</pre></details>")
    parts.append("</body></html>\n")
    path = os.path.join(out_dir, "index.html")
    with open(path, "w") as f:
        f.write("\n".join(parts))
    return path


FIGURES = [
    ("Bytes on air per message by layer", figs.bytes_by_layer),
    ("Latency distribution", figs.latency_distribution),
    ("Energy per report by radio state", figs.energy_by_state),
    ("Retransmissions against loss", figs.retransmissions_vs_loss),
    ("Battery life against coverage and reporting interval", figs.battery_life),
]
TABLES = [
    ("Exposure", "exposure.", "the topology/adversary issue"),
    ("Energy", "energy.", "the NB-IoT/energy issue"),
]


def main(argv):
    ap = argparse.ArgumentParser(prog="lpwan plot", description=__doc__.splitlines()[0])
    ap.add_argument("dir", metavar="DIR")
    ap.add_argument("--out", help="where the figures go (default DIR/figures)")
    args = ap.parse_args(argv)
    try:
        data = load(args.dir)
    except IncompleteRun as e:
        print(f"lpwan plot: {e}", file=sys.stderr)
        return 2
    except FileNotFoundError:
        print(f"lpwan plot: {args.dir}: neither a sweep directory (runs.csv), a comparison "
              "(comparison.csv) nor a run directory (summary.json)", file=sys.stderr)
        return 2
    out_dir = args.out or os.path.join(args.dir, "figures")
    os.makedirs(out_dir, exist_ok=True)
    figures, tables, notes = [], [], []
    for title, draw in FIGURES:
        try:
            made = draw(data, out_dir)
            figures += made if isinstance(made, list) else [made]
        except figs.Skip as e:
            notes.append((title, str(e)))
    for title, prefix, why in TABLES:
        try:
            tables.append((f"{title} (mean per parameter point)",
                           figs.prefixed_table(data, prefix)))
        except figs.Skip as e:
            notes.append((f"{title} table", f"{e} ({why})"))
    page = write_page(data, out_dir, figures, tables, notes)
    for f in figures:
        print(os.path.join(out_dir, f.filename))
    print(page)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
