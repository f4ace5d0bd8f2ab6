"""The Dask cluster that runs grading tasks: one on this machine by default, or any existing scheduler.

A task takes and returns plain data, so a worker needs only this project installed, not the
course folder. The parent is the only writer of the gradebook and the journal: it hears when a
task starts (a Dask event the task logs) and gets each result here, one at a time. A worker
that dies is Dask's to replace; a task that killed workers more often than the scheduler's
allowed-failures ends as a Failure, not a stuck run.
"""
import logging
import os
import queue
import sys
import time
import uuid
from concurrent.futures import CancelledError, ThreadPoolExecutor, wait
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import dask
from distributed import Client, LocalCluster, WorkerPlugin, get_client, get_worker
from distributed.scheduler import KilledWorker

STARTED_TOPIC = "autograder-started"
CONNECT_TIMEOUT = "20s"  # for a scheduler given with --scheduler to answer
TICK_SECONDS = 0.1
# Tasks handed to the cluster ahead of the results, per worker: enough to keep every worker busy.
IN_FLIGHT_PER_WORKER = 2
ASK_EVERY_SECONDS = 1.0  # how often the number of workers is asked again (a cluster may grow or shrink)
LOOPBACK_ANY_PORT = "127.0.0.1:0"


@dataclass
class Failure:
    """What the parent gets for a task that did not return a result."""

    reason: str
    worker_died: bool = False  # it killed the worker(s) that ran it (rather than raising)


def local_settings(allowed_failures):
    """Dask settings for the cluster this process starts: a worker holds one task at a time, so a worker
    that dies counts against that task alone; memory is the sandbox's to limit, not Dask's; and no
    housekeeping that takes the cores the grading needs (by default the statistical profiler samples every
    10 ms, the event-loop and system monitors run every 20 and 500 ms: benchmarks/cpu_by_process.py)."""
    return {"distributed.scheduler.allowed-failures": allowed_failures,
            "distributed.scheduler.worker-saturation": 1.0,
            "distributed.worker.memory.target": False, "distributed.worker.memory.spill": False,
            "distributed.worker.memory.pause": False, "distributed.worker.memory.terminate": False,
            "distributed.worker.daemon": False,
            "distributed.worker.profile.enabled": False,
            "distributed.admin.tick.interval": "1s",
            "distributed.admin.system-monitor.interval": "5s",
            "distributed.worker.memory.monitor-interval": "5s"}


@contextmanager
def connect(scheduler=None, workers=1, allowed_failures=1, local_directory=None, plugins=()):
    """A Dask client: of the scheduler at `scheduler` (tcp://HOST:PORT), or of a LocalCluster of `workers`
    single-threaded worker processes that goes away with this process, each set up by `plugins` (Dask worker
    plugins) as it starts."""
    if scheduler:
        try:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT)
        except OSError as error:
            from autograder.errors import CommandError

            raise CommandError(f"no Dask scheduler answered at {scheduler} ({error}): start one with "
                               f"`dask scheduler` and workers with `dask worker {scheduler}`, or leave out "
                               "--scheduler to grade on this machine") from None
        try:  # closed, not left as a context manager: connect_in_background enters and leaves in different threads
            yield client
        finally:
            client.close()
        return
    with dask.config.set(local_settings(allowed_failures)):
        # No dashboard; the scheduler's HTTP server (health and metrics) on a free port of this machine only,
        # not Dask's default 8787, which a second run or a Jupyter server's Dask dashboard may hold.
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                               scheduler_kwargs={"dashboard_address": LOOPBACK_ANY_PORT}, memory_limit=0,
                               silence_logs=logging.ERROR, local_directory=local_directory, plugins=tuple(plugins))
        try:
            client = Client(cluster)
            try:
                yield client
            finally:
                client.close()
        finally:
            cluster.close()


@contextmanager
def connect_in_background(*args, **kwargs):
    """connect(*args, **kwargs), begun at once in a thread of its own, so that the workers start while this process
    prepares the tasks; yields a function that waits for the client and returns it (raising what connect raised)."""
    stack = ExitStack()
    pool = ThreadPoolExecutor(1, thread_name_prefix="autograder-cluster-start")
    started = pool.submit(stack.enter_context, connect(*args, **kwargs))
    pool.shutdown(wait=False)
    try:
        yield started.result
    finally:
        wait([started])  # a cluster still starting is closed once it is up, never left behind
        stack.close()


class WarmUp(WorkerPlugin):
    """Each worker, as it starts, starts a grading process (autograder/grading_process.py), which imports the grader
    and starts the kernel template while the cluster still gets ready."""

    name = "autograder-warm-up"

    def __init__(self, limits):
        self.limits = limits  # Limits as a dict: whether kernels will be forked from a template

    def setup(self, worker):
        from autograder import grading_process

        quiet(worker)  # before the grading process inherits stdout and stderr
        grading_process.warm(self.limits)


def worker_count(client):
    return len(client.scheduler_info(n_workers=-1)["workers"])


def quiet(worker):
    """Send this worker's stdout and stderr (nbgrader's and SQLAlchemy's chatter, its grading processes' too) to a
    log of its own, once."""
    if not _quiet[0]:
        log = os.open(Path(worker.local_directory) / "grader.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(log, 1)
        os.dup2(log, 2)
        _quiet[0] = True


def say_started(run_id, label):
    """Tell the parent, from inside a task, that it has started (the journal's `started` line); the first
    time in a worker, quiet it."""
    quiet(get_worker())
    # Through the scheduler and back before the task goes on: a task that kills its worker at once is
    # still journaled as started.
    get_client().log_event(STARTED_TOPIC, {"run": run_id, "label": label})


_quiet = [False]


def _failure(error):
    if isinstance(error, KilledWorker):
        return Failure("the grading process died each time it ran this (out of memory?)", worker_died=True)
    lines = str(error).strip().splitlines()
    return Failure(f"the grader failed: {type(error).__name__}: {lines[-1] if lines else ''}".rstrip(": "))


def outcome(future):
    """What a done future brought: its result, or a Failure. Read through result() only, never its status: a result
    still on a worker that dies right after done() said so reads "lost" (not done) until Dask has computed it again,
    and result() waits for that."""
    try:
        return future.result()
    except CancelledError:
        return Failure("the grading task was cancelled (the cluster lost it)")
    except Exception as error:
        return _failure(error)


def run(client, function, tasks, on_result, on_start=None, progress=None, shared=None):
    """Run function(shared, run_id, label, task) on the cluster for every (label, task) in `tasks`.

    on_start(label) is called here when a task starts on a worker; on_result(label, result) when it ends,
    with what the function returned or a Failure; both one at a time, in this thread. Tasks are read from
    `tasks` as the cluster takes them (a few per worker in flight), so a hand-in is read just before it goes.
    """
    run_id = uuid.uuid4().hex
    started = queue.Queue()
    if on_start:
        client.subscribe_topic(STARTED_TOPIC, lambda event: started.put(event[1]))
    # `shared` goes with every task, rather than as data the tasks depend on: a task without dependencies is
    # queued by the scheduler and handed to a worker only when it is free, so a worker that dies takes only
    # its own task with it (a dependent task is assigned at once, and blamed with the worker it waited on).
    waiting = iter(tasks)
    in_flight = {}  # future: label
    labels = {}     # a label as it comes back in an event (plain data): the parent's label
    asked_at = [-ASK_EVERY_SECONDS]  # asking the scheduler how many workers it has costs a round trip

    def submit_more():
        now = time.monotonic()
        if len(in_flight) >= IN_FLIGHT_PER_WORKER and now - asked_at[0] < ASK_EVERY_SECONDS:
            return
        asked_at[0] = now
        room = IN_FLIGHT_PER_WORKER * max(1, len(client.nthreads())) - len(in_flight)
        for _ in range(room):
            try:
                label, task = next(waiting)
            except StopIteration:
                return
            labels[_plain(label)] = label
            future = client.submit(function, shared, run_id, label, task,
                                   key=f"grade-{run_id}-{len(labels)}", pure=False)
            in_flight[future] = label

    def drain():
        while not started.empty():
            event = started.get_nowait()
            if event.get("run") == run_id and on_start:
                on_start(labels[_plain(event["label"])])

    try:
        submit_more()
        while in_flight:
            done = [future for future in in_flight if future.done()]
            drain()
            for future in done:
                label = in_flight.pop(future)
                result = outcome(future)
                future.release()
                on_result(label, result)
                if progress:
                    progress.advance(failed=isinstance(result, Failure))
            submit_more()
            if progress:
                progress.draw()
            if not done:
                time.sleep(TICK_SECONDS)
    finally:
        if on_start:
            client.unsubscribe_topic(STARTED_TOPIC)
        client.cancel(list(in_flight))
        if progress:
            progress.close()


def _plain(label):
    """A label as plain data survives the trip through an event (tuples may come back as lists)."""
    return tuple(_plain(part) for part in label) if isinstance(label, (list, tuple)) else label
