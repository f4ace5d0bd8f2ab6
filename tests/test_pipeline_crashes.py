"""A submission that kills the grader costs only itself; a kernel that will not start costs nobody anything.

The journal says a submission's grading *started* before it runs. A submission whose
grading killed the grader twice (its worker in this run, or the whole run in earlier ones)
is set aside for grading by hand and the rest of the class is graded. A kernel that dies
before any cell of the student's ran is started again, and never scores the student 0.
"""
import os
import sys

import cloudpickle
import pytest
from jupyter_client.manager import AsyncKernelManager
from nbformat.v4 import new_code_cell, new_notebook

from autograder import demo, grade, preprocessors
from autograder.journal import STARTED, Journal, journal_path
from support import selected_assignments

ASSIGNMENT = "01_perceptron"
CHOSEN = {("alice", ASSIGNMENT): "solutions", ("crasher", ASSIGNMENT): "solutions", ("bob", ASSIGNMENT): "blank"}
real_autograde = grade.grade_handin


def crashing_autograde(shared, run_id, label, task):
    """Grades as usual, but the worker grading 'crasher' dies, as a grader killed by its job would."""
    if task["student"] == "crasher":
        from autograder import cluster

        cluster.say_started(run_id, label)
        os._exit(1)
    return real_autograde(shared, run_id, label, task)


# The Dask workers cannot import this test module: its functions travel by value.
cloudpickle.register_pickle_by_value(sys.modules[__name__])


@pytest.fixture
def course(tmp_path):
    if ASSIGNMENT not in selected_assignments():
        pytest.skip(f"{ASSIGNMENT} is not among COURSE_ASSIGNMENTS")
    course = demo.make_course(tmp_path / "course", [ASSIGNMENT])
    demo.write_submitted(course, demo.cohort_files(course, CHOSEN))
    return course


def finished(course):
    return Journal(journal_path(course.state)).entries()


def test_the_journal_counts_starts_since_the_last_finish(tmp_path):
    journal = Journal(tmp_path / "journal.jsonl")
    journal.start("a", "s1", "f1")
    journal.append({"assignment": "a", "student": "s1", "fingerprint": "f1"})
    journal.start("a", "s1", "f1")
    journal.start("a", "s2", "f2")
    journal.start("a", "s2", "f2")
    journal.start("a", "s3", "old")
    journal.start("a", "s3", "new")  # a new hand-in starts the count again
    assert journal.unfinished_starts() == {("a", "s1"): ("f1", 1), ("a", "s2"): ("f2", 2), ("a", "s3"): ("new", 1)}
    assert sorted(journal.entries()) == [("a", "s1")]


def test_a_submission_that_kills_its_worker_twice_is_set_aside(course, monkeypatch):
    monkeypatch.setattr(grade, "grade_handin", crashing_autograde)
    summary = grade.grade(course, [ASSIGNMENT], workers_count=2, show_progress=False)
    assert sorted(student for _, student in summary.graded) == ["alice", "bob", "crasher"]
    assert any(grade.SET_ASIDE in sentence for sentence in summary.problems[ASSIGNMENT, "crasher"])
    entries = finished(course)
    assert entries[ASSIGNMENT, "crasher"]["set_aside"] is True
    lines = journal_path(course.state).read_text().count('"student": "crasher"')
    assert lines == 3, "two starts, one set-aside"
    scores = {key[1:]: value for key, value in grade.snapshot(course.db_url).items() if isinstance(value, tuple)}
    assert all(value == (0.0, None, True) for key, value in scores.items() if key[0] == "crasher")
    assert sum(value[0] for key, value in scores.items() if key[0] == "alice") == 14.0
    # Set aside for good: the next run does not try it a third time, unless asked to.
    monkeypatch.setattr(grade, "grade_handin", real_autograde)
    jobs, skipped = grade.plan(course, [(ASSIGNMENT, "crasher")], force=False)
    assert jobs == [] and skipped == [(ASSIGNMENT, "crasher")]
    again = grade.grade(course, [ASSIGNMENT], students=["crasher"], force=True, show_progress=False)
    assert again.problems == {} and finished(course)[ASSIGNMENT, "crasher"].get("set_aside") is None


def test_a_submission_that_killed_two_whole_runs_is_set_aside_without_running(course, monkeypatch):
    fingerprint = grade.fingerprint(course.submitted / "crasher" / ASSIGNMENT)
    journal = Journal(journal_path(course.state))
    for _ in range(2):  # two runs killed while grading it (a SIGKILL leaves no other trace)
        journal.start(ASSIGNMENT, "crasher", fingerprint)
    monkeypatch.setattr(grade, "grade_handin", crashing_autograde)  # would kill a worker if it ran
    summary = grade.grade(course, [ASSIGNMENT], workers_count=2, show_progress=False)
    assert any(grade.SET_ASIDE in sentence for sentence in summary.problems[ASSIGNMENT, "crasher"])
    started = [line for line in journal_path(course.state).read_text().splitlines()
               if '"crasher"' in line and STARTED in line]
    assert len(started) == 2, "it must not be started a third time"
    assert summary.problems.get((ASSIGNMENT, "alice")) is None


class FlakyKernelManager(AsyncKernelManager):
    """Its first kernel dies at once, as a kernel starved on a loaded machine does."""

    starts = 0

    async def _async_pre_start_kernel(self, **kw):
        kernel_cmd, kw = await super()._async_pre_start_kernel(**kw)
        FlakyKernelManager.starts += 1
        if FlakyKernelManager.starts == 1:
            kernel_cmd = ["python3", "-c", "raise SystemExit(1)"]
        return kernel_cmd, kw


def test_a_kernel_that_dies_before_any_cell_is_started_again(monkeypatch):
    monkeypatch.setattr(preprocessors, "KERNEL_START_PAUSE_SECONDS", 0.1)
    notebook = new_notebook(cells=[new_code_cell("print(6 * 7)")])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    executor = preprocessors.ResilientExecute(kernel_manager_class=FlakyKernelManager, timeout=60,
                                              startup_timeout=60)
    executed, _ = executor.preprocess(notebook, {"metadata": {"path": "."}})
    assert FlakyKernelManager.starts == 2
    assert executed.cells[0].outputs[0]["text"] == "42\n"


def test_a_kernel_that_never_starts_is_a_grader_failure_not_a_zero(monkeypatch):
    monkeypatch.setattr(preprocessors, "KERNEL_START_PAUSE_SECONDS", 0.1)

    class DeadKernelManager(AsyncKernelManager):
        async def _async_pre_start_kernel(self, **kw):
            _, kw = await super()._async_pre_start_kernel(**kw)
            return ["python3", "-c", "raise SystemExit(1)"], kw

    notebook = new_notebook(cells=[new_code_cell("print(1)")])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    executor = preprocessors.ResilientExecute(kernel_manager_class=DeadKernelManager, timeout=60, startup_timeout=60)
    with pytest.raises(preprocessors.KernelStartError, match="no kernel started in 3 attempts"):
        executor.preprocess(notebook, {"metadata": {"path": "."}})
