"""Driving lpwan-run from Python: the one place that builds its command line, reads its key
schema and its summary.json. ./lpwan compare (compare_profiles.py) and ./lpwan sweep
(sweep.py) both use it; lpwan-run's command line and summary.json are the interface (CLI.md).
"""
import csv
import json
import math
import os
import re
import subprocess

LAYERS = ["app", "coap", "security", "transport", "ip", "radio"]

# The figures CLI.md promises in every summary.json, in the order tables show them.
KEY_METRICS = [
    "messages.sent", "messages.delivered", "messages.lost", "retransmissions.total",
    "latency_s.mean", "latency_s.p50", "latency_s.p95", "bytes.on_air_per_delivered_message",
] + [f"bytes.by_layer.{layer}" for layer in LAYERS]


def default_runner():
    """lpwan-run as the driver builds it, unless $LPWAN_RUN names another one."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    return os.environ.get("LPWAN_RUN") or os.path.join(root, "build", "bin", "lpwan-run")


def run_command(lpwan_run, scenario, out=None, sets=(), seed=None, scenario_dir=None,
                check=False):
    """The argument vector of one lpwan-run invocation. sets: "key=value" strings, applied
    in order after the scenario file; check: validate only (lpwan-run --check)."""
    cmd = [lpwan_run]
    if check:
        cmd.append("--check")
    if scenario:
        cmd.append(scenario)
    if scenario_dir:
        cmd += ["--scenario-dir", scenario_dir]
    if out is not None:
        cmd += ["--out", out]
    # Progress lines of a run are noise when many runs share one terminal.
    cmd += ["--set", "trace.progress=false"]
    for s in sets:
        cmd += ["--set", s]
    if seed is not None:
        cmd += ["--seed", str(seed)]
    return cmd


class KeyInfo:
    """One scenario key as `lpwan-run --list-keys` describes it."""

    def __init__(self, name, type_text):
        self.name = name
        self.choices = None
        if type_text.startswith("one of "):
            self.type = "choice"
            self.choices = type_text[len("one of "):].split("|")
        else:
            self.type = type_text  # integer, real, boolean, text

    def describe(self):
        """What a value must be, for error messages."""
        if self.choices:
            return "one of " + "|".join(self.choices)
        return {"integer": "an integer", "real": "a number", "boolean": "true or false",
                "text": "text"}.get(self.type, self.type)


def scenario_keys(lpwan_run):
    """{key name: KeyInfo} from `lpwan-run --list-keys` (the schema is the authority).
    Lines read "name (type[, unit], default X): help"."""
    text = subprocess.run([lpwan_run, "--list-keys"], check=True, capture_output=True,
                          text=True).stdout
    keys = {}
    for line in text.splitlines():
        m = re.match(r"^(\S+) \(([^,)]+)", line)
        if m:
            keys[m.group(1)] = KeyInfo(m.group(1), m.group(2))
    if not keys:
        raise RuntimeError(f"{lpwan_run} --list-keys listed no keys")
    return keys


def security_profiles(lpwan_run):
    return scenario_keys(lpwan_run)["security.profile"].choices


# The file lpwan-run keeps in a run directory: "running" from its start, "complete" at its end.
RUN_STATUS = "run-status"


class IncompleteRun(Exception):
    """A run directory whose run did not finish (killed, or failed on the way)."""


def run_status(run_dir):
    """'complete', 'running', or None for a directory without the marker (older runs)."""
    try:
        with open(os.path.join(run_dir, RUN_STATUS)) as f:
            return f.read().strip()
    except FileNotFoundError:
        return None


def load_summary(run_dir):
    status = run_status(run_dir)
    if status not in (None, "complete"):
        raise IncompleteRun(f"{run_dir}: the run did not finish ({RUN_STATUS} says "
                            f"'{status}'); run it again")
    with open(os.path.join(run_dir, "summary.json")) as f:
        return json.load(f)


def write_table(out_dir, stem, markdown_text, rows):
    """A table command's two files: OUT/STEM.md (the Markdown as printed) and OUT/STEM.csv (one
    line per row dict, columns in the rows' key order)."""
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, stem + ".md"), "w") as f:
        f.write(markdown_text + "\n")
    with open(os.path.join(out_dir, stem + ".csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(rows)


def quantile(values, q):
    """Nearest-rank quantile, the definition summary.json uses (runner/run-summary.cc,
    Percentile); NaN for no values."""
    values = sorted(values)
    if not values:
        return float("nan")
    rank = max(1, min(len(values), math.ceil(q * len(values))))
    return values[rank - 1]


def fmt(value, digits=1):
    """A table cell: '-' for a figure a run did not produce, floats with that many decimals."""
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def retransmitted_flights(summary):
    """(retransmitted, sent) handshake flights of a run's devices and server (0, 0 without
    handshakes): a share above RETRANSMITTED_FLIGHT_SHARE means a retransmission timer below the
    link's round trip inflated its handshake figures."""
    flights = get(summary, "handshakes.flights_sent", {}) or {}
    sent = sum(v for v in flights.values() if isinstance(v, (int, float)))
    return get(summary, "handshakes.retransmitted_flights.total", 0) or 0, sent


# compare and compare --exchange flag handshakes with more retransmitted flights than this.
RETRANSMITTED_FLIGHT_SHARE = 0.25


def get(d, path, default=None):
    """summary["a"]["b"] for path "a.b", or default when any part is missing."""
    for part in path.split("."):
        if not isinstance(d, dict) or part not in d:
            return default
        d = d[part]
    return d


def flatten(summary):
    """Every scalar of summary.json under its dotted name ("latency_s.p95"), except the
    parameters (a run's inputs, not its results). Lists are left out; null stays None."""
    flat = {}

    def walk(prefix, value):
        if isinstance(value, dict):
            for k, v in value.items():
                walk(f"{prefix}.{k}" if prefix else k, v)
        elif not isinstance(value, list):
            flat[prefix] = value

    for k, v in summary.items():
        if k != "parameters":
            walk(k, v)
    return flat


def measure_memory(lpwan_memory, profiles, parameters, who):
    """lpwan-memory's figures {profile: {...}} for these profiles, with the report and response
    sizes of a run's parameters. who: the command, for the error when lpwan-memory fails."""
    cmd = [lpwan_memory, "--json",
           "--payload-bytes", str(int(parameters.get("traffic.payload_bytes", 50))),
           "--response-bytes", str(int(parameters.get("server.response_payload_bytes", 0)))]
    for p in profiles:
        cmd += ["--profile", p]
    r = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)
    if r.returncode != 0:
        raise SystemExit(f"{who}: {' '.join(cmd)} failed (exit {r.returncode})")
    return {m["profile"]: m for m in json.loads(r.stdout)["profiles"]}
