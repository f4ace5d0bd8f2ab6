"""python -m autograder grade: parallel, resumable after a SIGKILL, and equal to a sequential nbgrader autograde.

Two throwaway courses get the same class. One is graded by `nbgrader autograde`,
one by the pipeline, killed with SIGKILL partway and run again: every grade,
comment and timestamp of the two gradebooks must be equal, and the journal must
hold each submission exactly once (nothing graded twice, nothing lost).
"""
import io
import json
import os
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import cloudpickle
import pytest
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbformat.notebooknode import NotebookNode
from nbgrader.api import Gradebook
from nbgrader.converters import Autograde, GenerateFeedback

from autograder import cluster, demo, grade, preprocessors, submissions
from autograder.course import COURSE_ID, Course, Limits, nbgrader_config
from autograder.journal import STARTED, Journal, journal_path
from autograder.progress import Progress
from support import selected_assignments

ASSIGNMENT = "01_perceptron"
STUDENTS = demo.student_ids(6)
VARIANTS = {ASSIGNMENT: ["solutions", "blank", "two_mistakes", "passes_visible_tests_only"]}
CHOSEN = demo.plan_cohort(STUDENTS, [ASSIGNMENT], VARIANTS)
GRADE = [sys.executable, "-m", "autograder", "grade", "--workers", "2", "--cell-timeout", "30", "--quiet"]


def journal_lines(course, started=False):
    """The journal's entries of finished submissions (started=True: the lines written as grading starts)."""
    path = journal_path(course.state)
    lines = [json.loads(line) for line in path.read_text().splitlines() if line.strip()] if path.exists() else []
    return [line for line in lines if bool(line.get(STARTED)) == started]


def children(pid):
    """The processes whose parent is pid (Linux)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def command_line(pid):
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def alive(pid):
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture(scope="module")
def courses(tmp_path_factory):
    if ASSIGNMENT not in selected_assignments():
        pytest.skip(f"{ASSIGNMENT} is not among COURSE_ASSIGNMENTS")
    root = tmp_path_factory.mktemp("grading")
    parallel = demo.make_course(root / "parallel", [ASSIGNMENT])
    sequential = demo.make_course(root / "sequential", [ASSIGNMENT])
    for course in (parallel, sequential):
        demo.write_submitted(course, demo.cohort_files(course, CHOSEN))
        # a due date, and students on time and late: timestamps and late penalties must be copied too
        with Gradebook(course.db_url, COURSE_ID) as book:
            book.update_or_create_assignment(ASSIGNMENT, duedate=datetime(2026, 3, 1, 12, 0))
        for number, student in enumerate(STUDENTS):
            (course.submitted / student / ASSIGNMENT / "timestamp.txt").write_text(
                f"2026-03-01 {10 + 4 * (number % 2)}:00:00.000000 UTC")
    return parallel, sequential


@pytest.fixture(scope="module")
def killed_then_rerun(courses):
    """Grade with the pipeline, SIGKILL it after two submissions are recorded, then rerun it."""
    parallel, _ = courses
    run = subprocess.Popen(GRADE + ["--course", str(parallel.root)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300
    while len(journal_lines(parallel)) < 2 and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    workers = [pid for pid in children(run.pid) if "resource_tracker" not in command_line(pid)]
    run.send_signal(signal.SIGKILL)
    assert run.wait() == -signal.SIGKILL
    recorded_when_killed = len(journal_lines(parallel))
    deadline = time.monotonic() + 20
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    orphans = [pid for pid in workers if alive(pid)]
    rerun = subprocess.run(GRADE + ["--course", str(parallel.root)], capture_output=True, text=True, timeout=600)
    return recorded_when_killed, workers, orphans, rerun


@pytest.fixture(scope="module")
def sequential_snapshot(courses):
    _, sequential = courses
    result = subprocess.run([sys.executable, "-m", "nbgrader", "autograde", ASSIGNMENT], cwd=sequential.root,
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    return grade.snapshot(sequential.db_url)


def test_the_run_was_killed_partway(killed_then_rerun):
    recorded_when_killed, workers, _, _ = killed_then_rerun
    assert 2 <= recorded_when_killed < len(STUDENTS)
    assert len(workers) == 2


def test_killing_the_parent_takes_the_workers_with_it(killed_then_rerun):
    _, _, orphans, _ = killed_then_rerun
    assert orphans == []


def test_the_rerun_grades_only_what_was_left(killed_then_rerun, courses):
    recorded_when_killed, _, _, rerun = killed_then_rerun
    assert rerun.returncode == 0, rerun.stderr
    assert f"({recorded_when_killed} already graded, skipped)" in rerun.stdout
    entries = journal_lines(courses[0])
    assert sorted((entry["assignment"], entry["student"]) for entry in entries) == [
        (ASSIGNMENT, student) for student in STUDENTS], "each submission must be recorded exactly once"


def test_the_gradebook_equals_sequential_nbgrader_cell_by_cell(killed_then_rerun, courses, sequential_snapshot):
    parallel = grade.snapshot(courses[0].db_url)
    assert len(parallel) == len(sequential_snapshot) > len(STUDENTS) * 5
    assert parallel == sequential_snapshot
    late = [key for key, value in parallel.items() if key[-1] == "timestamp" and value.hour == 14]
    assert len(late) == len(STUDENTS) // 2, "the timestamps were copied"


def test_late_submissions_are_reported(killed_then_rerun, courses):
    problems = {entry["student"]: entry["problems"] for entry in journal_lines(courses[0])}
    assert [student for student in STUDENTS if any("handed in late (7200" in line for line in problems[student])] \
        == STUDENTS[1::2]


def test_the_scores_are_the_fixtures_expected_scores(killed_then_rerun, courses):
    parallel = courses[0]
    got = {(student, assignment, notebook, cell): score[0]
           for (assignment, student, *rest), score in grade.snapshot(parallel.db_url).items() if len(rest) == 2
           for notebook, cell in [rest] if cell != "late penalty"}
    assert got == demo.expected_scores(parallel, CHOSEN)
    assert set(CHOSEN.values()) == set(VARIANTS[ASSIGNMENT]), "the class must hold every variant"


def test_a_rerun_with_nothing_new_grades_nothing(killed_then_rerun, courses):
    result = subprocess.run(GRADE + ["--course", str(courses[0].root)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"graded 0 submissions ({len(STUDENTS)} already graded, skipped)")


@pytest.mark.parametrize("steps, replaced", [
    ("sanitize_preprocessors", {"OverwriteCells": ["TolerantOverwriteCells"],
                                "CheckCellMetadata": ["CheckCellMetadataOnce"]}),
    ("autograde_preprocessors", {"Execute": ["ResilientExecute", "CoalesceStreamsPreprocessor"],
                                 "CheckCellMetadata": ["CheckCellMetadataOnce"]})])
def test_the_autograde_steps_are_nbgraders_with_ours_in_place(steps, replaced):
    """If nbgrader changes its autograde steps, the course's lists must follow."""
    nbgraders = Autograde.class_traits()[steps].default()
    ours = nbgrader_config(".", limits=Limits()).Autograde[steps]
    expected = []
    for step in nbgraders:
        expected += [getattr(preprocessors, name) for name in replaced[step.__name__]] \
            if step.__name__ in replaced else [step]
    assert ours == expected
    assert nbgrader_config(".", limits=Limits()).CoalesceStreamsPreprocessor.enabled, "nbconvert's steps start disabled"


def test_grading_nothing_says_what_to_do(tmp_path):
    result = subprocess.run(GRADE + ["--course", str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 1
    assert "nothing to grade" in result.stderr and "collect" in result.stderr


def test_a_second_run_on_the_same_course_is_refused(tmp_path):
    course = Course(tmp_path)
    with grade.exclusive(course):
        with pytest.raises(grade.GradingError, match="another grading run"):
            with grade.exclusive(course):
                pass


def test_text_no_file_can_hold_is_mended_in_every_output():
    half = "\ud83d"
    outputs = [NotebookNode(output_type="stream", name="stderr", text=f"a {half} b"),
               NotebookNode(output_type="error", ename="ValueError", evalue=half, traceback=[f"x{half}", "plain"]),
               NotebookNode(output_type="display_data", data={f"text/{half}": [half]}, metadata={})]
    mended = preprocessors.whole_text(outputs)
    assert json.dumps(mended, ensure_ascii=False).encode("utf-8")  # as nbformat writes a notebook
    with pytest.raises(UnicodeEncodeError):
        json.dumps(outputs, ensure_ascii=False).encode("utf-8")
    assert mended[0].text == "a \ufffd b" and mended[1].traceback == ["x\ufffd", "plain"]
    assert mended[2].data == {"text/\ufffd": ["\ufffd"]} and isinstance(mended[2], NotebookNode)
    whole = "a pair \U0001f600 stays, as does \u00e9"
    assert preprocessors.whole_text([whole]) == [whole]


def test_feedback_steps_are_nbgraders_with_the_hidden_tests_taken_out():
    nbgraders = GenerateFeedback.class_traits()["preprocessors"].default()
    ours = nbgrader_config(".", limits=Limits()).GenerateFeedback.preprocessors
    added = (preprocessors.HideHiddenTests, preprocessors.ScrubTracebacks, preprocessors.NameGradedCells)
    assert [step for step in ours if step not in added] == nbgraders
    assert ours.index(preprocessors.HideHiddenTests) < ours.index(CSSHTMLHeaderPreprocessor)
    assert ours.index(preprocessors.NameGradedCells) < ours.index(CSSHTMLHeaderPreprocessor)


def _job(shared, run_id, label, task):
    """A stand-in for grading one submission, misbehaving on demand."""
    if task == "dies":
        os._exit(1)
    if task == "raises":
        raise ValueError("boom")
    return shared + task.upper()


# The Dask workers cannot import this test module: its functions travel by value.
cloudpickle.register_pickle_by_value(sys.modules[__name__])


class _LostThenFound:
    """A future whose finished result was lost with its worker after done() said so: its status reads "lost" while
    Dask computes it again, and result() waits for that."""

    status = "lost"

    def result(self):
        return "got B"


def test_a_result_lost_with_its_worker_after_it_was_done_is_waited_for_not_failed():
    # Seen once in a clean-clone run: "b" finished, then the worker holding it died; its status read "lost", and
    # the result became a Failure although Dask computed it again.
    assert cluster.outcome(_LostThenFound()) == "got B"


def test_a_task_that_kills_its_workers_or_fails_costs_only_itself(tmp_path):
    results = {}
    with cluster.connect(workers=2, allowed_failures=1, local_directory=tmp_path) as client:
        cluster.run(client, _job, [(name, name) for name in ["a", "dies", "b", "raises", "c", "d"]],
                    results.__setitem__, shared="got ")
        client.wait_for_workers(2, timeout=120)  # the dead worker is replaced
    assert {name: result for name, result in results.items() if not isinstance(result, cluster.Failure)} == {
        "a": "got A", "b": "got B", "c": "got C", "d": "got D"}
    assert results["dies"].worker_died and "died" in results["dies"].reason
    assert not results["raises"].worker_died and "ValueError: boom" in results["raises"].reason


def test_the_journal_survives_a_line_cut_short(tmp_path):
    journal = Journal(tmp_path / "journal.jsonl")
    journal.append({"assignment": "a", "student": "s1", "fingerprint": "1"})
    with open(journal.path, "a") as handle:
        handle.write('{"assignment": "a", "student": "s2", "finger')  # SIGKILL in the middle of a write
    journal.append({"assignment": "a", "student": "s3", "fingerprint": "3"})
    assert sorted(journal.entries()) == [("a", "s1"), ("a", "s3")]


def test_the_progress_bar_counts_and_estimates_the_time_left():
    stream = io.StringIO()
    progress = Progress(4, "grading", stream=stream)
    progress.start -= 30  # 30 s ago
    progress.advance()
    progress.advance(failed=True)
    line = progress.line()
    assert "2/4" in line and "0:30 elapsed" in line and "~0:30 left" in line and "1 with problems" in line
    assert stream.getvalue().count("\n") == 3  # not a terminal: one line per tenth of the work


def test_a_submission_over_the_notebook_time_limit_scores_zero_and_is_tried_again(tmp_path):
    if ASSIGNMENT not in selected_assignments():
        pytest.skip(f"{ASSIGNMENT} is not among COURSE_ASSIGNMENTS")
    course = demo.make_course(tmp_path / "slow", [ASSIGNMENT])
    source, handed_out, name = demo.notebooks_of(course, ASSIGNMENT)[0]
    answers = submissions.solutions(source)
    answers["net_input"] += "\n\nimport time\ntime.sleep(100)  # under the cell limit, over the notebook's"
    submissions.write_submission(submissions.fill_answers(handed_out, answers), course.root, "slowpoke", ASSIGNMENT,
                                 name)
    command = GRADE + ["--course", str(course.root), "--cell-timeout", "200", "--notebook-timeout", "6"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("graded 1 submissions in")
    assert "longer than 6 s" in result.stdout and "flagged for grading by hand" in result.stdout
    grades = {key[-1]: value for key, value in grade.snapshot(course.db_url).items() if isinstance(value, tuple)}
    assert grades and all(value == (0.0, None, True) for value in grades.values())
    assert [entry["failed"] for entry in journal_lines(course)] == [True]
    jobs, skipped = grade.plan(course, [(ASSIGNMENT, "slowpoke")], force=False)
    assert [job.student for job in jobs] == ["slowpoke"] and skipped == [], "the next run must try it again"
