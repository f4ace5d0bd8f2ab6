"""A process of its own beside each Dask worker, where that worker's submissions are graded.

A Dask worker runs a task in a thread next to its event loop, its statistical profiler and
its heartbeats, which take the GIL every few milliseconds: a long stretch of pure Python
runs much slower there than in a process with nothing else to do (the course's loop version
on 10,000 examples, 1.8 times slower: benchmarks/grading_process.py), and a long one holding
the GIL would hold up the worker's heartbeats. The grading is mostly Python (nbgrader, the
trusted test cells, the course's reference and loop versions), so a worker hands each task
to this process over a pipe and waits: plain data both ways (marshal: None, bools, numbers,
text, bytes, lists, tuples and dicts; never pickle), one task at a time. The process is
started when the worker starts (cluster.WarmUp: it imports the grader and starts the kernel
template while the cluster is still getting ready), or else on the worker's first task, and
serves every later one (a worker with several threads has one per thread at work); it dies
with the worker (PR_SET_PDEATHSIG), and if it dies while grading, the worker ends too, so
that Dask counts the death against that task as before (allowed-failures, then the hand-in
is set aside). A grading process that outlives its
submission's time limit by a margin (the course's stand-ins compute in it, and a student's
function can ask one for a trillion iterations) is killed, and the hand-in is recorded as
timed out; for the same reason its address space is capped at the kernel's memory limit
plus its own needs, so a stand-in asked for a huge array raises MemoryError in that call.

    python -m autograder.grading_process PARENT_PID    # started by grade(), not by hand
"""
import builtins
import contextlib
import ctypes
import marshal
import os
import resource
import select
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

HEADER_BYTES = 8
PR_SET_PDEATHSIG = 1
GRADER_DIED_EXIT_CODE = 70  # the worker's own exit when its grading process died under a task
# How long past Limits.notebook_timeout a grading process may take before it is killed: the notebook's own deadline
# ends its kernels; this ends work of the grader's that no kernel's end stops.
HARD_LIMIT_MARGIN = 0.1
HARD_LIMIT_MIN_SECONDS = 10
# The grader's own address space (Python, nbgrader, a notebook: 0.62-0.67 GiB at most while it graded the course's
# five assignments, benchmarks/grader_memory.py). The course's stand-ins compute here on the student's arguments,
# and get what the student's kernel may have (Limits.memory_bytes) on top of that, no more: a cost of a row of
# 20,000 against a column of 20,000 raises MemoryError, as it would in the kernel, rather than take the machine's
# memory from everybody's grading.
GRADER_OWN_BYTES = 2**30

# Grading processes started ahead of a task, or done with one, waiting for the next: a worker thread takes one for
# each task (a worker with --nthreads 2 has two at work).
_idle = []
_idle_lock = threading.Lock()
PLAIN_TYPES = (type(None), bool, int, float, str, bytes)


def check_plain(value, where="the value"):
    """Raise TypeError unless value is plain data, exactly: marshal writes whatever holds a buffer (a NumPy
    scalar, say) as bytes without a word, and a grade would arrive as bytes."""
    kind = type(value)
    if kind in (list, tuple):
        for index, item in enumerate(value):
            check_plain(item, f"{where}[{index}]")
    elif kind is dict:
        for key, item in value.items():
            check_plain(key, f"a key of {where}")
            check_plain(item, f"{where}[{key!r}]")
    elif kind not in PLAIN_TYPES:
        raise TypeError(f"{where} is a {kind.__module__}.{kind.__qualname__}, not plain data")


def _send(stream, value):
    check_plain(value)
    data = marshal.dumps(value)
    stream.write(len(data).to_bytes(HEADER_BYTES, "big") + data)
    stream.flush()


def _receive(fd, deadline=None):
    """The next value on fd, or None when the other end has gone; TimeoutError once deadline has passed."""
    def read_exactly(count):
        data = bytearray()
        while len(data) < count:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and (left <= 0 or not select.select([fd], [], [], left)[0]):
                raise TimeoutError
            chunk = os.read(fd, count - len(data))
            if not chunk:
                return None
            data += chunk
        return bytes(data)

    header = read_exactly(HEADER_BYTES)
    data = header and read_exactly(int.from_bytes(header, "big"))
    return marshal.loads(data) if data is not None else None


def _start():
    package_root = str(Path(__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")]))}
    return subprocess.Popen([sys.executable, "-m", "autograder.grading_process", str(os.getpid())],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)


def _take():
    with _idle_lock:
        while _idle:
            process = _idle.pop()
            if process.poll() is None:
                return process
    return _start()


def warm(limits):
    """Start a grading process now, ahead of any task: it imports the grader and, if kernels will be forked from a
    template, starts the template, while the cluster still gets ready."""
    process = _start()
    try:
        _send(process.stdin, ("warm", limits))
    except BrokenPipeError:
        process.kill()
        return
    with _idle_lock:
        _idle.append(process)


def grade(shared, task):
    """autograde.grade_here(shared, task), run in one of this worker's grading processes; its exceptions are raised
    here."""
    process = _take()
    started = time.monotonic()
    timeout = (shared.get("limits") or {}).get("notebook_timeout")
    deadline = started + timeout + max(HARD_LIMIT_MIN_SECONDS, HARD_LIMIT_MARGIN * timeout) if timeout else None
    try:
        _send(process.stdin, (shared, task))
        answer = _receive(process.stdout.fileno(), deadline)
    except BrokenPipeError:
        answer = None
    except TimeoutError:  # the next task gets a fresh grading process
        process.kill()
        process.wait()
        return {"timed_out": True, "seconds": time.monotonic() - started}
    if answer is None:  # it died while grading: the worker goes with it, and Dask blames the task
        process.kill()
        os._exit(GRADER_DIED_EXIT_CODE)
    kind, value = answer
    with _idle_lock:
        _idle.append(process)
    if kind == "error":
        name, message = value
        error_type, error = getattr(builtins, name, None), RuntimeError(f"{name}: {message}")
        if isinstance(error_type, type) and issubclass(error_type, Exception):
            with contextlib.suppress(TypeError):  # a builtin that wants more than a message (UnicodeDecodeError)
                error = error_type(message)
        raise error
    if value.get("timestamp"):
        value["timestamp"] = datetime.fromisoformat(value["timestamp"])
    return value


def limit_memory(kernel_bytes):
    """Cap this process's address space at kernel_bytes plus its own needs (no cap when the kernel has none).
    Only the soft limit: a kernel started from here may still be given its own, larger or not."""
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    wanted = kernel_bytes + GRADER_OWN_BYTES if kernel_bytes else resource.RLIM_INFINITY
    if hard != resource.RLIM_INFINITY:
        wanted = hard if wanted == resource.RLIM_INFINITY else min(wanted, hard)
    resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))


def _warm(limits):
    """Start the kernel template now, if this process's kernels will be forked from one (any failure is left for the
    first kernel's start to report), and import the grader while it boots."""
    from autograder import sandbox

    if limits.get("sandboxed") and limits.get("fast_kernels") and sandbox.is_root():
        with contextlib.suppress(Exception):
            sandbox.kernel_template()
    import autograder.autograde  # noqa: F401


def serve(parent_pid):
    """Grade the tasks that arrive on stdin, one after the other, until the worker goes."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent_pid:  # the worker went before the line above took effect
        os._exit(1)
    # The pipes to the worker are this process's own: whatever nbgrader or a library prints goes to stderr.
    requests, answers = os.dup(0), os.fdopen(os.dup(1), "wb")
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    os.dup2(2, 1)

    while True:
        request = _receive(requests)
        if request is None:
            return
        if request[0] == "warm":
            _warm(request[1])
            continue
        from autograder.autograde import grade_here
        shared, task = request
        try:
            limit_memory((shared.get("limits") or {}).get("memory_bytes"))
            result = grade_here(shared, task)
            if result.get("timestamp"):
                result["timestamp"] = result["timestamp"].isoformat()
            answer = ("result", result)
        except Exception as error:
            answer = ("error", (type(error).__name__, str(error)))
        try:
            _send(answers, answer)
        except (TypeError, ValueError) as error:  # not plain data: the grader's own bug
            _send(answers, ("error", ("TypeError", f"a grading result that is not plain data ({error})")))


if __name__ == "__main__":
    serve(int(sys.argv[1]))
