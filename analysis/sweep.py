#!/usr/bin/python3
"""Runs a parameter sweep: every parameter point of a sweep file × every seed, in parallel.

    ./lpwan sweep SWEEP.yaml [--jobs N] [--out DIR] [--set key=value]... [--check]
    ./lpwan sweep SWEEP.yaml --executor slurm [--slurm-option=--partition=P]... [...]
    analysis/sweep.py SWEEP.yaml --lpwan-run build/bin/lpwan-run [...]

The sweep file (format: sweep_spec.py, examples: scenarios/sweeps/) is validated completely
before any run starts: unknown keys, empty value lists and values of the wrong type are named
with the file and line, and every point goes through `lpwan-run --check` (ranges, relations).

OUT (default results/sweeps/<sweep file name>) receives sweep.yaml (a copy), sweep.json (what
is swept), runs/<point>/seed-<n>/ (each run's traces, its lpwan-run.log and, last,
complete.json), runs.csv and points.csv (sweep_tables.py). A run counts as finished only once
complete.json is there (written atomically after lpwan-run succeeded), so a sweep that was
interrupted (Ctrl-C, SIGTERM, kill, power loss) and is started again with the same command
skips the finished runs and does the others again from scratch.

--executor slurm runs the same command lines as one SLURM job array instead of local
processes (slurm_executor.py): same run directories, same markers, same tables.

Exit status: 0 every run finished; 1 some run failed (the tables hold the others) or another
failure; 2 bad sweep file or command line (nothing ran); 128+N interrupted by signal N
(130 Ctrl-C, 143 SIGTERM): the same command resumes.
"""
import argparse
import ctypes
import fcntl
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time

from lpwan_runs import default_runner, run_command, scenario_keys
from sweep_progress import Progress
from sweep_spec import SweepError, explain_check_failure, load_sweep

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COMPLETE = "complete.json"


class Interrupted(Exception):
    def __init__(self, signum):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _on_signal(signum, frame):
    raise Interrupted(signum)


def _child_setup():
    # Own process group: a Ctrl-C reaches the sweep, which stops its runs itself. And the run
    # dies with the sweep even when the sweep is killed outright (SIGKILL): no orphan keeps
    # writing into a directory that the next sweep redoes.
    os.setpgid(0, 0)
    PR_SET_PDEATHSIG = 1
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


class Pool:
    """Child processes, at most `jobs` at a time."""

    def __init__(self, jobs):
        self.jobs = jobs
        self.running = {}  # Popen -> task

    def full(self):
        return len(self.running) >= self.jobs

    def start(self, cmd, task, stdout, stderr):
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr,
                             preexec_fn=_child_setup, text=True)
        self.running[p] = task

    def wait(self):
        """Blocks until some child has ended; returns [(task, Popen)] of the ended ones."""
        if not self.running:
            return []
        try:
            # Wait without reaping, then let each Popen reap its own child.
            os.waitid(os.P_ALL, 0, os.WEXITED | os.WNOWAIT)
        except ChildProcessError:
            pass
        ended = [(t, p) for p, t in self.running.items() if p.poll() is not None]
        for _, p in ended:
            del self.running[p]
        return ended

    def stop_all(self):
        for p in self.running:
            p.terminate()
        deadline = time.monotonic() + 5
        for p in self.running:
            try:
                p.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        self.running.clear()


def check_points(spec, args, pool):
    """lpwan-run --check on every point; the first rejected point (in sweep order) as one
    line, or None."""
    failures = {}
    pending = list(enumerate(spec.points))
    while pending or pool.running:
        while pending and not pool.full():
            i, point = pending.pop(0)
            cmd = run_command(args.lpwan_run, spec.scenario, sets=spec.run_sets(point),
                              scenario_dir=args.scenario_dir, check=True)
            pool.start(cmd, (i, point), subprocess.DEVNULL, subprocess.PIPE)
        for (i, point), p in pool.wait():
            stderr = p.stderr.read()
            p.stderr.close()
            if p.returncode != 0:
                failures[i] = explain_check_failure(spec, point, stderr)
    return failures[min(failures)] if failures else None


def run_hash(spec, point, seed):
    """What a finished run must have been run with to count on a restart."""
    with open(spec.scenario, "rb") as f:
        scenario_sha = hashlib.sha256(f.read()).hexdigest()
    text = json.dumps({"scenario": spec.scenario, "scenario_sha256": scenario_sha,
                       "sets": spec.run_sets(point), "seed": seed})
    return hashlib.sha256(text.encode()).hexdigest()


def write_atomically(path, text):
    with open(path + ".tmp", "w") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(path + ".tmp", path)
    fd = os.open(os.path.dirname(path), os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def mark_complete(run_dir, expected_hash, cmd, wall_s):
    """Marks the run finished. The one writer of the marker, for both executors: a SLURM
    task calls it on its node (slurm_executor.run_task), so a sweep resumes on either."""
    write_atomically(os.path.join(run_dir, COMPLETE),
                     json.dumps({"run_hash": expected_hash, "command": cmd,
                                 "wall_s": wall_s}) + "\n")


def read_marker(run_dir, expected_hash):
    """The run's completion marker (a dict) when it finished with these settings, else None."""
    try:
        with open(os.path.join(run_dir, COMPLETE)) as f:
            marker = json.load(f)
    except (OSError, ValueError):
        return None
    return marker if marker.get("run_hash") == expected_hash else None


def is_complete(run_dir, expected_hash):
    return read_marker(run_dir, expected_hash) is not None


def describe_sweep(spec, args):
    return {
        "sweep_file": os.path.abspath(spec.path),
        "scenario": spec.scenario,
        "fixed": {a.key: a.text for a in spec.fixed},
        "varied": spec.varied_keys,
        "seeds": spec.seeds,
        "points": [{"point": p.slug, "values": {a.key: a.value for a in p.assignments}}
                   for p in spec.points],
        "runner": os.path.abspath(args.lpwan_run),
    }


def plan_runs(spec, args):
    """Every run as (point, seed, dir, hash), the unfinished ones, and their Progress."""
    runs = []
    for point, seed in spec.runs():
        d = os.path.join(args.out, "runs", point.slug, f"seed-{seed}")
        runs.append((point, seed, d, run_hash(spec, point, seed)))
    todo = [r for r in runs if not is_complete(r[2], r[3])]
    done_before = len(runs) - len(todo)
    if done_before:
        print(f"lpwan sweep: {done_before} of {len(runs)} runs already finished in "
              f"{args.out}, {len(todo)} to run", file=sys.stderr)
    return runs, todo, Progress(len(runs), done_before, sys.stderr)


def run_sweep(spec, args, pool):
    """Runs what is not finished yet. Returns (finished [(point, seed, dir)], failed)."""
    runs, todo, progress = plan_runs(spec, args)
    failed = []
    try:
        while todo or pool.running:
            while todo and not pool.full():
                point, seed, d, h = todo.pop(0)
                shutil.rmtree(d, ignore_errors=True)  # an unfinished run starts afresh
                os.makedirs(d)
                cmd = run_command(args.lpwan_run, spec.scenario, out=d,
                                  sets=spec.run_sets(point), seed=seed,
                                  scenario_dir=args.scenario_dir)
                with open(os.path.join(d, "lpwan-run.log"), "w") as log:
                    pool.start(cmd, (point, seed, d, h, time.monotonic(), cmd), log,
                               subprocess.STDOUT)
                progress.update(len(pool.running), len(failed))
            for (point, seed, d, h, started, cmd), p in pool.wait():
                label = f"{point.label()} seed {seed}"
                if p.returncode == 0 and os.path.isfile(os.path.join(d, "summary.json")):
                    mark_complete(d, h, cmd, time.monotonic() - started)
                    progress.finished(label, time.monotonic() - started)
                else:
                    failed.append((label, d, p.returncode))
                    progress.failed(label, d, p.returncode)
                progress.update(len(pool.running), len(failed))
    finally:
        progress.close()
    finished = [(p, s, d) for p, s, d, h in runs if is_complete(d, h)]
    return finished, failed


def run_sweep_on_slurm(spec, args):
    """run_sweep's work as one SLURM job array (slurm_executor.py): the same command lines,
    run directories and markers. Returns what run_sweep returns, or None after a failure of
    SLURM itself (printed: sbatch refused the job, ...)."""
    from slurm_executor import ArrayJob, SlurmError  # only a SLURM sweep needs them

    runs, todo, progress = plan_runs(spec, args)
    failed = []
    try:
        if todo:
            jobs = [{"label": f"{point.label()} seed {seed}", "dir": d, "hash": h,
                     "command": run_command(args.lpwan_run, spec.scenario, out=d,
                                            sets=spec.run_sets(point), seed=seed,
                                            scenario_dir=args.scenario_dir)}
                    for point, seed, d, h in todo]
            failed = ArrayJob(jobs, args, progress, read_marker).run()
    except SlurmError as e:
        print(f"lpwan sweep: {e}", file=sys.stderr)
        return None
    finally:
        progress.close()
    finished = [(p, s, d) for p, s, d, h in runs if is_complete(d, h)]
    return finished, failed


def print_points(points, out):
    cols = [("bytes.on_air_per_delivered_message", "bytes/msg", 1),
            ("retransmissions.total", "retransmissions", 1),
            ("latency_s.p95", "latency p95 s", 3)]
    head = ["point", "runs", "delivered/sent"] + [c[1] for c in cols]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for _, r in points.iterrows():
        cells = [r["point"], str(r["runs"]),
                 f"{r.get('messages.delivered.mean', float('nan')):.1f}/"
                 f"{r.get('messages.sent.mean', float('nan')):.1f}"]
        for key, _, digits in cols:
            mean, ci = r.get(f"{key}.mean"), r.get(f"{key}.ci95")
            cell = "-" if mean is None or mean != mean else f"{mean:.{digits}f}"
            if ci is not None and ci == ci and cell != "-":
                cell += f" ± {ci:.{digits}f}"
            cells.append(cell)
        lines.append("| " + " | ".join(cells) + " |")
    print("\n".join(lines), file=out)


def parse_args(argv):
    ap = argparse.ArgumentParser(prog="lpwan sweep", description=__doc__.splitlines()[0])
    ap.add_argument("sweep", metavar="SWEEP.yaml")
    ap.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1,
                    help="runs at a time (default: every core)")
    ap.add_argument("--out", help="sweep directory (default results/sweeps/<name>)")
    ap.add_argument("--set", action="append", default=[], dest="sets", metavar="KEY=VALUE",
                    help="fix a scenario key for every run (after the sweep file's set:)")
    ap.add_argument("--lpwan-run", default=None,
                    help="the runner (default $LPWAN_RUN, else build/bin/lpwan-run)")
    ap.add_argument("--scenario-dir", default=os.path.join(ROOT, "scenarios"))
    ap.add_argument("--check", action="store_true",
                    help="validate the sweep file and list its runs; run nothing")
    ap.add_argument("--executor", choices=["local", "slurm"], default="local",
                    help="local processes, --jobs at a time (default), or one SLURM job "
                         "array (docs/sweeps.md: On a SLURM cluster)")
    ap.add_argument("--slurm-option", action="append", default=[], dest="slurm_options",
                    metavar="OPTION", help="an sbatch option for the job array, written "
                    "with '=': --slurm-option=--partition=compute (repeatable)")
    ap.add_argument("--slurm-max-parallel", type=int, metavar="M",
                    help="at most M array tasks running at once (sbatch --array=...%%M)")
    ap.add_argument("--slurm-runs-per-task", type=int, metavar="N",
                    help="runs per array task, one after the other (default 1, or more "
                         "when over 1000 runs are to do)")
    ap.add_argument("--slurm-poll-s", type=float, default=5.0, metavar="S",
                    help="seconds between two squeue polls while waiting (default 5)")
    args = ap.parse_args(argv)
    if args.jobs < 1:
        ap.error(f"--jobs: {args.jobs}: must be at least 1")
    for name in ("slurm_max_parallel", "slurm_runs_per_task"):
        value = getattr(args, name)
        if value is not None and value < 1:
            ap.error(f"--{name.replace('_', '-')}: {value}: must be at least 1")
    if not args.slurm_poll_s > 0:
        ap.error(f"--slurm-poll-s: {args.slurm_poll_s}: must be positive")
    if args.executor != "slurm" and (args.slurm_options or args.slurm_max_parallel
                                     or args.slurm_runs_per_task):
        ap.error("--slurm-option, --slurm-max-parallel and --slurm-runs-per-task need "
                 "--executor slurm")
    args.lpwan_run = args.lpwan_run or default_runner()
    if args.out is None:
        name = os.path.splitext(os.path.basename(args.sweep))[0]
        args.out = os.path.join("results", "sweeps", name)
    return args


def main(argv):
    args = parse_args(argv)
    if args.executor == "slurm":
        from slurm_executor import missing_commands
        missing = missing_commands()
        if missing:
            print(f"lpwan sweep: --executor slurm: {', '.join(missing)} not on PATH (run the "
                  "sweep where the SLURM client commands are, e.g. a login node); nothing ran",
                  file=sys.stderr)
            return 1
    if not os.access(args.lpwan_run, os.X_OK):
        print(f"lpwan sweep: {args.lpwan_run}: no runner there (./lpwan build makes it; "
              "--lpwan-run or $LPWAN_RUN name another)", file=sys.stderr)
        return 1
    try:
        keys = scenario_keys(args.lpwan_run)
    except (OSError, subprocess.CalledProcessError, RuntimeError) as e:
        print(f"lpwan sweep: {args.lpwan_run} --list-keys failed: {e}", file=sys.stderr)
        return 1
    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, _on_signal)
    pool = Pool(args.jobs)
    try:
        try:
            spec = load_sweep(args.sweep, keys, args.scenario_dir, args.sets)
            error = check_points(spec, args, pool)
            if error:
                raise SweepError(error)
        except SweepError as e:
            print(f"lpwan sweep: {e}", file=sys.stderr)
            return 2
        runs = spec.runs()
        where = (f"{args.jobs} at a time" if args.executor == "local"
                 else "as one SLURM job array")
        print(f"lpwan sweep: {spec.path}: {len(spec.points)} parameter points × "
              f"{len(spec.seeds)} seeds = {len(runs)} runs, {where}", file=sys.stderr)
        if args.check:
            for point, seed in runs:
                print(f"{point.slug}/seed-{seed}")
            return 0

        os.makedirs(args.out, exist_ok=True)
        lock = open(os.path.join(args.out, ".sweep.lock"), "w")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"lpwan sweep: {args.out}: another sweep is running there", file=sys.stderr)
            return 1
        shutil.copyfile(args.sweep, os.path.join(args.out, "sweep.yaml"))
        write_atomically(os.path.join(args.out, "sweep.json"),
                         json.dumps(describe_sweep(spec, args), indent=2) + "\n")
        started = time.monotonic()
        if args.executor == "slurm":
            outcome = run_sweep_on_slurm(spec, args)
            if outcome is None:
                return 1
            finished, failed = outcome
        else:
            finished, failed = run_sweep(spec, args, pool)
        if finished:
            from sweep_tables import write_tables  # pandas takes a second to load: only now
            _, points = write_tables(spec, finished, args.out)
            print_points(points, sys.stdout)
    except Interrupted as e:
        for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(s, signal.SIG_IGN)
        pool.stop_all()
        print(f"\nlpwan sweep: interrupted ({e}); the same command resumes the sweep, "
              "skipping the runs that finished", file=sys.stderr)
        return 128 + e.signum

    print(f"lpwan sweep: {len(finished)} of {len(runs)} runs finished "
          f"({time.monotonic() - started:.1f} s); tables: "
          f"{os.path.join(args.out, 'runs.csv')}, {os.path.join(args.out, 'points.csv')}",
          file=sys.stderr)
    if failed:
        print(f"lpwan sweep: {len(failed)} runs failed (their lpwan-run.log says why); "
              "the same command runs them again", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
