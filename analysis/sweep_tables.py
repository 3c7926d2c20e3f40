"""The sweep's two tables, CSV files that pandas reads directly:

runs.csv   one row per finished run: point, the swept parameters, seed, run (ns-3's run
           number), dir_in_sweep (the run's directory, relative to the sweep's: the sweep
           directory can move), then every scalar of its summary.json flattened to dotted
           names (latency_s.p95, bytes.by_layer.security, ...).
points.csv one row per parameter point: point, the swept parameters, runs (how many), then
           for each numeric figure F: F.mean and F.ci95, the half-width of the 95 %
           confidence interval of the mean (Student t, runs - 1 degrees of freedom): the
           interval is F.mean ± F.ci95 (empty with a single run).
"""
import math
import os

import pandas as pd
from scipy import stats

from lpwan_runs import KEY_METRICS, flatten, load_summary

# Columns that identify a run rather than measure it.
ID_COLUMNS = ["point", "seed", "run", "dir_in_sweep", "run_dir"]


def run_row(spec, point, seed, run_dir, sweep_dir):
    summary = load_summary(run_dir)
    row = {"point": point.slug}
    parameters = summary.get("parameters", {})  # flat: {"link.loss": 0.1, ...}
    for key in spec.varied_keys:
        # The value the run used, typed by the schema; a case that does not set a swept key
        # runs with the base scenario's value, which summary.json gives too.
        row[key] = parameters.get(key, point.values().get(key))
    row["seed"] = seed
    row["dir_in_sweep"] = os.path.relpath(run_dir, sweep_dir)
    for name, value in flatten(summary).items():
        row.setdefault(name, value)  # a swept key is already there (security.profile)
    return row


def runs_frame(rows, varied_keys):
    df = pd.DataFrame(rows)
    first = ["point"] + varied_keys + ["seed", "run", "dir_in_sweep"]
    first = [c for c in first if c in df.columns]
    metrics = [m for m in KEY_METRICS if m in df.columns and m not in first]
    rest = sorted(c for c in df.columns if c not in first and c not in metrics)
    return df[first + metrics + rest]


def ci95_halfwidth(values):
    n = len(values)
    if n < 2:
        return math.nan
    return stats.t.ppf(0.975, n - 1) * values.std(ddof=1) / math.sqrt(n)


def points_frame(runs, varied_keys):
    """Mean and 95 % CI per point of every numeric column of runs (a runs_frame)."""
    metrics = [c for c in runs.columns
               if c not in ID_COLUMNS and c not in varied_keys
               and pd.api.types.is_numeric_dtype(runs[c])
               and not pd.api.types.is_bool_dtype(runs[c])]
    rows = []
    for slug, group in runs.groupby("point", sort=False):
        row = {"point": slug}
        for key in varied_keys:
            row[key] = group[key].iloc[0]
        row["runs"] = len(group)
        for m in metrics:
            values = group[m].dropna().astype(float)
            row[f"{m}.mean"] = values.mean() if len(values) else math.nan
            row[f"{m}.ci95"] = ci95_halfwidth(values)
        rows.append(row)
    return pd.DataFrame(rows)


def write_tables(spec, finished, sweep_dir):
    """finished: [(point, seed, run_dir)] in sweep order. Writes runs.csv and points.csv
    (atomically: a reader never sees half a table) and returns the two frames."""
    rows = [run_row(spec, p, s, d, sweep_dir) for p, s, d in finished]
    runs = runs_frame(rows, spec.varied_keys)
    points = points_frame(runs, spec.varied_keys)
    for name, df in (("runs.csv", runs), ("points.csv", points)):
        path = os.path.join(sweep_dir, name)
        df.to_csv(path + ".tmp", index=False)
        os.replace(path + ".tmp", path)
    return runs, points
