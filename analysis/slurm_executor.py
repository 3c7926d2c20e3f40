#!/usr/bin/python3
"""The SLURM executor of `./lpwan sweep --executor slurm`: the runs a sweep still has to do
go to a cluster as ONE job array, so that there is one job id to wait for and to cancel,
and SLURM's own scheduler (not a home-made one) decides where and when they run.

    sbatch --array=0-(K-1)[%M] OUT/slurm/task.sh      (K tasks of --slurm-runs-per-task runs)

Each array task runs its share of the runs with exactly the lpwan-run command line that the
local executor would run, in the same run directory, and writes the same completion marker
(sweep.mark_complete); so the tables are the same, and a sweep started on one executor
resumes on the other. The sweep waits for the array (squeue), then checks every run's
marker: a task that failed is one error naming its run directories and its log file.

This file is also the task's program: the generated task script runs

    python3 analysis/slurm_executor.py --task OUT/slurm/tasks.json $SLURM_ARRAY_TASK_ID

on the node. The repository, the runner, the scenario files and OUT must therefore be at the
same paths on every node (a shared filesystem), and so must this Python.
"""
import json
import math
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time

# SLURM's default MaxArraySize is 1001 (task ids 0..1000): more runs than this go several to
# a task unless --slurm-runs-per-task says otherwise.
MAX_ARRAY_TASKS = 1000
# How long squeue may fail in a row (slurmctld restarting, network) before the sweep stops
# waiting; the job is left alone then, and the error says so.
SQUEUE_GIVE_UP_S = 300
# How long a cancelled job may take to leave the queue (SLURM's KillWait is 30 s by default).
CANCEL_WAIT_S = 60


class SlurmError(Exception):
    """A failure of SLURM itself (sbatch refused the job, squeue unreachable, an earlier
    job still running in OUT): one line for the user, and the sweep exits with status 1."""


def missing_commands():
    """The SLURM client commands the executor needs that are not on PATH (checked before
    anything runs, so that a login node without them fails at once)."""
    return [c for c in ("sbatch", "squeue", "scancel") if shutil.which(c) is None]


def chunks(runs, per_task):
    """runs in sweep order, cut into consecutive groups of per_task: one per array task."""
    return [runs[i:i + per_task] for i in range(0, len(runs), per_task)]


def runs_per_task(todo, requested):
    """requested when given, else 1, or as many as keep the array within MAX_ARRAY_TASKS."""
    return requested or max(1, math.ceil(todo / MAX_ARRAY_TASKS))


def _write(path, text, mode=0o644):
    with open(path + ".tmp", "w") as f:
        f.write(text)
    os.chmod(path + ".tmp", mode)
    os.replace(path + ".tmp", path)


def _queue_states(job):
    """The states (one per squeue line: RUNNING, PENDING, COMPLETING...) of the job's tasks
    still in the queue; [] once the job has left it. None when squeue failed."""
    p = subprocess.run(["squeue", "-j", job, "-h", "-o", "%T"], stdin=subprocess.DEVNULL,
                       capture_output=True, text=True)
    if p.returncode == 0:
        return p.stdout.split()
    if "Invalid job id" in p.stderr:  # the controller has already forgotten the job
        return []
    return None


def _sacct_states(job):
    """{array task index: "STATE exit X:Y"} from the accounting database, when the cluster
    has one; {} otherwise (it only adds detail to a failure message)."""
    try:
        p = subprocess.run(["sacct", "-j", job, "-n", "-P", "-X", "-o", "JobID,State,ExitCode"],
                           stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return {}
    states = {}
    if p.returncode == 0:
        for line in p.stdout.splitlines():
            fields = line.split("|")
            if len(fields) == 3 and fields[0].startswith(job + "_"):
                index = fields[0][len(job) + 1:]
                if index.isdigit():
                    states[int(index)] = f"{fields[1]}, exit {fields[2]}"
    return states


def _cancel(job):
    """scancel, then wait (bounded) until the job has left the queue, so that a sweep
    started again right away does not race the cancelled tasks for the same run dirs."""
    print(f"\nlpwan sweep: cancelling SLURM job {job} (scancel {job})", file=sys.stderr)
    p = subprocess.run(["scancel", job], stdin=subprocess.DEVNULL, capture_output=True,
                       text=True)
    if p.returncode != 0:
        print(f"lpwan sweep: scancel {job} failed: {p.stderr.strip()}", file=sys.stderr)
        return
    deadline = time.monotonic() + CANCEL_WAIT_S
    while time.monotonic() < deadline:
        if _queue_states(job) == []:
            print(f"lpwan sweep: SLURM job {job} cancelled", file=sys.stderr)
            return
        time.sleep(0.5)
    print(f"lpwan sweep: SLURM job {job} is still in the queue {CANCEL_WAIT_S} s after "
          f"scancel; wait until it has left (squeue -j {job}) before running the sweep again",
          file=sys.stderr)


def task_script(python, manifest, sbatch_cmd):
    """The script SLURM runs for each array task: kept in OUT/slurm for the user to read."""
    here = os.path.abspath(__file__)
    return f"""#!/bin/sh
# Generated by ./lpwan sweep --executor slurm (analysis/slurm_executor.py); rewritten at every
# submission. It was submitted as:
#   {shlex.join(sbatch_cmd)}
# SLURM runs it once per array task, SLURM_ARRAY_TASK_ID = 0, 1, ... Task i runs the runs
# listed in tasks[i] of {os.path.basename(manifest)}, one after the other: for each, it empties the
# run's directory, runs there the lpwan-run command line that --executor local would run
# (its output in the run's lpwan-run.log) and, when the run succeeded, writes its
# complete.json. A run already complete (a requeued task) is skipped. The exit status is 1
# when a run failed. This Python, analysis/, the runner, the scenario files and the sweep's
# directory must be at the same paths on every node (a shared filesystem).
exec {shlex.quote(python)} {shlex.quote(here)} --task {shlex.quote(manifest)} \\
    "$SLURM_ARRAY_TASK_ID"
"""


class ArrayJob:
    """One submission: the manifest, the task script, the sbatch, the wait, the verdict.

    runs: [{"label", "dir", "hash", "command"}] still to do, in sweep order; args: the sweep's
    options (out, slurm_*); progress: a sweep_progress.Progress; read_marker(dir, hash): the
    run's completion marker (a dict) or None (sweep.read_marker: the sweep owns the format).
    """

    def __init__(self, runs, args, progress, read_marker):
        self.runs = runs
        self.args = args
        self.progress = progress
        self.read_marker = read_marker
        self.dir = os.path.abspath(os.path.join(args.out, "slurm"))
        self.tasks = chunks(runs, runs_per_task(len(runs), args.slurm_runs_per_task))
        self.job = None

    def log_of(self, index):
        return os.path.join(self.dir, f"task-{self.job}_{index}.log")

    def run(self):
        """Submits, waits, and returns the failed runs as [(label, dir, None)]."""
        os.makedirs(self.dir, exist_ok=True)
        self._refuse_if_earlier_job_runs()
        try:
            self._submit()
            self._wait()
        except SlurmError:
            raise  # nothing submitted, or squeue unreachable: the error says what of the job
        except BaseException:  # Ctrl-C, SIGTERM (sweep.Interrupted), anything else
            if self.job:
                _cancel(self.job)
            raise
        return self._verdict()

    def _refuse_if_earlier_job_runs(self):
        """Two jobs writing into one sweep directory would race for the same runs: the lock
        of sweep.py cannot see a job whose sweep was killed, so the job id is kept here."""
        try:
            with open(os.path.join(self.dir, "job-id")) as f:
                earlier = f.read().strip()
        except OSError:
            return
        if earlier and _queue_states(earlier):
            raise SlurmError(f"SLURM job {earlier}, submitted by an earlier sweep into "
                             f"{self.args.out}, is still in the queue: wait until it has "
                             f"left (squeue -j {earlier}) or scancel {earlier}, then run the "
                             "same command again")

    def _submit(self):
        manifest = os.path.join(self.dir, "tasks.json")
        script = os.path.join(self.dir, "task.sh")
        array = f"0-{len(self.tasks) - 1}"
        if self.args.slurm_max_parallel:
            array += f"%{self.args.slurm_max_parallel}"
        name = os.path.basename(os.path.normpath(self.args.out))
        cmd = (["sbatch", "--parsable", f"--job-name=lpwan-sweep-{name}", f"--array={array}",
                f"--output={os.path.join(self.dir, 'task-%A_%a.log')}"]
               + self.args.slurm_options + [script])
        _write(manifest, json.dumps({"cwd": os.getcwd(), "tasks": self.tasks}, indent=1) + "\n")
        _write(script, task_script(sys.executable, manifest, cmd), 0o755)
        # A Ctrl-C or SIGTERM during sbatch waits until the job id is known (sbatch, which
        # inherits the mask, completes): the job is then cancelled instead of left unseen.
        stop = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, stop)
        try:
            p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True)
            job = p.stdout.strip().split(";")[0]
            if p.returncode == 0 and job.isdigit():
                self.job = job
                _write(os.path.join(self.dir, "job-id"), job + "\n")
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        if not self.job:
            raise SlurmError(f"sbatch failed (exit {p.returncode}): "
                             f"{(p.stderr or p.stdout).strip()}; nothing was submitted "
                             f"(the task script is {script})")
        per_task = len(self.tasks[0])
        each = "each" if len(self.runs) % per_task == 0 else "at most"
        print(f"lpwan sweep: submitted SLURM job {job}: {len(self.tasks)} array "
              f"task{'s' if len(self.tasks) > 1 else ''} of {per_task} "
              f"run{'s' if per_task > 1 else ''} {each}; task logs: "
              f"{os.path.join(self.dir, f'task-{job}_<task>.log')}", file=sys.stderr)

    def _report_finished(self, waiting):
        """Reports the runs whose marker appeared since the last poll; returns the others."""
        left = []
        for r in waiting:
            marker = self.read_marker(r["dir"], r["hash"])
            if marker is None:
                left.append(r)
            else:
                self.progress.finished(r["label"], marker.get("wall_s", 0.0))
        return left

    def _wait(self):
        waiting = list(self.runs)
        failing_since = None
        while True:
            states = _queue_states(self.job)
            waiting = self._report_finished(waiting)
            if states is None:
                now = time.monotonic()
                if failing_since is None:
                    failing_since = now
                    print(f"lpwan sweep: squeue -j {self.job} failed; trying again",
                          file=sys.stderr)
                elif now - failing_since > SQUEUE_GIVE_UP_S:
                    raise SlurmError(f"squeue has failed for {SQUEUE_GIVE_UP_S} s: stopped "
                                     f"waiting for SLURM job {self.job}, which may still be "
                                     "running; the same command, run once it has ended, "
                                     "collects its runs and redoes the others")
            else:
                failing_since = None
                if not states:
                    self._report_finished(waiting)
                    return
                self.progress.update(states.count("RUNNING"), 0)
            time.sleep(self.args.slurm_poll_s)

    def _verdict(self):
        failed = []
        sacct = None
        for index, task in enumerate(self.tasks):
            unfinished = [r for r in task if self.read_marker(r["dir"], r["hash"]) is None]
            if not unfinished:
                continue
            if sacct is None:
                sacct = _sacct_states(self.job)
            log = self.log_of(index)
            detail = f"SLURM: {sacct[index]}; " if index in sacct else ""
            if not os.path.exists(log):
                detail += "no task log: the task never started; "
            print(f"lpwan sweep: FAILED: SLURM task {index} of job {self.job} ({detail}log "
                  f"{log}): {len(unfinished)} of {len(task)} runs unfinished: "
                  + ", ".join(r["dir"] for r in unfinished)
                  + " (each run's lpwan-run.log says why)", file=sys.stderr)
            failed += [(r["label"], r["dir"], None) for r in unfinished]
        self.progress.update(0, len(failed))
        return failed


def run_task(manifest, index):
    """On a node: runs array task `index` of the manifest. Returns the exit status."""
    import sweep  # the marker's owner; only a task needs it, and sweep.py never imports us at the top

    with open(manifest) as f:
        m = json.load(f)
    os.chdir(m["cwd"])  # the command lines are the local executor's, relative paths included
    status = 0
    for r in m["tasks"][index]:
        d = r["dir"]
        if sweep.read_marker(d, r["hash"]) is not None:
            print(f"lpwan sweep task: already finished: {r['label']} ({d})", flush=True)
            continue
        shutil.rmtree(d, ignore_errors=True)  # an unfinished run starts afresh
        os.makedirs(d)
        print(f"lpwan sweep task: running {r['label']} in {d}", flush=True)
        started = time.monotonic()
        with open(os.path.join(d, "lpwan-run.log"), "w") as log:
            rc = subprocess.call(r["command"], stdin=subprocess.DEVNULL, stdout=log,
                                 stderr=subprocess.STDOUT)
        wall_s = time.monotonic() - started
        if rc == 0 and os.path.isfile(os.path.join(d, "summary.json")):
            sweep.mark_complete(d, r["hash"], r["command"], wall_s)
            print(f"lpwan sweep task: finished {r['label']} ({wall_s:.1f} s)", flush=True)
        else:
            print(f"lpwan sweep task: FAILED (exit {rc}): {r['label']}: see "
                  f"{os.path.join(d, 'lpwan-run.log')}", flush=True)
            status = 1
    return status


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] != "--task" or not sys.argv[3].isdigit():
        sys.exit("usage: slurm_executor.py --task TASKS.json ARRAY_TASK_ID "
                 "(run by the task script that ./lpwan sweep --executor slurm generates)")
    sys.exit(run_task(sys.argv[2], int(sys.argv[3])))
