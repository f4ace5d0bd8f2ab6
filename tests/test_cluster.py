"""Grading on a real Dask cluster: a scheduler and two workers, separate processes over TCP, one killed midway.

The run must finish, and its gradebook must equal, cell by cell, what a sequential
`nbgrader autograde` of the same class gives.
"""
import json
import os
import signal
import socket
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest
from distributed import Client

from autograder import cluster as dask_cluster
from autograder import demo, grade
from autograder.errors import CommandError
from autograder.journal import Journal, journal_path
from support import selected_assignments

ASSIGNMENT = "01_perceptron"
STUDENTS = demo.student_ids(8)
VARIANTS = {ASSIGNMENT: ["solutions", "blank", "two_mistakes", "passes_visible_tests_only"]}
CHOSEN = demo.plan_cohort(STUDENTS, [ASSIGNMENT], VARIANTS)
DASK = Path(sys.executable).parent / "dask"
STARTUP_SECONDS = 120  # generous: a loaded machine starts Python slowly


def start(command, log):
    return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """(scheduler address, [worker processes]): `dask scheduler` and two `dask worker`s on 127.0.0.1."""
    if ASSIGNMENT not in selected_assignments():
        pytest.skip(f"{ASSIGNMENT} is not among COURSE_ASSIGNMENTS")
    folder = tmp_path_factory.mktemp("cluster")
    address_file = folder / "scheduler.json"
    log = open(folder / "cluster.log", "wb")
    processes = [start([str(DASK), "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                        "--scheduler-file", str(address_file)], log)]
    deadline = time.monotonic() + STARTUP_SECONDS
    while not address_file.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert address_file.exists(), (folder / "cluster.log").read_text()[-3000:]
    time.sleep(0.5)  # the file is written in one go, but give the scheduler a moment to listen
    address = json.loads(address_file.read_text())["address"]
    workers = [start([str(DASK), "worker", address, "--nthreads", "1", "--no-dashboard", "--host", "127.0.0.1",
                      "--local-directory", str(folder / f"worker-{index}")], log) for index in range(2)]
    with Client(address, timeout=STARTUP_SECONDS) as client:
        client.wait_for_workers(2, timeout=STARTUP_SECONDS)
    yield address, workers
    for process in workers + processes:
        stop(process)
    log.close()


@pytest.fixture(scope="module")
def courses(tmp_path_factory, cluster):
    root = tmp_path_factory.mktemp("courses")
    on_cluster = demo.make_course(root / "cluster", [ASSIGNMENT])
    sequential = demo.make_course(root / "sequential", [ASSIGNMENT])
    for course in (on_cluster, sequential):
        demo.write_submitted(course, demo.cohort_files(course, CHOSEN))
    return on_cluster, sequential


@pytest.fixture(scope="module")
def graded_with_a_worker_killed(cluster, courses):
    address, workers = cluster
    on_cluster, _ = courses
    run = subprocess.Popen([sys.executable, "-m", "autograder", "grade", "--course", str(on_cluster.root),
                            "--scheduler", address, "--cell-timeout", "60", "--quiet"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    journal = Journal(journal_path(on_cluster.state))
    deadline = time.monotonic() + 600
    while not journal.entries() and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    finished_before_the_kill = len(journal.entries())
    stop(workers[0])  # the nanny and its worker, and the worker's kernels with them
    stdout, stderr = run.communicate(timeout=900)
    return run.returncode, stdout, stderr, finished_before_the_kill


def test_the_run_finishes_although_a_worker_was_killed(graded_with_a_worker_killed, courses):
    returncode, stdout, stderr, finished_before_the_kill = graded_with_a_worker_killed
    assert returncode == 0, stderr[-3000:]
    assert 1 <= finished_before_the_kill < len(STUDENTS), "the worker must be killed partway through"
    assert f"graded {len(STUDENTS)} submissions" in stdout
    entries = Journal(journal_path(courses[0].state)).entries()
    assert sorted(student for _, student in entries) == sorted(STUDENTS)
    assert not any(entry.get("failed") or entry.get("set_aside") for entry in entries.values())


def test_the_gradebook_equals_sequential_nbgrader_cell_by_cell(graded_with_a_worker_killed, courses):
    on_cluster, sequential = courses
    result = subprocess.run([sys.executable, "-m", "nbgrader", "autograde", ASSIGNMENT], cwd=sequential.root,
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    expected = grade.snapshot(sequential.db_url)
    assert len(expected) > 10 * len(STUDENTS)
    assert grade.snapshot(on_cluster.db_url) == expected


def test_a_scheduler_that_does_not_answer_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(dask_cluster, "CONNECT_TIMEOUT", "3s")
    with pytest.raises(CommandError, match=r"no Dask scheduler answered at tcp://127.0.0.1:9 .*dask worker tcp://"):
        with dask_cluster.connect("tcp://127.0.0.1:9"):
            pass


def test_the_cluster_on_this_machine_takes_no_fixed_port(tmp_path):
    """A second grading run, or a Jupyter server's Dask dashboard, may hold Dask's default port 8787."""
    with socket.socket() as held:
        try:
            held.bind(("127.0.0.1", 8787))
            held.listen()
        except OSError:
            pass  # somebody else holds it: the same test
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with dask_cluster.connect(workers=1, local_directory=tmp_path) as client:
                http_port = client.scheduler_info()["services"].get("dashboard")  # health and metrics only
    assert http_port != 8787
    assert not [warning for warning in caught if "8787" in str(warning.message)], [str(w.message) for w in caught]
