"""Loading results into pandas: one run directory (./lpwan run --out DIR) or one sweep directory
(./lpwan sweep --out DIR) as DataFrames whose columns carry the names summary.json gives each
quantity (docs/results.md lists them), with numbers as numbers and paths absolute.

    from analysis import load_run, load_sweep, sweep_messages, sweep_energy

    run = load_run("results/default")
    run.messages          # messages.csv, one row per message (response_code "2.04" as text)
    run.energy            # energy.csv, one row per device
    run.summary["latency_s.p95"]

    runs = load_sweep("results/sweeps/oscore-saving")     # one row per run
    msgs = sweep_messages("results/sweeps/oscore-saving") # every run's messages
    # joinable: msgs.merge(runs, on=RUN_KEYS), energy.merge(msgs, on=RUN_KEYS + ["device"])

A run that did not finish (its run-status says so) is refused with IncompleteRun rather than
read half-written.
"""
import json
import os
from collections import namedtuple

import pandas as pd

from lpwan_runs import IncompleteRun, flatten, load_summary

# The columns that name a run of a sweep: its parameter point and its seed.
RUN_KEYS = ["point", "seed"]

# Columns of the traces that are text although they look like numbers (a CoAP code such as
# "2.04" or "4.01", which as a float would make 2.40 and 2.4 the same) or are names.
_TEXT_COLUMNS = {
    "messages.csv": ["protocol", "type", "outcome", "completion", "response_code", "handshake"],
}

Run = namedtuple("Run", ["dir", "summary", "parameters", "messages", "energy"])
Run.__doc__ = """One run directory.

dir         the absolute path of the run's directory
summary     pandas Series: every scalar of summary.json under its dotted name
parameters  dict: the scenario keys the run used (summary.json "parameters")
messages    DataFrame of messages.csv (None when the run wrote none)
energy      DataFrame of energy.csv (None on a link without an energy model)"""


def _read_trace(run_dir, name):
    path = os.path.join(run_dir, name)
    if not os.path.isfile(path):
        return None
    dtypes = {c: "string" for c in _TEXT_COLUMNS.get(name, [])}
    return pd.read_csv(path, dtype=dtypes, keep_default_na=True)


def load_run(run_dir):
    """The run in run_dir (a directory with summary.json) as a Run."""
    run_dir = os.path.abspath(run_dir)
    if not os.path.isfile(os.path.join(run_dir, "summary.json")):
        raise FileNotFoundError(f"{run_dir}: not a run directory (no summary.json)")
    summary = load_summary(run_dir)
    return Run(dir=run_dir, summary=pd.Series(flatten(summary), dtype=object),
               parameters=dict(summary.get("parameters", {})),
               messages=_read_trace(run_dir, "messages.csv"),
               energy=_read_trace(run_dir, "energy.csv"))


def sweep_metadata(sweep_dir):
    """sweep.json of a sweep directory ({} for a sweep written before it existed)."""
    path = os.path.join(sweep_dir, "sweep.json")
    if not os.path.isfile(path):
        return {}
    with open(path) as f:
        return json.load(f)


def load_sweep(sweep_dir):
    """A sweep directory's runs.csv as one tidy table: one row per finished run, the swept keys,
    seed, run_dir (absolute) and every scalar of the run's summary.json under its dotted name.
    The swept keys are in .attrs["varied"]."""
    sweep_dir = os.path.abspath(sweep_dir)
    path = os.path.join(sweep_dir, "runs.csv")
    if not os.path.isfile(path):
        raise FileNotFoundError(f"{sweep_dir}: not a sweep directory (no runs.csv)")
    runs = pd.read_csv(path)
    if "dir_in_sweep" not in runs.columns and "dir" in runs.columns:
        runs = runs.rename(columns={"dir": "dir_in_sweep"})  # a sweep written before the name
    cols = list(runs.columns)
    varied = sweep_metadata(sweep_dir).get("varied",
                                           cols[cols.index("point") + 1:cols.index("seed")])
    runs.insert(cols.index("dir_in_sweep") + 1, "run_dir",
                [os.path.join(sweep_dir, d) for d in runs["dir_in_sweep"]])
    runs.attrs["varied"] = varied
    runs.attrs["sweep_dir"] = sweep_dir
    return runs


def _sweep_trace(sweep_dir, name):
    runs = load_sweep(sweep_dir)
    frames = []
    for _, r in runs.iterrows():
        df = _read_trace(r["run_dir"], name)
        if df is None:
            continue
        ids = {"point": r["point"], "seed": r["seed"]}
        ids.update({k: r[k] for k in runs.attrs["varied"]})
        for i, (k, v) in enumerate(ids.items()):
            df.insert(i, k, v)
        frames.append(df)
    if not frames:
        return None
    return pd.concat(frames, ignore_index=True)


def sweep_messages(sweep_dir):
    """Every run's messages.csv in one table, each row led by its run's point, seed and swept
    keys (join with load_sweep on RUN_KEYS)."""
    return _sweep_trace(sweep_dir, "messages.csv")


def sweep_energy(sweep_dir):
    """Every run's energy.csv in one table, led as sweep_messages' rows."""
    return _sweep_trace(sweep_dir, "energy.csv")


__all__ = ["IncompleteRun", "RUN_KEYS", "Run", "load_run", "load_sweep", "sweep_energy",
           "sweep_messages", "sweep_metadata"]
