"""Long-lived worker processes that run one job at a time, with one parent that receives every result.

The workers are forked once nbgrader is imported (it takes seconds), so each job pays
only for its own work. Only the parent writes shared state (the gradebook, the
journal): a worker returns plain data. A worker that dies, or runs a job longer
than its time limit, is replaced and its job reported as failed; the others go on.
"""
import collections
import ctypes
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import time
import traceback
from dataclasses import dataclass

# NumPy in two kernels at once: one BLAS thread each, not one per core each.
THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
TICK_SECONDS = 0.5
_PENDING = object()


@dataclass
class Failure:
    """What the parent gets for a job whose worker did not return a result."""

    reason: str
    worker_died: bool = False  # the worker process died (rather than the job failing or running too long)


def _die_with_parent():
    """Ask Linux to kill this worker when the parent dies, even by SIGKILL (kernels follow their worker)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _worker(connection, task, log_path, single_threaded):
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    # Kernels inherit fd 1 and 2: their start-up chatter goes to the log, not the progress bar.
    log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(log, 1)
    os.dup2(log, 2)
    if single_threaded:
        for name in THREAD_VARIABLES:
            os.environ.setdefault(name, "1")
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            reply = ("ok", task(job))
        except Exception:  # the job failed, the worker goes on
            reply = ("error", traceback.format_exc())
        sys.stdout.flush()
        sys.stderr.flush()
        try:
            connection.send(reply)
        except (BrokenPipeError, OSError):
            return


class _Slot:
    def __init__(self, context, task, log_path, single_threaded):
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_worker, args=(child, task, log_path, single_threaded), daemon=True)
        self.process.start()
        child.close()
        self.job, self.started = None, None

    def give(self, job):
        self.job, self.started = job, time.monotonic()
        self.connection.send(job)

    def stop(self, kill=False):
        if kill:
            self.process.kill()
        else:
            try:
                self.connection.send(None)
            except (BrokenPipeError, OSError):
                pass
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.connection.close()


def run(jobs, task, on_result, workers, log_dir, time_limit=None, progress=None, on_start=None):
    """Run task(job) for every job in `workers` processes; call on_result(job, result) here, one at a time.

    result is what task returned, or a Failure. A job longer than time_limit seconds has its worker killed.
    on_start(job), when given, is called just before a job goes to a worker; when on_result returns a
    job, that job is run again (once its worker was replaced).
    """
    context = multiprocessing.get_context("fork")
    pending = collections.deque(jobs)
    workers = max(1, min(workers, len(pending)))
    log_dir.mkdir(parents=True, exist_ok=True)
    logs = [log_dir / f"worker-{index}.log" for index in range(workers)]
    slots = [_Slot(context, task, logs[index], workers > 1) for index in range(workers)]
    try:
        while pending or any(slot.job is not None for slot in slots):
            for slot in slots:
                if slot.job is None and pending:
                    job = pending.popleft()
                    if on_start:
                        on_start(job)
                    slot.give(job)
            busy = [slot for slot in slots if slot.job is not None]
            ready = multiprocessing.connection.wait(
                [slot.connection for slot in busy] + [slot.process.sentinel for slot in busy], timeout=TICK_SECONDS)
            for index, slot in enumerate(slots):
                if slot.job is None:
                    continue
                result = _PENDING
                if slot.connection in ready:
                    try:
                        status, value = slot.connection.recv()
                        result = value if status == "ok" else Failure(
                            f"the grader failed: {value.strip().splitlines()[-1]}")
                    except (EOFError, OSError):
                        result = Failure("the grading process died (out of memory?)", worker_died=True)
                elif slot.process.sentinel in ready or not slot.process.is_alive():
                    result = Failure("the grading process died (out of memory?)", worker_died=True)
                elif time_limit and time.monotonic() - slot.started > time_limit:
                    result = Failure(f"grading took longer than {time_limit:g} s and was stopped")
                if result is _PENDING:
                    continue
                job = slot.job
                slot.job = None
                if isinstance(result, Failure):  # a fresh worker: nothing of a failed job lingers
                    slot.stop(kill=True)
                    slots[index] = slot = _Slot(context, task, logs[index], workers > 1)
                again = on_result(job, result)
                if again is not None:
                    pending.append(again)
                elif progress:
                    progress.advance(failed=isinstance(result, Failure))
            if progress:
                progress.draw()
    finally:
        for slot in slots:
            slot.stop(kill=slot.job is not None)
        if progress:
            progress.close()
