"""A progress bar with counts and an estimate of the time left, on the instructor's terminal (stderr)."""
import sys
import time

WIDTH = 30


def _clock(seconds):
    minutes, seconds = divmod(int(round(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


class Progress:
    """`grading [#######-------] 12/40 0:35 elapsed, ~1:20 left`, redrawn in place on a terminal;
    elsewhere (a CI log, a file) one line per tenth of the work."""

    def __init__(self, total, label, stream=None, enabled=True):
        self.total, self.label, self.done, self.failed = total, label, 0, 0
        self.stream = stream or sys.stderr
        self.enabled = enabled and total > 0
        self.interactive = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.start = time.monotonic()
        self._last_tenth = -1
        self.draw()

    def advance(self, failed=False):
        self.done += 1
        self.failed += bool(failed)
        self.draw()

    def line(self):
        elapsed = time.monotonic() - self.start
        filled = WIDTH * self.done // max(self.total, 1)
        bar = "#" * filled + "-" * (WIDTH - filled)
        text = f"{self.label} [{bar}] {self.done}/{self.total}  {_clock(elapsed)} elapsed"
        if 0 < self.done < self.total:
            text += f", ~{_clock(elapsed / self.done * (self.total - self.done))} left"
        if self.failed:
            text += f"  ({self.failed} with problems)"
        return text

    def draw(self):
        if not self.enabled:
            return
        if self.interactive:
            self.stream.write("\r" + self.line() + "\033[K")
        else:
            tenth = 10 * self.done // self.total
            if tenth == self._last_tenth:
                return
            self._last_tenth = tenth
            self.stream.write(self.line() + "\n")
        self.stream.flush()

    def close(self):
        closed, self._closed = getattr(self, "_closed", False), True
        if self.enabled and self.interactive and not closed:
            self.stream.write("\n")
            self.stream.flush()
