"""Autograde every submission in submitted/ in parallel on a Dask cluster, into one gradebook, resumably.

Each Dask task runs nbgrader's own Autograde converter on one (assignment, student), against a
scratch copy of the gradebook's assignment definitions, so no two processes ever write the same
database. The parent is the only writer of the course's
gradebook: it copies each submission's grades in, moves the autograded notebooks into
autograded/, commits, and only then appends the submission to the journal. Killed at
any point, a rerun grades only what the journal does not hold, and the gradebook ends
exactly as a sequential `nbgrader autograde` of the same submissions leaves it.
"""
import fcntl
import shutil
import sqlite3
import time
import warnings
import zlib
from contextlib import contextmanager, nullcontext
from dataclasses import asdict, dataclass, field
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook
from sqlalchemy import text
from sqlalchemy.exc import SAWarning

from autograder import cluster, intake, order, release, sandbox
from autograder.autograde import Job, code_version, read_folder, write_folder
from autograder.task import grade_handin
from autograder.course import COURSE_ID
from autograder.errors import CommandError
from autograder.journal import Journal, fingerprint, journal_path
from autograder.progress import Progress


class GradingError(CommandError):
    """The grading run cannot start (nothing to grade, an unknown assignment, a run already going)."""


@dataclass
class Summary:
    graded: list = field(default_factory=list)
    skipped: list = field(default_factory=list)
    problems: dict = field(default_factory=dict)  # {(assignment, student): [sentence, ...]}
    seconds: float = 0.0
    workers: int = 0
    sandboxed: bool = True


# A submission whose grading killed the grader (its worker, or the whole run) this often is set aside.
MAX_GRADER_DEATHS = 2
SET_ASIDE = "stopped the grader twice: graded by hand"


def journal_of(course):
    return Journal(journal_path(course.state))


@contextmanager
def exclusive(course):
    """One grading run per course at a time (the lock goes with the process, even when it is killed)."""
    course.state.mkdir(parents=True, exist_ok=True)
    with open(course.state / "lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise GradingError(f"another grading run is using {course.root}: wait for it to finish") from None
        yield


# -- the parent: plan, prepare, record ----------------------------------------------------


def submitted(course, assignments, students=None):
    """(assignment, student) of every folder submitted/<student>/<assignment>/."""
    if not course.submitted.is_dir():
        return []
    found = [(assignment, folder.name) for folder in sorted(course.submitted.iterdir())
             if folder.is_dir() and not folder.name.startswith(".") for assignment in assignments
             if (folder / assignment).is_dir()]
    return [(assignment, student) for assignment, student in found if not students or student in students]


def source_cells(source_dir, assignment):
    return {path.stem: sorted(intake.cell_ids(nbformat.read(path, as_version=4)))
            for path in release.notebooks(Path(source_dir) / assignment)}


def prepare_gradebook(course, assignments, scratch):
    """Make sure the gradebook knows every assignment (nbgrader generate_assignment, into a scratch
    release folder: release/ is left alone); return {assignment: {notebook: intake.cell_definitions}} from it."""
    with Gradebook(course.db_url, COURSE_ID) as book:
        present = {assignment.name for assignment in book.assignments}
    for assignment in assignments:
        if assignment not in present:
            release.generate(assignment, release_dir=scratch / "release", source_dir=course.source_dir,
                             db_url=course.db_url)
    with Gradebook(course.db_url, COURSE_ID) as book:
        return {name: {notebook.name: intake.cell_definitions(notebook) for notebook in book.find_assignment(name).notebooks}
                for name in assignments}


def build_template(course, assignments, path):
    """A gradebook holding only the assignments' definitions, copied from the course's gradebook:
    every job starts from a copy of it."""
    with Gradebook(course.db_url, COURSE_ID) as book:
        version = book.db.execute(text("SELECT version_num FROM alembic_version")).scalar()
    # With the schema version in place, nbgrader creates the tables without running alembic (seconds).
    with sqlite3.connect(path) as database:
        database.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        database.execute("INSERT INTO alembic_version (version_num) VALUES (?)", (version,))
    with Gradebook(course.db_url, COURSE_ID) as book, Gradebook(f"sqlite:///{path}", COURSE_ID) as template:
        # A scratch file, written once: nothing to wait for at each of its hundreds of commits.
        template.db.execute(text("PRAGMA synchronous = OFF"))
        template.db.execute(text("PRAGMA journal_mode = MEMORY"))
        for name in assignments:
            assignment = book.find_assignment(name)
            template.update_or_create_assignment(name, duedate=assignment.duedate)
            for notebook in assignment.notebooks:
                template.update_or_create_notebook(notebook.name, name, kernelspec=notebook.kernelspec)
                for cell in notebook.source_cells:
                    template.update_or_create_source_cell(cell.name, notebook.name, name, cell_type=cell.cell_type,
                                                          locked=cell.locked, source=cell.source,
                                                          checksum=cell.checksum)
                for cell in notebook.grade_cells:
                    template.update_or_create_grade_cell(cell.name, notebook.name, name, max_score=cell.max_score,
                                                         cell_type=cell.cell_type)
                for cell in notebook.solution_cells:
                    template.update_or_create_solution_cell(cell.name, notebook.name, name)
                for cell in notebook.task_cells:
                    template.update_or_create_task_cell(cell.name, notebook.name, name, max_score=cell.max_score,
                                                        cell_type=cell.cell_type)


def plan(course, pairs, force):
    """(jobs to run, pairs already graded): a pair is done when the journal has it with the same files
    (and the grader did not fail on it: that may pass on a rerun), the gradebook has its submission
    and autograded/ its notebooks."""
    journal = journal_of(course)
    done = {} if force else journal.entries()
    deaths = journal.unfinished_starts()
    with Gradebook(course.db_url, COURSE_ID) as book:
        recorded = {(submission.assignment.name, submission.student.id): submission
                    for name in {assignment for assignment, _ in pairs}
                    for submission in book.find_assignment(name).submissions}
        jobs, skipped = [], []
        for assignment, student in pairs:
            files = fingerprint(course.submitted / student / assignment)
            entry = done.get((assignment, student))
            if (entry and entry.get("fingerprint") == files and not entry.get("failed")
                    and (assignment, student) in recorded
                    and (entry.get("set_aside") or (course.autograded / student / assignment).is_dir())):
                skipped.append((assignment, student))
                continue
            submission = recorded.get((assignment, student))
            extension = submission.extension.total_seconds() if submission and submission.extension else None
            died = deaths.get((assignment, student), (None, 0))
            jobs.append(Job(assignment, student, files, extension, died[1] if died[0] == files else 0))
    return jobs, skipped


def _replace_folder(incoming, destination):
    """Move incoming to destination, replacing what was there."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    staged = destination.with_name(f".{destination.name}.incoming")
    old = destination.with_name(f".{destination.name}.old")
    for leftover in (staged, old):
        shutil.rmtree(leftover, ignore_errors=True)
    if incoming:
        shutil.move(incoming, staged)
    if destination.exists():
        destination.rename(old)
    if incoming:
        staged.rename(destination)
    shutil.rmtree(old, ignore_errors=True)


def record(book, job, result):
    """Write one submission's grades into the course's gradebook, as nbgrader autograde would."""
    book.update_or_create_student(job.student)
    with warnings.catch_warnings():
        # nbgrader's add_submission trips SQLAlchemy's autoflush warnings; the rows are right.
        warnings.simplefilter("ignore", SAWarning)
        if result.get("timestamp"):
            book.update_or_create_submission(job.assignment, job.student, timestamp=result["timestamp"])
        else:
            book.update_or_create_submission(job.assignment, job.student)
    for name, graded in result["notebooks"].items():
        notebook = book.find_submission_notebook(name, job.assignment, job.student)
        notebook.late_submission_penalty = graded["late_penalty"]
        for grade in notebook.grades:
            grade.auto_score, needs_manual_grade = graded["grades"][grade.name]
            # nbgrader asks for a review when an instructor had graded the cell by hand before
            grade.needs_manual_grade = needs_manual_grade or (graded["autograded"] and grade.manual_score is not None)
        for comment in notebook.comments:
            comment.auto_comment = graded["comments"].get(comment.name)
    book.db.commit()


def failed_result(notebooks, reason):
    """Scores for a submission the grader could not finish: zero, flagged for a look by hand."""
    return {"notebooks": {name: {"late_penalty": None, "autograded": False, "comments": {},
                                 "grades": {cell: (0.0, True) for cell in cells}}
                          for name, cells in notebooks.items()},
            "problems": [f"the grader could not finish ({reason}): scored 0 and flagged for grading by hand "
                         "(the next grading run tries it again)"],
            "autograded": None}


def set_aside_result(notebooks):
    """Scores for a submission whose grading killed the grader twice: zero, for grading by hand, not tried again."""
    result = failed_result(notebooks, "")
    result["problems"] = [f"{SET_ASIDE} (its files unchanged, it is not tried again; `grade --force --student "
                          "<id>` tries once more)"]
    return result


def grade(course, assignments=None, students=None, workers_count=None, force=False, show_progress=True,
          scheduler=None):
    """Autograde the submissions of the given assignments (default: all of source/) and students (default: all).

    The grading runs on a Dask cluster: the scheduler at `scheduler` (tcp://HOST:PORT), or one started here
    with `workers_count` worker processes. Every kernel runs in a sandbox (autograder/sandbox.py) unless
    course.limits.sandboxed is False; grading stops with SandboxUnavailable, before anything runs, when the
    sandbox cannot be made here (a remote worker that cannot make it fails its tasks, which are flagged)."""
    everything = course.assignments()
    assignments = list(assignments or everything)
    unknown = sorted(set(assignments) - set(everything))
    if unknown:
        raise GradingError(f"unknown assignment(s) {', '.join(unknown)}: source/ holds {', '.join(everything)}")
    pairs = submitted(course, assignments, students)
    if not pairs:
        raise GradingError(f"nothing to grade: no folder submitted/<student>/<assignment>/ in {course.root} "
                           f"for {', '.join(assignments)} (run `python -m autograder collect` first?)")
    if course.limits.sandboxed and not scheduler:
        sandbox.check_available()
    started = time.monotonic()
    summary = Summary(sandboxed=course.limits.sandboxed)
    with exclusive(course):
        scratch = course.state / "scratch"
        shutil.rmtree(scratch, ignore_errors=True)
        scratch.mkdir(parents=True)
        graded_assignments = sorted({assignment for assignment, _ in pairs})
        notebooks = prepare_gradebook(course, graded_assignments, scratch)
        jobs, summary.skipped = plan(course, pairs, force)
        to_run = sum(not killed_the_grader_twice(job) for job in jobs)
        if jobs:
            limits = asdict(course.limits)
            starting = nullcontext(lambda: None)  # every job is set aside: no cluster
            if to_run:  # the cluster starts (its workers warming their grading processes) while the tasks are prepared
                starting = cluster.connect_in_background(
                    scheduler, max(1, min(workers_count or 1, to_run)), allowed_failures=MAX_GRADER_DEATHS - 1,
                    local_directory=course.state / "dask", plugins=[cluster.WarmUp(limits)])
            with starting as client_of:
                template = scratch / "template.db"
                build_template(course, graded_assignments, template)
                # The template gradebook goes with every task: compressed, it is a few kB (mostly empty pages).
                shared = {"template": zlib.compress(template.read_bytes()), "notebooks": notebooks,
                          "known": {name: source_cells(course.source_dir, name) for name in everything},
                          "limits": limits, "trusted_tests": course.trusted_tests, "code_version": code_version()}
                with Gradebook(course.db_url, COURSE_ID) as book:
                    _run_jobs(course, jobs, shared, book, summary, scratch, client_of, show_progress)
        shutil.rmtree(scratch, ignore_errors=True)
    summary.seconds = time.monotonic() - started
    return summary


def killed_the_grader_twice(job):
    """Whether grading the job killed the grader twice already (in earlier runs): it is set aside, not run a third
    time."""
    return job.deaths >= MAX_GRADER_DEATHS


def _run_jobs(course, jobs, shared, book, summary, scratch, client_of, show_progress):
    """Grade the jobs on the cluster client_of() returns; record each result here, the only writer of gradebook
    and journal."""
    journal = journal_of(course)
    notebooks = shared["notebooks"]
    progress = Progress(len(jobs), "grading", enabled=show_progress)

    def finish(job, result, failed=False, set_aside=False):
        incoming = None
        if result.get("autograded") is not None:
            incoming = scratch / "incoming" / f"{job.student}-{job.assignment}"
            shutil.rmtree(incoming, ignore_errors=True)
            write_folder(result["autograded"], incoming)
        _replace_folder(incoming, course.autograded / job.student / job.assignment)
        record(book, job, result)
        journal.append({"assignment": job.assignment, "student": job.student, "failed": failed,
                        "fingerprint": job.fingerprint, "problems": result["problems"],
                        "seconds": round(result.get("seconds", 0.0), 2), "sandboxed": summary.sandboxed,
                        **({"set_aside": True} if set_aside else {})})
        summary.graded.append((job.assignment, job.student))
        if result["problems"]:
            summary.problems[job.assignment, job.student] = result["problems"]

    runnable = {}
    for job in jobs:
        if killed_the_grader_twice(job):
            finish(job, set_aside_result(notebooks[job.assignment]), set_aside=True)
            progress.advance(failed=True)
        else:
            runnable[job.assignment, job.student] = job

    def on_start(label):
        job = runnable[label]
        journal.start(job.assignment, job.student, job.fingerprint)

    def on_result(label, result):
        job = runnable[label]
        if isinstance(result, cluster.Failure) and result.worker_died:
            finish(job, set_aside_result(notebooks[job.assignment]), set_aside=True)
        elif isinstance(result, cluster.Failure):
            finish(job, failed_result(notebooks[job.assignment], result.reason), failed=True)
        elif result.get("timed_out"):
            reason = f"grading took longer than {course.limits.notebook_timeout:g} s and was stopped"
            finish(job, failed_result(notebooks[job.assignment], reason), failed=True)
        else:
            longest_first.learn(job.assignment, result.get("seconds", 0.0))
            finish(job, result)

    longest_first = order.LongestFirst(runnable.values(), order.history_of(journal.entries()))

    def tasks():
        for job in longest_first:
            yield (job.assignment, job.student), {
                "assignment": job.assignment, "student": job.student, "extension_seconds": job.extension_seconds,
                "files": read_folder(course.submitted / job.student / job.assignment)}

    if not runnable:
        progress.close()
        return
    client = client_of()
    summary.workers = cluster.worker_count(client)
    cluster.run(client, grade_handin, tasks(), on_result, on_start=on_start, progress=progress, shared=shared)


def snapshot(db_url):
    """Every autograding result a gradebook holds, by (assignment, student, notebook, cell): two gradebooks
    graded the same are equal cell by cell."""
    rows = {}
    with Gradebook(db_url, COURSE_ID) as book:
        for assignment in book.assignments:
            for submission in assignment.submissions:
                key = (assignment.name, submission.student.id)
                rows[key + ("timestamp",)] = submission.timestamp
                for notebook in submission.notebooks:
                    rows[key + (notebook.name, "late penalty")] = notebook.late_submission_penalty
                    for grade in notebook.grades:
                        rows[key + (notebook.name, grade.name)] = (grade.auto_score, grade.manual_score,
                                                                   grade.needs_manual_grade)
                    for comment in notebook.comments:
                        rows[key + (notebook.name, comment.name, "comment")] = comment.auto_comment
    return rows
