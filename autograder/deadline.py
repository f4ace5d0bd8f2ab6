"""The whole-submission time limit (Limits.notebook_timeout), kept inside the process that grades it.

Past the deadline every kernel this process started is killed, again and again until the
submission's grading ends, so no fresh kernel can run on; the grade then records the time-out.
The worker itself lives on for the next submission.
"""
import threading
from contextlib import contextmanager

KILL_EVERY_SECONDS = 0.5
_expired = threading.Event()


def expired():
    """True once the submission being graded in this process is past its time limit."""
    return _expired.is_set()


@contextmanager
def notebook_deadline(seconds, kill_kernels):
    """Within the block, call kill_kernels() every half second once `seconds` have passed."""
    _expired.clear()
    finished = threading.Event()

    def watch():
        if finished.wait(seconds):
            return
        _expired.set()
        while not finished.is_set():
            kill_kernels()
            finished.wait(KILL_EVERY_SECONDS)

    watcher = threading.Thread(target=watch, name="notebook-deadline", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        finished.set()
        watcher.join()
