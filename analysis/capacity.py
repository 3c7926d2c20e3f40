#!/usr/bin/python3
"""How many devices one cell (or one gateway) carries with each security profile: for each
profile, the largest number of devices for which every seed's run still delivers at least
--min-delivery of its reports with a 95th-percentile latency of at most --max-p95-s, both
over the reports in steady state (every report but each device's first, which may carry a
handshake or a first-contact exchange). Found by
doubling from --start until a count fails (or --max-devices is reached), then by bisection to
within --resolution of the largest count that passes.

    ./lpwan capacity [SCENARIO] [--profiles a,b] [--seeds N] [--min-delivery 0.99]
                     [--max-p95-s 10] [--duration-s 10800] [--start 1000] [--max-devices N]
                     [--resolution 0.05] [--set key=value]... [--out DIR]
    analysis/capacity.py --lpwan-run build/bin/lpwan-run --scenario-dir scenarios ...

Every run has nbiot.cells=1: in a cellular scenario the answer is devices per cell, in the
LPWAN star devices per gateway (a topology file, whose cells are its own, is refused). Each run lasts
--duration-s of simulated time (three hourly reports per device by default: the load is what
matters, not a day of it). Every run is kept in OUT/runs/<profile>/<devices>-<seed>/; OUT has
capacity.md (the table as printed), capacity.csv (one row per profile), capacity-runs.csv (one
row per run: what was tried and why it passed or failed) and capacity.png.
"""
import argparse
import csv
import os
import subprocess
import sys

from lpwan_runs import (fmt, load_summary, quantile, run_command, security_profiles,
                        write_table)


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("scenario", nargs="?", default="default")
    ap.add_argument("--lpwan-run", required=True)
    ap.add_argument("--scenario-dir", default=None)
    ap.add_argument("--profiles", default=None,
                    help="comma-separated security profiles (default: every one)")
    ap.add_argument("--seeds", type=int, default=1, help="seeds per device count (default 1)")
    ap.add_argument("--min-delivery", type=float, default=0.99)
    ap.add_argument("--max-p95-s", type=float, default=10.0)
    ap.add_argument("--duration-s", type=float, default=10800.0)
    ap.add_argument("--start", type=int, default=1000, help="first device count tried")
    ap.add_argument("--max-devices", type=int, default=200000,
                    help="stop doubling here (the table then says at least this many)")
    ap.add_argument("--resolution", type=float, default=0.05,
                    help="stop bisecting when the bracket is this fraction of its lower end")
    ap.add_argument("--set", action="append", default=[], dest="sets", metavar="KEY=VALUE")
    ap.add_argument("--out", default="results/capacity")
    args = ap.parse_args(argv)
    if not 0 < args.min_delivery <= 1:
        ap.error("--min-delivery: a fraction in (0, 1]")
    if args.max_p95_s <= 0 or args.duration_s <= 0:
        ap.error("--max-p95-s and --duration-s must be positive")
    if args.seeds < 1 or args.start < 1 or args.max_devices < args.start:
        ap.error("--seeds and --start must be at least 1, --max-devices at least --start")
    if not 0 < args.resolution < 1:
        ap.error("--resolution: a fraction in (0, 1)")
    return args


def steady_state(run_dir):
    """(delivery ratio, p95 latency) of a run's reports in steady state: every report but each
    device's first, which may carry a handshake or a first-contact exchange (OSCORE's Echo, a
    DTLS or TLS handshake, an MQTT connection) that says nothing about the load a cell carries.
    From messages.csv, p95 as summary.json defines it; (0, None) when no later report was sent."""
    first = {}
    rows = []
    with open(os.path.join(run_dir, "messages.csv"), newline="") as f:
        for r in csv.DictReader(f):
            t = float(r["send_time_s"])
            rows.append((r["device"], t, r["outcome"], r["latency_s"]))
            if r["device"] not in first or t < first[r["device"]]:
                first[r["device"]] = t
    later = [(outcome, latency) for device, t, outcome, latency in rows if t > first[device]]
    if not later:
        return 0.0, None
    latencies = [float(l) for o, l in later if o == "delivered" and l != ""]
    delivered = sum(1 for o, _ in later if o == "delivered")
    p95 = quantile(latencies, 0.95) if latencies else None
    return delivered / len(later), p95


class Search:
    """The runs of one profile, and the verdict of each device count tried."""

    def __init__(self, args, profile):
        self.args = args
        self.profile = profile
        self.per = "cell"   # "gateway" once a run shows the scenario is not cellular
        self.runs = []      # one dict per run (capacity-runs.csv)
        self.verdicts = {}  # devices -> (passed, the first run that failed or the last one)

    def run(self, devices, seed):
        a = self.args
        out = os.path.join(a.out, "runs", self.profile, f"{devices}-{seed}")
        sets = list(a.sets) + [f"security.profile={self.profile}", f"devices.count={devices}",
                               f"simulation.duration_s={a.duration_s:g}", "nbiot.cells=1"]
        cmd = run_command(a.lpwan_run, a.scenario, out=out, sets=sets, seed=seed,
                          scenario_dir=a.scenario_dir)
        r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if r.returncode != 0:
            sys.exit(f"capacity: {' '.join(cmd)} failed (exit {r.returncode}): "
                     f"{r.stderr.strip()}")
        s = load_summary(out)
        if s.get("parameters", {}).get("link.kind") == "lpwan":
            self.per = "gateway"
        delivery, p95 = steady_state(out)
        why = []
        if delivery < a.min_delivery:
            why.append(f"delivery {delivery:.4f} < {a.min_delivery:g}")
        if p95 is None or p95 > a.max_p95_s:
            why.append(f"p95 latency {fmt(p95, 2)} s > {a.max_p95_s:g} s")
        row = {"profile": self.profile, "devices": devices, "seed": seed,
               "delivery_ratio": delivery, "latency_p95_s": p95, "passed": not why,
               "why": "; ".join(why), "run_dir": out}
        self.runs.append(row)
        return row

    def passes(self, devices):
        if devices not in self.verdicts:
            last = None
            for seed in range(1, self.args.seeds + 1):
                last = self.run(devices, seed)
                if not last["passed"]:
                    break
            self.verdicts[devices] = (last["passed"], last)
        return self.verdicts[devices][0]

    def capacity(self):
        """(largest passing count or None, smallest failing count or None)."""
        a = self.args
        lo, hi, d = None, None, a.start
        while True:
            if self.passes(d):
                lo = d
                if d >= a.max_devices:
                    break
                d = min(2 * d, a.max_devices)
            else:
                hi = d
                break
        if lo is None or hi is None:
            return lo, hi
        while hi - lo > max(1, int(lo * a.resolution)):
            mid = (lo + hi) // 2
            if self.passes(mid):
                lo = mid
            else:
                hi = mid
        return lo, hi


def table_row(search, lo, hi, args):
    at = search.verdicts[lo][1] if lo is not None else None
    failed = search.verdicts[hi][1] if hi is not None else None
    if lo is None:
        capacity = f"< {args.start}"
    elif hi is None:
        capacity = f">= {lo}"
    else:
        capacity = str(lo)
    return {"profile": search.profile, "capacity": capacity,
            "capacity_devices": lo,
            "first_failing_devices": hi,
            "delivery_ratio_at_capacity": at["delivery_ratio"] if at else None,
            "latency_p95_s_at_capacity": at["latency_p95_s"] if at else None,
            "failed_because": failed["why"] if failed else "",
            "runs": len(search.runs)}


def markdown(rows, args, per):
    head = ["profile", f"devices per {per}", "delivery at capacity", "p95 latency at capacity (s)",
            "first count that fails", "why it fails", "runs"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        lines.append("| " + " | ".join([
            r["profile"], r["capacity"], fmt(r["delivery_ratio_at_capacity"], 4),
            fmt(r["latency_p95_s_at_capacity"], 2), fmt(r["first_failing_devices"]),
            r["failed_because"] or "-", str(r["runs"])]) + " |")
    lines.append("")
    lines.append(f"Capacity: the largest number of devices per {per} for which every seed's run "
                 f"({args.seeds} seed(s), {args.duration_s:g} s simulated) delivers at least "
                 f"{args.min_delivery:g} of its reports with a p95 latency of at most "
                 f"{args.max_p95_s:g} s, over every report but each device's first; found to "
                 f"within {args.resolution * 100:g} %.")
    return "\n".join(lines)


def write_figure(rows, path, per):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from figure_style import profile_style
    shown = [r for r in rows if r["capacity_devices"] is not None]
    if not shown:
        return False
    fig, ax = plt.subplots(figsize=(max(4, 1.1 * len(shown) + 1.5), 3.5))
    for i, r in enumerate(shown):
        colour, _, name = profile_style(r["profile"])
        ax.bar(i, r["capacity_devices"], color=colour)
        if r["first_failing_devices"] is None:
            ax.annotate("at least", (i, r["capacity_devices"]), ha="center", va="bottom",
                        fontsize=8)
    ax.set_xticks(range(len(shown)))
    ax.set_xticklabels([profile_style(r["profile"])[2] for r in shown], rotation=30,
                       ha="right")
    ax.set_ylabel(f"devices per {per}")
    ax.set_title("capacity per security profile (./lpwan capacity)")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return True


def main(argv):
    args = parse_args(argv)
    known = security_profiles(args.lpwan_run)
    profiles = args.profiles.split(",") if args.profiles else known
    unknown = [p for p in profiles if p not in known]
    if unknown:
        sys.exit(f"capacity: --profiles: unknown profile(s) {', '.join(unknown)} "
                 f"(known: {', '.join(known)})")
    # The scenario as the runs will have it, validated before anything runs (a topology file's
    # cells are its own: nbiot.cells is refused there, and so is this command).
    check = subprocess.run(run_command(args.lpwan_run, args.scenario,
                                       sets=list(args.sets) + ["nbiot.cells=1"],
                                       scenario_dir=args.scenario_dir, check=True),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if check.returncode != 0:
        sys.exit(f"capacity: {check.stderr.strip()}")
    rows, runs, per = [], [], "cell"
    for profile in profiles:
        search = Search(args, profile)
        lo, hi = search.capacity()
        per = search.per
        rows.append(table_row(search, lo, hi, args))
        runs += search.runs
        print(f"capacity: {profile}: {rows[-1]['capacity']} devices per {per} "
              f"({len(search.runs)} runs)", file=sys.stderr)
    text = markdown(rows, args, per)
    write_table(args.out, "capacity", text, rows)
    with open(os.path.join(args.out, "capacity-runs.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(runs[0].keys()))
        w.writeheader()
        w.writerows(runs)
    figure = write_figure(rows, os.path.join(args.out, "capacity.png"), per)
    print(text)
    print(f"(written: {args.out}/capacity.md, capacity.csv, capacity-runs.csv"
          + (", capacity.png)" if figure else ")"))


if __name__ == "__main__":
    main(sys.argv[1:])
