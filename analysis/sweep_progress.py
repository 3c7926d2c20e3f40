"""The sweep's progress on stderr: a bar redrawn in place on a terminal; elsewhere (a log, a
test, CI) one line per finished run, which is what a reader of a log wants."""
import time


def _clock(seconds):
    seconds = int(seconds)
    h, m, s = seconds // 3600, seconds // 60 % 60, seconds % 60
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


class Progress:
    WIDTH = 30

    def __init__(self, total, done, stream):
        self.total = total
        self.done = done
        self.done_at_start = done
        self.stream = stream
        self.tty = stream.isatty()
        self.start = time.monotonic()
        self.last_draw = 0.0
        self.running = 0
        self.failures = 0

    def _bar(self):
        filled = int(self.WIDTH * self.done / self.total) if self.total else self.WIDTH
        elapsed = time.monotonic() - self.start
        new = self.done - self.done_at_start
        left = ""
        if new and self.done < self.total:
            left = f", ~{_clock(elapsed / new * (self.total - self.done))} left"
        failed = f", {self.failures} failed" if self.failures else ""
        return (f"[{'#' * filled}{'.' * (self.WIDTH - filled)}] {self.done}/{self.total} runs"
                f" ({self.running} running{failed}) {_clock(elapsed)}{left}")

    def _draw(self, force=False):
        now = time.monotonic()
        if self.tty and (force or now - self.last_draw > 0.1):
            self.stream.write("\r\033[K" + self._bar())
            self.stream.flush()
            self.last_draw = now

    def _line(self, text):
        if self.tty:
            self.stream.write("\r\033[K")
        self.stream.write(text + "\n")
        self.stream.flush()

    def update(self, running, failures):
        self.running = running
        self.failures = failures
        self._draw()

    def finished(self, label, wall_s):
        self.done += 1
        if not self.tty:
            self._line(f"lpwan sweep: {self.done}/{self.total} done: {label} ({wall_s:.1f} s)")
        self._draw(force=True)

    def failed(self, label, run_dir, status):
        self.failures += 1
        self._line(f"lpwan sweep: FAILED (exit {status}): {label}: see {run_dir}/lpwan-run.log")
        self._draw(force=True)

    def close(self):
        if self.tty:
            self.stream.write("\r\033[K" + self._bar() + "\n")
            self.stream.flush()
