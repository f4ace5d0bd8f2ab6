"""Grade one submission with nbgrader's Autograde, in a scratch course of its own (a Dask task).

The task gets plain data: the hand-in's files and the assignments' definitions (a gradebook
holding only those); the scratch course is made from them on the worker, so a worker needs
the project installed, not the course folder. What comes back is plain data too: the grades
and comments nbgrader recorded, the autograded notebooks' bytes, and what went wrong, in
words. The parent writes it all into the course.
"""
import hashlib
import logging
import os
import tempfile
import time
import zlib
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook
from nbgrader.converters import Autograde
from nbgrader.converters.base import NbGraderException
from nbgrader.coursedir import CourseDirectory

import helpers
from autograder import deadline, intake, preprocessors, problems, reach, sandbox, scratch_gradebook
from autograder.course import COURSE_ID, Course, Limits


@dataclass(frozen=True)
class Job:
    assignment: str
    student: str
    fingerprint: str
    extension_seconds: float | None = None
    deaths: int = 0  # how often grading it killed the grader already


class _Captured(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def _logger(handler):
    logger = logging.getLogger(f"autograder.worker.{os.getpid()}")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    return logger


def _score_missing(db_url, assignment, student, timestamp):
    """Nothing gradable was handed in: the zero nbgrader autograde gives a missing notebook
    (it gives it only when another notebook of the assignment is there)."""
    with Gradebook(db_url, COURSE_ID) as book:
        book.update_or_create_student(student)
        if timestamp:
            submission = book.update_or_create_submission(assignment, student, timestamp=timestamp)
        else:
            submission = book.update_or_create_submission(assignment, student)
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                grade.auto_score, grade.needs_manual_grade = 0, False
        book.db.commit()


def _read_result(db_url, assignment, student, autograded):
    with Gradebook(db_url, COURSE_ID) as book:
        submission = book.find_submission(assignment, student)
        return submission.timestamp, {
            notebook.name: {"late_penalty": notebook.late_submission_penalty,
                            "autograded": (autograded / f"{notebook.name}.ipynb").exists(),
                            "grades": {grade.name: (grade.auto_score, grade.needs_manual_grade)
                                       for grade in notebook.grades},
                            "comments": {comment.name: comment.auto_comment for comment in notebook.comments}}
            for notebook in submission.notebooks}


def code_version():
    """A hash of the grading code (autograder, helpers and its data): every worker must run the same."""
    digest = hashlib.sha256()
    for package in (Path(__file__).parent, Path(helpers.__file__).parent):
        for path in sorted(package.rglob("*")):
            if path.is_file() and path.suffix in (".py", ".csv"):
                digest.update(path.relative_to(package.parent).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def read_folder(folder):
    """{relative path: bytes} of every regular file under folder (links are not followed: nothing outside)."""
    folder = Path(folder)
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file() and not path.is_symlink()}


def write_folder(files, folder):
    """Write {relative path: bytes} under folder, refusing any path that would land outside it."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        path = (folder / name).resolve()
        if folder.resolve() not in path.parents:
            raise ValueError(f"a file name leads outside its folder: {name!r}")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def grade_here(shared, task):
    """autograder.task.grade_handin's work, in this process: grade the hand-in in a scratch course of its own."""
    with tempfile.TemporaryDirectory(prefix="autograder-") as scratch:
        database = Path(scratch) / "gradebook.db"
        with scratch_gradebook.engines(database) as db_url:
            return _grade_in(Path(scratch), database, db_url, shared, task)


def _grade_in(work, database, db_url, shared, task):
    started = time.monotonic()
    limits = Limits(**shared["limits"])
    course = Course(work, limits=limits, trusted_tests=shared["trusted_tests"])
    assignment, student = task["assignment"], task["student"]
    handed_in = work / "handed_in"
    write_folder(task["files"], handed_in)
    database.write_bytes(zlib.decompress(shared["template"]))
    folder = work / "submitted" / student / assignment
    found = intake.prepare(handed_in, folder, shared["notebooks"][assignment], shared["known"])
    if task["extension_seconds"] is not None:
        with Gradebook(db_url, COURSE_ID) as book:
            book.update_or_create_student(student)
            book.update_or_create_submission(assignment, student,
                                             extension=timedelta(seconds=task["extension_seconds"]))
    config = course.config()
    for name, value in {"root": str(work), "db_url": db_url, "submitted_directory": "submitted",
                        "autograded_directory": "autograded", "assignment_id": assignment,
                        "student_id": student}.items():
        config.CourseDirectory[name] = value
    coursedir = CourseDirectory(config=config)
    captured = _Captured()
    if any(folder.glob("*.ipynb")):
        converter = Autograde(coursedir=coursedir, config=config, log=_logger(captured))
        converter.force = True
        with deadline.notebook_deadline(limits.notebook_timeout, sandbox.kill_kernels):
            try:
                converter.start()
            except NbGraderException:
                pass  # its reasons are in the captured log
        if deadline.expired():
            return {"timed_out": True, "seconds": time.monotonic() - started}
        no_kernel = [message for message in captured.messages if preprocessors.KernelStartError.__name__ in message]
        if no_kernel:  # nothing of the student's ran: a failure of the grader, tried again by the next run
            raise RuntimeError(no_kernel[0].strip().splitlines()[-1])
    else:
        _score_missing(db_url, assignment, student, coursedir.get_existing_timestamp(str(folder)))
    autograded = work / "autograded" / student / assignment
    timestamp, notebooks = _read_result(db_url, assignment, student, autograded)
    found += problems.from_nbgrader_log(captured.messages)
    for path in sorted(autograded.glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        test_cells = intake.test_cells(shared["notebooks"][assignment].get(path.stem, {}))
        found += problems.from_outputs(notebook, course.limits, test_cells) + reach.from_notebook(notebook)
    return {"timestamp": timestamp, "notebooks": notebooks, "problems": list(dict.fromkeys(found)),
            "autograded": read_folder(autograded) if autograded.is_dir() else None,
            "seconds": time.monotonic() - started, "timed_out": False}
