"""The grading process beside each worker: plain data both ways, errors carried over, and nobody outlives anybody.

Each test runs a stand-in for a Dask worker (a Python process of its own, which calls
grading_process.grade as a task would), so that the worker's exits can be looked at.
"""
import contextlib
import dataclasses
import json
import marshal
import os
import signal
import subprocess
import sys
import textwrap
import time

import nbformat
import numpy as np
import pytest

from autograder import cluster, demo, grade, grading_process, sandbox
from autograder.course import Limits
from autograder.journal import Journal, journal_path
from support import selected_assignments

ASSIGNMENT = "01_perceptron"

WAIT_SECONDS = 60  # for processes to start and end on a loaded machine


def worker(code, stdin=None):
    """A stand-in for a Dask worker running code (with grading_process imported), its output as text."""
    return subprocess.Popen([sys.executable, "-c", "from autograder import grading_process\n" + textwrap.dedent(code)],
                            stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def command_line(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as file:
            return file.read().decode(errors="replace")
    except OSError:
        return ""


def gone(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    with open(f"/proc/{pid}/stat") as stat:  # a zombie has gone too: it only waits to be reaped
        return stat.read().rsplit(")", 1)[1].split()[0] == "Z"


def wait_until_gone(pid):
    deadline = time.monotonic() + WAIT_SECONDS
    while not gone(pid):
        assert time.monotonic() < deadline, f"process {pid} is still there"
        time.sleep(0.05)


def test_a_grading_error_is_raised_in_the_worker_with_its_type_and_message():
    # A task without the files it should hold: grade_here fails with a KeyError in the grading process.
    run = worker("""
        try:
            grading_process.grade({"limits": {}}, {})
        except KeyError as error:
            print("KeyError", error)
        except Exception as error:
            print("other", type(error).__name__, error)
        grading_process._idle[0].kill()
    """)
    stdout, stderr = run.communicate(timeout=WAIT_SECONDS)
    assert run.returncode == 0, stderr
    assert stdout.startswith("KeyError"), stdout


def test_an_error_of_a_type_the_worker_cannot_name_arrives_as_a_runtime_error_with_its_name():
    # A gradebook template that is not zlib data: zlib.error, which is no builtin.
    run = worker("""
        import dataclasses
        from autograder.course import Limits
        shared = {"limits": dataclasses.asdict(Limits()), "trusted_tests": True, "template": b"not zlib"}
        try:
            grading_process.grade(shared, {"assignment": "a", "student": "s", "files": {}})
        except RuntimeError as error:
            print(error)
        grading_process._idle[0].kill()
    """)
    stdout, stderr = run.communicate(timeout=WAIT_SECONDS)
    assert stdout.startswith("error: Error -3 while decompressing"), (stdout, stderr)


def test_only_plain_data_crosses_the_pipe():
    grading_process.check_plain({"scores": [(1.0, None, True)], "notebook": b"{}", "problems": ["text"], "n": 3})
    for sneaky in ({"score": np.float64(1.0)}, {"scores": [np.int64(3)]}, (np.bool_(True),), {1: object()},
                   [bytearray(b"x")]):
        with pytest.raises(TypeError, match="not plain data"):
            grading_process.check_plain(sneaky)
    assert marshal.loads(marshal.dumps(np.int64(3))) == np.int64(3).tobytes(), "what the check is there for"


def test_the_worker_ends_when_its_grading_process_dies_under_a_task():
    """A grader killed while it grades (out of memory, say) must look to Dask like a worker that died: then
    allowed-failures counts it against the task, and the hand-in is set aside after the second death."""
    run = worker("""
        import os, signal
        process = grading_process._start()
        grading_process._idle.append(process)
        os.kill(process.pid, signal.SIGKILL)
        grading_process.grade({}, {})
        print("the worker went on")
    """)
    stdout, stderr = run.communicate(timeout=WAIT_SECONDS)
    assert run.returncode == grading_process.GRADER_DIED_EXIT_CODE, (stdout, stderr)
    assert "went on" not in stdout


def test_a_dead_grading_process_is_replaced_by_the_next_task():
    run = worker("""
        import os, signal
        first = grading_process._start()
        grading_process._idle.append(first)
        first.kill()
        first.wait()
        try:
            grading_process.grade({"limits": {}}, {})
        except KeyError:
            pass
        (second,) = grading_process._idle
        print(second.pid != first.pid and second.poll() is None)
        second.kill()
    """)
    stdout, stderr = run.communicate(timeout=WAIT_SECONDS)
    assert stdout.strip() == "True", (stdout, stderr)


def test_the_grading_process_dies_with_its_worker():
    run = worker("""
        import sys, time
        process = grading_process._start()
        grading_process._idle.append(process)
        print(process.pid, flush=True)
        time.sleep(600)
    """)
    child = int(run.stdout.readline())
    assert not gone(child)
    run.send_signal(signal.SIGKILL)
    run.wait(timeout=WAIT_SECONDS)
    wait_until_gone(child)


def descendants(pid):
    """Every process below pid, from /proc."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    parent = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry))
    found, waiting = [], [pid]
    while waiting:
        for child in children.get(waiting.pop(), []):
            found.append(child)
            waiting.append(child)
    return found


@pytest.fixture(scope="module")
def sleeping_task(tmp_path_factory):
    """A grading task (shared, task) whose hand-in's first solution cell sleeps ten minutes, marshalled to a file."""
    root = tmp_path_factory.mktemp("sleeping")
    course = demo.make_course(root / "course", [ASSIGNMENT])
    demo.write_submitted(course, demo.cohort_files(course, {("sleeper", ASSIGNMENT): "solutions"}))
    (path,) = (course.submitted / "sleeper" / ASSIGNMENT).glob("*.ipynb")
    notebook = nbformat.read(path, as_version=4)
    # the student's own cell: grading puts the course's cells back as they were handed out
    first = next(cell for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("solution"))
    first.source = "import time\ntime.sleep(600)\n" + first.source
    nbformat.write(notebook, path)
    captured = {}

    def run(client, function, tasks, on_result, on_start=None, progress=None, shared=None):
        captured["request"] = (shared, next(iter(tasks))[1])

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cluster, "connect", lambda *args, **kwargs: contextlib.nullcontext())
        patch.setattr(cluster, "run", run)
        patch.setattr(cluster, "worker_count", lambda client: 1)
        grade.grade(course, show_progress=False)
    request = root / "request.marshal"
    request.write_bytes(marshal.dumps(captured["request"]))
    return request


def test_a_worker_killed_while_it_grades_leaves_neither_its_grading_process_nor_the_kernel(sleeping_task):
    run = worker(f"""
        import marshal
        shared, task = marshal.loads(open({str(sleeping_task)!r}, "rb").read())
        process = grading_process._start()
        grading_process._idle.append(process)
        print(process.pid, flush=True)
        grading_process.grade(shared, task)
    """)
    child = int(run.stdout.readline())
    deadline = time.monotonic() + WAIT_SECONDS
    # the kernel template, the sandbox and the kernel in it, asleep in the hand-in's first cell
    while len(descendants(child)) < 3:
        assert time.monotonic() < deadline and run.poll() is None, run.stderr.read() if run.poll() else ""
        time.sleep(0.2)
    time.sleep(2)
    below = descendants(child)
    assert run.poll() is None, "the hand-in was graded already: it should still be asleep"
    run.send_signal(signal.SIGKILL)
    run.wait(timeout=WAIT_SECONDS)
    for pid in [child, *below]:
        wait_until_gone(pid)


def test_a_task_never_shares_the_grading_process_another_task_is_using():
    """A worker started with --nthreads 2 runs two tasks at once: they must not share one pipe. A process in use is
    nobody else's until its task has ended; then the next task gets it, already started."""
    run = worker("""
        held = grading_process._take()  # another thread's task is using this one
        try:
            grading_process.grade({"limits": {}}, {})
        except KeyError:
            pass
        (used,) = grading_process._idle  # given back when its task ended
        try:
            grading_process.grade({"limits": {}}, {})
        except KeyError:
            pass
        (again,) = grading_process._idle
        print(used.pid != held.pid, again.pid == used.pid)
        for process in (held, used):
            process.kill()
    """)
    stdout, stderr = run.communicate(timeout=WAIT_SECONDS)
    assert stdout.split() == ["True", "True"], (stdout, stderr)


def test_a_worker_warms_its_grading_process_and_kernel_template_before_its_first_task():
    if os.geteuid() != 0:
        pytest.skip("kernels are forked from a template only when grading as root")
    sandbox.check_available()
    run = worker("""
        import dataclasses
        from autograder.course import Limits
        grading_process.warm(dataclasses.asdict(Limits()))
        (process,) = grading_process._idle
        print(process.pid, flush=True)
        input()
        try:
            grading_process.grade({"limits": {}}, {})
        except KeyError:
            pass
        (used,) = grading_process._idle
        print(used.pid == process.pid, flush=True)
        used.kill()
    """, stdin=subprocess.PIPE)
    child = int(run.stdout.readline())
    deadline = time.monotonic() + WAIT_SECONDS
    while not any("kernel_template" in command_line(pid) for pid in descendants(child)):
        assert time.monotonic() < deadline and run.poll() is None, "no kernel template was started"
        time.sleep(0.2)
    stdout, stderr = run.communicate("\n", timeout=WAIT_SECONDS)
    assert stdout.strip() == "True", (stdout, stderr)


def test_each_worker_of_the_cluster_grade_starts_warms_a_grading_process_before_its_first_task(tmp_path):
    limits = dataclasses.asdict(Limits())
    with cluster.connect(workers=1, local_directory=tmp_path, plugins=[cluster.WarmUp(limits)]) as client:
        (worker_pid,) = client.run(os.getpid).values()
        deadline = time.monotonic() + WAIT_SECONDS
        while not any("autograder.grading_process" in command_line(pid) for pid in descendants(worker_pid)):
            assert time.monotonic() < deadline, "the worker started no grading process"
            time.sleep(0.2)


def test_an_error_that_cannot_be_made_from_its_message_arrives_as_a_runtime_error_with_its_name():
    read, write = os.pipe()
    with os.fdopen(write, "wb") as answers:
        grading_process._send(answers, ("error", ("UnicodeDecodeError", "'utf-8' codec can't decode byte 0xff")))

    class Answering:
        """A grading process that has answered already."""

        stdin, stdout = open(os.devnull, "wb"), os.fdopen(read, "rb")

        def poll(self):
            return None

    grading_process._idle.append(Answering())
    try:
        grading_process.grade({}, {})
    except RuntimeError as error:
        assert str(error) == "UnicodeDecodeError: 'utf-8' codec can't decode byte 0xff"
    else:
        raise AssertionError("no error raised")
    finally:
        Answering.stdin.close()
        Answering.stdout.close()
        grading_process._idle.clear()


def class_of_one(tmp_path, assignment, student, limits, answer_starts, appended):
    """A course whose one student handed in the solutions, with `appended` added to the answer cell holding
    `answer_starts`, graded under limits."""
    if assignment not in selected_assignments():
        pytest.skip(f"{assignment} is not among COURSE_ASSIGNMENTS")
    course = dataclasses.replace(demo.make_course(tmp_path / "course", [assignment]), limits=limits)
    demo.write_submitted(course, demo.cohort_files(course, {(student, assignment): "solutions"}))
    (path,) = (course.submitted / student / assignment).glob("*.ipynb")
    notebook = nbformat.read(path, as_version=4)
    cell = next(cell for cell in notebook.cells if answer_starts in cell.source
                and cell.metadata.get("nbgrader", {}).get("solution"))
    cell.source += appended
    nbformat.write(notebook, path)
    return course


def test_a_stand_in_asked_for_endless_work_ends_as_a_time_out_not_a_stuck_worker(tmp_path):
    """The course's stand-ins compute in the grader: a student's predict can ask the optimize stand-in for a
    trillion iterations. The notebook's deadline ends kernels, not the grader's own loop; the worker's hard
    limit ends the grading process and records the hand-in as timed out."""
    assignment = "03_logistic_regression"
    course = class_of_one(tmp_path, assignment, "looper", Limits(notebook_timeout=20), "def predict(",
                          "\n\ndef predict(X, w, b, threshold=0.5):\n"
                          "    optimize(np.ones((1, 1)), np.ones((1, 1)), np.zeros((1, 1)), 0.0, 0.1, 10**12, 10**9)\n")
    started = time.monotonic()
    summary = grade.grade(course, workers_count=1, show_progress=False)
    hard_limit = 20 + grading_process.HARD_LIMIT_MIN_SECONDS
    assert time.monotonic() - started < hard_limit + WAIT_SECONDS
    (entry,) = Journal(journal_path(course.state)).entries().values()
    assert entry["failed"] and any("longer than 20 s" in problem for problem in entry["problems"]), entry
    assert summary.graded == [(assignment, "looper")]


def test_a_stand_in_gets_no_more_memory_in_the_grader_than_the_kernel_has(tmp_path):
    """The stand-ins compute in the grader, on the student's arguments: a cost of a row of 20,000 probabilities
    against a column of 20,000 labels broadcasts to 3.2 GB arrays. The grader refuses it as the student's kernel
    would (MemoryError, this call's failure) rather than take the machine's memory from everybody's grading."""
    assignment = "04_shallow_network"
    course = class_of_one(tmp_path, assignment, "hoarder", Limits(memory_bytes=2 * 2**30), "def fit(",
                          "\n\n_fit = fit\n\n\ndef fit(X, Y, *args, **kwargs):\n"
                          "    compute_cost(np.full((1, 20_000), 0.5), np.ones((20_000, 1)))\n"
                          "    return _fit(X, Y, *args, **kwargs)\n")
    summary = grade.grade(course, workers_count=1, show_progress=False)
    assert summary.graded == [(assignment, "hoarder")]
    assert "'fit_tests' ran out of memory (the limit is 2 GB)" in summary.problems[assignment, "hoarder"]
    scores = {key[3]: value[0] for key, value in grade.snapshot(course.db_url).items() if isinstance(value, tuple)}
    assert scores["fit_tests"] == 0 and scores["backward_propagation_tests"] == 4, scores
    (autograded,) = (course.autograded / "hoarder" / assignment).glob("*.ipynb")
    fit_test = next(cell for cell in nbformat.read(autograded, as_version=4).cells
                    if cell.metadata.get("nbgrader", {}).get("grade_id") == "fit_tests")
    assert "MemoryError" in json.dumps(fit_test.outputs)
