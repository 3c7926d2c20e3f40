#!/usr/bin/python3
"""Figures and one HTML page from a run's or a sweep's traces.

    ./lpwan plot DIR [--out FIGDIR]
    analysis/plot.py results/sweeps/profiles-loss

DIR is a sweep directory (runs.csv, from ./lpwan sweep) or a run directory (summary.json,
from ./lpwan run). Writes PNG files and index.html into FIGDIR (default DIR/figures) and
prints the page's path. Figures whose figures are not in the results (keys that arrive with
later issues, parameters that were not swept) are left out with a note on the page.

Exit status: 0 written; 2 DIR is neither a run nor a sweep directory; 1 another failure.
"""
import argparse
import html
import os
import sys

import pandas as pd

import plot_figures as figs
from lpwan_runs import KEY_METRICS, RUN_STATUS, IncompleteRun, flatten, load_summary
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
    if os.path.isfile(os.path.join(root, "summary.json")) or os.path.isfile(
            os.path.join(root, RUN_STATUS)):
        summary = load_summary(root)  # refuses a run that did not finish
        row = {"point": "run", "run_dir": os.path.abspath(root)}
        row.update(flatten(summary))
        return Data(root, pd.DataFrame([row]), [], summary.get("parameters", {}), "run")
    raise FileNotFoundError(root)


def _table_html(df, digits=3):
    def cell(v):
        if isinstance(v, float):
            return "" if v != v else f"{v:.{digits}g}" if abs(v) >= 1e5 else f"{v:.{digits}f}"
        return html.escape(str(v))
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in df.columns)
    rows = "".join("<tr>" + "".join(f"<td>{cell(v)}</td>" for v in r) + "</tr>"
                   for r in df.itertuples(index=False))
    return f"<table><tr>{head}</tr>{rows}</table>"


def key_figures(data):
    """The key summary figures per parameter point: mean ± 95 % CI (a sweep) or the value."""
    metrics = [m for m in KEY_METRICS if m in data.runs.columns]
    if data.kind == "run":
        return pd.DataFrame({"figure": metrics, "value": [data.runs[m].iloc[0]
                                                          for m in metrics]})
    points = points_frame(data.runs[["point"] + data.varied + metrics], data.varied)
    table = points[["point", "runs"]].copy()
    for m in metrics:
        mean, ci = points[f"{m}.mean"], points[f"{m}.ci95"]
        table[m] = [f"{a:.2f}" + ("" if b != b else f" ± {b:.2f}") for a, b in zip(mean, ci)]
    return table


def write_page(data, out_dir, figures, tables, notes):
    title = f"lpwan-sec {data.kind}: {os.path.abspath(data.root)}"
    parts = [f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>"
             f"{html.escape(title)}</title><style>body{{font-family:sans-serif;margin:2em}}"
             "table{border-collapse:collapse;font-size:0.85em}td,th{border:1px solid #ccc;"
             "padding:2px 6px;text-align:right}img{max-width:100%}"
             "pre{background:#f4f4f4;padding:1em}</style></head><body>",
             f"<h1>{html.escape(title)}</h1>", "<h2>Parameters</h2>"]
    if data.varied:
        parts.append("<p>Swept: " + ", ".join(f"<code>{html.escape(k)}</code> ("
                     + ", ".join(html.escape(str(v)) for v in
                                 dict.fromkeys(data.runs[k].tolist())) + ")"
                     for k in data.varied) + f"; {len(data.runs)} runs.</p>")
    params = pd.DataFrame({"key": list(data.parameters),
                           "value": [str(v) for v in data.parameters.values()]})
    parts.append(_table_html(params))
    if data.sweep_text:
        parts.append("<h3>Sweep file</h3><pre>" + html.escape(data.sweep_text) + "</pre>")
    parts.append("<h2>Key figures</h2>" + _table_html(key_figures(data)))
    for f in figures:
        parts.append(f"<h2>{html.escape(f.title)}</h2><img src='{html.escape(f.filename)}' "
                     f"alt='{html.escape(f.title)}'><p>{html.escape(f.caption)}</p>")
    for title, table in tables:
        parts.append(f"<h2>{html.escape(title)}</h2>" + _table_html(table))
    if notes:
        parts.append("<h2>Not shown</h2><ul>" + "".join(
            f"<li>{html.escape(t)}: {html.escape(n)}</li>" for t, n in notes) + "</ul>")
    parts.append("</body></html>\n")
    path = os.path.join(out_dir, "index.html")
    with open(path, "w") as f:
        f.write("\n".join(parts))
    return path


FIGURES = [
    ("Bytes on air per message by layer", figs.bytes_by_layer),
    ("Latency distribution", figs.latency_distribution),
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
        print(f"lpwan plot: {args.dir}: neither a sweep directory (runs.csv) nor a run "
              "directory (summary.json)", file=sys.stderr)
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
